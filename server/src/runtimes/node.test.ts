import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../../config/types.ts';
import { localAccount as defaultCredentials } from '../../../contracts/local-account.ts';
import type { WebChatInitResponse, WebChatRefreshResponse } from '../../../contracts/token-service.ts';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import { twoRequestsIdleApart } from '../../../emulator/test/keep-alive.ts';
import type { LogEntry } from '../app.ts';
import { EnvError } from '../env.ts';
import { testConfig, testForm, validSubmission, verifyHs256, WIDGET_ORIGIN } from '../testing/fixtures.ts';
import { startRedis } from '../testing/redis-server.ts';
import type { HeaderRule } from '../../../contracts/static-headers.ts';
import { serveTokenService, startTokenService, type RequestLogLine } from './node.ts';

const running: Array<Server | { close(): Promise<void> }> = [];
afterEach(async () => {
  for (const server of running.splice(0).reverse()) {
    if (!('closeAllConnections' in server)) await server.close();
    else {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    }
  }
});

/** Waits until `count` request lines were logged (logging happens once the response is done). */
async function logged(logs: RequestLogLine[], count: number): Promise<RequestLogLine[]> {
  while (logs.length < count) await new Promise((resolve) => setImmediate(resolve));
  return logs;
}

/** The emulator for the tests against a real one. */
const withEmulator = emulatorTest({ logLevel: 'silent' });

