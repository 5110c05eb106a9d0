// `npm run bench:token`: what the token service adds to a chat start.
//
// Three processes: this one is the client; the emulator (emulator-process.ts)
// and the token service (token-service-process.ts, started as production starts
// it, request log included) each run alone. In the same run, the client makes
// `POST /webchat/init` through the service, and — the comparison — the same
// upstream calls the service makes for it, directly against the emulator (POST
// /flex-api/v2/WebChats, then the form's question as the first message, POST
// /conversations/v1/Conversations/{CH}/Messages, sequentially, with the same
// Basic auth and form bodies). Overhead = service − direct.
//
// Two load shapes, each as ABBA halves (direct, service, service, direct) so
// that drift (the emulator holding more chats as the run goes on) falls on both:
//   - a fixed rate (BENCH_RATE, default 200 req/s, for BENCH_SECONDS, default 10 s
//     per path), open loop: latency counts from the moment a request was due, so
//     a stalled server is not hidden by the client waiting for it;
//   - closed loop at BENCH_CONCURRENCY (default 32) workers, BENCH_REQUESTS
//     (default 2000) requests per path.
// Keep-alive connections on every leg (client → service, service → emulator,
// client → emulator), new agents per half. Rate limits and orchestration slots
// are lifted in the service and the emulator: this measures the service, not its
// limiter nor Twilio's 5 chat starts a second. Before measuring: the service is
// ready (`/readyz` 200, i.e. warmed up by itself), and 200 direct calls warm
// the emulator. Then the minting micro-benchmark (token-mint.ts).
//
// Goals (issue #14): p99 overhead ≤ 5 ms at 200 req/s; p99 at concurrency 32 no
// more than 2× the direct call; ≤ 50 µs per token minted.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { firstMessageFieldOf } from '../../config/first-message.ts';
import { CHAT_FRIENDLY_NAME } from '../../server/src/chat-flow/twilio-codes.ts';
import { loadDeploymentConfig } from '../../config/load.ts';
import type { EmulatorProcessMessage } from './emulator-process.ts';
import { emitRows, ms, percentile, ratio, type BenchRow } from './report.ts';
import { measureMinting, mintRow } from './token-mint.ts';
import type { PauseStats, TokenServiceProcessMessage } from './token-service-process.ts';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const OVERHEAD_GOAL_MS = 5;
const CONCURRENCY_GOAL_RATIO = 2;
const COMMAND = 'npm run bench:token';

type Ready<M> = Extract<M, { type: 'ready' }>;

