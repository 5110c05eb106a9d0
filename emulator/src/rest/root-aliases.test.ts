import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { describe, expect, it } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { OpenApiSpec, type SpecName } from '../../test/openapi.ts';
import { resolveRootAlias, SHARED_ROOT_PATHS } from './root-aliases.ts';

// One base URL: the `twilio` helper library with every product host pointed at
// the emulator's root, and the alias table checked against every path of
// Twilio's three specs.

const PREFIX: Record<SpecName, string> = {
  twilio_conversations_v1: '/conversations',
  twilio_flex_v1: '/flex-api',
  twilio_flex_v2: '/flex-api',
};

/** The file's emulator; `http` records what the helper library `client` asked for. */
const test = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' })
  .extend('http', { scope: 'file' }, ({ emulator }) => new OneBaseUrlClient(emulator.url))
  .extend('client', { scope: 'file' }, ({ emulator, http }) => {
    const { accountSid, authToken } = emulator.credentials;
    return twilio(accountSid, authToken, { accountSid, httpClient: http });
  });

describe('root aliases', () => {
  const concrete = (template: string) => template.replace(/\{[^}]+\}/g, 'XX0123');
  const owners = new Map<string, SpecName[]>();
  for (const name of Object.keys(PREFIX) as SpecName[]) {
    for (const template of Object.keys(OpenApiSpec.load(name).paths)) owners.set(concrete(template), [...(owners.get(concrete(template)) ?? []), name]);
  }

  it("maps every path only one product's spec defines to that product, and leaves the shared ones alone", () => {
    const shared = [...owners].filter(([, names]) => new Set(names.map((n) => PREFIX[n])).size > 1).map(([path]) => path);
    expect(shared).toEqual([...SHARED_ROOT_PATHS]);
    for (const [path, names] of owners) {
      if (shared.includes(path)) expect(resolveRootAlias(path), path).toBeUndefined();
      else expect(resolveRootAlias(path), path).toBe(`${PREFIX[names[0] as SpecName]}${path}`);
    }
    expect(owners.size).toBeGreaterThan(90);
  });

  it('does not alias the emulator paths that are already rooted or prefixed', () => {
    for (const path of ['/conversations/v1/Conversations', '/flex-api/v1/FlexFlows', '/mcs/v1/Services/IS1/Media', '/preview/Flex/FlexFlows', '/v1/Configuration', '/v1/ConversationsX', '/agent/conversations']) {
      expect(resolveRootAlias(path), path).toBeUndefined();
    }
  });
});

/** The helper library's hosts (https://<product>.twilio.com) all rewritten to one base URL. */
class OneBaseUrlClient extends twilio.RequestClient {
  readonly seen: string[] = [];
  constructor(private readonly baseUrl: string) {
    super();
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const source = new URL(opts.uri);
    this.seen.push(`${opts.method.toUpperCase()} ${source.pathname}`);
    return super.request<T>({ ...opts, uri: `${this.baseUrl}${source.pathname}${source.search}` });
  }
}

