import { performance } from 'node:perf_hooks';
import { startEmulator } from '../../emulator/src/emulator.ts';
import { createLogger } from '../../emulator/src/log.ts';
import { startTokenService } from '../../server/src/runtimes/node.ts';
import { loadDeploymentConfig } from '../../config/load.ts';

// `npm run bench:token`: init and refresh throughput and p99 latency of the
// token service against the emulator on loopback. Bounded: at most
// BENCH_REQUESTS requests or BENCH_SECONDS seconds per phase, whichever first.
// Rate limits are lifted: this measures the service, not its limiter.

const requests = Number(process.env.BENCH_REQUESTS ?? 400);
const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

process.env.EMULATOR_WEBCHAT_RATE_PER_SECOND = '0';
const emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'silent') });
const deployment = loadDeploymentConfig();
const origin = deployment.widgetOrigin;
const service = await startTokenService({
  port: 0,
  deployment,
  log: () => {},
  env: {
    ...process.env,
    FLEX_EMULATOR_URL: emulator.url,
    FLEXCHAT_ALLOWED_ORIGINS: origin,
    FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '0',
    FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT: '0',
    FLEXCHAT_RATE_LIMIT_REFRESH_PER_IP: '0',
    FLEXCHAT_RATE_LIMIT_REFRESH_PER_DEPLOYMENT: '0',
  },
});

interface Phase {
  name: string;
  count: number;
  failures: number;
  seconds: number;
  latenciesMs: number[];
}

async function run(name: string, request: (i: number) => Promise<Response>): Promise<Phase> {
  const latenciesMs: number[] = [];
  let failures = 0;
  let next = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests && performance.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        const response = await request(i);
        await response.arrayBuffer();
        latenciesMs.push(performance.now() - t0);
        if (!response.ok) failures += 1;
      }
    }),
  );
  return { name, count: latenciesMs.length, failures, seconds: (performance.now() - started) / 1000, latenciesMs };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const headers = { 'Content-Type': 'application/json', Origin: origin };
const sessions: Array<{ token: string; identity: string; conversationSid: string; sessionProof: string }> = [];
const init = await run('init', async (i) => {
  const response = await fetch(`${service.url}/webchat/init`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ preEngagementData: { friendlyName: `Visitor ${i}`, email: `v${i}@example.com`, question: 'Benchmark question' } }),
  });
  if (response.ok) sessions.push((await response.clone().json()) as (typeof sessions)[number]);
  return response;
});
const refresh = await run('refresh', (i) => {
  const session = sessions[i % sessions.length] as (typeof sessions)[number];
  return fetch(`${service.url}/webchat/refresh`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ token: session.token, identity: session.identity, conversationSid: session.conversationSid, sessionProof: session.sessionProof }),
  });
});

console.log(`token service on loopback, concurrency ${concurrency}, up to ${requests} requests or ${seconds}s per phase`);
for (const phase of [init, refresh]) {
  console.log(
    `${phase.name.padEnd(8)} ${phase.count} requests, ${phase.failures} failed, ${(phase.count / phase.seconds).toFixed(0)} req/s, ` +
      `p50 ${percentile(phase.latenciesMs, 50).toFixed(1)} ms, p99 ${percentile(phase.latenciesMs, 99).toFixed(1)} ms`,
  );
}
await service.close();
await emulator.close();
if (init.failures + refresh.failures > 0) process.exitCode = 1;
