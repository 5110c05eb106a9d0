import { describe, expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import type { Conversation, Participant } from '@twilio/conversations';
import { twilioRest } from '../test/rest-client.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';
import type { RunningEmulator } from './emulator.ts';

// Contract tests with the real @twilio/conversations SDK: the events and states
// a chat UI relies on, produced by the emulator the way Twilio produces them.

const it = emulatorTest();

const C = '/conversations/v1/Conversations';

async function agentPost(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/agent${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function visitor(emulator: RunningEmulator, name: string) {
  const chat = await createWebChat(emulator, { CustomerFriendlyName: name });
  const client = await connectClient(emulator, mintToken(emulator, chat.identity));
  const conversation: Conversation = await client.getConversationBySid(chat.conversation_sid);
  await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
  return { chat, client, conversation };
}

describe('typingEnded', () => {
  it("ends the agent's typing when the agent's message arrives", async ({ emulator }) => {
    const { chat, client, conversation } = await visitor(emulator, 'Tia');
    try {
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/accept`);
      await expect.poll(async () => (await conversation.getParticipants()).length).toBe(2);
      const started = waitFor<Participant>((resolve) => conversation.on('typingStarted', resolve), 'typingStarted');
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/typing`);
      expect((await started).identity).toBe('agent.alex');
      const ended = waitFor<Participant>((resolve) => conversation.on('typingEnded', resolve), 'typingEnded');
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/messages`, { body: 'Here you go' });
      const participant = await ended;
      expect([participant.identity, participant.isTyping]).toEqual(['agent.alex', false]);
    } finally {
      await client.shutdown();
    }
  }, 20_000);

  it('ends it after the typing timeout the emulator announced, when no message follows', async ({ emulator }) => {
    const { chat, client, conversation } = await visitor(emulator, 'Uma');
    try {
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/accept`);
      await expect.poll(async () => (await conversation.getParticipants()).length).toBe(2);
      const started = waitFor<Participant>((resolve) => conversation.on('typingStarted', resolve), 'typingStarted');
      const ended = waitFor<Participant>((resolve) => conversation.on('typingEnded', resolve), 'typingEnded after the timeout', 15_000);
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/typing`);
      expect((await started).isTyping).toBe(true);
      expect((await ended).identity).toBe('agent.alex');
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});

describe('participantUpdated', () => {
  it('reaches the visitor when REST updates a participant', async ({ emulator }) => {
    const { chat, client, conversation } = await visitor(emulator, 'Vic');
    try {
      const added = await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}/Participants`, form: { Identity: 'agent.rest' } });
      await expect.poll(async () => (await conversation.getParticipants()).length).toBe(2);
      const updated = waitFor<Participant>(
        (resolve) => conversation.on('participantUpdated', ({ participant }: { participant: Participant }) => participant.identity === 'agent.rest' && resolve(participant)),
        'participantUpdated',
      );
      await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}/Participants/${added.body.sid}`, form: { Attributes: '{"skill":"billing"}' } });
      expect((await updated).attributes).toEqual({ skill: 'billing' });
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});

describe('joining a conversation that is no longer active', () => {
  it('an inactive conversation opens with its state, and the visitor can still write', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Wes' });
    await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}`, form: { State: 'inactive' } });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      expect(conversation.state?.current).toBe('inactive');
      await expect(conversation.sendMessage('anyone there?')).resolves.toEqual(expect.any(Number));
    } finally {
      await client.shutdown();
    }
  }, 20_000);

  it('a closed conversation opens read-only: history is there, sending is refused with 50377', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Xan' });
    await agentPost(emulator, `/conversations/${chat.conversation_sid}/messages`, { body: 'Thanks for chatting' });
    await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}`, form: { State: 'closed' } });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      expect(conversation.state?.current).toBe('closed');
      expect((await conversation.getMessages()).items.map((m) => m.body)).toContain('Thanks for chatting');
      const refused = await conversation.sendMessage('hello?').then(
        () => undefined,
        (error: unknown) => error as { status?: number; body?: { code?: number } },
      );
      expect([refused?.status, refused?.body?.code]).toEqual([409, 50377]);
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});
