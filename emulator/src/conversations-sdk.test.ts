import { describe, expect } from 'vitest';
import type { Message } from '@twilio/conversations';
import { emulatorTest } from '../test/fixture.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// The real @twilio/conversations SDK, unmodified, against the emulator.

const it = emulatorTest({ agentDelayMs: 50, logLevel: process.env.EMULATOR_LOG === 'info' ? 'info' : 'error' });

describe('@twilio/conversations against the emulator', () => {
  it('joins a web chat, sees the agent greeting, sends and receives messages', async ({ emulator }) => {
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

  it('refuses a body over 32 KB counted in UTF-8 bytes (50504) and keeps the conversation usable', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Ana' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      // 8,001 emoji: 16,002 UTF-16 units, 32,004 bytes.
      // The SDK rejects with Twilsock's upstream error: the HTTP status, and Twilio's error body.
      const refused = await conversation.sendMessage('😀'.repeat(8_001)).then(
        () => undefined,
        (error: unknown) => error as { status?: number; body?: { code?: number } },
      );
      expect([refused?.status, refused?.body?.code]).toEqual([400, 50504]);
      const index = await conversation.sendMessage('😀'.repeat(8_000));
      const stored = emulator.model.get(chat.conversation_sid).messages.find((m) => m.index === index);
      expect(stored?.body).toHaveLength(16_000);
      const bigAttributes = await conversation.sendMessage('hi', { pad: 'x'.repeat(4_000) }).then(
        () => undefined,
        (error: unknown) => error as { body?: { code?: number } },
      );
      expect(bigAttributes?.body?.code).toBe(50303);
    } finally {
      await client.shutdown();
    }
  });
});
