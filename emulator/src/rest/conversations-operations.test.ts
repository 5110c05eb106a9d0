import type { Conversation as SdkConversation, Message as SdkMessage, User as SdkUser } from '@twilio/conversations';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { twilioRest } from '../../test/rest-client.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';
import type { RunningEmulator } from '../emulator.ts';

// The Conversations v1 operations a Flex backend uses beyond create/list:
// message update and delete, receipts, participant update, scoped webhooks,
// users, address configuration create/update/delete. Every call is checked by
// twilioRest against twilio_conversations_v1.json (parameters, and each
// success body against the operation's response schema in strict mode).

const it = emulatorTest({ logLevel: 'silent' });

const C = '/conversations/v1/Conversations';

async function newConversation(emulator: RunningEmulator): Promise<string> {
  const response = await twilioRest(emulator, { method: 'POST', path: C, form: {} });
  expect(response.status).toBe(201);
  return response.body.sid;
}

async function post(emulator: RunningEmulator, path: string, form: Record<string, string> | URLSearchParams = {}) {
  return twilioRest(emulator, { method: 'POST', path, form });
}

describe('messages: update, delete, receipts', () => {
  it('updates body, author and attributes, deletes, and keeps indexes', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const first = await post(emulator, `${C}/${sid}/Messages`, { Author: 'agent.a', Body: 'one' });
    const second = await post(emulator, `${C}/${sid}/Messages`, { Author: 'agent.a', Body: 'two' });
    const updated = await post(emulator, `${C}/${sid}/Messages/${first.body.sid}`, { Body: 'one (edited)', Author: 'agent.b', Attributes: '{"edited":true}' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ sid: first.body.sid, index: 0, body: 'one (edited)', author: 'agent.b', attributes: '{"edited":true}' });
    const tooLong = await post(emulator, `${C}/${sid}/Messages/${first.body.sid}`, { Body: '😀'.repeat(8_001) });
    expect([tooLong.status, tooLong.body.code]).toEqual([400, 50504]);
    const bigAttributes = await post(emulator, `${C}/${sid}/Messages/${first.body.sid}`, { Attributes: JSON.stringify({ pad: 'x'.repeat(4_000) }) });
    expect([bigAttributes.status, bigAttributes.body.code]).toEqual([400, 50303]);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `${C}/${sid}/Messages/${first.body.sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/${first.body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
    const third = await post(emulator, `${C}/${sid}/Messages`, { Body: 'three' });
    const list = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages` });
    expect(list.body.messages.map((m: { index: number; body: string }) => [m.index, m.body])).toEqual([
      [1, 'two'],
      [2, 'three'],
    ]);
    expect(third.body.index).toBe(2);
    expect(second.body.index).toBe(1);
    const again = await twilioRest(emulator, { method: 'DELETE', path: `${C}/${sid}/Messages/${first.body.sid}` });
    expect([again.status, again.body.code]).toEqual([404, 20404]);
  });

  it('refuses to change the body of a media message (50509) and changes nothing once closed (50377)', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Mia' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await conversation.sendMessage({ contentType: 'text/plain', filename: 'note.txt', media: Buffer.from('hello') });
      const media = emulator.model.get(chat.conversation_sid).messages.find((m) => m.media.length > 0);
      const path = `${C}/${chat.conversation_sid}/Messages/${media?.sid}`;
      const refused = await post(emulator, path, { Body: 'now with text' });
      expect([refused.status, refused.body.code]).toEqual([400, 50509]);
      expect((await post(emulator, path, { Attributes: '{"checked":true}' })).status).toBe(200);
    } finally {
      await client.shutdown();
    }
    const sid = await newConversation(emulator);
    const message = await post(emulator, `${C}/${sid}/Messages`, { Body: 'final' });
    await post(emulator, `${C}/${sid}`, { State: 'closed' });
    const edit = await post(emulator, `${C}/${sid}/Messages/${message.body.sid}`, { Body: 'too late' });
    expect([edit.status, edit.body.code]).toEqual([409, 50377]);
    const remove = await twilioRest(emulator, { method: 'DELETE', path: `${C}/${sid}/Messages/${message.body.sid}` });
    expect([remove.status, remove.body.code]).toEqual([409, 50377]);
  });

  it('lists no delivery receipts for chat messages; a receipt SID is not found', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const message = await post(emulator, `${C}/${sid}/Messages`, { Body: 'hi' });
    const receipts = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/${message.body.sid}/Receipts`, query: { PageSize: '10' } });
    expect(receipts.status).toBe(200);
    expect(receipts.body.delivery_receipts).toEqual([]);
    expect(receipts.body.meta).toMatchObject({ key: 'delivery_receipts', page_size: 10 });
    const one = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/${message.body.sid}/Receipts/DY${'0'.repeat(32)}` });
    expect([one.status, one.body.code]).toEqual([404, 20404]);
    const tooBig = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/${message.body.sid}/Receipts`, query: { PageSize: '51' }, check: 'names' });
    expect([tooBig.status, tooBig.body.code]).toEqual([400, 20001]);
  });

  it('reaches a connected SDK: messageUpdated, then messageRemoved', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Nia' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation: SdkConversation = await client.getConversationBySid(chat.conversation_sid);
      await conversation.getMessages();
      const added = waitFor<SdkMessage>((resolve) => conversation.on('messageAdded', resolve), 'messageAdded');
      const created = await post(emulator, `${C}/${chat.conversation_sid}/Messages`, { Author: 'agent.rest', Body: 'typo' });
      await added;
      const updated = waitFor<SdkMessage>((resolve) => conversation.on('messageUpdated', ({ message }: { message: SdkMessage }) => resolve(message)), 'messageUpdated');
      await post(emulator, `${C}/${chat.conversation_sid}/Messages/${created.body.sid}`, { Body: 'fixed' });
      expect((await updated).body).toBe('fixed');
      const removed = waitFor<SdkMessage>((resolve) => conversation.on('messageRemoved', resolve), 'messageRemoved');
      await twilioRest(emulator, { method: 'DELETE', path: `${C}/${chat.conversation_sid}/Messages/${created.body.sid}` });
      expect((await removed).sid).toBe(created.body.sid);
      expect((await conversation.getMessages()).items.map((m) => m.sid)).not.toContain(created.body.sid);
    } finally {
      await client.shutdown();
    }
  });
});

describe('participants: update', () => {
  it('updates attributes and the read horizon, refuses Identity (50444) and unknown fields', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const added = await post(emulator, `${C}/${sid}/Participants`, { Identity: 'agent.sam' });
    for (const body of ['a', 'b', 'c']) await post(emulator, `${C}/${sid}/Messages`, { Body: body });
    const path = `${C}/${sid}/Participants/${added.body.sid}`;
    const updated = await post(emulator, path, { Attributes: '{"skill":"billing"}', LastReadMessageIndex: '1' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ attributes: '{"skill":"billing"}', last_read_message_index: 1 });
    expect(updated.body.last_read_timestamp).toEqual(expect.any(String));
    const stamped = await post(emulator, path, { LastReadMessageIndex: '0', LastReadTimestamp: '2026-01-02T03:04:05Z' });
    expect(stamped.body).toMatchObject({ last_read_message_index: 0, last_read_timestamp: '2026-01-02T03:04:05Z' });
    // An empty value is Twilio's null for a nullable field (not a spec-valid integer, so unchecked here).
    const clearedRaw = await twilioRest(emulator, { method: 'POST', path, form: { LastReadMessageIndex: '' }, check: 'none' });
    expect(clearedRaw.body).toMatchObject({ last_read_message_index: null, last_read_timestamp: null });
    const byIdentity = await post(emulator, `${C}/${sid}/Participants/agent.sam`, { Attributes: '{}' });
    expect(byIdentity.body.sid).toBe(added.body.sid);

    const cases: Array<[Record<string, string>, number, number]> = [
      [{ Identity: 'someone.else' }, 400, 50444],
      [{ Attributes: JSON.stringify({ pad: 'x'.repeat(4_000) }) }, 400, 50303],
      [{ Attributes: '[1,2' }, 400, 50304],
      [{ LastReadMessageIndex: '7' }, 400, 20001],
      [{ LastReadTimestamp: 'yesterday' }, 400, 20001],
      [{ RoleSid: `RL${'0'.repeat(32)}` }, 400, 20001],
    ];
    for (const [form, status, code] of cases) {
      const response = await twilioRest(emulator, { method: 'POST', path, form, check: 'names' });
      expect([response.status, response.body.code], JSON.stringify(form)).toEqual([status, code]);
    }
    const missing = await post(emulator, `${C}/${sid}/Participants/MB${'0'.repeat(32)}`, { Attributes: '{}' });
    expect([missing.status, missing.body.code]).toEqual([404, 20404]);
  });
});

describe('conversation-scoped webhooks', () => {
  const form = (entries: Array<[string, string]>) => new URLSearchParams(entries);

  it('creates each target, lists, fetches, updates and deletes', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const base = `${C}/${sid}/Webhooks`;
    const webhook = await post(emulator, base, form([['Target', 'webhook'], ['Configuration.Url', 'https://bot.example.com/hook'], ['Configuration.Filters', 'onMessageAdded'], ['Configuration.Filters', 'onParticipantAdded']]));
    expect(webhook.status).toBe(201);
    expect(webhook.body).toMatchObject({ target: 'webhook', conversation_sid: sid, configuration: { url: 'https://bot.example.com/hook', method: 'post', filters: ['onMessageAdded', 'onParticipantAdded'] } });
    const trigger = await post(emulator, base, form([['Target', 'trigger'], ['Configuration.Url', 'https://bot.example.com/t'], ['Configuration.Method', 'get'], ['Configuration.Triggers', 'help']]));
    expect(trigger.body.configuration).toEqual({ url: 'https://bot.example.com/t', method: 'get', triggers: ['help'] });
    const studio = await post(emulator, base, form([['Target', 'studio'], ['Configuration.FlowSid', `FW${'1'.repeat(32)}`], ['Configuration.ReplayAfter', '0']]));
    expect(studio.body.configuration).toEqual({ flow_sid: `FW${'1'.repeat(32)}`, replay_after: 0 });

    const list = await twilioRest(emulator, { method: 'GET', path: base });
    expect(list.body.webhooks.map((w: { sid: string }) => w.sid)).toEqual([webhook.body.sid, trigger.body.sid, studio.body.sid]);
    expect(list.body.meta.key).toBe('webhooks');
    expect((await twilioRest(emulator, { method: 'GET', path: `${base}/${trigger.body.sid}` })).body).toEqual(trigger.body);
    const updated = await post(emulator, `${base}/${webhook.body.sid}`, form([['Configuration.Filters', 'onMessageUpdated']]));
    expect(updated.body.configuration.filters).toEqual(['onMessageUpdated']);
    expect((await twilioRest(emulator, { method: 'DELETE', path: `${base}/${trigger.body.sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `${base}/${trigger.body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
  });

  it("applies Twilio's rules: five per conversation, post-event filters, what each target needs", async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const base = `${C}/${sid}/Webhooks`;
    const hook = (extra: Array<[string, string]> = []) => form([['Target', 'webhook'], ['Configuration.Url', 'https://bot.example.com/h'], ['Configuration.Filters', 'onMessageAdded'], ...extra]);
    const cases: Array<[URLSearchParams, number]> = [
      [form([['Target', 'webhook'], ['Configuration.Filters', 'onMessageAdded']]), 50369],
      [form([['Target', 'webhook'], ['Configuration.Url', 'https://bot.example.com/h']]), 50370],
      [form([['Target', 'trigger'], ['Configuration.Url', 'https://bot.example.com/h']]), 50371],
      [form([['Target', 'studio']]), 50367],
      [form([['Target', 'webhook'], ['Configuration.Url', 'https://bot.example.com/h'], ['Configuration.Filters', 'onMessageAdd']]), 50365],
      [form([['Target', 'trigger'], ['Configuration.Url', 'https://bot.example.com/h'], ...['a', 'b', 'c', 'd', 'e', 'f'].map((t): [string, string] => ['Configuration.Triggers', t])]), 50362],
      [form([['Target', 'trigger'], ['Configuration.Url', 'https://bot.example.com/h'], ['Configuration.Triggers', 'x'.repeat(249)]]), 50366],
      [form([['Target', 'webhook'], ['Configuration.Url', `https://bot.example.com/${'x'.repeat(500)}`], ['Configuration.Filters', 'onMessageAdded']]), 50372],
      [form([['Target', 'webhook'], ['Configuration.Url', 'ftp://bot.example.com/h'], ['Configuration.Filters', 'onMessageAdded']]), 20001],
    ];
    for (const [body, code] of cases) {
      const response = await twilioRest(emulator, { method: 'POST', path: base, form: body, check: 'names' });
      expect([response.status, response.body.code], body.toString().slice(0, 80)).toEqual([400, code]);
    }
    for (let i = 0; i < 5; i += 1) expect((await post(emulator, base, hook())).status).toBe(201);
    const sixth = await post(emulator, base, hook());
    expect([sixth.status, sixth.body.code]).toEqual([400, 50361]);
    const noTarget = await twilioRest(emulator, { method: 'POST', path: base, form: { 'Configuration.Url': 'https://bot.example.com/h' }, check: 'names' });
    expect([noTarget.status, noTarget.body.code]).toEqual([400, 20001]);
  });
});

