import { afterEach, describe, expect, it } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { ErrorResponse, ReadinessResponse, WebChatInitResponse, WebChatRefreshResponse } from '../../contracts/token-service.ts';
import { EnvError } from './env.ts';
import { startRedis, type RealRedis } from './testing/redis-server.ts';
import { createTokenService, DEFAULT_MAX_BODY_BYTES, type LogEntry, type TokenService, type TokenServiceDeps } from './app.ts';
import type { ReadinessCheck } from './readiness.ts';
import { deriveUserIdentity, signUserToken } from './user-identity.ts';
import type { ConversationsApi, FlexChannelsApi, FlexWebChannelsApi, FlexWebChats } from './twilio-client.ts';
import type { ClientInfo } from './client-ip.ts';
import { testConfig, testForm, validSubmission, verifyHs256, WIDGET_ORIGIN } from './testing/fixtures.ts';
import type { TokenServiceConfig } from './env.ts';
import { freePort } from './testing/free-port.ts';

type CreateParams = Parameters<FlexWebChats['create']>[0];

const CONVERSATION_SID = 'CH0000000000000000000000000000beef';

type MessageParams = Parameters<ReturnType<ConversationsApi>['messages']['create']>[0];

interface FakeConversationsOptions {
  state?: string;
  failFetch?: unknown;
  failCreate?: unknown;
  failUpdate?: unknown;
  failParticipant?: unknown;
  /** Identities that are participants of every conversation (default: any identity). */
  participants?: string[];
}

/** Conversations REST fake: records posted messages, fetches, updates and participant lookups; options steer replies. */
function fakeConversations(options: FakeConversationsOptions = {}) {
  const messages: Array<{ sid: string } & MessageParams> = [];
  const fetched: string[] = [];
  const updated: Array<{ sid: string; state?: string | undefined }> = [];
  const participantLookups: Array<{ sid: string; identity: string }> = [];
  let state = options.state ?? 'active';
  const api: ConversationsApi = (sid) => ({
    async fetch() {
      fetched.push(sid);
      if (options.failFetch) throw options.failFetch;
      return { state };
    },
    async update(params) {
      updated.push({ sid, state: params.state });
      if (options.failUpdate) throw options.failUpdate;
      if (params.state) state = params.state;
      return { state };
    },
    messages: {
      async create(params) {
        if (options.failCreate) throw options.failCreate;
        messages.push({ sid, ...params });
        return { sid: 'IM00000000000000000000000000000001' };
      },
      async list() {
        return messages.filter((m) => m.sid === sid).map((m) => ({ author: m.author ?? null, body: m.body ?? null, dateCreated: null }));
      },
    },
    participants(identity) {
      return {
        async fetch() {
          participantLookups.push({ sid, identity });
          if (options.failParticipant) throw options.failParticipant;
          if (options.participants && !options.participants.includes(identity)) throw Object.assign(new Error('not found'), { status: 404, code: 20404 });
          return { identity };
        },
      };
    },
  });
  return { api, messages, fetched, updated, participantLookups };
}

function fakeFlex(reply?: (params: CreateParams) => Promise<{ conversationSid: string; identity: string }>) {
  const calls: CreateParams[] = [];
  const flex: FlexWebChats = {
    async create(params) {
      calls.push(params);
      return reply ? reply(params) : { conversationSid: CONVERSATION_SID, identity: params.identity ?? 'missing' };
    },
  };
  return { flex, calls };
}

/** Client address the handler tests' requests come from (as the Node adapter would pass it). */
const CLIENT = { remoteAddress: '192.0.2.10' };

function setup(deps: Partial<TokenServiceDeps> = {}, config: TokenServiceConfig = testConfig()) {
  const { flex, calls } = fakeFlex();
  const fake = fakeConversations();
  const logs: LogEntry[] = [];
  const service = createTokenService(config, {
    flex,
    conversations: fake.api,
    preEngagement: testForm,
    log: (entry) => logs.push(entry),
    ...deps,
  });
  const handler = (request: Request, info: ClientInfo | undefined = CLIENT) => service.fetch(request, info);
  return { handler, service, calls, logs, config, conversations: fake };
}

const BASE = 'http://127.0.0.1:4020';

