import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';

// The official `twilio` helper library against the emulator: its base URL is
// pointed at the emulator by rewriting https://<product>.twilio.com/... to
// {emulator}/<product>/..., as the token service does in local mode.

class EmulatorRequestClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const source = new URL(opts.uri);
    const product = source.hostname.split('.')[0] as string;
    return super.request<T>({ ...opts, uri: `${this.baseUrl}/${product}${source.pathname}${source.search}` });
  }
}

/** The file's emulator, and the helper library pointed at it. */
const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' }).extend('client', { scope: 'file' }, ({ emulator }) => {
  const { accountSid, authToken } = emulator.credentials;
  return twilio(accountSid, authToken, { accountSid, httpClient: new EmulatorRequestClient(emulator.url) });
});

describe('twilio helper library', () => {
  it('flexApi.v1.flexFlow: create, fetch, update, list across pages, remove', async ({ emulator, client }) => {
    const created = await client.flexApi.v1.flexFlow.create({
      friendlyName: 'SMS Flex Flow',
      chatServiceSid: emulator.credentials.flexChatServiceSid,
      channelType: 'sms',
      contactIdentity: '+15005550006',
      'integration.flowSid': 'FW' + 'a'.repeat(32),
      'integration.retryCount': 1,
      longLived: true,
    });
    expect(created.sid).toMatch(/^FO/);
    expect(created.integration).toEqual({ flow_sid: 'FW' + 'a'.repeat(32), retry_count: 1 });
    expect(created.dateCreated).toBeInstanceOf(Date);
    expect((await client.flexApi.v1.flexFlow(created.sid).fetch()).friendlyName).toBe('SMS Flex Flow');
    expect((await client.flexApi.v1.flexFlow(created.sid).update({ enabled: false })).enabled).toBe(false);
    const all = await client.flexApi.v1.flexFlow.list({ pageSize: 1 });
    expect(all.map((f) => f.sid)).toEqual([emulator.credentials.webFlexFlowSid, created.sid]);
    expect((await client.flexApi.v1.flexFlow.list({ friendlyName: 'SMS Flex Flow' })).map((f) => f.sid)).toEqual([created.sid]);
    expect(await client.flexApi.v1.flexFlow(created.sid).remove()).toBe(true);
    await expect(client.flexApi.v1.flexFlow(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('flexApi.v1.channel and flexApi.v1.webChannel: create, fetch, list, update, remove', async ({ emulator, client }) => {
    const channel = await client.flexApi.v1.channel.create({
      flexFlowSid: emulator.credentials.webFlexFlowSid,
      identity: 'abc123',
      chatUserFriendlyName: 'Jane',
      chatFriendlyName: 'Chat with abc123',
      target: 'abc123',
      preEngagementData: JSON.stringify({ topic: 'orders' }),
    });
    expect(channel.sid).toMatch(/^CH/);
    expect(channel.flexFlowSid).toBe(emulator.credentials.webFlexFlowSid);
    expect((await client.flexApi.v1.channel(channel.sid).fetch()).userSid).toBe(channel.userSid);

    const web = await client.flexApi.v1.webChannel.create({
      flexFlowSid: emulator.credentials.webFlexFlowSid,
      identity: 'web-1',
      customerFriendlyName: 'Web',
      chatFriendlyName: 'Web chat',
    });
    expect((await client.flexApi.v1.webChannel(web.sid).update({ chatStatus: 'inactive', postEngagementData: '{}' })).sid).toBe(web.sid);
    expect(emulator.model.get(web.sid).state).toBe('inactive');
    expect((await client.flexApi.v1.channel.list({ pageSize: 1 })).map((c) => c.sid)).toEqual([channel.sid, web.sid]);
    expect((await client.flexApi.v1.webChannel.list()).map((c) => c.sid)).toEqual([channel.sid, web.sid]);
    expect(await client.flexApi.v1.channel(channel.sid).remove()).toBe(true);
    expect(await client.flexApi.v1.webChannel(web.sid).remove()).toBe(true);
  });

  it('flexApi.v2.webChannels (POST /v2/WebChats)', async ({ emulator, client }) => {
    const chat = await client.flexApi.v2.webChannels.create({ addressSid: emulator.credentials.webChatAddressSid, customerFriendlyName: 'Alice' });
    expect(chat.conversationSid).toMatch(/^CH/);
    expect(chat.identity).toBeTruthy();
  });

  it('conversations.v1: conversations, messages, participants, services', async ({ emulator, client }) => {
    const conversation = await client.conversations.v1.conversations.create({ friendlyName: 'Helper', attributes: JSON.stringify({ a: 1 }) });
    expect(conversation.state).toBe('active');
    const participant = await client.conversations.v1.conversations(conversation.sid).participants.create({ identity: 'agent.helper' });
    const sent = await client.conversations.v1
      .conversations(conversation.sid)
      .messages.create({ author: 'agent.helper', body: 'hello', xTwilioWebhookEnabled: 'true' });
    expect(sent.participantSid).toBe(participant.sid);
    for (const body of ['two', 'three']) await client.conversations.v1.conversations(conversation.sid).messages.create({ body });
    const messages = await client.conversations.v1.conversations(conversation.sid).messages.list({ order: 'desc', pageSize: 2 });
    expect(messages.map((m) => m.body)).toEqual(['three', 'two', 'hello']);
    expect((await client.conversations.v1.conversations(conversation.sid).update({ state: 'closed' })).state).toBe('closed');
    expect((await client.conversations.v1.conversations(conversation.sid).fetch()).state).toBe('closed');
    expect((await client.conversations.v1.conversations(conversation.sid).participants.list()).map((p) => p.identity)).toEqual(['agent.helper']);
    expect(await client.conversations.v1.conversations(conversation.sid).participants(participant.sid).remove()).toBe(true);
    expect((await client.conversations.v1.services(emulator.credentials.conversationsServiceSid).fetch()).sid).toBe(emulator.credentials.conversationsServiceSid);
    expect(await client.conversations.v1.conversations(conversation.sid).remove()).toBe(true);
    await expect(client.conversations.v1.conversations(conversation.sid).fetch()).rejects.toMatchObject({ status: 404 });
  });
});
