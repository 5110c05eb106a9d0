import type { Conversation as SdkConversation, Message as SdkMessage, Participant as SdkParticipant } from '@twilio/conversations';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { twilioRest } from '../../test/rest-client.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';
import type { RunningEmulator } from '../emulator.ts';

// Conversations v1 server REST against twilio_conversations_v1.json (every call
// checked by twilioRest), and one round trip with the real SDK.

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const C = '/conversations/v1/Conversations';

async function newConversation(emulator: RunningEmulator, form: Record<string, string> = {}): Promise<string> {
  const response = await twilioRest(emulator, { method: 'POST', path: C, form });
  expect(response.status).toBe(201);
  return response.body.sid;
}

describe('/conversations/v1/Conversations', () => {
  it('creates, fetches (by SID and unique name), updates, lists and deletes conversations', async ({ emulator }) => {
    const created = await twilioRest(emulator, {
      method: 'POST',
      path: C,
      form: { FriendlyName: 'Support', UniqueName: 'support-1', Attributes: JSON.stringify({ topic: 'billing' }) },
      headers: { 'X-Twilio-Webhook-Enabled': 'true' },
    });
    expect(created.status).toBe(201);
    const sid: string = created.body.sid;
    expect(created.body).toMatchObject({
      account_sid: emulator.credentials.accountSid,
      chat_service_sid: emulator.credentials.conversationsServiceSid,
      friendly_name: 'Support',
      unique_name: 'support-1',
      attributes: '{"topic":"billing"}',
      state: 'active',
      url: `https://conversations.twilio.com/v1/Conversations/${sid}`,
    });
    expect((await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}` })).body).toEqual(created.body);
    expect((await twilioRest(emulator, { method: 'GET', path: `${C}/support-1` })).body.sid).toBe(sid);

    const updated = await twilioRest(emulator, {
      method: 'POST',
      path: `${C}/${sid}`,
      form: { FriendlyName: 'Support (VIP)', Attributes: JSON.stringify({ topic: 'billing', vip: true }), State: 'inactive' },
    });
    expect(updated.body).toMatchObject({ friendly_name: 'Support (VIP)', attributes: '{"topic":"billing","vip":true}', state: 'inactive' });
    const inactive = await twilioRest(emulator, { method: 'GET', path: C, query: { State: 'inactive' } });
    expect(inactive.body.conversations.map((c: { sid: string }) => c.sid)).toEqual([sid]);

    const closed = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}`, form: { State: 'closed' } });
    expect(closed.body.state).toBe('closed');
    const reopen = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}`, form: { State: 'active' } });
    expect([reopen.status, reopen.body.code]).toEqual([409, 50377]);
    const renamed = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}`, form: { FriendlyName: 'again' } });
    expect([renamed.status, renamed.body.code]).toEqual([409, 50377]);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `${C}/${sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
  });

  it('pages the conversation list and filters by date', async ({ emulator }) => {
    for (let i = 0; i < 3; i += 1) await newConversation(emulator, { FriendlyName: `paged ${i}` });
    const today = new Date().toISOString().slice(0, 10);
    const first = await twilioRest(emulator, { method: 'GET', path: C, query: { PageSize: '2', StartDate: today, EndDate: today } });
    expect(first.body.conversations).toHaveLength(2);
    expect(first.body.meta).toMatchObject({ key: 'conversations', page: 0, page_size: 2, previous_page_url: null });
    const next = new URL(first.body.meta.next_page_url);
    expect(next.origin + next.pathname).toBe('https://conversations.twilio.com/v1/Conversations');
    const second = await twilioRest(emulator, { method: 'GET', path: C, query: Object.fromEntries(next.searchParams) });
    expect(second.body.meta.page).toBe(1);
    expect(second.body.conversations.length).toBeGreaterThan(0);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await twilioRest(emulator, { method: 'GET', path: C, query: { StartDate: tomorrow } })).body.conversations).toEqual([]);
    const bad = await twilioRest(emulator, { method: 'GET', path: C, query: { StartDate: 'yesterday' } });
    expect([bad.status, bad.body.code]).toEqual([400, 20001]);
  });

  it.for([
    ['Attributes that are not JSON', { Attributes: '{oops' }, 400, 50304],
    ['Attributes over 16 KB', { Attributes: JSON.stringify({ pad: 'x'.repeat(16_000) }) }, 400, 50303],
    ['a FriendlyName over 256 characters', { FriendlyName: 'é'.repeat(257) }, 400, 50003],
    ['a UniqueName shaped like a conversation SID', { UniqueName: `CH${'a'.repeat(32)}` }, 400, 50390],
    ['State closed (a conversation cannot start closed)', { State: 'closed' }, 400, 50384],
    ['an unknown State', { State: 'archived' }, 400, 20001],
    ['State initializing (not emulated)', { State: 'initializing' }, 400, 20001],
    ['a parameter the emulator does not emulate', { 'Timers.Closed': 'PT10M' }, 400, 20001],
  ] as const)('rejects a create with %s', async ([, form, status, code], { emulator }) => {
    const response = await twilioRest(emulator, { method: 'POST', path: C, form, check: 'names' });
    expect([response.status, response.body.code]).toEqual([status, code]);
  });

  it('rejects a taken unique name, a bad webhook header and unknown conversations', async ({ emulator }) => {
    await newConversation(emulator, { UniqueName: 'only-once' });
    const taken = await twilioRest(emulator, { method: 'POST', path: C, form: { UniqueName: 'only-once' } });
    expect([taken.status, taken.body.code]).toEqual([409, 50353]);
    const header = await twilioRest(emulator, { method: 'POST', path: C, form: {}, headers: { 'X-Twilio-Webhook-Enabled': 'yes' }, check: 'names' });
    expect([header.status, header.body.code]).toEqual([400, 20001]);
    const unknown = await twilioRest(emulator, { method: 'GET', path: `${C}/CH${'0'.repeat(32)}/Messages` });
    expect([unknown.status, unknown.body.code]).toEqual([404, 20404]);
    const noAuth = await twilioRest(emulator, { method: 'GET', path: C, auth: null });
    expect([noAuth.status, noAuth.body.code]).toEqual([401, 20003]);
  });
});

describe('/conversations/v1/Conversations/{ConversationSid}/Messages', () => {
  it('creates messages with author, body and attributes, lists them in both orders with paging, and fetches one', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const sent: string[] = [];
    for (const [i, body] of ['one', 'two', 'three'].entries()) {
      const created = await twilioRest(emulator, {
        method: 'POST',
        path: `${C}/${sid}/Messages`,
        form: { Author: 'agent.rest', Body: body, Attributes: JSON.stringify({ n: i }) },
        headers: { 'X-Twilio-Webhook-Enabled': 'false' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ index: i, author: 'agent.rest', body, attributes: `{"n":${i}}`, participant_sid: null, media: null });
      sent.push(created.body.sid);
    }
    const system = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form: { Body: 'four' } });
    expect(system.body.author).toBe('system');

    const asc = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages`, query: { PageSize: '2' } });
    expect(asc.body.messages.map((m: { body: string }) => m.body)).toEqual(['one', 'two']);
    expect(asc.body.meta.key).toBe('messages');
    const next = new URL(asc.body.meta.next_page_url);
    const page2 = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages`, query: Object.fromEntries(next.searchParams) });
    expect(page2.body.messages.map((m: { body: string }) => m.body)).toEqual(['three', 'four']);
    expect(page2.body.meta.next_page_url).toBeNull();
    const desc = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages`, query: { Order: 'desc', PageSize: '3' } });
    expect(desc.body.messages.map((m: { body: string }) => m.body)).toEqual(['four', 'three', 'two']);
    expect(desc.body.meta.url).toContain('Order=desc');

    const fetched = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/${sent[1]}` });
    expect(fetched.body.body).toBe('two');
    const missing = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages/IM${'0'.repeat(32)}` });
    expect([missing.status, missing.body.code]).toEqual([404, 20404]);
  });

  it('rejects a message without a body, with media (not emulated), or to a closed conversation', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const noBody = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form: { Author: 'a' } });
    expect([noBody.status, noBody.body.code]).toEqual([400, 50503]);
    const media = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form: { MediaSid: 'ME' + '1'.repeat(32) } });
    expect([media.status, media.body.code]).toEqual([400, 20001]);
    const badOrder = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages`, query: { Order: 'newest' }, check: 'names' });
    expect([badOrder.status, badOrder.body.code]).toEqual([400, 20001]);
    const tooBig = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages`, query: { PageSize: '101' }, check: 'names' });
    expect([tooBig.status, tooBig.body.code]).toEqual([400, 20001]);
    await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}`, form: { State: 'closed' } });
    const closed = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form: { Body: 'late' } });
    expect([closed.status, closed.body.code]).toEqual([409, 50377]);
  });

  it('limits the body to 32 KB counted in UTF-8 bytes, and message attributes to 4 KB', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const post = (form: Record<string, string>) => twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form });
    // 8,000 four-byte emoji are 16,000 UTF-16 units but 32,000 bytes: exactly the limit.
    expect((await post({ Body: '😀'.repeat(8_000) })).status).toBe(201);
    const over = await post({ Body: `${'😀'.repeat(8_000)}!` });
    expect([over.status, over.body.code]).toEqual([400, 50504]);
    expect((await post({ Body: 'x'.repeat(32_000) })).status).toBe(201);
    const attributes = await post({ Body: 'hi', Attributes: JSON.stringify({ pad: 'x'.repeat(4_000) }) });
    expect([attributes.status, attributes.body.code]).toEqual([400, 50303]);
    const notJson = await post({ Body: 'hi', Attributes: 'nope' });
    expect([notJson.status, notJson.body.code]).toEqual([400, 50304]);
    const list = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Messages` });
    expect(list.body.messages).toHaveLength(2);
  });
});