function post(body: unknown, headers: Record<string, string> = {}, path = '/webchat/init'): Request {
  return new Request(BASE + path, {
    method: 'POST',
    headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
  const body = (await response.json()) as ErrorResponse;
  expect(Object.keys(body)).toEqual(['error']);
  expect(typeof body.error.message).toBe('string');
  return body.error;
}

describe('POST /webchat/init success', () => {
  it('creates a Flex web chat and returns a token for a random identity', async () => {
    const { handler, calls, config } = setup();
    const teaser = 'Questions about shipping? We reply in minutes.';
    const response = await handler(post({ preEngagementData: validSubmission, context: { pageUrl: 'https://shop.example.com/cart?session=secret#x', locale: 'pt-BR', teaser } }));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect(response.headers.get('vary')).toBe('Origin');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as WebChatInitResponse;

    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.identity).toMatch(/^visitor-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(call).toEqual({
      addressSid: config.webChatAddressSid,
      chatFriendlyName: 'Web chat',
      customerFriendlyName: 'Zoë Ærøskøbing 李小龍',
      preEngagementData: JSON.stringify({
        ...validSubmission,
        _context: { pageUrl: 'https://shop.example.com/cart', locale: 'pt-BR', teaser },
      }),
      identity: call.identity,
    });
    // The identity never contains what the visitor typed.
    expect(call.identity).not.toMatch(/zo|example/i);

    expect(body.identity).toBe(call.identity);
    expect(body.conversationSid).toBe(CONVERSATION_SID);
    expect(body.mode).toBe('local');
    expect(body.twilsockUri).toBe('ws://127.0.0.1:4010/v3/wsconnect');
    expect(Object.keys(body).sort()).toEqual(['conversationSid', 'expiresAt', 'identity', 'mode', 'sessionProof', 'token', 'twilsockUri']);
    expect(body.sessionProof).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);

    const jwt = verifyHs256(body.token, config.apiKeySecret);
    expect(jwt.header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(jwt.payload.iss).toBe(config.apiKeySid);
    expect(jwt.payload.sub).toBe(config.accountSid);
    expect(jwt.payload.grants).toEqual({ identity: call.identity, chat: { service_sid: config.conversationsServiceSid } });
    expect(jwt.payload.exp - jwt.payload.iat).toBe(3600);
    expect(body.expiresAt).toBe(new Date(jwt.payload.exp * 1000).toISOString());
    expect(body.expiresAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(body.token).not.toContain(config.apiKeySecret);
  });

  it('uses the configured TTL and omits twilsockUri in conversations mode', async () => {
    const { emulator: _omit, ...base } = testConfig();
    const { handler, config } = setup({}, { ...base, mode: 'conversations', tokenTtlSeconds: 600 });
    const response = await handler(post({ preEngagementData: validSubmission }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.mode).toBe('conversations');
    expect('twilsockUri' in body).toBe(false);
    const jwt = verifyHs256(body.token, config.apiKeySecret);
    expect(jwt.payload.exp - jwt.payload.iat).toBe(600);
  });

  it('mints the token for the identity Flex returns', async () => {
    const { flex } = fakeFlex(async () => ({ conversationSid: CONVERSATION_SID, identity: 'visitor-from-flex' }));
    const { handler, config } = setup({ flex });
    const body = (await (await handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    expect(body.identity).toBe('visitor-from-flex');
    expect(verifyHs256(body.token, config.apiKeySecret).payload.grants.identity).toBe('visitor-from-flex');
  });

  it('gives each visitor a new identity', async () => {
    const { handler, calls } = setup();
    await handler(post({ preEngagementData: validSubmission }));
    await handler(post({ preEngagementData: validSubmission }));
    expect(calls[0]?.identity).not.toBe(calls[1]?.identity);
  });

  it('falls back to "Customer" without a friendly name field and strips unknown fields when configured', async () => {
    const { handler, calls } = setup({
      preEngagement: { unknownFields: 'strip', fields: [{ name: 'question', type: 'textarea', label: 'Q', required: true }] },
    });
    const response = await handler(post({ preEngagementData: { question: 'hi', tracking: 'x' } }));
    expect(response.status).toBe(200);
    expect(calls[0]?.customerFriendlyName).toBe('Customer');
    expect(calls[0]?.preEngagementData).toBe(JSON.stringify({ question: 'hi' }));
  });

  it('accepts a charset on the content type', async () => {
    const { handler } = setup();
    const response = await handler(post({ preEngagementData: validSubmission }, { 'content-type': 'application/json; charset=UTF-8' }));
    expect(response.status).toBe(200);
  });
});

describe('CORS', () => {
  it('refuses a POST from an origin not in the allowlist, without CORS headers', async () => {
    const { handler, calls } = setup();
    const response = await handler(post({ preEngagementData: validSubmission }, { origin: 'https://evil.example' }));
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('vary')).toBe('Origin');
    expect((await errorOf(response)).code).toBe('origin_not_allowed');
    expect(calls).toHaveLength(0);
  });

  it('refuses a POST without an Origin header', async () => {
    const { handler, calls } = setup();
    const request = new Request(`${BASE}/webchat/init`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: validSubmission }),
    });
    const response = await handler(request);
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      code: 'origin_not_allowed',
      message: 'Requests must come from an allowed origin (no Origin header)',
    });
    expect(calls).toHaveLength(0);
  });

  it('does not accept a look-alike origin (prefix, other port, other scheme, "null")', async () => {
    const { handler } = setup();
    for (const origin of [`${WIDGET_ORIGIN}.evil.test`, 'http://127.0.0.1:4031', 'https://127.0.0.1:4030', 'null']) {
      const response = await handler(post({ preEngagementData: validSubmission }, { origin }));
      expect(response.status, origin).toBe(403);
    }
  });

  it('answers a preflight from an allowed origin', async () => {
    const { handler } = setup();
    const response = await handler(
      new Request(`${BASE}/webchat/init`, {
        method: 'OPTIONS',
        headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
    );
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect(response.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type,x-request-id');
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(response.headers.get('vary')).toContain('Origin');
    expect(await response.text()).toBe('');
  });

  it('refuses a preflight from another origin', async () => {
    const { handler } = setup();
    const response = await handler(
      new Request(`${BASE}/webchat/init`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } }),
    );
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-methods')).toBeNull();
    expect((await errorOf(response)).code).toBe('origin_not_allowed');
  });

  it('puts CORS headers on errors for allowed origins so the widget can read them', async () => {
    const { handler } = setup();
    const response = await handler(post('{oops'));
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
  });

  it('supports several allowed origins', async () => {
    const { handler } = setup({}, testConfig({ allowedOrigins: ['https://a.example', 'https://b.example'] }));
    expect((await handler(post({ preEngagementData: validSubmission }, { origin: 'https://b.example' }))).headers.get('access-control-allow-origin')).toBe(
      'https://b.example',
    );
    expect((await handler(post({ preEngagementData: validSubmission }, { origin: WIDGET_ORIGIN }))).status).toBe(403);
  });
});

describe('bad input is a 4xx, never a 5xx', () => {
  it.each([
    ['{oops', 'The request body is not valid JSON'],
    ['', 'The request body is not valid JSON'],
  ])('invalid JSON %j', async (raw, message) => {
    const { handler, calls } = setup();
    const response = await handler(post(raw));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_json', message });
    expect(calls).toHaveLength(0);
  });

  it('rejects a body that is not UTF-8', async () => {
    const { handler } = setup();
    const response = await handler(
      new Request(`${BASE}/webchat/init`, {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
        body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
      }),
    );
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_json', message: 'The request body is not valid UTF-8' });
  });

  it('rejects a non-JSON content type with 415 (forces a CORS preflight for browsers)', async () => {
    const { handler } = setup();
    const response = await handler(post({ preEngagementData: validSubmission }, { 'content-type': 'text/plain' }));
    expect(response.status).toBe(415);
    expect((await errorOf(response)).code).toBe('unsupported_media_type');
  });

  it.each([
    [[], 'The request body must be a JSON object'],
    [null, 'The request body must be a JSON object'],
    ['"text"', 'The request body must be a JSON object'],
    [{}, 'preEngagementData must be an object of field name → string or boolean'],
    [{ preEngagementData: [] }, 'preEngagementData must be an object of field name → string or boolean'],
    [{ preEngagementData: 'x' }, 'preEngagementData must be an object of field name → string or boolean'],
    [{ preEngagementData: {}, identity: 'admin' }, 'Unknown property "identity"; expected preEngagementData and optional context and userToken'],
    [{ preEngagementData: {}, context: 'x' }, 'context must be an object'],
    [{ preEngagementData: {}, context: { pageUrl: 'javascript:alert(1)' } }, 'context.pageUrl must be an absolute http(s) URL'],
    [{ preEngagementData: {}, context: { pageUrl: '/relative' } }, 'context.pageUrl must be an absolute http(s) URL'],
    [{ preEngagementData: {}, context: { pageUrl: 5 } }, 'context.pageUrl must be a URL of at most 2048 characters'],
    [{ preEngagementData: {}, context: { pageUrl: `https://a.example/${'x'.repeat(2048)}` } }, 'context.pageUrl must be a URL of at most 2048 characters'],
    [{ preEngagementData: {}, context: { locale: 'english please' } }, 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"'],
    [{ preEngagementData: {}, context: { teaser: '' } }, "context.teaser must be the teaser's text, 1-200 characters"],
    [{ preEngagementData: {}, context: { teaser: 'x'.repeat(201) } }, "context.teaser must be the teaser's text, 1-200 characters"],
    [{ preEngagementData: {}, context: { teaser: ['Hi'] } }, "context.teaser must be the teaser's text, 1-200 characters"],
  ])('invalid body %j', async (body, message) => {
    const { handler, calls } = setup();
    const response = await handler(post(body));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_body', message });
    expect(calls).toHaveLength(0);
  });

  it('ignores unknown keys inside context', async () => {
    const { handler } = setup();
    const response = await handler(post({ preEngagementData: validSubmission, context: { referrer: 'x' } }));
    expect(response.status).toBe(200);
  });

  it('reports form errors per field with 422', async () => {
    const { handler, calls } = setup();
    const response = await handler(post({ preEngagementData: { friendlyName: '', email: 'nope', question: 'q', extra: 'x' } }));
    expect(response.status).toBe(422);
    expect(await errorOf(response)).toEqual({
      code: 'validation_failed',
      message: 'Some pre-engagement fields are invalid',
      fields: { friendlyName: 'is required', email: 'must be an email address', extra: 'is not a field of this form' },
    });
    expect(calls).toHaveLength(0);
  });

  it('answers 413 for a declared oversized body', async () => {
    const { handler, calls } = setup();
    const big = JSON.stringify({ preEngagementData: { ...validSubmission, question: 'x'.repeat(DEFAULT_MAX_BODY_BYTES) } });
    const response = await handler(post(big, { 'content-length': String(big.length) }));
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toEqual({ code: 'payload_too_large', message: `Request body must be at most ${DEFAULT_MAX_BODY_BYTES} bytes` });
    expect(calls).toHaveLength(0);
  });

  it('answers 413 for a streamed body that grows past the limit, without reading it all', async () => {
    const { handler } = setup({ maxBodyBytes: 1024 });
    let pulled = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(512).fill(0x20));
        if (pulled > 1000) controller.close();
      },
    });
    const request = new Request(`${BASE}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' });
    const response = await handler(request);
    expect(response.status).toBe(413);
    expect(pulled).toBeLessThan(10);
  });

  it('accepts a body just under the limit', async () => {
    const { handler } = setup({ maxBodyBytes: 200 });
    const body = JSON.stringify({ preEngagementData: { ...validSubmission, question: 'q' } });
    expect(body.length).toBeLessThan(200);
    expect((await handler(post(body))).status).toBe(200);
  });
});

describe('routing', () => {
  it.each([
    ['GET', '/'],
    ['POST', '/webchat/refresh/extra'],
    ['POST', '/webchat'],
    ['GET', '/webchat/init/'],
    ['OPTIONS', '/nope'],
    ['DELETE', '/admin'],
  ])('%s %s → 404 JSON', async (method, path) => {
    const { handler } = setup();
    const response = await handler(new Request(BASE + path, { method, headers: { origin: WIDGET_ORIGIN } }));
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('not_found');
  });

  it('never falls through to init: a valid init body on an unknown path starts no chat', async () => {
    const { handler, calls } = setup();
    for (const path of ['/webchat/start', '/init', '/webchat/init/x']) {
      const response = await handler(post({ preEngagementData: validSubmission }, {}, path));
      expect(response.status).toBe(404);
    }
    expect(calls).toEqual([]);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const { handler } = setup();
    const get = await handler(new Request(`${BASE}/webchat/init`, { headers: { origin: WIDGET_ORIGIN } }));
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await errorOf(get)).code).toBe('method_not_allowed');
    const del = await handler(new Request(`${BASE}/healthz`, { method: 'DELETE' }));
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('GET /healthz says ok and the mode, from any origin or none', async () => {
    const { handler } = setup();
    const response = await handler(new Request(`${BASE}/healthz`));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', mode: 'local' });
    const head = await handler(new Request(`${BASE}/healthz`, { method: 'HEAD' }));
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('ignores the query string when routing', async () => {
    const { handler } = setup();
    expect((await handler(new Request(`${BASE}/healthz?probe=1`))).status).toBe(200);
  });
});

describe('upstream failures', () => {
  it('answer 502 upstream_error, log a summary and leak nothing', async () => {
    const secretish = testConfig();
    const leaky = Object.assign(new Error(`Authenticate with ${secretish.authToken} / ${secretish.apiKeySecret}`), {
      status: 401,
      code: 20003,
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
    const { flex } = fakeFlex(async () => {
      throw leaky;
    });
    const { handler, logs: captured } = setup({ flex }, secretish);

    const response = await handler(post({ preEngagementData: validSubmission }, { 'x-request-id': 'req-1' }));
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      error: { code: 'upstream_error', message: 'Could not start a conversation with Twilio Flex; try again shortly' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    for (const secret of [secretish.authToken!, secretish.apiKeySecret]) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(captured)).not.toContain(secret);
    }
    expect(captured).toEqual([{ level: 'error', msg: 'flex_webchats_failed', requestId: 'req-1', kind: 'twilio_api', status: 401, twilioCode: 20003 }]);
  });

  it('answer 502 when Flex replies without a conversation SID', async () => {
    const { flex } = fakeFlex(async () => ({ conversationSid: '', identity: 'x' }));
    const { handler, logs } = setup({ flex });
    const response = await handler(post({ preEngagementData: validSubmission }));
    expect(response.status).toBe(502);
    expect((await errorOf(response)).code).toBe('upstream_error');
    expect(logs.map((l) => l.msg)).toEqual(['flex_webchats_bad_reply']);
  });
});

describe('construction', () => {
  it('fails fast on a form with a broken pattern', () => {
    expect(() =>
      createTokenService(testConfig(), {
        flex: fakeFlex().flex,
        preEngagement: { fields: [{ name: 'x', type: 'text', label: 'X', pattern: '[' }] },
      }),
    ).toThrow(/invalid pattern/);
  });

  it('validates against the form it is given (it reads no deployment file)', async () => {
    const form = { fields: [{ name: 'orderNumber', type: 'text' as const, label: 'Order', required: true }] };
    const { handler } = setup({ preEngagement: form });
    const refused = await handler(post({ preEngagementData: validSubmission }));
    expect(refused.status).toBe(422);
    expect(Object.keys((await errorOf(refused)).fields ?? {})).toContain('orderNumber');
    expect((await handler(post({ preEngagementData: { orderNumber: '42' } }))).status).toBe(200);
  });
});

describe('POST /webchat/refresh', () => {
  async function started(config = testConfig()) {
    const ctx = setup({}, config);
    const init = (await (await ctx.handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    return { ...ctx, init };
  }

  it('mints a new token for the same identity and service', async () => {
    const { handler, init, calls, config } = await started();
    const response = await handler(post({ token: init.token, identity: init.identity, conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    const body = (await response.json()) as WebChatRefreshResponse;
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'identity', 'sessionProof', 'token']);
    expect(body.identity).toBe(init.identity);
    const jwt = verifyHs256(body.token, config.apiKeySecret);
    expect(jwt.payload.grants).toEqual({ identity: init.identity, chat: { service_sid: config.conversationsServiceSid } });
    expect(body.expiresAt).toBe(new Date(jwt.payload.exp * 1000).toISOString());
    expect(calls).toHaveLength(1); // refresh does not create another conversation
  });

  it('refuses a token for another identity than the one claimed', async () => {
    const { handler, init, logs } = await started();
    const response = await handler(post({ token: init.token, identity: 'visitor-someone-else', conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({ code: 'token_invalid', message: 'The token is invalid or has expired; start a new chat' });
    expect(logs.at(-1)).toMatchObject({ msg: 'refresh_refused', reason: 'identity_mismatch' });
  });

  it('refuses a token minted with another API key secret', async () => {
    const { init } = await started(testConfig({ apiKeySecret: 'a-different-secret' }));
    const { handler, logs } = setup();
    const response = await handler(post({ token: init.token, identity: init.identity, conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect(response.status).toBe(401);
    expect(logs.at(-1)).toMatchObject({ msg: 'refresh_refused', reason: 'bad_signature' });
  });

  it('refuses a token for another Conversations service', async () => {
    const { init } = await started(testConfig({ conversationsServiceSid: `IS${'9'.repeat(32)}` }));
    const { handler, logs } = setup();
    const response = await handler(post({ token: init.token, identity: init.identity, conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect(response.status).toBe(401);
    expect(logs.at(-1)).toMatchObject({ reason: 'wrong_grant' });
  });

  it.each([
    [{ token: 'x', identity: 'v' }, 'conversationSid must be a conversation SID (CH…)'],
    [{ token: '', identity: 'v', conversationSid: CONVERSATION_SID }, 'token must be the access token from /webchat/init'],
    [{ token: 't', identity: 7, conversationSid: CONVERSATION_SID }, 'identity must be a non-empty string'],
    [{ token: 't', identity: 'v', conversationSid: CONVERSATION_SID, ttl: 99999 }, 'Unknown property "ttl"; expected token and/or sessionProof, identity and conversationSid'],
  ])('invalid body %j', async (body, message) => {
    const { handler } = setup();
    const response = await handler(post(body, {}, '/webchat/refresh'));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_body', message });
  });

  it('is origin-checked and preflighted like init', async () => {
    const { handler } = setup();
    const denied = await handler(post({ token: 't', identity: 'v', conversationSid: CONVERSATION_SID }, { origin: 'https://evil.example' }, '/webchat/refresh'));
    expect(denied.status).toBe(403);
    const preflight = await handler(
      new Request(`${BASE}/webchat/refresh`, { method: 'OPTIONS', headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST' } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
  });
});

// ---------------------------------------------------------------------------------------------
// Rate limits

const toClose: Array<TokenService | RealRedis | RunningEmulator> = [];
afterEach(async () => {
  for (const item of toClose.splice(0)) await item.close();
});

const rateLimits = (initIp: number, initDeployment: number, refreshIp = 60, refreshDeployment = 3000) => ({
  init: { perIp: initIp, perDeployment: initDeployment },
  refresh: { perIp: refreshIp, perDeployment: refreshDeployment },
});

describe('rate limits', () => {
  it('answer the 11th init a minute from one IP with 429 rate_limited, Retry-After and CORS headers', async () => {
    const { handler, calls, logs } = setup();
    for (let i = 0; i < 10; i++) expect((await handler(post({ preEngagementData: validSubmission }))).status).toBe(200);
    const response = await handler(post({ preEngagementData: validSubmission }, { 'x-request-id': 'req-flood' }));
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect(response.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect(await errorOf(response)).toEqual({
      code: 'rate_limited',
      message: `Too many requests; try again in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`,
    });
    expect(calls).toHaveLength(10);
    expect(logs).toContainEqual({ level: 'warn', msg: 'rate_limited', requestId: 'req-flood', route: 'init', scope: 'ip' });
  });

  it('limit each IP on its own and the deployment as a whole', async () => {
    const { handler } = setup({}, testConfig({ rateLimits: rateLimits(1, 2) }));
    const from = (ip: string) => handler(post({ preEngagementData: validSubmission }), { remoteAddress: ip });
    expect((await from('192.0.2.1')).status).toBe(200);
    expect((await from('192.0.2.1')).status).toBe(429);
    expect((await from('192.0.2.2')).status).toBe(200);
    const capped = await from('192.0.2.3');
    expect(capped.status).toBe(429);
    expect((await errorOf(capped)).code).toBe('rate_limited');
  });

  it('ignore X-Forwarded-For unless FLEXCHAT_TRUST_PROXY says how many proxies to trust', async () => {
    const { handler } = setup({}, testConfig({ rateLimits: rateLimits(1, 100) }));
    const spoofed = (n: number) => handler(post({ preEngagementData: validSubmission }, { 'x-forwarded-for': `203.0.113.${n}` }), { remoteAddress: '192.0.2.1' });
    expect((await spoofed(1)).status).toBe(200);
    expect((await spoofed(2)).status).toBe(429); // a fresh forged address does not buy a fresh budget

    const behindProxy = setup({}, testConfig({ rateLimits: rateLimits(1, 100), trustProxyHops: 1 })).handler;
    const viaLb = (xff: string) => behindProxy(post({ preEngagementData: validSubmission }, { 'x-forwarded-for': xff }), { remoteAddress: '10.0.0.2' });
    expect((await viaLb('203.0.113.1')).status).toBe(200);
    expect((await viaLb('203.0.113.2')).status).toBe(200); // another client behind the same load balancer
    expect((await viaLb('6.6.6.6, 203.0.113.1')).status).toBe(429); // client-written entries on the left do not help
  });

  it('give refresh its own, looser budget', async () => {
    const { handler } = setup({}, testConfig({ rateLimits: rateLimits(1, 100, 3, 100) }));
    const init = (await (await handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    expect((await handler(post({ preEngagementData: validSubmission }))).status).toBe(429);
    const refresh = () => handler(post({ token: init.token, identity: init.identity, conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect([(await refresh()).status, (await refresh()).status, (await refresh()).status, (await refresh()).status]).toEqual([200, 200, 200, 429]);
  });

  it('do not let other origins or preflights spend the budget', async () => {
    const { handler } = setup({}, testConfig({ rateLimits: rateLimits(1, 1) }));
    for (let i = 0; i < 5; i++) {
      expect((await handler(post({ preEngagementData: validSubmission }, { origin: 'https://evil.example' }))).status).toBe(403);
      const preflight = await handler(
        new Request(`${BASE}/webchat/init`, { method: 'OPTIONS', headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST' } }),
      );
      expect(preflight.status).toBe(204);
    }
    expect((await handler(post({ preEngagementData: validSubmission }))).status).toBe(200);
  });

  it('count bad requests too (a flood of junk is still a flood)', async () => {
    const { handler } = setup({}, testConfig({ rateLimits: rateLimits(2, 100) }));
    expect((await handler(post('{oops'))).status).toBe(400);
    expect((await handler(post({ preEngagementData: {} }))).status).toBe(422);
    expect((await handler(post({ preEngagementData: validSubmission }))).status).toBe(429);
  });

  it('are shared by several instances through Redis (a real redis-server)', async () => {
    const redis = await startRedis();
    toClose.push(redis);
    const config = testConfig({ rateLimits: rateLimits(2, 100), redisUrl: redis.url });
    const a = setup({}, config);
    const b = setup({}, config);
    toClose.push(a.service, b.service);
    expect((await a.handler(post({ preEngagementData: validSubmission }))).status).toBe(200);
    expect((await b.handler(post({ preEngagementData: validSubmission }))).status).toBe(200);
    expect((await a.handler(post({ preEngagementData: validSubmission }))).status).toBe(429);
    expect((await b.handler(post({ preEngagementData: validSubmission }))).status).toBe(429);
    expect(await redis.get(`flexchat:rl:init:ip:${CLIENT.remoteAddress}`)).toBe('4');
  });
});

// ---------------------------------------------------------------------------------------------
// Readiness

/** The emulator for 'GET /readyz'. */
const withEmulator = emulatorTest({ logLevel: 'silent' });

describe('GET /readyz', () => {
  const readyz = (handler: (request: Request) => Promise<Response>, method = 'GET') => handler(new Request(`${BASE}/readyz`, { method }));

  withEmulator('is ready in local mode when the emulator answers (default checks, no Origin needed)', async ({ emulator }) => {
    const { handler } = setup({ conversations: undefined }, testConfig({ emulator: { url: emulator.url, twilsockUri: emulator.twilsockUri } }));
    const response = await readyz(handler);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ready',
      mode: 'local',
      checks: [
        { name: 'config', ok: true },
        { name: 'emulator', ok: true },
      ],
    } satisfies ReadinessResponse);
  });

  it('is 503 not_ready when the emulator is down, saying which check failed', async () => {
    const port = await freePort();
    const { handler } = setup({}, testConfig({ emulator: { url: `http://127.0.0.1:${port}`, twilsockUri: 'ws://unused' } }));
    const response = await readyz(handler);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: 'not_ready',
      mode: 'local',
      checks: [
        { name: 'config', ok: true },
        { name: 'emulator', ok: false, detail: 'emulator unreachable (ECONNREFUSED)' },
      ],
    });
  });

  it('caches the result for a few seconds, answers HEAD, and leaks no secret', async () => {
    let clock = 1_000_000;
    let runs = 0;
    const config = testConfig({ mode: 'conversations' });
    const twilio = async (): Promise<ReadinessCheck> => {
      runs++;
      return { name: 'twilio', ok: false, detail: 'credentials rejected (HTTP 401), Twilio error 20003' };
    };
    const { handler } = setup({ readinessProbes: [twilio], now: () => clock }, config);
    const first = await readyz(handler);
    expect(first.status).toBe(503);
    const text = await first.text();
    for (const secret of [config.apiKeySecret, config.authToken!]) expect(text).not.toContain(secret);
    expect((await readyz(handler, 'HEAD')).status).toBe(503);
    expect(await (await readyz(handler, 'HEAD')).text()).toBe('');
    expect(runs).toBe(1);
    clock += 5000;
    await readyz(handler);
    expect(runs).toBe(2);
  });

  withEmulator('reports a hand-built config that env.ts would have refused', async ({ emulator }) => {
    const { handler } = setup({}, testConfig({ webChatAddressSid: testConfig().conversationsServiceSid, emulator: { url: emulator.url, twilsockUri: 'ws://x' } }));
    const body = (await (await readyz(handler)).json()) as ReadinessResponse;
    expect(body.status).toBe('not_ready');
    expect(body.checks[0]).toEqual({ name: 'config', ok: false, detail: 'invalid: TWILIO_WEBCHAT_ADDRESS_SID' });
  });
});

