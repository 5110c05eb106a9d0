import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../config/types.ts';
import { startEmulator } from '../../emulator/src/emulator.ts';
import { createLogger } from '../../emulator/src/log.ts';
import type { WebChatInitResponse, WebChatRefreshResponse } from './contract.ts';
import { startFakeRedis } from './fake-redis-server.ts';
import { EnvError } from './env.ts';
import type { FetchHandler, LogEntry } from './handler.ts';
import { serveFetchHandler, startTokenService, type RequestLogLine, type RunningServer } from './node-adapter.ts';
import { testConfig, testForm, validSubmission, verifyHs256, WIDGET_ORIGIN } from './test-fixtures.ts';

const running: Array<RunningServer | Server | { close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of running.splice(0)) {
    if (!('closeAllConnections' in server)) await server.close();
    else {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  }
});

/** Echoes what the handler saw, so the Request conversion can be checked. */
const echo: FetchHandler = async (request) => {
  const body = await request.text();
  return new Response(
    JSON.stringify({
      method: request.method,
      url: request.url,
      requestId: request.headers.get('x-request-id'),
      contentType: request.headers.get('content-type'),
      multi: request.headers.get('x-multi'),
      body,
    }),
    { status: 201, headers: { 'content-type': 'application/json', 'x-custom': 'yes' } },
  );
};

async function serve(handler: FetchHandler, options: { maxBodyBytes?: number } = {}) {
  const logs: RequestLogLine[] = [];
  const server = await serveFetchHandler(handler, { port: 0, log: (line) => logs.push(line), ...options });
  running.push(server);
  return { ...server, logs };
}

/** Waits until the server's close handler has logged `count` lines (logging happens on response close). */
async function logged(logs: RequestLogLine[], count: number): Promise<RequestLogLine[]> {
  while (logs.length < count) await new Promise((resolve) => setImmediate(resolve));
  return logs;
}

