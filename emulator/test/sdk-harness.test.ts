import { expect } from 'vitest';
import { emulatorTest } from './fixture.ts';
import { createWebChat } from './sdk-harness.ts';

const test = emulatorTest();

test('createWebChat waits out Twilio’s 5 chat starts per second, as a client does, instead of failing', async ({ emulator }) => {
  const started = await Promise.all(Array.from({ length: 7 }, (_, i) => createWebChat(emulator, { CustomerFriendlyName: `Visitor ${i}` })));
  expect(new Set(started.map((chat) => chat.conversation_sid)).size).toBe(7);
}, 15_000);
