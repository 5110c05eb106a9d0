import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { describe, expect } from 'vitest';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import { requestEnd, requestInit, requestRefresh, TokenServiceError, type InitResponse } from '../../widget/src/session/token-service.ts';
import { validSubmission, WIDGET_ORIGIN } from './testing/fixtures.ts';
import { startRedis, type RealRedis } from './testing/redis-server.ts';
import { freePort } from './testing/free-port.ts';

// Three token service processes behind a round-robin balancer, sharing one real
// Redis and one session secret, against a real emulator. The visitor side uses
// the widget's own token-service client. One instance is killed mid-run.

const root = resolve(import.meta.dirname, '../..');
const INIT_LIMIT = 15;
const SESSION_SECRET = 'cluster-test-session-secret-0123456789abcdef';
/** Each case makes dozens of requests through three processes: on a loaded 2-core machine that outlasts vitest's 5 s default. */
const CASE_TIMEOUT_MS = 60_000;

interface Instance {
  url: string;
  process: ChildProcess;
}

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

let redis: RealRedis;
let instances: Instance[];
let balancer: { url: string; server: Server; backendFailures: number };

async function startInstance(emulator: RunningEmulator): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'server/src/main.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      FLEXCHAT_TOKEN_PORT: String(port),
      FLEXCHAT_TOKEN_HOST: '127.0.0.1',
      FLEX_EMULATOR_URL: emulator.url,
      FLEXCHAT_REDIS_URL: redis.url,
      FLEXCHAT_SESSION_SECRET: SESSION_SECRET,
      FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN,
      FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT: String(INIT_LIMIT),
      FLEXCHAT_RATE_LIMIT_REFRESH_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_END_PER_IP: '0',
      // Chat starts are not what this file counts (rate-limit.test.ts shares those slots over one Redis).
      FLEXCHAT_ORCHESTRATION_PER_SECOND: '0',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`token service instance exited (${child.exitCode}): ${stderr}`);
    if (Date.now() > deadline) throw new Error(`token service instance did not start within 60 s: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { url, process: child };
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** Round robin over the instances, no health checks and no retries: the worst a load balancer does. */
async function startBalancer(backends: string[]) {
  let next = 0;
  const state = { backendFailures: 0 };
  const server = createServer((req, res) => {
    const target = new URL(backends[next++ % backends.length] as string);
    const forward = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', () => {
      state.backendFailures += 1;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' }).end('{"error":{"code":"bad_gateway","message":"backend down"}}');
      else res.destroy();
    });
    req.pipe(forward);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return Object.assign(state, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server });
}

/** The widget's fetch: a browser adds the widget origin to every cross-origin POST. */
const widgetFetch = (url: string, init: RequestInit) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: WIDGET_ORIGIN } });

/** What the widget does on a network error or a 5xx: try again (its next refresh or reconnect). */
async function withRetries<T>(attempt: () => Promise<T>, counter: { retries: number }): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof TokenServiceError && (error.kind === 'network' || error.kind === 'server');
      if (!transient || tries === 3) throw error;
      counter.retries += 1;
    }
  }
}

const initBody = (n: number) => ({ preEngagementData: { ...validSubmission, email: `cluster${n}@example.com` }, context: { locale: 'en' } });

it.beforeAll(async ({ emulator }) => {
  redis = await startRedis();
  instances = await Promise.all([startInstance(emulator), startInstance(emulator), startInstance(emulator)]);
  balancer = await startBalancer(instances.map((instance) => instance.url));
}, 120_000);

it.afterAll(async () => {
  for (const instance of instances ?? []) {
    if (instance.process.exitCode === null && instance.process.signalCode === null) {
      instance.process.kill('SIGTERM');
      await once(instance.process, 'exit');
    }
  }
  balancer?.server.closeAllConnections();
  balancer?.server.close();
  await redis?.close();
});

describe('three instances behind a round-robin balancer, one Redis', () => {
  const sessions: InitResponse[] = [];

  it('start chats on every instance; each session refreshes and ends on any instance', async ({ emulator }) => {
    for (let n = 0; n < 9; n++) sessions.push(await requestInit(widgetFetch, balancer.url, initBody(n)));
    expect(new Set(sessions.map((s) => s.conversationSid)).size).toBe(9);
    for (const [n, session] of sessions.entries()) {
      // Started on instance n % 3; renewed on each of the three.
      for (const instance of instances) {
        const fresh = await requestRefresh(widgetFetch, instance.url, {
          token: session.token,
          identity: session.identity,
          conversationSid: session.conversationSid,
          ...(session.sessionProof ? { sessionProof: session.sessionProof } : {}),
        });
        expect(fresh.token, `session ${n} on ${instance.url}`).toMatch(/^eyJ/);
      }
    }
    const last = sessions.pop() as InitResponse;
    // Started on the third instance (8 % 3), ended on the first.
    await requestEnd(widgetFetch, instances[0]?.url ?? '', { token: last.token, identity: last.identity, conversationSid: last.conversationSid, ...(last.sessionProof ? { sessionProof: last.sessionProof } : {}) });
    expect(emulator.model.get(last.conversationSid).state).toBe('closed');
  }, CASE_TIMEOUT_MS);

  it('killing an instance mid-run loses no session: the widget retries and lands on a live one', async ({ emulator }) => {
    const counter = { retries: 0 };
    const current = new Map(sessions.map((s) => [s.conversationSid, s]));
    const refreshAll = () =>
      Promise.all(
        [...current.values()].map(async (session) => {
          const fresh = await withRetries(
            () =>
              requestRefresh(widgetFetch, balancer.url, {
                token: session.token,
                identity: session.identity,
                conversationSid: session.conversationSid,
                ...(session.sessionProof ? { sessionProof: session.sessionProof } : {}),
              }),
            counter,
          );
          current.set(session.conversationSid, { ...session, token: fresh.token, ...(fresh.sessionProof ? { sessionProof: fresh.sessionProof } : {}) });
        }),
      );
    await refreshAll();
    const victim = instances[1] as Instance;
    const killed = once(victim.process, 'exit');
    const during = refreshAll();
    victim.process.kill('SIGKILL');
    await during;
    await killed;
    for (let round = 0; round < 3; round++) await refreshAll();
    expect(balancer.backendFailures).toBeGreaterThan(0); // traffic really hit the dead instance
    expect(counter.retries).toBe(balancer.backendFailures);
    // Every session, including those the dead instance started and renewed, still ends cleanly.
    for (const session of current.values()) {
      await withRetries(
        () =>
          requestEnd(widgetFetch, balancer.url, {
            token: session.token,
            identity: session.identity,
            conversationSid: session.conversationSid,
            ...(session.sessionProof ? { sessionProof: session.sessionProof } : {}),
          }),
        counter,
      );
      expect(emulator.model.get(session.conversationSid).state).toBe('closed');
    }
  }, CASE_TIMEOUT_MS);

  it('the per-deployment init limit holds across the cluster (counted in Redis)', async () => {
    const live = instances.filter((instance) => instance.process.exitCode === null && instance.process.signalCode === null);
    expect(live).toHaveLength(2);
    // 9 chats were started above; the limit is 15 a minute for the whole deployment.
    const statuses: number[] = [];
    for (let n = 0; n < 10; n++) {
      const instance = live[n % live.length] as Instance;
      const response = await widgetFetch(`${instance.url}/webchat/init`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(initBody(100 + n)) });
      statuses.push(response.status);
      await response.body?.cancel();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(INIT_LIMIT - 9);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10 - (INIT_LIMIT - 9));
    expect(await redis.get('flexchat:rl:init:deployment:IG00000000000000000000000000000001')).toBe('19');
  }, CASE_TIMEOUT_MS);
});