describe('/conversations/v1/Conversations/{ConversationSid}/Participants', () => {
  it('adds, lists, fetches (by SID or identity) and removes participants', async ({ emulator }) => {
    const sid = await newConversation(emulator);
    const added = await twilioRest(emulator, {
      method: 'POST',
      path: `${C}/${sid}/Participants`,
      form: { Identity: 'agent.sam', Attributes: JSON.stringify({ member_type: 'agent' }) },
    });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ identity: 'agent.sam', attributes: '{"member_type":"agent"}', conversation_sid: sid, last_read_message_index: null, last_read_timestamp: null });
    const duplicate = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Participants`, form: { Identity: 'agent.sam' } });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 50433]);
    const noIdentity = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Participants`, form: {} });
    expect([noIdentity.status, noIdentity.body.code]).toEqual([400, 20001]);
    const longIdentity = await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Participants`, form: { Identity: 'x'.repeat(257) } });
    expect([longIdentity.status, longIdentity.body.code]).toEqual([400, 50207]);
    const bigAttributes = await twilioRest(emulator, {
      method: 'POST',
      path: `${C}/${sid}/Participants`,
      form: { Identity: 'agent.big', Attributes: JSON.stringify({ pad: 'x'.repeat(4_000) }) },
    });
    expect([bigAttributes.status, bigAttributes.body.code]).toEqual([400, 50303]);

    await twilioRest(emulator, { method: 'POST', path: `${C}/${sid}/Messages`, form: { Author: 'agent.sam', Body: 'hi' } });
    const listed = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Participants` });
    expect(listed.body.meta.key).toBe('participants');
    expect(listed.body.participants).toHaveLength(1);
    expect(listed.body.participants[0]).toMatchObject({ sid: added.body.sid, last_read_message_index: 0 });
    expect((await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Participants/${added.body.sid}` })).body.identity).toBe('agent.sam');
    expect((await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Participants/agent.sam` })).body.sid).toBe(added.body.sid);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `${C}/${sid}/Participants/${added.body.sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `${C}/${sid}/Participants/${added.body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
  });
});

