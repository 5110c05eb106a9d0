import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../config/load.ts';
import { createPreEngagementValidator } from './pre-engagement.ts';
import type { ErrorResponse, WebChatInitResponse, WebChatRefreshResponse } from './contract.ts';
import { createTokenService, DEFAULT_MAX_BODY_BYTES, type LogEntry, type TokenServiceDeps } from './handler.ts';
import type { FlexWebChats } from './twilio-client.ts';
import { testConfig, testForm, validSubmission, verifyHs256, WIDGET_ORIGIN } from './test-fixtures.ts';
import type { TokenServiceConfig } from './env.ts';

type CreateParams = Parameters<FlexWebChats['create']>[0];

const CONVERSATION_SID = 'CH0000000000000000000000000000beef';

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

function setup(deps: TokenServiceDeps = {}, config: TokenServiceConfig = testConfig()) {
  const { flex, calls } = fakeFlex();
  const logs: LogEntry[] = [];
  const handler = createTokenService(config, {
    flex,
    preEngagement: testForm,
    log: (entry) => logs.push(entry),
    ...deps,
  });
  return { handler, calls, logs, config };
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
    const response = await handler(post({ preEngagementData: validSubmission, context: { pageUrl: 'https://shop.example.com/cart?session=secret#x', locale: 'pt-BR' } }));
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
        _context: { pageUrl: 'https://shop.example.com/cart', locale: 'pt-BR' },
      }),
      identity: call.identity,
    });
    // The identity never contains what the visitor typed.
    expect(call.identity).not.toMatch(/zo|example/i);

    expect(body.identity).toBe(call.identity);
    expect(body.conversationSid).toBe(CONVERSATION_SID);
    expect(body.mode).toBe('local');
    expect(body.twilsockUri).toBe('ws://127.0.0.1:4010/v3/wsconnect');
    expect(Object.keys(body).sort()).toEqual(['conversationSid', 'expiresAt', 'identity', 'mode', 'token', 'twilsockUri']);

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
    expect(response.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('content-type, x-request-id');
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
    [{ preEngagementData: {}, identity: 'admin' }, 'Unknown property "identity"; expected preEngagementData and optional context'],
    [{ preEngagementData: {}, context: 'x' }, 'context must be an object'],
    [{ preEngagementData: {}, context: { pageUrl: 'javascript:alert(1)' } }, 'context.pageUrl must be an absolute http(s) URL'],
    [{ preEngagementData: {}, context: { pageUrl: '/relative' } }, 'context.pageUrl must be an absolute http(s) URL'],
    [{ preEngagementData: {}, context: { pageUrl: 5 } }, 'context.pageUrl must be a URL of at most 2048 characters'],
    [{ preEngagementData: {}, context: { pageUrl: `https://a.example/${'x'.repeat(2048)}` } }, 'context.pageUrl must be a URL of at most 2048 characters'],
    [{ preEngagementData: {}, context: { locale: 'english please' } }, 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"'],
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

  it('defaults to the form of the repository deployment config', async () => {
    const input = { notAFieldOfAnyForm: 'x', email: 'not an email' };
    const expected = createPreEngagementValidator(loadDeploymentConfig().preEngagement)(input);
    expect(expected.ok).toBe(false);
    const handler = createTokenService(testConfig());
    const response = await handler(post({ preEngagementData: input }));
    expect(response.status).toBe(422);
    const error = await errorOf(response);
    expect(error.code).toBe('validation_failed');
    expect(error.fields).toEqual(expected.ok ? undefined : expected.fields);
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
    expect(Object.keys(body).sort()).toEqual(['expiresAt', 'identity', 'token']);
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
    [{ token: 't', identity: 'v', conversationSid: CONVERSATION_SID, ttl: 99999 }, 'Unknown property "ttl"; expected token, identity and conversationSid'],
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
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST, OPTIONS');
  });
});
