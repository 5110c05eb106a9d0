import { describe, expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import { Client as ChatClient } from 'twilio-chat';
import type { Message } from 'twilio-chat';
import { createWebChat, mintToken, waitFor } from '../test/sdk-harness.ts';

// The legacy Flex Programmable Chat client, twilio-chat, unmodified, against the emulator.

const it = emulatorTest({ logLevel: process.env.EMULATOR_LOG === 'info' ? 'info' : 'error' });

describe('twilio-chat against the emulator', () => {
  it('connects, reads history, sends and receives, and moves the consumption horizon', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Kai' });
    const client = await ChatClient.create(mintToken(emulator, chat.identity), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
    try {
      const channel = await client.getChannelBySid(chat.conversation_sid);
      await channel.getMessages();
      await channel.getMembers();
      const fromAgent = waitFor<Message>((resolve) => channel.on('messageAdded', (m: Message) => m.author === 'agent.alex' && resolve(m)), 'agent message');
      await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body: 'Legacy hello' }) });
      expect((await fromAgent).body).toBe('Legacy hello');
      const ownEcho = waitFor<Message>((resolve) => channel.on('messageAdded', (m: Message) => m.author === chat.identity && resolve(m)), 'own message echoed');
      const index = await channel.sendMessage('Legacy reply');
      expect(index).toBe(1);
      expect((await ownEcho).index).toBe(1);
      const page = await channel.getMessages(10);
      expect(page.items.map((m) => m.body)).toEqual(['Legacy hello', 'Legacy reply']);
      await channel.setAllMessagesConsumed();
      const visitor = emulator.model.findParticipant(emulator.model.get(chat.conversation_sid), chat.identity);
      expect(visitor?.lastReadMessageIndex).toBe(1);
    } finally {
      await client.shutdown();
    }
  });
});

describe('twilio-chat media', () => {
  it('sends a file as a media message (media_sid) that the agent side can fetch', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Mia' });
    const client = await ChatClient.create(mintToken(emulator, chat.identity), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
    try {
      const channel = await client.getChannelBySid(chat.conversation_sid);
      const echoed = waitFor<Message>((resolve) => channel.on('messageAdded', (m: Message) => m.author === chat.identity && resolve(m)), 'media message echoed');
      // In Node the SDK cannot post a FormData (browsers do: media-sdk.test.ts covers the
      // multipart upload), and its SendMediaOptions carry no file name.
      const index = await channel.sendMessage({ contentType: 'image/png', media: Buffer.from('not really a png') }, { note: 'photo' });
      const message = await echoed;
      expect(message.index).toBe(index);
      expect(message.type).toBe('media');
      expect({ filename: message.media.filename, contentType: message.media.contentType, size: message.media.size }).toEqual({ filename: null, contentType: 'image/png', size: 16 });
      expect(message.attributes).toEqual({ note: 'photo' });
      const url = await message.media.getContentTemporaryUrl();
      expect(await (await fetch(url)).text()).toBe('not really a png');
      const stored = emulator.model.get(chat.conversation_sid).messages.find((m) => m.index === index);
      expect(stored?.media.map((m) => m.contentType)).toEqual(['image/png']);
    } finally {
      await client.shutdown();
    }
  });
});

describe('legacy Flex channels reach twilio-chat', () => {
  it('a channel made with POST /v1/Channels is joined by its twilio-chat visitor, with the roster', async ({ emulator }) => {
    const auth = `Basic ${Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString('base64')}`;
    const created = await fetch(`${emulator.url}/flex-api/v1/Channels`, {
      method: 'POST',
      headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        FlexFlowSid: emulator.credentials.webFlexFlowSid,
        Identity: 'legacy-visitor-1',
        ChatUserFriendlyName: 'Lea',
        ChatFriendlyName: 'Web chat with Lea',
      }),
    });
    expect(created.status).toBe(201);
    const channelSid = ((await created.json()) as { sid: string }).sid;
    // Flex Flows put legacy channels in the Flex chat service: the visitor's grant names it.
    const client = await ChatClient.create(mintToken(emulator, 'legacy-visitor-1', 3600, emulator.credentials.flexChatServiceSid), { Twilsock: { uri: emulator.twilsockUri }, logLevel: 'silent' } as never);
    try {
      const channel = await client.getChannelBySid(channelSid);
      expect(channel.friendlyName).toBe('Web chat with Lea');
      const members = await channel.getMembers();
      expect(members.map((m) => m.identity)).toContain('legacy-visitor-1');
      await expect(channel.sendMessage('hello from legacy')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  });
});