describe('/conversations/v1/Services/{Sid}', () => {
  it('fetches the Conversations service a token service checks its IS… SID against', async ({ emulator }) => {
    const service = await twilioRest(emulator, { method: 'GET', path: `/conversations/v1/Services/${emulator.credentials.conversationsServiceSid}` });
    expect(service.status).toBe(200);
    expect(service.body.sid).toBe(emulator.credentials.conversationsServiceSid);
    const unknown = await twilioRest(emulator, { method: 'GET', path: `/conversations/v1/Services/IS${'f'.repeat(32)}` });
    expect([unknown.status, unknown.body.code]).toEqual([404, 20404]);
  });
});

describe('REST changes reach a connected @twilio/conversations client live', () => {
  it('delivers a REST message, a REST participant and a REST rename to the visitor SDK', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Live' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation: SdkConversation = await client.getConversationBySid(chat.conversation_sid);
      // Like any chat UI: load history and roster, which subscribes the SDK to their live events.
      await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
      const joined = waitFor<SdkParticipant>((resolve) => conversation.on('participantJoined', (p: SdkParticipant) => p.identity === 'agent.rest' && resolve(p)), 'participantJoined');
      await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}/Participants`, form: { Identity: 'agent.rest' } });
      expect((await joined).identity).toBe('agent.rest');

      const added = waitFor<SdkMessage>((resolve) => conversation.on('messageAdded', resolve), 'messageAdded');
      await twilioRest(emulator, {
        method: 'POST',
        path: `${C}/${chat.conversation_sid}/Messages`,
        form: { Author: 'agent.rest', Body: 'Hello from REST 👋', Attributes: JSON.stringify({ source: 'rest' }) },
      });
      const message = await added;
      expect([message.author, message.body, message.attributes]).toEqual(['agent.rest', 'Hello from REST 👋', { source: 'rest' }]);

      const renamed = waitFor<string>(
        (resolve) => conversation.on('updated', ({ conversation: c }: { conversation: SdkConversation }) => c.friendlyName === 'Renamed' && resolve(c.friendlyName)),
        'conversation updated',
      );
      await twilioRest(emulator, { method: 'POST', path: `${C}/${chat.conversation_sid}`, form: { FriendlyName: 'Renamed' } });
      expect(await renamed).toBe('Renamed');
    } finally {
      await client.shutdown();
    }
  }, 20_000);
});
