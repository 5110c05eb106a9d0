import { expect } from 'vitest';
import type { Message } from '@twilio/conversations';
import { emulatorTest } from '../test/fixture.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// After a 410 "token expired" close, the real SDK recovers with updateToken once
// its socket has finished closing, and no message is missed.

const it = emulatorTest();

it('recovers from an expired token with updateToken and keeps receiving', async ({ emulator }) => {
  const chat = await createWebChat(emulator, {});
  const client = await connectClient(emulator, mintToken(emulator, chat.identity));
  try {
    const conversation = await client.getConversationBySid(chat.conversation_sid);
    await conversation.getMessages();
    const expired = waitFor<void>((resolve) => client.on('tokenExpired', () => resolve()), 'tokenExpired');
    await fetch(`${emulator.url}/faults/expire-tokens`, { method: 'POST' });
    await expired;
    await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'sent while expired' }),
    });
    if (client.connectionState === 'disconnecting') {
      await waitFor<void>((resolve) => client.on('connectionStateChanged', (state) => state !== 'disconnecting' && resolve()), 'socket closed');
    }
    const received: string[] = [];
    conversation.on('messageAdded', (m: Message) => received.push(m.body ?? ''));
    await client.updateToken(mintToken(emulator, chat.identity));
    await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ body: 'after renewal' }),
    });
    await expect.poll(() => received, { timeout: 10_000 }).toEqual(['sent while expired', 'after renewal']);
  } finally {
    await client.shutdown();
  }
}, 30_000);