// ---------------------------------------------------------------------------------------------
// Signed identity

const IDENTITY_SECRET = 'site-owner-identity-secret-0123456789abcdef';

describe('signed identity (userToken)', () => {
  const withIdentity = () => setup({}, testConfig({ identitySecret: IDENTITY_SECRET }));

  it('gives a logged-in visitor a stable, non-PII identity derived from the user id', async () => {
    const { handler, calls, config } = withIdentity();
    const userToken = signUserToken('customer-42@example.com', IDENTITY_SECRET);
    const first = (await (await handler(post({ preEngagementData: validSubmission, userToken }))).json()) as WebChatInitResponse;
    const again = (await (await handler(post({ preEngagementData: validSubmission, userToken: signUserToken('customer-42@example.com', IDENTITY_SECRET) }))).json()) as WebChatInitResponse;

    const expected = deriveUserIdentity('customer-42@example.com', IDENTITY_SECRET);
    expect(calls.map((c) => c.identity)).toEqual([expected, expected]);
    expect(first.identity).toBe(expected);
    expect(again.identity).toBe(expected);
    expect(first.identity).toMatch(/^user-[0-9a-f]{32}$/);
    expect(JSON.stringify(calls)).not.toContain('customer-42');
    expect(verifyHs256(first.token, config.apiKeySecret).payload.grants.identity).toBe(expected);
  });

  it('uses a random identity without a userToken', async () => {
    const { handler, calls } = withIdentity();
    await handler(post({ preEngagementData: validSubmission }));
    expect(calls[0]?.identity).toMatch(/^visitor-/);
  });

  it.each([
    ['forged', () => signUserToken('customer-42', 'not-the-identity-secret-0123456789abcdef'), 'bad_signature'],
    ['expired', () => signUserToken('customer-42', IDENTITY_SECRET, { nowMs: Date.now() - 3600_000 }), 'expired'],
    ['not a JWT', () => 'hello', 'malformed'],
  ])('refuses a %s userToken with 401 user_token_invalid before calling Flex', async (_label, make, reason) => {
    const { handler, calls, logs } = withIdentity();
    const response = await handler(post({ preEngagementData: validSubmission, userToken: make() }));
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({ code: 'user_token_invalid', message: 'The signed user identity (userToken) is invalid or has expired' });
    expect(calls).toHaveLength(0);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'user_token_refused', reason }));
    expect(JSON.stringify(logs)).not.toContain(IDENTITY_SECRET);
  });

  it('refuses any userToken when FLEXCHAT_IDENTITY_SECRET is not set', async () => {
    const { handler, calls } = setup();
    const response = await handler(post({ preEngagementData: validSubmission, userToken: signUserToken('u', IDENTITY_SECRET) }));
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('user_token_invalid');
    expect(calls).toHaveLength(0);
  });

  it.each([5, '', 'x'.repeat(4097)])('rejects userToken %j as invalid_body', async (userToken) => {
    const { handler } = withIdentity();
    const response = await handler(post({ preEngagementData: validSubmission, userToken }));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_body');
  });
});

