import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { Message } from '@twilio/conversations';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { RunningEmulator } from '../emulator.ts';
import { basicAuth, connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';
import { SEEDED_CONTENT } from './content-store.ts';

// The Content API through Twilio's own helper library (which sends the JSON create
// body), and content messages through the real @twilio/conversations SDK:
// message.contentSid and message.getContentData() as Twilio's SDK reads them.

/** The helper library's https://content.twilio.com (and others) rewritten to the emulator's prefixes. */
class EmulatorClient extends twilio.RequestClient {
  constructor(private readonly baseUrl: string) {
    super();
  }
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    const source = new URL(opts.uri);
    const product = source.hostname.split('.')[0];
    return super.request<T>({ ...opts, uri: `${this.baseUrl}/${product}${source.pathname}${source.search}` });
  }
}

/** The file's emulator, and the helper library pointed at it. */
const it = emulatorTest({ agentDelayMs: 20, rateLimits: { mode: 'off' }, logLevel: 'silent' }).extend('client', { scope: 'file' }, ({ emulator }) => {
  const { accountSid, authToken } = emulator.credentials;
  return twilio(accountSid, authToken, { accountSid, httpClient: new EmulatorClient(emulator.url) });
});

const quickReply = {
  friendly_name: 'Greeting',
  language: 'en',
  variables: { '1': 'friend' },
  types: { 'twilio/quick-reply': { body: 'Hi {{1}}, all good?', actions: [{ title: 'Yes', id: 'yes' }, { title: 'No', id: 'no' }] } },
};