describe('the twilio helper library at one base URL', () => {

  test('drives Flex and Conversations through the root, paging included', async ({ emulator, http, client }) => {
    const { webFlexFlowSid, webChatAddressSid } = emulator.credentials;
    const chat = await client.flexApi.v2.webChannels.create({ addressSid: webChatAddressSid, customerFriendlyName: 'Ana', preEngagementData: 'plain text is a string too' });
    expect(chat.conversationSid).toMatch(/^CH/);
    const conversation = await client.conversations.v1.conversations(chat.conversationSid as string).fetch();
    expect(conversation.chatServiceSid).toBe(emulator.credentials.conversationsServiceSid);
    for (let i = 0; i < 3; i += 1) await client.conversations.v1.conversations.create({ friendlyName: `c${i}` });
    const all = await client.conversations.v1.conversations.list({ pageSize: 2 });
    expect(all.length).toBe(4);
    const message = await client.conversations.v1.conversations(chat.conversationSid as string).messages.create({ author: 'agent', body: 'Hello' });
    expect(message.index).toBeGreaterThanOrEqual(0);
    expect((await client.flexApi.v1.flexFlow(webFlexFlowSid).fetch()).sid).toBe(webFlexFlowSid);
    expect((await client.conversations.v1.addressConfigurations.list()).map((a) => a.sid)).toContain(webChatAddressSid);
    expect(http.seen.every((line) => !line.includes('/flex-api/') && !line.includes('/conversations/v1'))).toBe(true);
    expect(http.seen).toContain('GET /v1/Conversations');
  });

  test('the operations a Flex backend uses beyond create and list: messages, participants, webhooks, users, addresses', async ({ http, client }) => {
    const conversations = client.conversations.v1.conversations;
    const { sid } = await conversations.create({ friendlyName: 'backend' });
    const message = await conversations(sid).messages.create({ author: 'agent', body: 'Helo' });
    expect((await conversations(sid).messages(message.sid).update({ body: 'Hello' })).body).toBe('Hello');
    expect(await conversations(sid).messages(message.sid).deliveryReceipts.list()).toEqual([]);
    const participant = await conversations(sid).participants.create({ identity: 'agent.one' });
    await conversations(sid).messages.create({ author: 'agent.one', body: 'second' });
    const read = await conversations(sid).participants(participant.sid).update({ attributes: '{"skill":"billing"}', lastReadMessageIndex: 1 });
    expect([read.attributes, read.lastReadMessageIndex]).toEqual(['{"skill":"billing"}', 1]);
    const hook = await conversations(sid).webhooks.create({ target: 'webhook', 'configuration.url': 'https://bot.example.com/hook', 'configuration.filters': ['onMessageAdded', 'onMessageUpdated'] });
    expect(hook.configuration).toMatchObject({ filters: ['onMessageAdded', 'onMessageUpdated'] });
    await conversations(sid).webhooks(hook.sid).update({ 'configuration.filters': ['onParticipantAdded'] });
    expect((await conversations(sid).webhooks.list()).map((w) => w.configuration)).toEqual([expect.objectContaining({ filters: ['onParticipantAdded'] })]);
    expect(await conversations(sid).webhooks(hook.sid).remove()).toBe(true);
    expect(await conversations(sid).messages(message.sid).remove()).toBe(true);
    const user = await client.conversations.v1.users.create({ identity: 'helper.user', friendlyName: 'Helper' });
    expect((await client.conversations.v1.users('helper.user').update({ friendlyName: 'Helped' })).friendlyName).toBe('Helped');
    expect((await client.conversations.v1.users.list()).map((u) => u.sid)).toContain(user.sid);
    expect(await client.conversations.v1.users(user.sid).remove()).toBe(true);
    const address = await client.conversations.v1.addressConfigurations.create({ type: 'whatsapp', address: 'whatsapp:+15005550006', 'autoCreation.enabled': true, 'autoCreation.type': 'default' });
    expect((await client.conversations.v1.addressConfigurations(address.sid).update({ friendlyName: 'WhatsApp' })).friendlyName).toBe('WhatsApp');
    expect(await client.conversations.v1.addressConfigurations(address.sid).remove()).toBe(true);
    expect(http.seen).toContain(`POST /v1/Conversations/${sid}/Webhooks`);
  });

  test('keeps the prefixed paths, and says which prefixes a shared root path needs', async ({ emulator }) => {
    const auth = `Basic ${Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString('base64')}`;
    const prefixed = await fetch(`${emulator.url}/conversations/v1/Conversations`, { headers: { Authorization: auth } });
    expect(prefixed.status).toBe(200);
    const shared = await fetch(`${emulator.url}/v1/Configuration`, { headers: { Authorization: auth } });
    expect(shared.status).toBe(404);
    expect(((await shared.json()) as { message: string }).message).toMatch(/use \/flex-api or \/conversations/);
  });
});
