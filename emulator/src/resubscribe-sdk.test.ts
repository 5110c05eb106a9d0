import { describe, expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import type { Message, Participant } from '@twilio/conversations';
import { Client as ChatClient } from 'twilio-chat';
import type { Member, Message as ChatMessage } from 'twilio-chat';
import type { RunningEmulator } from './emulator.ts';
import type { ConnectionSummary } from './twilsock/hub.ts';
import { connectClient, createWebChat, mintToken } from '../test/sdk-harness.ts';

// Many real-SDK clients, one after another in one process, each losing its
// socket right after it has subscribed: on reconnect the SDK subscribes again
// on the new socket, the emulator replays, and every later message and
// participant change arrives. Each step waits for the emulator's own view of
// the connection (GET /faults/connections), never for time to pass.

const CLIENTS = 5;

// More web chats a second than Flex's orchestration limit allows.
const it = emulatorTest({ rateLimits: { mode: 'off' } });

function post(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function connectionsOf(emulator: RunningEmulator, identity: string): Promise<ConnectionSummary[]> {
  const { connections } = (await (await fetch(`${emulator.url}/faults/connections`)).json()) as { connections: ConnectionSummary[] };
  return connections.filter((c) => c.identity === identity);
}

interface SyncObjects {
  messages: string;
  roster: string;
}

function syncObjectsOf(emulator: RunningEmulator, conversationSid: string): SyncObjects {
  const conversation = emulator.model.get(conversationSid);
  return { messages: conversation.messageList.sid, roster: conversation.roster.sid };
}

/** Resolves with the connection once the emulator has both subscriptions established on one socket of `identity` other than `notOn`. */
async function subscribed(emulator: RunningEmulator, identity: string, objects: SyncObjects, notOn?: string): Promise<ConnectionSummary> {
  let found: ConnectionSummary | undefined;
  await expect
    .poll(
      async () => {
        found = (await connectionsOf(emulator, identity)).find((c) => c.id !== notOn && c.subscriptions.includes(objects.messages) && c.subscriptions.includes(objects.roster));
        return found !== undefined;
      },
      { timeout: 10_000, message: `${identity} subscribed${notOn ? ' again after the drop' : ''}` },
    )
    .toBe(true);
  return found as ConnectionSummary;
}

async function dropAndResubscribe(emulator: RunningEmulator, identity: string, objects: SyncObjects): Promise<void> {
  const before = await subscribed(emulator, identity, objects);
  expect((await (await post(emulator, '/faults/drop-sockets')).json()).dropped).toBeGreaterThan(0);
  await subscribed(emulator, identity, objects, before.id);
}

describe('subscriptions survive a socket drop right after connect', () => {
  it('@twilio/conversations: sequential clients keep getting messages and participants', async ({ emulator }) => {
    for (let round = 0; round < CLIENTS; round++) {
      const chat = await createWebChat(emulator, { CustomerFriendlyName: `C${round}` });
      const client = await connectClient(emulator, mintToken(emulator, chat.identity));
      try {
        const conversation = await client.getConversationBySid(chat.conversation_sid);
        const received: string[] = [];
        const joined: string[] = [];
        conversation.on('messageAdded', (m: Message) => received.push(m.body ?? ''));
        conversation.on('participantJoined', (p: Participant) => joined.push(p.identity ?? ''));
        await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
        await dropAndResubscribe(emulator, chat.identity, syncObjectsOf(emulator, chat.conversation_sid));

        expect((await post(emulator, `/agent/conversations/${chat.conversation_sid}/messages`, { body: `hello ${round}` })).status).toBe(201);
        await expect.poll(() => received, { timeout: 10_000, message: `round ${round}: message` }).toEqual([`hello ${round}`]);
        await expect.poll(() => joined, { timeout: 10_000, message: `round ${round}: participant` }).toEqual(['agent.alex']);
      } finally {
        await client.shutdown();
      }
    }
  }, 120_000);

  it('twilio-chat: sequential clients keep getting messages and members', async ({ emulator }) => {
    for (let round = 0; round < CLIENTS; round++) {
      const chat = await createWebChat(emulator, { CustomerFriendlyName: `L${round}` });
      const client = await ChatClient.create(mintToken(emulator, chat.identity), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
      try {
        const channel = await client.getChannelBySid(chat.conversation_sid);
        const received: string[] = [];
        const joined: string[] = [];
        channel.on('messageAdded', (m: ChatMessage) => received.push(m.body ?? ''));
        channel.on('memberJoined', (m: Member) => joined.push(m.identity));
        await Promise.all([channel.getMessages(), channel.getMembers()]);
        await dropAndResubscribe(emulator, chat.identity, syncObjectsOf(emulator, chat.conversation_sid));

        expect((await post(emulator, `/agent/conversations/${chat.conversation_sid}/messages`, { body: `hello ${round}` })).status).toBe(201);
        await expect.poll(() => received, { timeout: 10_000, message: `round ${round}: message` }).toEqual([`hello ${round}`]);
        await expect.poll(() => joined, { timeout: 10_000, message: `round ${round}: member` }).toEqual(['agent.alex']);
      } finally {
        await client.shutdown();
      }
    }
  }, 120_000);
});