describe('startTokenService', () => {
  const deployment: DeploymentConfig = {
    widgetOrigin: WIDGET_ORIGIN,
    tokenUrl: 'http://127.0.0.1:4020',
    allowedDomains: ['http://127.0.0.1:4040'],
    preEngagement: testForm,
  };

  async function fakeFlexEmulator() {
    const seen: Array<{ method: string; url: string; authorization?: string; form: URLSearchParams }> = [];
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const entry: { method: string; url: string; authorization?: string; form: URLSearchParams } = { method: req.method ?? '', url: req.url ?? '', form };
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

    // The local account's credentials by default: Basic accountSid:authToken, token signed with its API key secret.
    // Besides the chat start, only the warm-up's and readiness probe's reads (GET) reached the emulator.
    const writes = emulator.seen.filter((entry) => entry.method !== 'GET');
    expect(writes).toHaveLength(1);
    expect(writes[0]?.url).toBe('/flex-api/v2/WebChats');
    expect(writes[0]?.authorization).toBe(
      `Basic ${Buffer.from(`${defaultCredentials.accountSid}:${defaultCredentials.authToken}`).toString('base64')}`,
    );
    expect(writes[0]?.form.get('AddressSid')).toBe(defaultCredentials.webChatAddressSid);
    expect(writes[0]?.form.get('Identity')).toBe(body.identity);
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

  it('keeps a well-formed incoming x-request-id, replaces a malformed one, and logs it', async () => {
    const logs: RequestLogLine[] = [];
    const service = await startTokenService({ port: 0, env: {}, deployment, log: (line) => logs.push(line) });
    running.push(service);
    const kept = await fetch(`${service.url}/healthz?secret=hunter2`, { headers: { 'x-request-id': 'edge-abc_123' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-abc_123');
    const replaced = await fetch(`${service.url}/healthz`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const [first] = await logged(logs, 2);
    expect(first).toMatchObject({ level: 'info', msg: 'request', requestId: 'edge-abc_123', method: 'GET', path: '/healthz', status: 200 });
    expect(typeof first?.durationMs).toBe('number');
    expect(first?.remote).toMatch(/127\.0\.0\.1/);
    expect(JSON.stringify(logs)).not.toContain('hunter2');
  });

  /** A service whose chat starts are only counted (`created()`), for requests that must start none. */
  const serviceCountingChats = async () => {
    let created = 0;
    const service = await startTokenService({
      port: 0,
      env: {},
      deployment,
      log: () => undefined,
      deps: { flex: { create: async (p) => ((created += 1), { conversationSid: 'CH1', identity: p.identity ?? 'v' }) } },
    });
    running.push(service);
    return { service, created: () => created };
  };

  it('answers 413 with CORS headers for a declared or a streamed body over the limit, before parsing it', async () => {
    const { service, created } = await serviceCountingChats();
    const declared = await fetch(`${service.url}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: { ...validSubmission, question: 'x'.repeat(20_000) } }),
    });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect(await declared.json()).toEqual({ error: { code: 'payload_too_large', message: 'Request body must be at most 16384 bytes' } });

    const { port } = new URL(service.url);
    const streamed = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, path: '/webchat/init', method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"preEngagementData":{"question":"');
      for (let i = 0; i < 20; i++) req.write('y'.repeat(1000));
      req.end('"}}');
    });
    expect(streamed).toBe(413);
    expect(created()).toBe(0);
  });

  it('answers a Content-Length over the limit with a typed 413 before the body is sent, and a chunked body over it with the same error', async () => {
    const { service, created } = await serviceCountingChats();
    const { port } = new URL(service.url);
    const typed = { error: { code: 'payload_too_large', message: 'Request body must be at most 16384 bytes' } };
    /** Sends the headers, then (`send`) some of the body; resolves with the answer, however much of the body was sent. */
    const answer = (headers: Record<string, string>, send: (req: ReturnType<typeof httpRequest>) => void) =>
      new Promise<{ status: number; contentType: string | undefined; body: unknown }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: '/webchat/init', method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json', ...headers } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
            req.destroy();
          });
        });
        req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
        send(req);
      });

    // 1 MB announced, nothing of it sent: the answer cannot have waited for the body.
    const declared = await answer({ 'content-length': String(1024 * 1024) }, (req) => req.flushHeaders());
    expect(declared).toEqual({ status: 413, contentType: 'application/json; charset=utf-8', body: typed });

    // No Content-Length: chunks until past the limit, and the request never ends.
    const chunked = await answer({ 'transfer-encoding': 'chunked' }, (req) => {
      req.write('{"preEngagementData":{"question":"');
      for (let i = 0; i < 20; i++) req.write('y'.repeat(1000));
    });
    expect(chunked).toEqual({ status: 413, contentType: 'application/json; charset=utf-8', body: typed });
    expect(created()).toBe(0);
  });

  it('turns an unexpected failure into a 500 JSON error that leaks nothing', async () => {
    const logs: RequestLogLine[] = [];
    const events: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: {},
      deployment,
      log: (line) => logs.push(line),
      deps: {
        log: (entry) => events.push(entry),
        newIdentity: () => {
          throw new Error('boom with secret-value');
        },
      },
    });
    running.push(service);
    const response = await fetch(`${service.url}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: validSubmission }),
    });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong; try again shortly' } });
    const [line] = await logged(logs, 1);
    expect(line).toMatchObject({ status: 500, level: 'error' });
    expect(events).toContainEqual(expect.objectContaining({ level: 'error', msg: 'unhandled_error', error: 'Error' }));
    expect(JSON.stringify([logs, events])).not.toContain('secret-value');
  });

  it('close() stops the server', async () => {
    const service = await startTokenService({ port: 0, env: {}, deployment, log: () => undefined });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    await service.close();
    await expect(fetch(`${service.url}/healthz`)).rejects.toThrow();
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

  withEmulator('against the real emulator: ready, init, then refresh with the session proof after the token expired', async ({ emulator }) => {
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
    await service.warmUp;

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

  it('shares rate limits through FLEXCHAT_REDIS_URL (a real redis-server) and disconnects from Redis on close', async () => {
    const redis = await startRedis();
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
    expect(await redis.connections()).toBe(2);
    await a.close();
    await b.close();
    await expect.poll(() => redis.connections()).toBe(0);
  });

  it('serves the widget origin\'s files next to the service, with the header rules, never shadowing a service route', async () => {
    const root = mkdtempSync(join(tmpdir(), 'flexchat-widget-'));
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>chat</title>');
    writeFileSync(join(root, 'loader.js'), 'console.log(1)');
    writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {}');
    mkdirSync(join(root, 'healthz'));
    writeFileSync(join(root, 'healthz', 'index.html'), 'shadow');
    const rules: HeaderRule[] = [
      { path: '/*', headers: { 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' } },
      { path: '/', headers: { 'Content-Security-Policy': "frame-ancestors https://shop.example.com" } },
      { path: '/assets/*', headers: { 'Cache-Control': 'public, max-age=31536000, immutable' } },
    ];
    const service = await startTokenService({ port: 0, env: {}, deployment, log: () => undefined, widget: { root, rules } });
    running.push(service, { close: async () => rmSync(root, { recursive: true, force: true }) });

    const page = await fetch(`${service.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe('frame-ancestors https://shop.example.com');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const asset = await fetch(`${service.url}/assets/index-abc.js`);
    expect([asset.status, asset.headers.get('cache-control'), asset.headers.get('x-content-type-options')]).toEqual([200, 'public, max-age=31536000, immutable', 'nosniff']);
    expect(asset.headers.get('content-security-policy')).toBeNull();
    expect((await fetch(`${service.url}/loader.js`, { method: 'HEAD' })).status).toBe(200);
    // Service routes win; unknown paths and traversal attempts get the service's JSON 404.
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ status: 'ok', mode: 'local' });
    const missing = await fetch(`${service.url}/nope.js`);
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, 'not_found']);
    expect((await fetch(`${service.url}/assets/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
  });

  withEmulator('reports Redis in /readyz: ready while it answers, degraded (still 200) while it is down, ready again after', async ({ emulator }) => {
    const redis = await startRedis();
    running.push(redis);
    let clock = Date.now();
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_REDIS_URL: redis.url },
      deployment,
      log: () => undefined,
      deps: { now: () => clock, log: () => undefined },
    });
    running.push(service);
    const readyz = async () => {
      clock += 10_000; // past the readiness cache
      const response = await fetch(`${service.url}/readyz`);
      return { status: response.status, body: (await response.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> } };
    };
    await service.warmUp;
    const up = await readyz();
    expect([up.status, up.body.status]).toEqual([200, 'ready']);
    expect(up.body.checks.find((c) => c.name === 'redis')).toEqual({ name: 'redis', ok: true, optional: true });
    await redis.kill();
    const down = await readyz();
    expect([down.status, down.body.status]).toEqual([200, 'degraded']);
    expect(down.body.checks.find((c) => c.name === 'redis')?.ok).toBe(false);
    // Chats go on meanwhile.
    const init = await fetch(`${service.url}/webchat/init`, {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData: validSubmission }),
    });
    expect(init.status).toBe(200);
    await redis.restart();
    await expect.poll(async () => (await readyz()).body.status, { timeout: 15_000 }).toBe('ready');
  });

  it('rejects a bad environment with an EnvError before listening', async () => {
    await expect(
      startTokenService({ port: 0, env: { TWILIO_ACCOUNT_SID: testConfig().accountSid }, deployment }),
    ).rejects.toBeInstanceOf(EnvError);
  });
});

describe('serveTokenService', () => {
  it("keeps an idle keep-alive connection past Node's 5 s default: a request 6 s later reuses it", { timeout: 20_000 }, async () => {
    const server = await serveTokenService({ fetch: async () => new Response('ok') }, { port: 0 });
    running.push(server);
    expect(await twoRequestsIdleApart(`${server.url}/healthz`, 6_000)).toEqual([
      { status: 200, reused: false },
      { status: 200, reused: true },
    ]);
  });
});
