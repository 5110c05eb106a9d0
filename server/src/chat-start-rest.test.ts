import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { afterEach, describe, expect, it } from 'vitest';
import { createChatStartRest } from './chat-start-rest.ts';
import { LeanRequestClient, type LeanResponse, type LeanTarget } from './lean-request-client.ts';
import { testConfig } from './testing/fixtures.ts';
import { createTwilioApis, createTwilioClient, describeUpstreamError, EmulatorRequestClient, rewriteToEmulator } from './twilio-client.ts';

// The fast path must send what the helper library sends for the same call, and
// fail as it fails. Both end in LeanRequestClient#send, so a client that records
// `send` instead of sending compares them exactly, for real Twilio hosts too.

const ACCOUNT = `AC${'1'.repeat(32)}`;
const CONVERSATION = `CH${'2'.repeat(32)}`;

interface Sent {
  target: LeanTarget;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

let answer: LeanResponse = { statusCode: 201, text: '{}', headers: {} };

class Recording extends LeanRequestClient {
  readonly sent: Sent[] = [];
  override send(target: LeanTarget, method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<LeanResponse> {
    this.sent.push({ target, method, path, headers: { ...headers }, body });
    return Promise.resolve(answer);
  }
}

class RecordingEmulator extends EmulatorRequestClient {
  readonly sent: Sent[] = [];
  override send(target: LeanTarget, method: string, path: string, headers: Record<string, string>, body: string | undefined): Promise<LeanResponse> {
    this.sent.push({ target, method, path, headers: { ...headers }, body });
    return Promise.resolve(answer);
  }
}

const webChat = {
  addressSid: `IG${'3'.repeat(32)}`,
  chatFriendlyName: 'Web chat',
  customerFriendlyName: 'Ada Lovelace',
  preEngagementData: JSON.stringify({ question: 'Où est ma commande ? 100% & more', email: 'ada@example.com' }),
  identity: 'visitor-5f0c',
};
const message = { author: 'visitor-5f0c', body: 'Hello * ~ (there) + you!', xTwilioWebhookEnabled: 'true' as const };

/** The library's call and the fast path's, on one client: what each sent, and what each returned or threw. */
async function both(client: twilio.Twilio, sent: Sent[], retarget?: (uri: string) => string) {
  const fast = createChatStartRest(client, retarget);
  if (!fast) throw new Error('no fast path for this client');
  const settle = <T,>(promise: Promise<T>) => promise.then((value) => ({ value }), (error: unknown) => ({ error }));
  const library = {
    webChat: await settle(client.flexApi.v2.webChannels.create(webChat).then((created) => ({ conversationSid: created.conversationSid, identity: created.identity }))),
    message: await settle(client.conversations.v1.conversations(CONVERSATION).messages.create(message).then((created) => ({ sid: created.sid }))),
  };
  const librarySent = sent.splice(0);
  const ours = {
    webChat: await settle(fast.createWebChat(webChat)),
    message: await settle(fast.createMessage(CONVERSATION, message) ?? Promise.reject(new Error('not taken'))),
  };
  return { library, ours, librarySent, oursSent: sent.splice(0) };
}

describe('createChatStartRest', () => {
  it('sends to real Twilio exactly what the library sends (URL with edge and region, headers, User-Agent, form), and reads the same result', async () => {
    answer = { statusCode: 201, text: JSON.stringify({ conversation_sid: CONVERSATION, identity: 'visitor-5f0c', sid: 'IM1' }), headers: {} };
    const cases = [
      [{}, 'flex-api.twilio.com', 'conversations.twilio.com'],
      [{ edge: 'sydney', region: 'au1' }, 'flex-api.sydney.au1.twilio.com', 'conversations.sydney.au1.twilio.com'],
      [{ region: 'ie1' }, 'flex-api.ie1.twilio.com', 'conversations.ie1.twilio.com'],
    ] as const;
    for (const [opts, flexHost, conversationsHost] of cases) {
      const http = new Recording({ timeout: 500 });
      const client = twilio(ACCOUNT, 'the-auth-token', { httpClient: http, userAgentExtensions: ['flexchat-token-service'], ...opts });
      const { library, ours, librarySent, oursSent } = await both(client, http.sent);
      expect(oursSent).toEqual(librarySent);
      expect(ours).toEqual(library);
      expect(oursSent.map((sent) => [sent.target, sent.method, sent.path])).toEqual([
        [{ https: true, hostname: flexHost, port: '' }, 'POST', '/v2/WebChats'],
        [{ https: true, hostname: conversationsHost, port: '' }, 'POST', `/v1/Conversations/${CONVERSATION}/Messages`],
      ]);
      expect(oursSent[1]?.headers['X-Twilio-Webhook-Enabled']).toBe('true');
      expect(oursSent[0]?.headers['User-Agent']).toMatch(/^twilio-node\/\d+\.\d+\.\d+ \(\w+ \w+\) node\/v\d+\.\d+\.\d+ flexchat-token-service$/);
      expect(library.webChat).toEqual({ value: { conversationSid: CONVERSATION, identity: 'visitor-5f0c' } });
      expect(library.message).toEqual({ value: { sid: 'IM1' } });
    }
  });

  it('authenticates as the API key when the client does, and re-targets at the emulator as the library client does', async () => {
    answer = { statusCode: 201, text: JSON.stringify({ conversation_sid: CONVERSATION, identity: 'visitor-5f0c', sid: 'IM1' }), headers: {} };
    const emulatorUrl = 'http://127.0.0.1:4010/base/';
    const http = new RecordingEmulator(emulatorUrl, { timeout: 500 });
    const client = twilio(`SK${'4'.repeat(32)}`, 'the-key-secret', { accountSid: ACCOUNT, httpClient: http });
    const { library, ours, librarySent, oursSent } = await both(client, http.sent, (uri) => rewriteToEmulator(uri, emulatorUrl));
    expect(oursSent).toEqual(librarySent);
    expect(ours).toEqual(library);
    expect(oursSent.map((sent) => [sent.target, sent.path])).toEqual([
      [{ https: false, hostname: '127.0.0.1', port: '4010' }, '/base/flex-api/v2/WebChats'],
      [{ https: false, hostname: '127.0.0.1', port: '4010' }, `/base/conversations/v1/Conversations/${CONVERSATION}/Messages`],
    ]);
    expect(oursSent[0]?.headers.Authorization).toBe(`Basic ${Buffer.from(`SK${'4'.repeat(32)}:the-key-secret`).toString('base64')}`);
  });

  it.each([
    ['a Twilio error (RestException)', 429, JSON.stringify({ code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 })],
    ['an RFC 9457 problem (TwilioServiceException)', 400, JSON.stringify({ type: 'https://www.twilio.com/docs/errors/20001', title: 'Invalid parameter', status: 400, code: 20001, detail: 'bad' })],
    ['a body that is not JSON', 502, '<html>Bad Gateway</html>'],
  ])('fails as the library fails on %s', async (_name, statusCode, text) => {
    answer = { statusCode, text, headers: {} };
    const http = new Recording({ timeout: 500 });
    const { library, ours } = await both(twilio(ACCOUNT, 'the-auth-token', { httpClient: http }), http.sent);
    for (const [theirs, mine] of [
      [library.webChat, ours.webChat],
      [library.message, ours.message],
    ] as const) {
      expect('error' in theirs && 'error' in mine).toBe(true);
      const [a, b] = [(theirs as { error: unknown }).error, (mine as { error: unknown }).error];
      expect(Object.getPrototypeOf(b)).toBe(Object.getPrototypeOf(a));
      expect({ ...(b as object), message: (b as Error).message }).toEqual({ ...(a as object), message: (a as Error).message });
      expect(describeUpstreamError(b)).toEqual(describeUpstreamError(a));
    }
    expect(describeUpstreamError((ours.webChat as { error: unknown }).error).status).toBe(statusCode);
  });

  it('leaves to the library a SID it would not put in a path as is, and clients it cannot speak for', () => {
    const http = new Recording({ timeout: 500 });
    const fast = createChatStartRest(twilio(ACCOUNT, 'the-auth-token', { httpClient: http }));
    expect(fast?.createMessage('CH1/../../Accounts', message)).toBeUndefined();
    expect(fast?.createMessage(CONVERSATION, { ...message, attributes: '{}' } as typeof message)).toBeUndefined();
    expect(http.sent).toEqual([]);
    expect(createChatStartRest(twilio(ACCOUNT, 'the-auth-token', { httpClient: new twilio.RequestClient() }))).toBeUndefined();
    expect(createChatStartRest(twilio(ACCOUNT, 'the-auth-token', { httpClient: http, logLevel: 'debug' }))).toBeUndefined();
  });
});

describe('createTwilioApis: the chat start on the wire', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    server?.close();
    if (server) await once(server, 'close');
    server = undefined;
  });

  it('puts the same bytes on the wire as the library, through the service\'s own APIs', async () => {
    const seen: Array<{ method: string; url: string; headers: Record<string, unknown>; body: string }> = [];
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ conversation_sid: CONVERSATION, identity: 'visitor-5f0c', sid: 'IM1' }));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const config = testConfig({ emulator: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, twilsockUri: 'ws://unused' } });

    const apis = createTwilioApis(config);
    const created = await apis.flex.create(webChat);
    await apis.conversations(created.conversationSid).messages.create(message);
    const library = createTwilioClient(config);
    await library.flexApi.v2.webChannels.create(webChat);
    await library.conversations.v1.conversations(CONVERSATION).messages.create(message);

    expect(created).toEqual({ conversationSid: CONVERSATION, identity: 'visitor-5f0c' });
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 2)).toEqual(seen.slice(2));
    expect(seen[1]?.url).toBe(`/conversations/v1/Conversations/${CONVERSATION}/Messages`);
    expect(new URLSearchParams(seen[0]?.body).get('PreEngagementData')).toBe(webChat.preEngagementData);
  });
});