/** Forks `script` (TypeScript through tsx) and waits for its `ready` message. */
async function startChild<M extends { type: string }>(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Promise<{ child: ChildProcess; ready: Ready<M> }> {
  const child = fork(resolve(import.meta.dirname, script), [], { execArgv: ['--import', 'tsx', ...nodeArgs], env, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const ready = await new Promise<Ready<M>>((resolveReady, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
    child.on('message', (message: M) => message.type === 'ready' && resolveReady(message as Ready<M>));
  });
  child.removeAllListeners('exit');
  return { child, ready };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.disconnect();
  });
}

interface Reply {
  status: number;
  text: string;
}

function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

async function get(url: string): Promise<number> {
  const response = await fetch(url);
  await response.arrayBuffer();
  return response.status;
}

// ---------------------------------------------------------------------------------------------

const deployment = loadDeploymentConfig();
const origin = deployment.widgetOrigin;
const questionField = firstMessageFieldOf(deployment.preEngagement);

const emulatorStart = await startChild<EmulatorProcessMessage>('emulator-process.ts', { ...process.env, EMULATOR_RATE_LIMITS: 'off' });
const emulatorUrl = emulatorStart.ready.url;
const credentials = emulatorStart.ready.credentials;
const serviceStart = await startChild<TokenServiceProcessMessage>('token-service-process.ts', {
  ...process.env,
  FLEXCHAT_MODE: 'local',
  FLEX_EMULATOR_URL: emulatorUrl,
  FLEXCHAT_ALLOWED_ORIGINS: origin,
  FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '0',
  FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT: '0',
  FLEXCHAT_ORCHESTRATION_PER_SECOND: '0',
  // e.g. BENCH_SERVICE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the service
}, (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean));
const serviceUrl = serviceStart.ready.url;

try {
  const readyBy = Date.now() + 30_000;
  while ((await get(`${serviceUrl}/readyz`)) !== 200) {
    if (Date.now() > readyBy) throw new Error('the token service did not turn ready within 30 s');
    await new Promise((done) => setTimeout(done, 50));
  }

  const form = (n: number) => ({ friendlyName: `Visitor ${n}`, email: `v${n}@example.com`, question: `Benchmark question ${n}` });
  const basic = `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
  const formHeaders = { authorization: basic, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'flexchat-bench' };

  /** One chat start through the token service. */
  const viaService = async (agent: Agent, n: number): Promise<boolean> => {
    const reply = await post(agent, `${serviceUrl}/webchat/init`, { 'content-type': 'application/json', origin }, JSON.stringify({ preEngagementData: form(n) }));
    return reply.status === 200;
  };

  /** The same upstream calls, made directly: what the service does for one init, minus the service. */
  const direct = async (agent: Agent, n: number): Promise<boolean> => {
    const answers = form(n);
    const started = await post(
      agent,
      `${emulatorUrl}/flex-api/v2/WebChats`,
      formHeaders,
      new URLSearchParams({
        AddressSid: credentials.webChatAddressSid,
        ChatFriendlyName: CHAT_FRIENDLY_NAME,
        CustomerFriendlyName: answers.friendlyName,
        PreEngagementData: JSON.stringify(answers),
        Identity: `visitor-${crypto.randomUUID()}`,
      }).toString(),
    );
    if (started.status !== 201) return false;
    const { conversation_sid: sid, identity } = JSON.parse(started.text) as { conversation_sid: string; identity: string };
    if (questionField === null) return true;
    const message = await post(
      agent,
      `${emulatorUrl}/conversations/v1/Conversations/${sid}/Messages`,
      { ...formHeaders, 'x-twilio-webhook-enabled': 'true' },
      new URLSearchParams({ Author: identity, Body: answers.question }).toString(),
    );
    return message.status === 201;
  };

  type Path = (agent: Agent, n: number) => Promise<boolean>;
  interface Sample {
    latenciesMs: number[];
    failures: number;
    seconds: number;
  }
  let sequence = 0;
  const newAgent = () => new Agent({ keepAlive: true, maxSockets: Math.max(CONCURRENCY, 64) });

  /** Open loop: request i is due at start + i / rate; its latency counts from then. */
  async function atRate(path: Path, rate: number, seconds: number): Promise<Sample> {
    const agent = newAgent();
    const count = Math.round(rate * seconds);
    const latenciesMs: number[] = [];
    let failures = 0;
    const start = performance.now() + 20;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      // No busy-wait: the client must not take CPU from the service and the emulator.
      if (wait >= 1) await new Promise((done) => setTimeout(done, wait));
      const n = sequence++;
      inFlight.push(
        path(agent, n).then(
          (ok) => {
            latenciesMs.push(performance.now() - due);
            if (!ok) failures++;
          },
          () => {
            latenciesMs.push(performance.now() - due);
            failures++;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    agent.destroy();
    return { latenciesMs, failures, seconds: (performance.now() - start) / 1000 };
  }

  /** Closed loop: `concurrency` workers, each sends its next request when the last one is answered. */
  async function atConcurrency(path: Path, concurrency: number, requests: number): Promise<Sample> {
    const agent = newAgent();
    const latenciesMs: number[] = [];
    let failures = 0;
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          const t0 = performance.now();
          const ok = await path(agent, sequence++).catch(() => false);
          latenciesMs.push(performance.now() - t0);
          if (!ok) failures++;
        }
      }),
    );
    agent.destroy();
    return { latenciesMs, failures, seconds: (performance.now() - start) / 1000 };
  }

  const merge = (a: Sample, b: Sample): Sample => ({ latenciesMs: [...a.latenciesMs, ...b.latenciesMs], failures: a.failures + b.failures, seconds: a.seconds + b.seconds });

  const usageOf = <U extends { type: string }>(child: ChildProcess) =>
    new Promise<Extract<U, { type: 'usage' }>>((done) => {
      const onMessage = (message: U) => {
        if (message.type !== 'usage') return;
        child.off('message', onMessage);
        done(message as Extract<U, { type: 'usage' }>);
      };
      child.on('message', onMessage);
      child.send({ type: 'usage' });
    });
  /** CPU time (ms) of the service and the emulator so far; the service's pauses since the last call. */
  const usage = async () => {
    const [service, emulator] = await Promise.all([usageOf<TokenServiceProcessMessage>(serviceStart.child), usageOf<EmulatorProcessMessage>(emulatorStart.child)]);
    return { serviceCpuMs: service.cpuMs, emulatorCpuMs: emulator.cpuMs, pauses: { loop: service.loop, gc: service.gc } };
  };

  interface Halves {
    direct: Sample;
    service: Sample;
    /** CPU ms per request: the service's while it served, the emulator's on each path. */
    cpu: { service: number; emulatorDirect: number; emulatorService: number };
    /** The service's event-loop delay and GC pauses during its halves. */
    pauses: PauseStats;
  }

  /** ABBA: direct, service, service, direct. */
  async function abba(run: (path: Path) => Promise<Sample>): Promise<Halves> {
    const u0 = await usage();
    const d1 = await run(direct);
    const u1 = await usage();
    const s1 = await run(viaService);
    const s2 = await run(viaService);
    const u2 = await usage();
    const d2 = await run(direct);
    const u3 = await usage();
    const directSample = merge(d1, d2);
    const serviceSample = merge(s1, s2);
    const n = (sample: Sample) => sample.latenciesMs.length;
    return {
      direct: directSample,
      service: serviceSample,
      cpu: {
        service: (u2.serviceCpuMs - u1.serviceCpuMs) / n(serviceSample),
        emulatorDirect: (u1.emulatorCpuMs - u0.emulatorCpuMs + u3.emulatorCpuMs - u2.emulatorCpuMs) / n(directSample),
        emulatorService: (u2.emulatorCpuMs - u1.emulatorCpuMs) / n(serviceSample),
      },
      pauses: u2.pauses,
    };
  }

  const loadBefore = loadavg();
  // The emulator's own first-use costs fall on neither side.
  await atRate(direct, RATE, 1);

  const fixed = await abba((path) => atRate(path, RATE, SECONDS / 2));
  const closed = await abba((path) => atConcurrency(path, CONCURRENCY, Math.round(REQUESTS / 2)));

  const cost = measureMinting();

  const describe = (name: string, sample: Sample) =>
    `${name.padEnd(26)} ${String(sample.latenciesMs.length).padStart(5)} requests, ${sample.failures} failed, ` +
    `${(sample.latenciesMs.length / sample.seconds).toFixed(0)} req/s, p50 ${percentile(sample.latenciesMs, 50).toFixed(1)} ms, ` +
    `p99 ${percentile(sample.latenciesMs, 99).toFixed(1)} ms, max ${Math.max(...sample.latenciesMs).toFixed(1)} ms`;
  console.log(`POST /webchat/init, client / token service / emulator in three processes, loopback (${questionField ? 'WebChats + first message' : 'WebChats'} upstream)`);
  console.log(`machine: ${cpus().length} CPUs, load average ${loadBefore.map((l) => l.toFixed(1)).join(' ')} before the run, ${loadavg().map((l) => l.toFixed(1)).join(' ')} after`);
  console.log(describe(`direct, ${RATE} req/s`, fixed.direct));
  console.log(describe(`service, ${RATE} req/s`, fixed.service));
  console.log(describe(`direct, concurrency ${CONCURRENCY}`, closed.direct));
  console.log(describe(`service, concurrency ${CONCURRENCY}`, closed.service));
  console.log(
    `CPU per init at ${RATE} req/s (user + system, whole process): token service ${fixed.cpu.service.toFixed(2)} ms; ` +
      `emulator ${fixed.cpu.emulatorService.toFixed(2)} ms behind the service, ${fixed.cpu.emulatorDirect.toFixed(2)} ms called directly`,
  );
  const pauses = ({ loop, gc }: PauseStats) =>
    `event loop late p50 ${loop.p50.toFixed(1)} / p99 ${loop.p99.toFixed(1)} / max ${loop.max.toFixed(1)} ms; ` +
    `GC ${gc.count} pauses, ${gc.totalMs.toFixed(0)} ms in all, longest ${gc.maxMs.toFixed(1)} ms`;
  console.log(`token service at ${RATE} req/s: ${pauses(fixed.pauses)}`);
  console.log(`token service at concurrency ${CONCURRENCY}: ${pauses(closed.pauses)}; CPU per init ${closed.cpu.service.toFixed(2)} ms`);
  console.log(`minting: ${cost.oursUs.toFixed(1)} µs per token; twilio AccessToken#toJwt(): ${cost.twilioUs.toFixed(0)} µs`);

  const p99 = (sample: Sample) => percentile(sample.latenciesMs, 99);
  const p50 = (sample: Sample) => percentile(sample.latenciesMs, 50);
  const overhead = p99(fixed.service) - p99(fixed.direct);
  const c32ratio = p99(closed.service) / p99(closed.direct);
  const rows: BenchRow[] = [
    {
      group: 'token service',
      figure: `POST /webchat/init at a fixed ${RATE} req/s (${fixed.service.latenciesMs.length} requests): p99 overhead over the same upstream calls made directly`,
      value: `${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)} ms (service p50 ${ms(p50(fixed.service))} / p99 ${ms(p99(fixed.service))})`,
      comparison: `direct p50 ${ms(p50(fixed.direct))} / p99 ${ms(p99(fixed.direct))}`,
      goal: `≤ ${OVERHEAD_GOAL_MS} ms`,
      met: fixed.service.failures + fixed.direct.failures === 0 && overhead <= OVERHEAD_GOAL_MS,
      command: `${COMMAND} (${fixed.service.failures + fixed.direct.failures} failed)`,
    },
    {
      group: 'token service',
      figure: `POST /webchat/init at concurrency ${CONCURRENCY} (${closed.service.latenciesMs.length} requests): p99, throughput`,
      value: `${ms(p99(closed.service))}, ${(closed.service.latenciesMs.length / closed.service.seconds).toFixed(0)} req/s`,
      comparison: `direct ${ms(p99(closed.direct))}, ${(closed.direct.latenciesMs.length / closed.direct.seconds).toFixed(0)} req/s (${ratio(p99(closed.service), p99(closed.direct))})`,
      goal: `≤ ${CONCURRENCY_GOAL_RATIO}× direct`,
      met: closed.service.failures + closed.direct.failures === 0 && c32ratio <= CONCURRENCY_GOAL_RATIO,
      command: `${COMMAND} (${closed.service.failures + closed.direct.failures} failed)`,
    },
    mintRow(cost, COMMAND),
  ];
  emitRows(rows);
  if (fixed.service.failures + fixed.direct.failures + closed.service.failures + closed.direct.failures > 0) process.exitCode = 1;
} finally {
  await stopChild(serviceStart.child);
  await stopChild(emulatorStart.child);
}