async function postContent(emulator: RunningEmulator, body: unknown, contentType = 'application/json'): Promise<{ status: number; body: { code?: number; message?: string } }> {
  const response = await fetch(`${emulator.url}/content/v1/Content`, {
    method: 'POST',
    headers: { Authorization: basicAuth(emulator), 'Content-Type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { code?: number; message?: string } };
}

/** The agent API's send, as the agent console sends. */
function postAgentMessage(emulator: RunningEmulator, conversationSid: string, message: Record<string, unknown>): Promise<Response> {
  return fetch(`${emulator.url}/agent/conversations/${conversationSid}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(message) });
}

describe('Content API', { timeout: 20_000 }, () => {
  it('creates, fetches, lists with paging and deletes through the twilio helper library', async ({ emulator, client }) => {
    const created = await client.content.v1.contents.create(quickReply as never);
    expect(created.sid).toMatch(/^HX[0-9a-f]{32}$/);
    expect([created.friendlyName, created.language, created.variables, created.accountSid]).toEqual(['Greeting', 'en', { '1': 'friend' }, emulator.credentials.accountSid]);
    expect(created.types).toEqual(quickReply.types);
    expect(created.url).toBe(`https://content.twilio.com/v1/Content/${created.sid}`);
    expect(created.links).toEqual({ approval_create: `${created.url}/ApprovalRequests/whatsapp`, approval_fetch: `${created.url}/ApprovalRequests` });
    expect((await client.content.v1.contents(created.sid).fetch()).types).toEqual(quickReply.types);

    const all = await client.content.v1.contents.list({ pageSize: 2 });
    expect(all.map((c) => c.sid)).toEqual([...SEEDED_CONTENT.map((c) => c.sid), created.sid]);
    const page = await client.content.v1.contents.page({ pageSize: 2 });
    expect(page.instances).toHaveLength(2);
    expect((await page.nextPage())?.instances.map((c) => c.sid)).toEqual([SEEDED_CONTENT[2]!.sid, SEEDED_CONTENT[3]!.sid]);

    expect(await client.content.v1.contents(created.sid).remove()).toBe(true);
    await expect(client.content.v1.contents(created.sid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('answers the root path too, and the list in Twilio shape', async ({ emulator }) => {
    const response = await fetch(`${emulator.url}/v1/Content?PageSize=3`, { headers: { Authorization: basicAuth(emulator) } });
    const body = (await response.json()) as { contents: unknown[]; meta: Record<string, unknown> };
    expect(response.status).toBe(200);
    expect(body.contents).toHaveLength(3);
    expect(body.meta).toMatchObject({ key: 'contents', page: 0, page_size: 3, previous_page_url: null });
    expect(String(body.meta.next_page_url)).toMatch(/^https:\/\/content\.twilio\.com\/v1\/Content\?PageSize=3&Page=1&PageToken=/);
  });

  it.for<[string, unknown, RegExp]>([
    ['no language', { ...quickReply, language: undefined }, /language is required/],
    ['an unknown field', { ...quickReply, approval: true }, /Unknown parameter approval/],
    ['an unknown type', { ...quickReply, types: { 'twilio/catalog': { body: 'x' } } }, /not supported/],
    ['eleven quick replies', { ...quickReply, types: { 'twilio/quick-reply': { body: 'b', actions: Array.from({ length: 11 }, (_, i) => ({ title: `t${i}`, id: `i${i}` })) } } }, /1 to 10/],
    ['a javascript: URL button', { ...quickReply, types: { 'twilio/call-to-action': { body: 'b', actions: [{ type: 'URL', title: 'x', url: 'javascript:alert(1)' }] } } }, /http or https URL/],
    ['a phone button without E.164', { ...quickReply, types: { 'twilio/call-to-action': { body: 'b', actions: [{ type: 'PHONE_NUMBER', title: 'x', phone: '555-1234' }] } } }, /E\.164/],
    ['a list item over 24 characters', { ...quickReply, types: { 'twilio/list-picker': { body: 'b', button: 'Pick', items: [{ item: 'x'.repeat(25), id: 'a' }] } } }, /at most 24/],
    ['a card with only a title', { ...quickReply, types: { 'twilio/card': { title: 'Only' } } }, /subtitle, media or actions/],
    ['variables that are not strings', { ...quickReply, variables: { '1': 5 } }, /must be a string/],
  ])('refuses %s with 400/20001', async ([, body, message], { emulator }) => {
    const answer = await postContent(emulator, body);
    expect([answer.status, answer.body.code]).toEqual([400, 20001]);
    expect(answer.body.message).toMatch(message);
  });

  it('refuses a form-encoded or malformed body, and a malformed SID is not found', async ({ emulator }) => {
    expect((await postContent(emulator, 'friendly_name=x', 'application/x-www-form-urlencoded')).body.code).toBe(20001);
    expect((await postContent(emulator, '{not json')).body.message).toMatch(/not valid JSON/);
    const malformed = await fetch(`${emulator.url}/content/v1/Content/HXnope`, { headers: { Authorization: basicAuth(emulator) } });
    expect(malformed.status).toBe(404);
  });
});

describe('content messages through @twilio/conversations', { timeout: 20_000 }, () => {
  it('delivers each seeded type with contentSid, and getContentData() parses it', { timeout: 20_000 }, async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const sdk = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await sdk.getConversationBySid(chat.conversation_sid);
      const received: Message[] = [];
      const live: string[] = [];
      conversation.on('messageAdded', (m: Message) => (m.contentSid ? received.push(m) : live.push(m.body ?? '')));
      // The SDK raises messageAdded only once it follows the conversation's messages; a
      // message posted before that is in history, not an event. A plain message seen
      // live first makes the content messages' arrival a live delivery, not a race.
      await waitFor<void>((resolve) => {
        const poke = () => void postAgentMessage(emulator, chat.conversation_sid, { body: 'Hello Zoë' });
        poke();
        const resend = setInterval(poke, 2_000);
        const check = () => (live.includes('Hello Zoë') ? (clearInterval(resend), resolve()) : setTimeout(check, 20));
        check();
      }, 'the plain message, live');
      for (const seed of SEEDED_CONTENT) {
        const posted = await postAgentMessage(emulator, chat.conversation_sid, { contentSid: seed.sid, contentVariables: { '1': 'Zoë' } });
        expect(posted.status).toBe(201);
        expect(((await posted.json()) as { message: { contentSid: string; media: unknown[] } }).message).toMatchObject({ contentSid: seed.sid, media: [] });
      }
      await waitFor<void>((resolve) => {
        const check = () => (received.length === 4 ? resolve() : setTimeout(check, 20));
        check();
      }, 'four content messages');
      expect(received.map((m) => m.contentSid)).toEqual(SEEDED_CONTENT.map((c) => c.sid));
      expect(received.map((m) => m.body)).toEqual(['Hi Zoë! What can we help you with?', 'You can also find answers in our help centre or call us.', 'Which plan are you on?', 'Your order has shipped']);
      expect(received.every((m) => m.type === 'text' && m.attachedMedia?.length === 0)).toBe(true);

      const [reply, cta, list, card] = await Promise.all(received.map((m) => m.getContentData()));
      expect(reply).toMatchObject({ type: 'quickReply', body: 'Hi Zoë! What can we help you with?', replies: [{ title: 'Billing', id: 'topic_billing' }, { title: 'Technical issue', id: 'topic_tech' }, { title: 'Something else', id: 'topic_other' }] });
      expect(cta).toMatchObject({
        type: 'callToAction',
        actions: [
          { type: 'url', title: 'Help centre', url: 'https://example.com/help' },
          { type: 'phone', title: 'Call us', phone: '+15551234567' },
        ],
      });
      expect(list).toMatchObject({ type: 'listPicker', button: 'Choose a plan', items: [{ item: 'Starter', id: 'plan_starter', description: 'Up to 3 seats' }, expect.anything(), expect.anything()] });
      expect(card).toMatchObject({ type: 'card', title: 'Your order has shipped', subtitle: 'Arrives on Friday', media: ['https://example.com/parcel.png'], actions: [{ type: 'url' }, { type: 'reply', title: 'Thanks!', id: 'order_thanks' }] });

      // History (a fresh page from the server) carries them too.
      const history = await conversation.getMessages(10);
      const fromHistory = history.items.find((m) => m.contentSid === SEEDED_CONTENT[2]!.sid);
      expect((await fromHistory?.getContentData())?.type).toBe('listPicker');
      // A plain message has none.
      const plain = history.items.find((m) => m.contentSid === null);
      expect(await plain?.getContentData()).toBeNull();
    } finally {
      await sdk.shutdown();
    }
  });

  it('REST Messages take ContentSid and ContentVariables, and report content_sid', { timeout: 20_000 }, async ({ emulator, client }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Ana' });
    const created = await client.content.v1.contents.create(quickReply as never);
    const sdk = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await sdk.getConversationBySid(chat.conversation_sid);
      const message = await client.conversations.v1.conversations(chat.conversation_sid).messages.create({ author: 'bot', contentSid: created.sid, contentVariables: JSON.stringify({ '1': 'Ana' }) });
      expect([message.contentSid, message.body, message.media]).toEqual([created.sid, 'Hi Ana, all good?', null]);
      // Read back through the SDK (history: no race with the live subscription).
      const arrived = await waitFor<Message>((resolve) => {
        const poll = () => void conversation.getMessages(5).then((page) => {
          const found = page.items.find((m) => m.sid === message.sid);
          if (found) resolve(found);
          else setTimeout(poll, 50);
        });
        poll();
      }, 'REST content message');
      expect(arrived.contentSid).toBe(created.sid);
      const data = await arrived.getContentData();
      expect(data).toMatchObject({ type: 'quickReply', body: 'Hi Ana, all good?', replies: [{ title: 'Yes', id: 'yes' }, { title: 'No', id: 'no' }] });
      // Defaults fill variables the request leaves out.
      const defaults = await client.conversations.v1.conversations(chat.conversation_sid).messages.create({ author: 'bot', contentSid: created.sid });
      expect(defaults.body).toBe('Hi friend, all good?');
      await expect(
        client.conversations.v1.conversations(chat.conversation_sid).messages.create({ author: 'bot', contentSid: 'HX0123456789abcdef0123456789abcdef' }),
      ).rejects.toMatchObject({ status: 400, code: 20001 });
      await expect(
        client.conversations.v1.conversations(chat.conversation_sid).messages.create({ author: 'bot', contentSid: created.sid, contentVariables: '[1]' }),
      ).rejects.toMatchObject({ status: 400, code: 20001 });
    } finally {
      await sdk.shutdown();
    }
  });

  it('the agent API refuses an unknown template and text together with a template', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Li' });
    const send = (body: unknown) =>
      fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const unknown = await send({ contentSid: 'HX0123456789abcdef0123456789abcdef' });
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_content']);
    expect((await send({ contentSid: SEEDED_CONTENT[0]!.sid, body: 'x' })).status).toBe(400);
    const listed = (await (await fetch(`${emulator.url}/agent/content`)).json()) as { contents: { sid: string; types: string[] }[] };
    expect(listed.contents[0]).toEqual({ sid: SEEDED_CONTENT[0]!.sid, friendlyName: 'Quick reply: topic', types: ['twilio/quick-reply', 'twilio/text'] });
  });
});