describe('users', () => {
  it('creates, lists, fetches by SID or identity, updates and deletes users of the default service', async ({ emulator }) => {
    const created = await post(emulator, '/conversations/v1/Users', { Identity: 'rest.user', FriendlyName: 'Rest User', Attributes: '{"tier":"gold"}' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ identity: 'rest.user', friendly_name: 'Rest User', attributes: '{"tier":"gold"}', chat_service_sid: emulator.credentials.conversationsServiceSid });
    const duplicate = await post(emulator, '/conversations/v1/Users', { Identity: 'rest.user' });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 50201]);
    expect((await twilioRest(emulator, { method: 'GET', path: `/conversations/v1/Users/${created.body.sid}` })).body).toEqual(created.body);
    expect((await twilioRest(emulator, { method: 'GET', path: '/conversations/v1/Users/rest.user' })).body.sid).toBe(created.body.sid);
    const list = await twilioRest(emulator, { method: 'GET', path: '/conversations/v1/Users', query: { PageSize: '50' } });
    expect(list.body.users.map((u: { identity: string }) => u.identity)).toContain('rest.user');
    const updated = await post(emulator, `/conversations/v1/Users/${created.body.sid}`, { FriendlyName: 'Renamed' });
    expect(updated.body.friendly_name).toBe('Renamed');

    const cases: Array<[string, Record<string, string>, number, number]> = [
      ['/conversations/v1/Users', { Identity: 'x'.repeat(257) }, 400, 50207],
      ['/conversations/v1/Users', { Identity: 'long.name', FriendlyName: 'x'.repeat(257) }, 400, 50003],
      ['/conversations/v1/Users', { Identity: 'big.attrs', Attributes: JSON.stringify({ pad: 'x'.repeat(4_000) }) }, 400, 50303],
      ['/conversations/v1/Users', { FriendlyName: 'no identity' }, 400, 20001],
      [`/conversations/v1/Users/${created.body.sid}`, { Attributes: 'nope' }, 400, 50304],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await twilioRest(emulator, { method: 'POST', path, form: body, check: 'names' });
      expect([response.status, response.body.code], JSON.stringify(body).slice(0, 60)).toEqual([status, code]);
    }

    const sid = await newConversation(emulator);
    await post(emulator, `${C}/${sid}/Participants`, { Identity: 'rest.user' });
    expect((await twilioRest(emulator, { method: 'DELETE', path: '/conversations/v1/Users/rest.user' })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `/conversations/v1/Users/${created.body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
    expect((await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Participants` })).body.participants).toEqual([]);
  });

  it("a REST rename reaches the connected SDK's User", async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Ola' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const user: SdkUser = await client.getUser(chat.identity);
      const renamed = waitFor<string>((resolve) => user.on('updated', ({ user: u }: { user: SdkUser }) => u.friendlyName === 'Ola B.' && resolve(u.friendlyName)), 'user updated');
      await post(emulator, `/conversations/v1/Users/${encodeURIComponent(chat.identity)}`, { FriendlyName: 'Ola B.' });
      expect(await renamed).toBe('Ola B.');
    } finally {
      await client.shutdown();
    }
  });
});