describe('serveFetchHandler', () => {
  it('listens on a free port and converts request and response', async () => {
    const { url, logs } = await serve(echo);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(url).not.toMatch(/:0$/);

    const headers = new Headers({ 'content-type': 'text/plain' });
    headers.append('x-multi', 'a');
    headers.append('x-multi', 'b');
    const response = await fetch(`${url}/some/path?secret=hunter2`, { method: 'POST', headers, body: 'héllo body' });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-custom')).toBe('yes');
    const seen = (await response.json()) as Record<string, string>;
    expect(seen).toMatchObject({
      method: 'POST',
      url: `${url}/some/path?secret=hunter2`,
      contentType: 'text/plain',
      multi: 'a, b',
      body: 'héllo body',
    });
    expect(seen.requestId).toBe(response.headers.get('x-request-id'));
    expect(seen.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const [line] = await logged(logs, 1);
    expect(line).toMatchObject({ level: 'info', msg: 'request', method: 'POST', path: '/some/path', status: 201, bytesIn: 11, requestId: seen.requestId });
    expect(typeof line?.durationMs).toBe('number');
    expect(JSON.stringify(logs)).not.toContain('hunter2');
    expect(JSON.stringify(logs)).not.toContain('héllo');
  });

  it('keeps a well-formed incoming x-request-id and replaces a malformed one', async () => {
    const { url } = await serve(echo);
    const kept = await fetch(`${url}/`, { headers: { 'x-request-id': 'edge-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-abc.123');
    expect(((await kept.json()) as { requestId: string }).requestId).toBe('edge-abc.123');
    const replaced = await fetch(`${url}/`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('passes no body for GET', async () => {
    const { url } = await serve(echo);
    expect(((await (await fetch(`${url}/x`)).json()) as { body: string }).body).toBe('');
  });

  it('answers 413 for a declared Content-Length over the limit without calling the handler', async () => {
    let called = false;
    const { url, logs } = await serve(
      async (request) => {
        called = true;
        return echo(request);
      },
      { maxBodyBytes: 100 },
    );
    const response = await fetch(`${url}/upload`, { method: 'POST', body: 'x'.repeat(101) });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'payload_too_large', message: 'Request body must be at most 100 bytes' } });
    expect(called).toBe(false);
    const [line] = await logged(logs, 1);
    expect(line).toMatchObject({ status: 413, level: 'warn' });
  });

  it('answers 413 for a chunked body that grows past the limit', async () => {
    let called = false;
    const { url } = await serve(
      async (request) => {
        called = true;
        return echo(request);
      },
      { maxBodyBytes: 1000 },
    );
    const { port } = new URL(url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      for (let i = 0; i < 10; i++) req.write('y'.repeat(300));
      req.end();
    });
    expect(status).toBe(413);
    expect(called).toBe(false);
  });

  it('accepts a body exactly at the limit', async () => {
    const { url } = await serve(echo, { maxBodyBytes: 100 });
    const response = await fetch(`${url}/upload`, { method: 'POST', body: 'z'.repeat(100) });
    expect(response.status).toBe(201);
    expect(((await response.json()) as { body: string }).body).toHaveLength(100);
  });

  it('turns a throwing handler into a 500 JSON error', async () => {
    const { url, logs } = await serve(async () => {
      throw new Error('boom with secret-value');
    });
    const response = await fetch(`${url}/`);
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong; try again shortly' } });
    const [line] = await logged(logs, 1);
    expect(line).toMatchObject({ status: 500, level: 'error' });
    expect(JSON.stringify(logs)).not.toContain('secret-value');
  });

  it('streams a multi-chunk response body', async () => {
    const { url } = await serve(async () => {
      const encoder = new TextEncoder();
      const parts = ['one ', 'two ', 'three'];
      return new Response(
        new ReadableStream({
          pull(controller) {
            const next = parts.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(encoder.encode(next));
          },
        }),
        { headers: { 'content-type': 'text/plain' } },
      );
    });
    expect(await (await fetch(`${url}/`)).text()).toBe('one two three');
  });

  it('close() stops the server', async () => {
    const server = await serveFetchHandler(echo, { port: 0, log: () => undefined });
    await fetch(`${server.url}/`);
    await server.close();
    await expect(fetch(`${server.url}/`)).rejects.toThrow();
  });
});

describe('startTokenService', () => {
  const deployment: DeploymentConfig = {
    widgetOrigin: WIDGET_ORIGIN,
    tokenUrl: 'http://127.0.0.1:4020',
    allowedDomains: ['http://127.0.0.1:4040'],
    preEngagement: testForm,
  };

  async function fakeFlexEmulator() {
    const seen: Array<{ url: string; authorization?: string; form: URLSearchParams }> = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const entry: { url: string; authorization?: string; form: URLSearchParams } = { url: req.url ?? '', form };
      if (req.headers.authorization) entry.authorization = req.headers.authorization;
      seen.push(entry);
      if (req.method === 'POST' && req.url === '/flex-api/v2/WebChats') {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ conversation_sid: 'CH00000000000000000000000000000777', identity: form.get('Identity') }));
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 404, code: 20404, message: 'not found' }));
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    running.push(server);
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
  }

  it('serves /webchat/init end to end in local mode through the real helper library', async () => {
    const emulator = await fakeFlexEmulator();
    const logs: RequestLogLine[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: emulator.url },
      deployment,
      log: (line) => logs.push(line),
    });
    running.push(service);
    expect(service.mode).toBe('local');

    const health = await fetch(`${service.url}/healthz`);
    expect(await health.json()).toEqual({ status: 'ok', mode: 'local' });

    const response = await fetch(`${service.url}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: validSubmission }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    const body = (await response.json()) as WebChatInitResponse;
    expect(body.conversationSid).toBe('CH00000000000000000000000000000777');
    expect(body.twilsockUri).toBe(`${emulator.url.replace('http:', 'ws:')}/v3/wsconnect`);

    // Emulator credentials by default: Basic accountSid:authToken, token signed with the emulator API key secret.
    const { defaultCredentials } = await import('../../emulator/src/config.ts');
    expect(emulator.seen).toHaveLength(1);
    expect(emulator.seen[0]?.url).toBe('/flex-api/v2/WebChats');
    expect(emulator.seen[0]?.authorization).toBe(
      `Basic ${Buffer.from(`${defaultCredentials.accountSid}:${defaultCredentials.authToken}`).toString('base64')}`,
    );
    expect(emulator.seen[0]?.form.get('AddressSid')).toBe(defaultCredentials.webChatAddressSid);
    expect(emulator.seen[0]?.form.get('Identity')).toBe(body.identity);
    const jwt = verifyHs256(body.token, defaultCredentials.apiKeySecret);
    expect(jwt.payload.grants).toEqual({ identity: body.identity, chat: { service_sid: defaultCredentials.conversationsServiceSid } });

    await logged(logs, 2);
    const serialized = JSON.stringify(logs);
    expect(serialized).not.toContain(body.token);
    expect(serialized).not.toContain(defaultCredentials.apiKeySecret);
    expect(serialized).not.toContain('Ærøskøbing');
    expect(logs.map((l) => [l.method, l.path, l.status])).toEqual([
      ['GET', '/healthz', 200],
      ['POST', '/webchat/init', 200],
    ]);
  });

  it('answers 502 when the emulator is unreachable', async () => {
    const emulator = await fakeFlexEmulator();
    const gone = running.pop() as Server;
    gone.closeAllConnections();
    gone.close();
    await once(gone, 'close');
    const service = await startTokenService({ port: 0, env: { FLEX_EMULATOR_URL: emulator.url }, deployment, log: () => undefined, deps: { log: () => undefined } });
    running.push(service);
    const response = await fetch(`${service.url}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: validSubmission }),
    });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_error');
  });

  it('lets FLEXCHAT_ALLOWED_ORIGINS replace the deployment widget origin', async () => {
    const service = await startTokenService({
      port: 0,
      env: { FLEXCHAT_ALLOWED_ORIGINS: 'https://other.example' },
      deployment,
      log: () => undefined,
      deps: { flex: { create: async () => ({ conversationSid: 'CH1', identity: 'v' }) } },
    });
    running.push(service);
    const response = await fetch(`${service.url}/webchat/init`, {
      method: 'OPTIONS',
      headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(403);
    const other = await fetch(`${service.url}/webchat/init`, {
      method: 'OPTIONS',
      headers: { origin: 'https://other.example', 'access-control-request-method': 'POST' },
    });
    expect(other.status).toBe(204);
    expect(other.headers.get('access-control-allow-origin')).toBe('https://other.example');
  });

  it('limits by the socket address, ignoring a spoofed X-Forwarded-For, and shows Retry-After to the widget', async () => {
    const service = await startTokenService({
      port: 0,
      env: { FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '2' },
      deployment,
      log: () => undefined,
      deps: { flex: { create: async (p) => ({ conversationSid: 'CH1', identity: p.identity ?? 'v' }) }, log: () => undefined },
    });
    running.push(service);
    const init = (n: number) =>
      fetch(`${service.url}/webchat/init`, {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.${n}` },
        body: JSON.stringify({ preEngagementData: validSubmission }),
      });
    expect([(await init(1)).status, (await init(2)).status]).toEqual([200, 200]);
    const limited = await init(3);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('against the real emulator: ready, init, then refresh with the session proof after the token expired', async () => {
    const emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'silent') });
    running.push(emulator);
    let clock = Date.now();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_TOKEN_TTL_SECONDS: '60' },
      deployment,
      log: () => undefined,
      deps: { now: () => clock, log: (entry) => logs.push(entry) },
    });
    running.push(service);

    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'config', ok: true }, { name: 'emulator', ok: true }] });

    const post = (path: string, body: unknown) =>
      fetch(`${service.url}${path}`, { method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const init = (await (await post('/webchat/init', { preEngagementData: validSubmission })).json()) as WebChatInitResponse;
    expect(emulator.model.conversations.has(init.conversationSid)).toBe(true);

    clock = Date.parse(init.expiresAt) + 120_000; // the laptop slept two minutes past expiry
    const refreshed = await post('/webchat/refresh', {
      token: init.token,
      identity: init.identity,
      conversationSid: init.conversationSid,
      sessionProof: init.sessionProof,
    });
    expect(refreshed.status).toBe(200);
    const body = (await refreshed.json()) as WebChatRefreshResponse;
    expect(verifyHs256(body.token, emulator.credentials.apiKeySecret).payload.grants.identity).toBe(init.identity);
    // Whether or not the emulator serves GET /Conversations/{sid} yet, local mode goes on.
    expect(logs.filter((l) => l.msg === 'refresh_refused')).toEqual([]);
  });

  it('shares rate limits through FLEXCHAT_REDIS_URL and disconnects from Redis on close', async () => {
    const redis = await startFakeRedis();
    running.push(redis);
    const start = () =>
      startTokenService({
        port: 0,
        env: { FLEXCHAT_REDIS_URL: redis.url, FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '1' },
        deployment,
        log: () => undefined,
        deps: { flex: { create: async (p) => ({ conversationSid: 'CH1', identity: p.identity ?? 'v' }) }, log: () => undefined },
      });
    const a = await start();
    const b = await start();
    const init = (url: string) =>
      fetch(`${url}/webchat/init`, {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ preEngagementData: validSubmission }),
      });
    expect((await init(a.url)).status).toBe(200);
    expect((await init(b.url)).status).toBe(429);
    expect(redis.connections()).toBe(2);
    await a.close();
    await b.close();
    while (redis.connections() > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(redis.connections()).toBe(0);
  });

  it('rejects a bad environment with an EnvError before listening', async () => {
    await expect(
      startTokenService({ port: 0, env: { TWILIO_ACCOUNT_SID: testConfig().accountSid }, deployment }),
    ).rejects.toBeInstanceOf(EnvError);
  });
});
