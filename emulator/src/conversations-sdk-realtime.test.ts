import { describe, expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import type { Client, Conversation, Message, Participant } from '@twilio/conversations';
import type { RunningEmulator } from './emulator.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// Typing, read horizons, isolation between visitors, and reconnect replay,
// all observed through the real @twilio/conversations SDK.

const it = emulatorTest();

async function agentPost(emulator: RunningEmulator, path: string, body: unknown): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function openChat(emulator: RunningEmulator, name: string): Promise<{ sid: string; identity: string; client: Client; conversation: Conversation; shutdown: () => Promise<void> }> {
  const chat = await createWebChat(emulator, { CustomerFriendlyName: name });
  const client = await connectClient(emulator, mintToken(emulator, chat.identity));
  const conversation = await client.getConversationBySid(chat.conversation_sid);
  // Like any chat UI: load history and roster, which subscribes the SDK to their live events.
  await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
  return { sid: chat.conversation_sid, identity: chat.identity, client, conversation, shutdown: () => client.shutdown() };
}

describe('realtime features through the real SDK', () => {
  it('delivers agent typing to the visitor and visitor typing to the agent side', async ({ emulator }) => {
    const chat = await openChat(emulator, 'Ana');
    try {
      expect((await chat.conversation.getParticipants()).map((p) => p.identity)).toEqual([chat.identity]);
      const joined = waitFor<Participant>((resolve) => chat.conversation.on('participantJoined', resolve), 'agent to join');
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'Hello Ana' });
      expect((await joined).identity).toBe('agent.alex');

      const typing = waitFor<Participant>((resolve) => chat.conversation.on('typingStarted', resolve), 'agent typing');
      expect((await agentPost(emulator, `/agent/conversations/${chat.sid}/typing`, {})).status).toBe(202);
      expect((await typing).identity).toBe('agent.alex');

      // The visitor's typing reaches the emulator, which fans it out to the agent's connections.
      const seen: string[] = [];
      emulator.model.on('typing', (conversation, participant) => conversation.sid === chat.sid && seen.push(participant.identity));
      await chat.conversation.typing();
      await expect.poll(() => seen).toContain(chat.identity);
    } finally {
      await chat.shutdown();
    }
  });

  it('moves read horizons both ways', async ({ emulator }) => {
    const chat = await openChat(emulator, 'Ben');
    try {
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'one' });
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'two' });
      await expect.poll(async () => (await chat.conversation.getMessages()).items.length).toBe(2);

      const unread = await chat.conversation.setAllMessagesRead();
      expect(unread).toBe(0);
      const visitor = emulator.model.findParticipant(emulator.model.get(chat.sid), chat.identity);
      expect(visitor?.lastReadMessageIndex).toBe(1);

      // When the agent reads, the visitor's SDK sees the agent participant's horizon move.
      await expect.poll(async () => (await chat.conversation.getParticipants()).map((p) => p.identity)).toContain('agent.alex');
      const agentParticipant = (await chat.conversation.getParticipants()).find((p) => p.identity === 'agent.alex') as Participant;
      const sent = await chat.conversation.sendMessage('three');
      const updated = waitFor<number | null>((resolve) => agentParticipant.on('updated', ({ participant }) => participant.lastReadMessageIndex === sent && resolve(participant.lastReadMessageIndex)), 'agent read horizon');
      const conversation = emulator.model.get(chat.sid);
      emulator.model.setReadHorizon(conversation, emulator.model.findParticipant(conversation, 'agent.alex')!, sent);
      expect(await updated).toBe(sent);
    } finally {
      await chat.shutdown();
    }
  });

  it('keeps visitors apart: one visitor cannot open another visitor\'s conversation', async ({ emulator }) => {
    const first = await openChat(emulator, 'Cleo');
    const second = await createWebChat(emulator, { CustomerFriendlyName: 'Dan' });
    const intruder = await connectClient(emulator, mintToken(emulator, second.identity));
    try {
      await expect(intruder.getConversationBySid(first.sid)).rejects.toThrow();
      const mine = await intruder.getConversationBySid(second.conversation_sid);
      expect(mine.sid).toBe(second.conversation_sid);
    } finally {
      await intruder.shutdown();
      await first.shutdown();
    }
  });

  it('replays messages sent while the visitor was disconnected, without duplicates', async ({ emulator }) => {
    const chat = await openChat(emulator, 'Eve');
    try {
      const received: string[] = [];
      chat.conversation.on('messageAdded', (m: Message) => received.push(m.body ?? ''));
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'before drop' });
      await expect.poll(() => received).toEqual(['before drop']);

      const states: string[] = [];
      chat.client.on('connectionStateChanged', (state) => states.push(state));
      expect(emulator.dropConnections()).toBeGreaterThan(0);
      await expect.poll(() => states).toContain('connecting');
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'while away 1' });
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'while away 2' });

      await expect.poll(() => states.at(-1), { timeout: 20_000 }).toBe('connected');
      await expect.poll(() => received, { timeout: 10_000 }).toEqual(['before drop', 'while away 1', 'while away 2']);
      await agentPost(emulator, `/agent/conversations/${chat.sid}/messages`, { body: 'after' });
      await expect.poll(() => received).toEqual(['before drop', 'while away 1', 'while away 2', 'after']);
    } finally {
      await chat.shutdown();
    }
  });
});
