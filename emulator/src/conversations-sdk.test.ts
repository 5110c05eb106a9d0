import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@twilio/conversations';
import { startEmulator, type RunningEmulator } from './emulator.ts';
import { createLogger } from './log.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// The real @twilio/conversations SDK, unmodified, against the emulator.

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, agentDelayMs: 50, log: createLogger('emulator', process.env.EMULATOR_LOG === 'info' ? 'info' : 'error') });
});
afterAll(async () => {
  await emulator.close();
});

describe('@twilio/conversations against the emulator', () => {
  it('joins a web chat, sees the agent greeting, sends and receives messages', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë', PreEngagementData: JSON.stringify({ question: 'Où est ma commande ?' }) });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      expect(client.user.identity).toBe(chat.identity);
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      const greeting = await waitFor<Message>((resolve) => {
        void conversation.getMessages().then((page) => page.items[0] && resolve(page.items[0]));
        conversation.on('messageAdded', resolve);
      }, 'agent greeting');
      expect(greeting.author).toBe('agent.alex');
      expect(greeting.body).toContain('Zoë');

      const echoed = waitFor<Message>((resolve) => conversation.on('messageAdded', (m: Message) => m.author === chat.identity && resolve(m)), 'own message');
      const index = await conversation.sendMessage('Hello — ça va? 👋', { clientMessageId: 'c-1' });
      const own = await echoed;
      expect(own.index).toBe(index);
      expect(own.body).toBe('Hello — ça va? 👋');
      expect(own.attributes).toEqual({ clientMessageId: 'c-1' });

      const reply = waitFor<Message>((resolve) => conversation.on('messageAdded', (m: Message) => m.author === 'agent.alex' && resolve(m)), 'agent reply');
      const posted = await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: 'Your order ships today.' }),
      });
      expect(posted.status).toBe(201);
      expect((await reply).body).toBe('Your order ships today.');

      const history = await conversation.getMessages(10);
      expect(history.items.map((m) => m.body)).toEqual([greeting.body, 'Hello — ça va? 👋', 'Your order ships today.']);
    } finally {
      await client.shutdown();
    }
  });
});