describe('address configurations: create, update, delete', () => {
  const A = '/conversations/v1/Configuration/Addresses';

  it('creates one per type and address, updates auto-creation, deletes', async ({ emulator }) => {
    const created = await post(emulator, A, {
      Type: 'sms',
      Address: '+15005550006',
      FriendlyName: 'Support line',
      'AutoCreation.Enabled': 'true',
      'AutoCreation.Type': 'webhook',
      'AutoCreation.WebhookUrl': 'https://backend.example.com/new-conversation',
      'AutoCreation.WebhookMethod': 'post',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      type: 'sms',
      address: '+15005550006',
      friendly_name: 'Support line',
      auto_creation: { enabled: true, type: 'webhook', webhook_url: 'https://backend.example.com/new-conversation', webhook_method: 'post', conversation_service_sid: emulator.credentials.conversationsServiceSid },
    });
    const twice = await post(emulator, A, { Type: 'sms', Address: '+15005550006' });
    expect([twice.status, twice.body.code]).toEqual([400, 20001]);
    expect((await twilioRest(emulator, { method: 'GET', path: `${A}/${encodeURIComponent('+15005550006')}` })).body.sid).toBe(created.body.sid);

    const updated = await post(emulator, `${A}/${created.body.sid}`, { 'AutoCreation.Type': 'studio', 'AutoCreation.StudioFlowSid': `FW${'2'.repeat(32)}`, FriendlyName: 'Studio line' });
    expect(updated.body).toMatchObject({ friendly_name: 'Studio line', auto_creation: { type: 'studio', studio_flow_sid: `FW${'2'.repeat(32)}` } });
    const incomplete = await post(emulator, `${A}/${created.body.sid}`, { 'AutoCreation.Type': 'studio', 'AutoCreation.StudioRetryCount': '9' });
    expect([incomplete.status, incomplete.body.code]).toEqual([400, 20001]);
    const otherService = await post(emulator, `${A}/${created.body.sid}`, { 'AutoCreation.ConversationServiceSid': `IS${'f'.repeat(32)}` });
    expect([otherService.status, otherService.body.code]).toEqual([400, 20001]);
    const badType = await twilioRest(emulator, { method: 'POST', path: A, form: { Type: 'pigeon', Address: 'x' }, check: 'names' });
    expect([badType.status, badType.body.code]).toEqual([400, 20001]);
    const noFlow = await post(emulator, A, { Type: 'whatsapp', Address: 'whatsapp:+15005550006', 'AutoCreation.Enabled': 'true', 'AutoCreation.Type': 'studio' });
    expect([noFlow.status, noFlow.body.code]).toEqual([400, 20001]);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `${A}/${created.body.sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `${A}/${created.body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
    // The fault API's reset brings back what a new Flex account has.
    await fetch(`${emulator.url}/faults/reset`, { method: 'POST' });
    const seeded = await twilioRest(emulator, { method: 'GET', path: A });
    expect(seeded.body.address_configurations.map((a: { sid: string }) => a.sid)).toEqual([emulator.credentials.webChatAddressSid]);
  });
});
