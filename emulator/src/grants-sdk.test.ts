import { describe, expect } from 'vitest';
import { Client } from '@twilio/conversations';
import { Client as ChatClient } from 'twilio-chat';
import type { RunningEmulator } from './emulator.ts';
import { emulatorTest } from '../test/fixture.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// Access tokens are checked against the chat services as Twilio does: the
// ChatGrant must exist, name a service of the account, and only that
// service's conversations are reachable with it. The real SDKs see what they
// would see from Twilio: a final refusal ('denied') at connect time, or a
// conversation that does not exist.

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

/** Connects and resolves with how the connection ends up: the final state and the connection error's code. */
async function refusal(emulator: RunningEmulator, token: string): Promise<{ state: string; errorCode: number | null; terminal: boolean }> {
  const client = new Client(token, { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as ConstructorParameters<typeof Client>[1]);
  try {
    const [state, error] = await Promise.all([
      waitFor<string>((resolve) => client.on('connectionStateChanged', (value) => value === 'denied' && resolve(value)), 'denied'),
      waitFor<{ errorCode?: number | null; terminal?: boolean }>((resolve) => client.on('connectionError', (data) => resolve(data as never)), 'connectionError'),
    ]);
    return { state, errorCode: error.errorCode ?? null, terminal: error.terminal === true };
  } finally {
    await client.shutdown();
  }
}

describe('chat grants', () => {
  it('refuses a token without a ChatGrant (51103) and one naming a service of another account (51101)', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    expect(await refusal(emulator, mintToken(emulator, chat.identity, 3600, null))).toEqual({ state: 'denied', errorCode: 51103, terminal: true });
    expect(await refusal(emulator, mintToken(emulator, chat.identity, 3600, `IS${'9'.repeat(32)}`))).toEqual({ state: 'denied', errorCode: 51101, terminal: true });
  });

  it("a token for the account's other service does not reach the chat: not found, not listed, nothing sent", async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Ola' });
    // The visitor's identity, but a grant on the Flex chat service (IS…02); the web chat lives in IS…01.
    const client = await connectClient(emulator, mintToken(emulator, chat.identity, 3600, emulator.credentials.flexChatServiceSid));
    try {
      await expect(client.getConversationBySid(chat.conversation_sid)).rejects.toThrow();
      const listed = await client.getSubscribedConversations();
      expect(listed.items.map((c) => c.sid)).not.toContain(chat.conversation_sid);
      expect(emulator.model.get(chat.conversation_sid).messages).toEqual([]);
    } finally {
      await client.shutdown();
    }
    // The right grant reaches it.
    const visitor = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      expect((await visitor.getConversationBySid(chat.conversation_sid)).sid).toBe(chat.conversation_sid);
    } finally {
      await visitor.shutdown();
    }
  });

  it('refuses twilio-chat without a ChatGrant too', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    const client = await ChatClient.create(mintToken(emulator, chat.identity, 3600, null), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
    try {
      if (client.connectionState !== 'denied') {
        await waitFor<void>((resolve) => client.on('connectionStateChanged', (state: string) => state === 'denied' && resolve()), 'denied');
      }
      expect(client.connectionState).toBe('denied');
    } finally {
      await client.shutdown();
    }
  });

  it("uploads media only on the token's own service", async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    const upload = (service: string, token: string) =>
      fetch(`${emulator.url}/mcs/v1/Services/${service}/Media?Filename=a.txt`, { method: 'POST', headers: { 'X-Twilio-Token': token, 'Content-Type': 'text/plain' }, body: 'hi' });
    const { conversationsServiceSid, flexChatServiceSid } = emulator.credentials;
    expect((await upload(conversationsServiceSid, mintToken(emulator, chat.identity))).status).toBe(201);
    expect((await upload(flexChatServiceSid, mintToken(emulator, chat.identity))).status).toBe(404);
    expect((await upload(conversationsServiceSid, mintToken(emulator, chat.identity, 3600, null))).status).toBe(404);
  });
});