// ---------------------------------------------------------------------------------------------
// First message

describe('first message', () => {
  const withFirstMessage = (deps: Partial<TokenServiceDeps> = {}) => setup(deps, testConfig({ firstMessageField: 'question' }));

  it('posts the configured field as the visitor\'s first message, webhooks on', async () => {
    const { handler, conversations } = withFirstMessage();
    const response = await handler(post({ preEngagementData: validSubmission }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.firstMessageSent).toBe(true);
    expect('firstMessage' in body).toBe(false);
    expect(conversations.messages).toEqual([
      { sid: CONVERSATION_SID, author: body.identity, body: 'Where is my order?', xTwilioWebhookEnabled: 'true' },
    ]);
  });

  it('posts the cleaned value (trimmed, NFC)', async () => {
    const { handler, conversations } = withFirstMessage();
    await handler(post({ preEngagementData: { ...validSubmission, question: '  Cafe\u0301 ?  ' } }));
    expect(conversations.messages[0]?.body).toBe('Café ?');
  });

  it('still starts the chat when posting fails, logging a summary without secrets', async () => {
    const secretish = testConfig({ firstMessageField: 'question' });
    const failing = fakeConversations({ failCreate: Object.assign(new Error(`auth ${secretish.apiKeySecret}`), { status: 404, code: 20404 }) });
    const { handler, logs } = setup({ conversations: failing.api }, secretish);
    const response = await handler(post({ preEngagementData: validSubmission }, { 'x-request-id': 'req-fm' }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.firstMessageSent).toBe(false);
    expect(body.firstMessage).toBe(validSubmission.question);
    expect(logs).toContainEqual({ level: 'warn', msg: 'first_message_failed', requestId: 'req-fm', kind: 'twilio_api', status: 404, twilioCode: 20404 });
    expect(JSON.stringify(logs)).not.toContain(secretish.apiKeySecret);
  });

  it('posts nothing when the field is empty, or when the feature is off', async () => {
    const optional = { ...testForm, fields: testForm.fields.map((f) => (f.name === 'question' ? { ...f, required: false } : f)) };
    const off = setup({ preEngagement: optional }, testConfig({ firstMessageField: 'question' }));
    const emptyQuestion = (await (await off.handler(post({ preEngagementData: { ...validSubmission, question: '' } }))).json()) as WebChatInitResponse;
    expect('firstMessageSent' in emptyQuestion).toBe(false);
    expect(off.conversations.messages).toHaveLength(0);

    const disabled = setup();
    const body = (await (await disabled.handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    expect('firstMessageSent' in body).toBe(false);
    expect(disabled.conversations.messages).toHaveLength(0);
  });

  it("without FLEXCHAT_FIRST_MESSAGE_FIELD, follows the deployment's form: by default its first textarea (the question)", async () => {
    const { firstMessageField: _off, ...byDefault } = testForm;
    const { handler, conversations } = setup({ preEngagement: byDefault });
    const body = (await (await handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    expect(body.firstMessageSent).toBe(true);
    expect(conversations.messages).toEqual([
      { sid: CONVERSATION_SID, author: body.identity, body: 'Where is my order?', xTwilioWebhookEnabled: 'true' },
    ]);
  });

  it('preEngagement.firstMessageField picks the field, or false none; the variable wins over it', async () => {
    const named = setup({ preEngagement: { ...testForm, firstMessageField: 'email' } });
    await named.handler(post({ preEngagementData: validSubmission }));
    expect(named.conversations.messages.map((m) => m.body)).toEqual(['zoe@example.com']);

    const off = setup({ preEngagement: { ...testForm, firstMessageField: false } });
    const body = (await (await off.handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    expect('firstMessageSent' in body).toBe(false);
    expect(off.conversations.messages).toHaveLength(0);

    const env = setup({ preEngagement: { ...testForm, firstMessageField: false } }, testConfig({ firstMessageField: 'question' }));
    await env.handler(post({ preEngagementData: validSubmission }));
    expect(env.conversations.messages.map((m) => m.body)).toEqual(['Where is my order?']);
  });

  it('refuses to start with a field that is not in the form, or a checkbox', () => {
    expect(() => setup({}, testConfig({ firstMessageField: 'questoin' }))).toThrow(EnvError);
    expect(() => setup({}, testConfig({ firstMessageField: 'questoin' }))).toThrow(/not a field of the pre-engagement form \(fields: friendlyName, email, question\)/);
    const withCheckbox = { ...testForm, fields: [...testForm.fields, { name: 'consent', type: 'checkbox' as const, label: 'OK?' }] };
    expect(() => setup({ preEngagement: withCheckbox }, testConfig({ firstMessageField: 'consent' }))).toThrow(/checkbox/);
  });
});

// ---------------------------------------------------------------------------------------------
// Refresh: session proofs, grace period, closed conversations

describe('POST /webchat/refresh with session proofs', () => {
  const TTL = 3600;
  const GRACE = 900;

  async function session(deps: Partial<TokenServiceDeps> = {}, overrides: Partial<TokenServiceConfig> = {}) {
    const clock = { now: Date.now() };
    const ctx = setup({ now: () => clock.now, ...deps }, testConfig({ tokenTtlSeconds: TTL, refreshGraceSeconds: GRACE, ...overrides }));
    const init = (await (await ctx.handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    const refresh = (body: Record<string, unknown>) =>
      ctx.handler(post({ identity: init.identity, conversationSid: init.conversationSid, ...body }, {}, '/webchat/refresh'));
    /** Moves the service's clock to `seconds` after the token's expiry. */
    const afterExpiry = (seconds: number) => {
      clock.now = Date.parse(init.expiresAt) + seconds * 1000;
    };
    return { ...ctx, init, refresh, afterExpiry, clock };
  }

  it('renews an expired token with its session proof within the grace period', async () => {
    const { init, refresh, afterExpiry, config, conversations } = await session();
    afterExpiry(GRACE - 60);
    const response = await refresh({ token: init.token, sessionProof: init.sessionProof });
    expect(response.status).toBe(200);
    const body = (await response.json()) as WebChatRefreshResponse;
    expect(body.identity).toBe(init.identity);
    expect(verifyHs256(body.token, config.apiKeySecret).payload.grants.identity).toBe(init.identity);
    expect(body.sessionProof).not.toBe(init.sessionProof);
    expect(conversations.fetched).toEqual([init.conversationSid]);
  });

  it('renews with the session proof alone', async () => {
    const { init, refresh, afterExpiry } = await session();
    afterExpiry(60);
    expect((await refresh({ sessionProof: init.sessionProof })).status).toBe(200);
  });

  it('chains: the proof from a refresh keeps the session going', async () => {
    const { init, refresh, afterExpiry, clock } = await session();
    afterExpiry(60);
    const second = (await (await refresh({ sessionProof: init.sessionProof })).json()) as WebChatRefreshResponse;
    clock.now += (TTL + GRACE - 60) * 1000; // the first proof is long dead by now
    expect((await refresh({ sessionProof: init.sessionProof })).status).toBe(401);
    expect((await refresh({ sessionProof: second.sessionProof })).status).toBe(200);
  });

  it('refuses an expired token without a proof', async () => {
    const { init, refresh, afterExpiry, logs } = await session();
    afterExpiry(1);
    const response = await refresh({ token: init.token });
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({ code: 'token_invalid', message: 'The token is invalid or has expired; start a new chat' });
    expect(logs.at(-1)).toMatchObject({ msg: 'refresh_refused', reason: 'expired' });
  });

  it('refuses after the grace period, with or without the token', async () => {
    const { init, refresh, afterExpiry, logs } = await session();
    afterExpiry(GRACE);
    expect((await refresh({ token: init.token, sessionProof: init.sessionProof })).status).toBe(401);
    expect((await refresh({ sessionProof: init.sessionProof })).status).toBe(401);
    expect(logs.filter((l) => l.msg === 'refresh_refused').map((l) => l.reason)).toEqual(['proof_expired', 'proof_expired']);
  });

  it('honours FLEXCHAT_REFRESH_GRACE_SECONDS=0: no renewal after expiry', async () => {
    const { init, refresh, afterExpiry } = await session({}, { refreshGraceSeconds: 0 });
    afterExpiry(0);
    expect((await refresh({ token: init.token, sessionProof: init.sessionProof })).status).toBe(401);
  });

  it('never renews a token it did not issue, even with a valid proof', async () => {
    const { init, refresh, afterExpiry, logs } = await session();
    const foreign = await session({}, { apiKeySecret: 'a-different-api-key-secret' });
    afterExpiry(60);
    expect((await refresh({ token: foreign.init.token, sessionProof: init.sessionProof })).status).toBe(401);
    expect(logs.at(-1)).toMatchObject({ reason: 'bad_signature' });
  });

  it('refuses a proof for another conversation or identity, and a tampered proof', async () => {
    const { init, handler, refresh, logs } = await session();
    const otherConversation = await handler(
      post({ identity: init.identity, conversationSid: `CH${'1'.repeat(32)}`, sessionProof: init.sessionProof }, {}, '/webchat/refresh'),
    );
    expect(otherConversation.status).toBe(401);
    const otherIdentity = await handler(post({ identity: 'visitor-x', conversationSid: init.conversationSid, sessionProof: init.sessionProof }, {}, '/webchat/refresh'));
    expect(otherIdentity.status).toBe(401);
    const tampered = `${init.sessionProof.slice(0, -2)}${init.sessionProof.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await refresh({ token: init.token, sessionProof: tampered })).status).toBe(401);
    expect(logs.filter((l) => l.msg === 'refresh_refused').map((l) => l.reason)).toEqual(['proof_bad_signature', 'proof_bad_signature', 'proof_bad_signature']);
  });

  it('accepts a proof from another instance that shares FLEXCHAT_SESSION_SECRET, not from one that does not', async () => {
    const secret = 'shared-session-secret-0123456789abcdef';
    const a = await session({}, { sessionSecret: secret });
    const b = setup({}, testConfig({ sessionSecret: secret }));
    const c = setup();
    const body = { identity: a.init.identity, conversationSid: a.init.conversationSid, sessionProof: a.init.sessionProof };
    expect((await b.handler(post(body, {}, '/webchat/refresh'))).status).toBe(200);
    expect((await c.handler(post(body, {}, '/webchat/refresh'))).status).toBe(401);
  });

  it('warns in real mode when FLEXCHAT_SESSION_SECRET is unset, not in local mode', () => {
    const real = setup({}, testConfig({ mode: 'conversations' }));
    expect(real.logs.map((l) => l.msg)).toEqual(['session_secret_generated']);
    expect(setup().logs).toEqual([]);
    expect(setup({}, testConfig({ mode: 'conversations', sessionSecret: 's'.repeat(32) })).logs).toEqual([]);
  });

  it('requires a token or a proof', async () => {
    const { refresh } = await session();
    const response = await refresh({});
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_body', message: 'Send the token, the sessionProof, or both, as received from /webchat/init' });
    expect((await refresh({ sessionProof: 5 })).status).toBe(400);
  });

  describe('closed conversations', () => {
    it('refuses to renew a token whose conversation is closed (410 conversation_closed)', async () => {
      const closed = fakeConversations({ state: 'closed' });
      const { init, refresh } = await session({ conversations: closed.api });
      const response = await refresh({ token: init.token, sessionProof: init.sessionProof });
      expect(response.status).toBe(410);
      expect(await errorOf(response)).toEqual({ code: 'conversation_closed', message: 'This conversation has ended; start a new chat' });
      expect(closed.fetched).toEqual([init.conversationSid]);
    });

    it('in real mode, treats a missing conversation as closed and a failed lookup as 502', async () => {
      const real = { mode: 'conversations' as const, sessionSecret: 's'.repeat(32) };
      const missing = await session({ conversations: fakeConversations({ failFetch: Object.assign(new Error('x'), { status: 404, code: 20404 }) }).api }, real);
      const gone = await missing.refresh({ token: missing.init.token });
      expect(gone.status).toBe(410);
      expect((await errorOf(gone)).code).toBe('conversation_closed');

      const down = await session({ conversations: fakeConversations({ failFetch: Object.assign(new Error('x'), { status: 503, code: 20503 }) }).api }, real);
      const failed = await down.refresh({ token: down.init.token });
      expect(failed.status).toBe(502);
      expect((await errorOf(failed)).code).toBe('upstream_error');
      expect(down.logs.at(-1)).toMatchObject({ level: 'error', msg: 'conversation_lookup_failed', status: 503, twilioCode: 20503 });
    });

    it('in local mode too, a missing conversation is 410 once the token holder is proven a participant', async () => {
      const failing = fakeConversations({ failFetch: Object.assign(new Error('x'), { status: 404, code: 20404 }) });
      const { init, refresh } = await session({ conversations: failing.api });
      const gone = await refresh({ token: init.token });
      expect([gone.status, (await errorOf(gone)).code]).toEqual([410, 'conversation_closed']);
      expect(failing.participantLookups).toEqual([{ sid: init.conversationSid, identity: init.identity }]);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// POST /webchat/end

describe('POST /webchat/end', () => {
  const twilioError = (status: number, code: number) => Object.assign(new Error('upstream says no'), { status, code });

  async function chat(options: FakeConversationsOptions = {}, deps: Partial<TokenServiceDeps> = {}, overrides: Partial<TokenServiceConfig> = {}) {
    const fake = fakeConversations(options);
    const clock = { now: Date.now() };
    const ctx = setup({ conversations: fake.api, now: () => clock.now, ...deps }, testConfig(overrides));
    const init = (await (await ctx.handler(post({ preEngagementData: validSubmission }))).json()) as WebChatInitResponse;
    const end = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      ctx.handler(post({ conversationSid: init.conversationSid, ...body }, headers, '/webchat/end'));
    return { ...ctx, init, end, fake, clock };
  }

  it('closes the conversation with the session proof and answers { state: "closed" }', async () => {
    const { init, end, fake, logs } = await chat();
    const response = await end({ identity: init.identity, sessionProof: init.sessionProof });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect(await response.json()).toEqual({ state: 'closed' });
    expect(fake.updated).toEqual([{ sid: init.conversationSid, state: 'closed' }]);
    // The proof binds identity and conversation: no membership lookup needed.
    expect(fake.participantLookups).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ level: 'info', msg: 'chat_ended', state: 'closed' });
  });

  it('with a token alone, checks that the identity is a participant (the identity may be left out)', async () => {
    const { init, end, fake } = await chat();
    const response = await end({ token: init.token });
    expect(response.status).toBe(200);
    expect(fake.participantLookups).toEqual([{ sid: init.conversationSid, identity: init.identity }]);
    expect(fake.updated).toHaveLength(1);
  });

  it('refuses to close a conversation the token holder is not part of (401, nothing closed)', async () => {
    const { init, end, fake, logs } = await chat({ participants: ['visitor-someone-else'] });
    const response = await end({ token: init.token, identity: init.identity });
    expect(response.status).toBe(401);
    expect((await errorOf(response)).code).toBe('token_invalid');
    expect(fake.updated).toEqual([]);
    expect(logs.at(-1)).toMatchObject({ msg: 'end_refused', reason: 'not_a_participant' });
  });

  it('is idempotent: an already closed conversation answers 200 { state: "closed" } without an update', async () => {
    const { init, end, fake } = await chat({ state: 'closed' });
    const response = await end({ token: init.token, sessionProof: init.sessionProof, identity: init.identity });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ state: 'closed' });
    expect(fake.updated).toEqual([]);
  });

  it('twice in a row: the second call finds it closed', async () => {
    const { init, end, fake } = await chat();
    const body = { identity: init.identity, sessionProof: init.sessionProof };
    expect((await end(body)).status).toBe(200);
    expect((await end(body)).status).toBe(200);
    expect(fake.updated).toHaveLength(1);
  });

  it('treats a missing conversation, and a close that races another (409 / 50377), as closed', async () => {
    const missing = await chat({ failFetch: twilioError(404, 20404) });
    expect(await (await missing.end({ identity: missing.init.identity, sessionProof: missing.init.sessionProof })).json()).toEqual({ state: 'closed' });
    const raced = await chat({ failUpdate: twilioError(409, 50377) });
    const response = await raced.end({ identity: raced.init.identity, sessionProof: raced.init.sessionProof });
    expect([response.status, await response.json()]).toEqual([200, { state: 'closed' }]);
  });

  it('answers 502 upstream_error when Twilio fails, logging a summary only', async () => {
    for (const options of [{ failFetch: twilioError(503, 20503) }, { failUpdate: twilioError(500, 20500) }, { failParticipant: twilioError(503, 20503) }]) {
      const { init, end, logs } = await chat(options);
      const response = await end({ token: init.token, identity: init.identity });
      expect(response.status).toBe(502);
      expect(await errorOf(response)).toEqual({ code: 'upstream_error', message: 'Could not end the conversation with Twilio; try again shortly' });
      const entry = logs.at(-1)!;
      expect(entry).toMatchObject({ level: 'error', msg: 'end_failed', kind: 'twilio_api' });
      expect(JSON.stringify(entry)).not.toContain('upstream says no');
    }
  });

  it('verifies like refresh: foreign, tampered, mismatched or long-expired credentials are refused', async () => {
    const { init, end, clock, fake, logs } = await chat({}, {}, { refreshGraceSeconds: 900 });
    const foreign = await chat({}, {}, { apiKeySecret: 'a-different-api-key-secret' });
    expect((await end({ token: foreign.init.token })).status).toBe(401);
    expect((await end({ token: init.token, identity: 'visitor-x' })).status).toBe(401);
    expect((await end({ identity: 'visitor-x', sessionProof: init.sessionProof })).status).toBe(401);
    expect((await end({ token: `${init.token.slice(0, -2)}xx` })).status).toBe(401);
    clock.now = Date.parse(init.expiresAt) + 60_000;
    expect((await end({ token: init.token })).status).toBe(401); // expired, no proof
    clock.now = Date.parse(init.expiresAt) + 901_000; // exp is whole seconds: one more keeps it past the proof lifetime
    expect((await end({ identity: init.identity, sessionProof: init.sessionProof })).status).toBe(401); // past the grace period
    expect(fake.updated).toEqual([]);
    expect(logs.filter((l) => l.msg === 'end_refused').map((l) => l.reason)).toEqual([
      'bad_signature',
      'identity_mismatch',
      'proof_bad_signature',
      'bad_signature',
      'expired',
      'proof_expired',
    ]);
  });

  it('accepts an expired token with its proof within the grace period', async () => {
    const { init, end, clock } = await chat();
    clock.now = Date.parse(init.expiresAt) + 60_000;
    expect((await end({ token: init.token, sessionProof: init.sessionProof })).status).toBe(200);
  });

  it.each([
    [{}, 'Send the token, the sessionProof, or both, as received from /webchat/init'],
    [{ sessionProof: 'v1.x' }, 'identity must be a non-empty string'],
    [{ token: 't', conversationSid: 'IS00000000000000000000000000000001' }, 'conversationSid must be a conversation SID (CH…)'],
    [{ token: 't', reason: 'bored' }, 'Unknown property "reason"; expected token and/or sessionProof, identity and conversationSid'],
  ])('rejects the body %j with 400 invalid_body', async (body, message) => {
    const { end } = await chat();
    const response = await end(body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_body', message });
  });

  it('is origin-checked and preflighted like the other POSTs', async () => {
    const { init, end, fake, handler } = await chat();
    const denied = await end({ token: init.token }, { origin: 'https://evil.example' });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    expect(fake.updated).toEqual([]);
    const preflight = await handler(
      new Request(`${BASE}/webchat/end`, { method: 'OPTIONS', headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST' } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    const get = await handler(new Request(`${BASE}/webchat/end`, { headers: { origin: WIDGET_ORIGIN } }));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
  });

  it('is rate limited on its own budget, with 429 and Retry-After', async () => {
    const limits = { init: { perIp: 0, perDeployment: 0 }, refresh: { perIp: 0, perDeployment: 0 }, end: { perIp: 2, perDeployment: 0 } };
    const { init, end } = await chat({}, {}, { rateLimits: limits });
    expect((await end({ token: init.token })).status).toBe(200);
    expect((await end({ token: init.token })).status).toBe(200);
    const limited = await end({ token: init.token });
    expect(limited.status).toBe(429);
    expect((await errorOf(limited)).code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('falls back to the refresh limits for hand-built settings without an end rule', async () => {
    const limits = { init: { perIp: 0, perDeployment: 0 }, refresh: { perIp: 1, perDeployment: 0 } };
    const { init, end } = await chat({}, {}, { rateLimits: limits });
    expect((await end({ token: init.token })).status).toBe(200);
    expect((await end({ token: init.token })).status).toBe(429);
  });
});

// ---------------------------------------------------------------------------------------------
// Legacy flow (Flex Programmable Chat: /v1/Channels, twilio-chat)

describe('legacy flow', () => {
  const FLOW_SID = `FO${'7'.repeat(32)}`;
  const CHAT_SERVICE_SID = `IS${'8'.repeat(32)}`;
  const CHANNEL_SID = `CH${'c'.repeat(32)}`;
  const twilioError = (status: number, code: number) => Object.assign(new Error('upstream says no'), { status, code });
  type ChannelParams = Parameters<FlexChannelsApi['create']>[0];

  function fakeLegacy(options: { failCreate?: unknown; reply?: unknown; failFetch?: unknown; failUpdate?: unknown } = {}) {
    const created: ChannelParams[] = [];
    const fetched: string[] = [];
    const updates: Array<{ sid: string; chatStatus?: string | undefined }> = [];
    const channels: FlexChannelsApi = Object.assign(
      (sid: string) => ({
        async fetch() {
          fetched.push(sid);
          if (options.failFetch) throw options.failFetch;
          return { sid };
        },
      }),
      {
        async create(params: ChannelParams) {
          created.push(params);
          if (options.failCreate) throw options.failCreate;
          return (options.reply ?? { sid: CHANNEL_SID }) as { sid: string };
        },
      },
    );
    const webChannels: FlexWebChannelsApi = (sid) => ({
      async update(params) {
        updates.push({ sid, chatStatus: params.chatStatus });
        if (options.failUpdate) throw options.failUpdate;
        return { sid };
      },
    });
    return { channels, webChannels, created, fetched, updates };
  }

  async function legacyChat(
    options: Parameters<typeof fakeLegacy>[0] = {},
    overrides: Partial<TokenServiceConfig> = {},
    deps: Partial<TokenServiceDeps> = {},
  ) {
    const fake = fakeLegacy(options);
    const ctx = setup(
      { channels: fake.channels, webChannels: fake.webChannels, ...deps },
      testConfig({ flow: 'legacy', legacy: { flexFlowSid: FLOW_SID, chatServiceSid: CHAT_SERVICE_SID }, ...overrides }),
    );
    const response = await ctx.handler(post({ preEngagementData: validSubmission, context: { locale: 'en' } }));
    return { ...ctx, fake, response };
  }

  it('init creates a Flex chat channel with the pre-engagement data in PreEngagementData and TaskAttributes', async () => {
    const { response, fake, calls, config } = await legacyChat();
    expect(response.status).toBe(200);
    const body = (await response.json()) as WebChatInitResponse;
    expect(calls).toEqual([]); // no /v2/WebChats
    expect(fake.created).toHaveLength(1);
    const params = fake.created[0]!;
    expect(params.identity).toMatch(/^visitor-[0-9a-f-]{36}$/);
    const data = { ...validSubmission, _context: { locale: 'en' } };
    expect(params).toEqual({
      flexFlowSid: FLOW_SID,
      identity: params.identity,
      chatUserFriendlyName: 'Zoë Ærøskøbing 李小龍',
      chatFriendlyName: 'Web chat',
      preEngagementData: JSON.stringify(data),
      taskAttributes: JSON.stringify({ name: 'Zoë Ærøskøbing 李小龍', channelType: 'web', pre_engagement_data: data }),
    });
    expect(body).toMatchObject({ identity: params.identity, conversationSid: CHANNEL_SID, mode: 'legacy', twilsockUri: config.emulator?.twilsockUri });
    // ChatGrant on the Flex chat service, not the Conversations service.
    expect(verifyHs256(body.token, config.apiKeySecret).payload.grants).toEqual({ identity: params.identity, chat: { service_sid: CHAT_SERVICE_SID } });
  });

  it('against real Twilio (mode legacy): no twilsockUri, LongLived when configured', async () => {
    const { response, fake } = await legacyChat({}, {
      mode: 'legacy',
      sessionSecret: 's'.repeat(32),
      emulator: undefined,
      legacy: { flexFlowSid: FLOW_SID, chatServiceSid: CHAT_SERVICE_SID, longLived: true },
    });
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.mode).toBe('legacy');
    expect(body.twilsockUri).toBeUndefined();
    expect(fake.created[0]?.longLived).toBe(true);
  });

  it('GET /healthz names the SDK mode init answers: legacy, also in local mode with the legacy flow', async () => {
    const { handler, config } = await legacyChat();
    expect(config.mode).toBe('local');
    expect(await (await handler(new Request(`${BASE}/healthz`))).json()).toEqual({ status: 'ok', mode: 'legacy' });
  });

  it('leaves the first message to the widget (firstMessageSent: false)', async () => {
    const { response, conversations } = await legacyChat({}, { firstMessageField: 'question' });
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.firstMessageSent).toBe(false);
    expect(body.firstMessage).toEqual(expect.stringMatching(/\S/));
    expect(conversations.messages).toEqual([]);
  });

  it('answers 502 when /v1/Channels fails or replies without a channel SID', async () => {
    const failed = await legacyChat({ failCreate: twilioError(400, 20001) });
    expect(failed.response.status).toBe(502);
    expect(failed.logs.at(-1)).toMatchObject({ msg: 'flex_channels_failed', status: 400, twilioCode: 20001 });
    const odd = await legacyChat({ reply: { sid: 'IS00000000000000000000000000000001' } });
    expect(odd.response.status).toBe(502);
    expect(odd.logs.at(-1)).toMatchObject({ msg: 'flex_channels_bad_reply' });
  });

  it('refresh renews a token for the chat service and checks the channel still exists (gone → 410)', async () => {
    const { response, handler, fake, config } = await legacyChat();
    const init = (await response.json()) as WebChatInitResponse;
    const body = { token: init.token, identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof };
    const refreshed = await handler(post(body, {}, '/webchat/refresh'));
    expect(refreshed.status).toBe(200);
    const token = ((await refreshed.json()) as WebChatRefreshResponse).token;
    expect(verifyHs256(token, config.apiKeySecret).payload.grants.chat).toEqual({ service_sid: CHAT_SERVICE_SID });
    expect(fake.fetched).toEqual([CHANNEL_SID]);

    const gone = await legacyChat({ failFetch: twilioError(404, 20404) });
    const goneInit = (await gone.response.json()) as WebChatInitResponse;
    const closed = await gone.handler(
      post({ sessionProof: goneInit.sessionProof, identity: goneInit.identity, conversationSid: goneInit.conversationSid }, {}, '/webchat/refresh'),
    );
    expect([closed.status, (await errorOf(closed)).code]).toEqual([410, 'conversation_closed']);

    const down = await legacyChat({ failFetch: twilioError(503, 20503) });
    const downInit = (await down.response.json()) as WebChatInitResponse;
    const failed = await down.handler(
      post({ sessionProof: downInit.sessionProof, identity: downInit.identity, conversationSid: downInit.conversationSid }, {}, '/webchat/refresh'),
    );
    expect(failed.status).toBe(502);

    // A token alone cannot be tied to a chat channel (no membership lookup in the Flex API).
    const tokenOnly = await handler(post({ token: init.token, identity: init.identity, conversationSid: init.conversationSid }, {}, '/webchat/refresh'));
    expect(await errorOf(tokenOnly)).toEqual({ code: 'invalid_body', message: 'Send the sessionProof (with identity) for a legacy Flex chat' });
  });

  it('end sets the channel inactive as Flex web chat does, and needs the session proof', async () => {
    const { response, handler, fake } = await legacyChat();
    const init = (await response.json()) as WebChatInitResponse;
    const tokenOnly = await handler(post({ token: init.token, conversationSid: init.conversationSid }, {}, '/webchat/end'));
    expect(tokenOnly.status).toBe(400);
    expect(await errorOf(tokenOnly)).toEqual({ code: 'invalid_body', message: 'Send the sessionProof (with identity) for a legacy Flex chat' });
    expect(fake.updates).toEqual([]);

    const ended = await handler(post({ identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof }, {}, '/webchat/end'));
    expect([ended.status, await ended.json()]).toEqual([200, { state: 'inactive' }]);
    expect(fake.updates).toEqual([{ sid: CHANNEL_SID, chatStatus: 'inactive' }]);
  });

  it('end counts a gone or closed channel as ended, and a Twilio failure as 502', async () => {
    for (const [failUpdate, expected] of [
      [twilioError(404, 20404), [200, { state: 'closed' }]],
      [twilioError(409, 50377), [200, { state: 'closed' }]],
    ] as const) {
      const { response, handler } = await legacyChat({ failUpdate });
      const init = (await response.json()) as WebChatInitResponse;
      const ended = await handler(post({ identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof }, {}, '/webchat/end'));
      expect([ended.status, await ended.json()]).toEqual(expected);
    }
    const { response, handler, logs } = await legacyChat({ failUpdate: twilioError(500, 20500) });
    const init = (await response.json()) as WebChatInitResponse;
    const failed = await handler(post({ identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof }, {}, '/webchat/end'));
    expect(failed.status).toBe(502);
    expect(logs.at(-1)).toMatchObject({ msg: 'end_failed', step: 'web_channel_update', status: 500 });
  });

  it('refuses to start without its SIDs (a hand-built config)', () => {
    expect(() => setup({}, testConfig({ flow: 'legacy' }))).toThrow(EnvError);
    expect(() => setup({}, testConfig({ conversationsServiceSid: undefined }))).toThrow('TWILIO_CONVERSATIONS_SERVICE_SID');
  });
});
