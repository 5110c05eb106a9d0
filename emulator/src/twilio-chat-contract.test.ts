import { describe, expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import { Client as ChatClient } from 'twilio-chat';
import type { Channel, Member, User } from 'twilio-chat';
import { twilioRest } from '../test/rest-client.ts';
import { createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';
import type { RunningEmulator } from './emulator.ts';

// Contract tests with the real twilio-chat client (legacy Flex Programmable
// Chat): typing, roster and channel events, users, the token warning and the
// body limit, as a legacy chat UI relies on them.

const it = emulatorTest({ rateLimits: { mode: 'off' } });

const C = '/conversations/v1/Conversations';

async function agentPost(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/agent${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function connect(emulator: RunningEmulator, identity: string, ttlSeconds = 3600, beforeInit?: (client: ChatClient) => void): Promise<ChatClient> {
  // The constructor connects at once; listeners that must catch early events go on in beforeInit.
  const client = new ChatClient(mintToken(emulator, identity, ttlSeconds), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
  beforeInit?.(client);
  return waitFor<ChatClient>((resolve) => client.on('stateChanged', (state: string) => state === 'initialized' && resolve(client)), 'twilio-chat initialized');
}

async function visitor(emulator: RunningEmulator, name: string) {
  const chat = await createWebChat(emulator, { CustomerFriendlyName: name });
  const client = await connect(emulator, chat.identity);
  const channel: Channel = await client.getChannelBySid(chat.conversation_sid);
  await Promise.all([channel.getMessages(), channel.getMembers()]);
  return { chat, client, channel };
}

async function withAgent(emulator: RunningEmulator, chat: { conversation_sid: string }, channel: Channel): Promise<void> {
  await agentPost(emulator, `/conversations/${chat.conversation_sid}/accept`);
  await expect.poll(async () => (await channel.getMembers()).length).toBe(2);
}

describe('twilio-chat: typing', () => {
  it('typingStarted, then typingEnded when the agent sends, and after the timeout without a message', async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Ada');
    try {
      await withAgent(emulator, chat, channel);
      const started = waitFor<Member>((resolve) => channel.on('typingStarted', resolve), 'typingStarted');
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/typing`);
      expect((await started).identity).toBe('agent.alex');
      const endedByMessage = waitFor<Member>((resolve) => channel.on('typingEnded', resolve), 'typingEnded (message)');
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/messages`, { body: 'Done' });
      expect((await endedByMessage).identity).toBe('agent.alex');

      const again = waitFor<Member>((resolve) => channel.once('typingStarted', resolve), 'typingStarted again');
      const endedByTimeout = waitFor<Member>((resolve) => channel.once('typingEnded', resolve), 'typingEnded (timeout)', 15_000);
      await agentPost(emulator, `/conversations/${chat.conversation_sid}/typing`);
      await again;
      expect((await endedByTimeout).isTyping).toBe(false);
    } finally {
      await client.shutdown();
    }
  }, 25_000);

  it("sends the visitor's typing to the emulator", async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Bea');
    try {
      const seen: string[] = [];
      emulator.model.on('typing', (conversation, participant) => conversation.sid === chat.conversation_sid && seen.push(participant.identity));
      await channel.typing();
      await expect.poll(() => seen).toContain(chat.identity);
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});

describe('twilio-chat: roster and channel events', () => {
  it('memberUpdated, memberLeft and channel updated reach the visitor', async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Cy');
    try {
      const added = await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}/Participants`, form: { Identity: 'agent.rest' } });
      await expect.poll(async () => (await channel.getMembers()).length).toBe(2);

      const updated = waitFor<Member>((resolve) => channel.on('memberUpdated', ({ member }: { member: Member }) => member.identity === 'agent.rest' && resolve(member)), 'memberUpdated');
      await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}/Participants/${added.body.sid}`, form: { Attributes: '{"skill":"returns"}' } });
      expect((await updated).attributes).toEqual({ skill: 'returns' });

      const left = waitFor<Member>((resolve) => channel.on('memberLeft', resolve), 'memberLeft');
      await twilioRest(emulator, { method: 'DELETE', path: `${C}/${chat.conversation_sid}/Participants/${added.body.sid}` });
      expect((await left).identity).toBe('agent.rest');

      const renamed = waitFor<string>(
        (resolve) => channel.on('updated', ({ channel: c, updateReasons }: { channel: Channel; updateReasons: string[] }) => updateReasons.includes('friendlyName') && resolve(c.friendlyName)),
        'channel updated',
      );
      await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}`, form: { FriendlyName: 'Returns for Cy' } });
      expect(await renamed).toBe('Returns for Cy');
    } finally {
      await client.shutdown();
    }
  }, 20_000);

  it('a deleted channel leaves the visitor: channelLeft, then removed', async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Dee');
    try {
      const events: string[] = [];
      client.on('channelLeft', (c: Channel) => c.sid === chat.conversation_sid && events.push('channelLeft'));
      const removed = waitFor<Channel>((resolve) => channel.on('removed', resolve), 'channel removed');
      client.on('channelRemoved', (c: Channel) => c.sid === chat.conversation_sid && events.push('channelRemoved'));
      await twilioRest(emulator, { method: 'DELETE', path: `${C}/${chat.conversation_sid}` });
      expect((await removed).sid).toBe(chat.conversation_sid);
      expect(events).toEqual(['channelLeft', 'channelRemoved']);
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});

describe('twilio-chat: users', () => {
  it('getUser answers for a member of the visitor, and a REST rename reaches it', async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Eli');
    try {
      await withAgent(emulator, chat, channel);
      const agent: User = await client.getUser('agent.alex');
      expect(agent.identity).toBe('agent.alex');
      const self: User = await client.getUser(chat.identity);
      expect(self.friendlyName).toBe('Eli');
      const renamed = waitFor<string>((resolve) => self.on('updated', ({ user }: { user: User }) => user.friendlyName === 'Eli R.' && resolve(user.friendlyName)), 'user updated');
      await twilioRest(emulator, { method: 'POST', path: `/conversations/v1/Users/${encodeURIComponent(chat.identity)}`, form: { FriendlyName: 'Eli R.' } });
      expect(await renamed).toBe('Eli R.');
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});

describe('twilio-chat: token and limits', () => {
  it('tokenAboutToExpire in the final three minutes; updateToken keeps the client working', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Fox' });
    let warned: Promise<void> | undefined;
    // 181 s: the warning (180 s before expiry) is due about a second after connecting.
    const client = await connect(emulator, chat.identity, 181, (c) => {
      warned = waitFor<void>((resolve) => c.on('tokenAboutToExpire', () => resolve()), 'tokenAboutToExpire');
    });
    try {
      await warned;
      await client.updateToken(mintToken(emulator, chat.identity, 3600));
      const channel = await client.getChannelBySid(chat.conversation_sid);
      await expect(channel.sendMessage('still connected')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  }, 20_000);

  it('refuses a body over 32 KB in UTF-8 bytes (50504) and takes one at the limit', async ({ emulator }) => {
    const { chat, client, channel } = await visitor(emulator, 'Gil');
    try {
      const refused = await channel.sendMessage('😀'.repeat(8_001)).then(
        () => undefined,
        (error: unknown) => error as { status?: number; body?: { code?: number } },
      );
      expect([refused?.status, refused?.body?.code]).toEqual([400, 50504]);
      const index = await channel.sendMessage('😀'.repeat(8_000));
      expect(emulator.model.get(chat.conversation_sid).messages.find((m) => m.index === index)?.body).toHaveLength(16_000);
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});
