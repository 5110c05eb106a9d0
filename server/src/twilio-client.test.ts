import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createFlexWebChats, createTwilioApis, createTwilioClient, describeUpstreamError, rewriteToEmulator } from './twilio-client.ts';
import { testConfig } from './testing/fixtures.ts';

describe('rewriteToEmulator', () => {
  const base = 'http://127.0.0.1:4010';

  it.each([
    ['https://flex-api.twilio.com/v2/WebChats', 'http://127.0.0.1:4010/flex-api/v2/WebChats'],
    ['https://conversations.twilio.com/v1/Services/IS1/Conversations?PageSize=5', 'http://127.0.0.1:4010/conversations/v1/Services/IS1/Conversations?PageSize=5'],
    ['https://preview.twilio.com/Flex/FlexFlows', 'http://127.0.0.1:4010/preview/Flex/FlexFlows'],
    ['https://flex-api.sydney.au1.twilio.com/v1/Channels', 'http://127.0.0.1:4010/flex-api/v1/Channels'],
    ['https://flex-api.us1.twilio.com/v2/WebChats', 'http://127.0.0.1:4010/flex-api/v2/WebChats'],
  ])('%s → %s', (from, to) => {
    expect(rewriteToEmulator(from, base)).toBe(to);
  });

  it('keeps a base path and tolerates a trailing slash', () => {
    expect(rewriteToEmulator('https://flex-api.twilio.com/v2/WebChats', 'http://emu.test:81/twilio/')).toBe(
      'http://emu.test:81/twilio/flex-api/v2/WebChats',
    );
  });

  it.each(['https://example.com/v2/WebChats', 'https://twilio.com.evil.test/v1', 'https://eviltwilio.com/v1'])(
    'refuses to re-target %s',
    (uri) => {
      expect(() => rewriteToEmulator(uri, base)).toThrow(/non-Twilio URL/);
    },
  );
});

interface Captured {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  webhookEnabled: string | undefined;
  form: URLSearchParams;
}

describe('the real twilio helper library against a fake emulator', () => {
  let server: Server | undefined;
  afterEach(async () => {
    if (server) {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      server = undefined;
    }
  });

  async function fakeEmulator(reply: (req: IncomingMessage) => { status: number; body: unknown }) {
    const captured: Captured[] = [];
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      captured.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        webhookEnabled: req.headers['x-twilio-webhook-enabled'] as string | undefined,
        form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      });
      const { status, body } = reply(req);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}`, captured };
  }

  it('posts /v2/WebChats to {emulator}/flex-api/v2/WebChats with form fields and Basic accountSid:authToken', async () => {
    const emulator = await fakeEmulator((req) =>
      req.url === '/flex-api/v2/WebChats'
        ? { status: 201, body: { conversation_sid: 'CH00000000000000000000000000000042', identity: 'visitor-abc' } }
        : { status: 404, body: { status: 404, message: 'not found', code: 20404 } },
    );
    const config = testConfig({ emulator: { url: emulator.url, twilsockUri: 'ws://unused' } });
    const flex = createFlexWebChats(config);

    const created = await flex.create({
      addressSid: config.webChatAddressSid,
      chatFriendlyName: 'Web chat',
      customerFriendlyName: 'Zoë Ærøskøbing 李小龍',
      preEngagementData: JSON.stringify({ friendlyName: 'Zoë', question: 'a&b=c' }),
      identity: 'visitor-abc',
    });

    expect(created).toMatchObject({ conversationSid: 'CH00000000000000000000000000000042', identity: 'visitor-abc' });
    expect(emulator.captured).toHaveLength(1);
    const [request] = emulator.captured;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/flex-api/v2/WebChats');
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    const expectedAuth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
    expect(request?.authorization).toBe(expectedAuth);
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      AddressSid: config.webChatAddressSid,
      ChatFriendlyName: 'Web chat',
      CustomerFriendlyName: 'Zoë Ærøskøbing 李小龍',
      PreEngagementData: JSON.stringify({ friendlyName: 'Zoë', question: 'a&b=c' }),
      Identity: 'visitor-abc',
    });
  });

  it('uses the API key pair for Basic auth when no auth token is configured', async () => {
    const emulator = await fakeEmulator(() => ({ status: 201, body: { conversation_sid: 'CH1', identity: 'v' } }));
    const { authToken: _omit, ...config } = testConfig();
    await createFlexWebChats({ ...config, emulator: { url: emulator.url, twilsockUri: 'ws://unused' } }).create({
      addressSid: config.webChatAddressSid,
    });
    const expectedAuth = `Basic ${Buffer.from(`${config.apiKeySid}:${config.apiKeySecret}`).toString('base64')}`;
    expect(emulator.captured[0]?.authorization).toBe(expectedAuth);
  });

  it('surfaces an upstream error as a summary without secrets', async () => {
    const emulator = await fakeEmulator(() => ({
      status: 401,
      body: { status: 401, code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003' },
    }));
    const config = testConfig({ emulator: { url: emulator.url, twilsockUri: 'ws://unused' } });
    const failure = await createFlexWebChats(config)
      .create({ addressSid: config.webChatAddressSid })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(Error);
    const summary = describeUpstreamError(failure);
    expect(summary).toEqual({ kind: 'twilio_api', status: 401, twilioCode: 20003 });
    expect(JSON.stringify(summary)).not.toContain(config.authToken);
  });

  it('reports a refused connection as a network error', async () => {
    const emulator = await fakeEmulator(() => ({ status: 500, body: {} }));
    server?.close();
    server?.closeAllConnections();
    await once(server!, 'close');
    server = undefined;
    const config = testConfig({ emulator: { url: emulator.url, twilsockUri: 'ws://unused' } });
    const failure = await createFlexWebChats(config)
      .create({ addressSid: config.webChatAddressSid })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(describeUpstreamError(failure)).toEqual({ kind: 'network:ECONNREFUSED' });
  });

  const CONVERSATION = 'CH00000000000000000000000000000042';

  it('posts a message as the visitor to /conversations/v1/Conversations/{sid}/Messages with webhooks enabled', async () => {
    const emulator = await fakeEmulator((req) =>
      req.method === 'POST' && req.url === `/conversations/v1/Conversations/${CONVERSATION}/Messages`
        ? { status: 201, body: { sid: 'IM00000000000000000000000000000001', conversation_sid: CONVERSATION, author: 'visitor-abc', body: 'Où est ma commande ?' } }
        : { status: 404, body: { status: 404, message: 'not found', code: 20404 } },
    );
    const { conversations } = createTwilioApis(testConfig({ emulator: { url: emulator.url, twilsockUri: 'ws://unused' } }));
    const message = await conversations(CONVERSATION).messages.create({ author: 'visitor-abc', body: 'Où est ma commande ?', xTwilioWebhookEnabled: 'true' });
    expect(message.sid).toBe('IM00000000000000000000000000000001');
    const [request] = emulator.captured;
    expect(request?.method).toBe('POST');
    expect(request?.webhookEnabled).toBe('true');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ Author: 'visitor-abc', Body: 'Où est ma commande ?' });
  });

  it('reads a conversation state from GET /conversations/v1/Conversations/{sid}', async () => {
    const emulator = await fakeEmulator((req) =>
      req.method === 'GET' && req.url === `/conversations/v1/Conversations/${CONVERSATION}`
        ? { status: 200, body: { sid: CONVERSATION, state: 'closed' } }
        : { status: 404, body: { status: 404, message: 'not found', code: 20404 } },
    );
    const { conversations } = createTwilioApis(testConfig({ emulator: { url: emulator.url, twilsockUri: 'ws://unused' } }));
    expect((await conversations(CONVERSATION).fetch()).state).toBe('closed');
  });

  it('fetches the Conversations service from GET /conversations/v1/Services/{sid}', async () => {
    const config = testConfig();
    const emulator = await fakeEmulator((req) =>
      req.method === 'GET' && req.url === `/conversations/v1/Services/${config.conversationsServiceSid}`
        ? { status: 200, body: { sid: config.conversationsServiceSid, friendly_name: 'Flex' } }
        : { status: 404, body: { status: 404, message: 'not found', code: 20404 } },
    );
    const { services } = createTwilioApis({ ...config, emulator: { url: emulator.url, twilsockUri: 'ws://unused' } });
    expect((await services(config.conversationsServiceSid).fetch()).sid).toBe(config.conversationsServiceSid);
    expect(emulator.captured[0]?.authorization).toBe(`Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`);
  });
});

describe('createTwilioClient', () => {
  it('needs the emulator URL in local mode', () => {
    const { emulator: _omit, ...config } = testConfig();
    expect(() => createTwilioClient(config)).toThrow(/emulator/);
  });

  it('targets the account from the config', () => {
    expect(createTwilioClient(testConfig()).accountSid).toBe(testConfig().accountSid);
    const { authToken: _omit, ...keyOnly } = testConfig({ mode: 'conversations' });
    expect(createTwilioClient(keyOnly).accountSid).toBe(keyOnly.accountSid);
  });
});
