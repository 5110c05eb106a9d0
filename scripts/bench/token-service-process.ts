// The token service of `npm run bench:token`, alone in its own process, started
// the way production starts it (startTokenService: @hono/node-server, one JSON
// request-log line per request on stdout, which the benchmark sends to
// /dev/null). The environment comes from the parent (FLEX_EMULATOR_URL, lifted
// rate limits). Talks over the IPC channel:
//   → { type: 'ready', url }   once it listens (the parent then waits for /readyz)
//   ← { type: 'usage' }        → { type: 'usage', cpuMs, loop, gc }: CPU time used so far,
//     and since the previous `usage` message the event loop's delay (perf_hooks
//     monitorEventLoopDelay, 10 ms resolution) and the garbage collector's pauses, so that
//     the benchmark can tell a late answer caused by the service's own pauses from one
//     that waited for the CPU.
// It exits when the IPC channel closes (its parent ended or killed it).
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { loadDeploymentConfig } from '../../config/load.ts';
import { startTokenService } from '../../server/src/runtimes/node.ts';

export interface PauseStats {
  /** How late the event loop ran a 10 ms timer (monitorEventLoopDelay's interval minus 10 ms): percentiles and maximum, ms. */
  loop: { p50: number; p99: number; max: number };
  /** Garbage-collector pauses: how many, their sum and the longest, ms. */
  gc: { count: number; totalMs: number; maxMs: number };
}

export type TokenServiceProcessMessage = { type: 'ready'; url: string } | ({ type: 'usage'; cpuMs: number } & PauseStats);

if (!process.send) throw new Error('token-service-process.ts runs as a child of the token benchmark (IPC channel missing)');
const send = process.send.bind(process) as (message: TokenServiceProcessMessage) => boolean;

const service = await startTokenService({ port: 0, env: process.env, deployment: loadDeploymentConfig() });

const RESOLUTION_MS = 10;
const loop = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
loop.enable();
const gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
send({ type: 'ready', url: service.url });

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'usage') return;
  const cpu = process.cpuUsage();
  // The histogram holds whole intervals between ticks; late = interval − resolution.
  const toMs = (ns: number) => Math.max(0, Math.round(ns / 1e4) / 100 - RESOLUTION_MS);
  send({
    type: 'usage',
    cpuMs: (cpu.user + cpu.system) / 1000,
    loop: { p50: toMs(loop.percentile(50)), p99: toMs(loop.percentile(99)), max: toMs(loop.max) },
    gc: { count: gc.count, totalMs: Math.round(gc.totalMs * 10) / 10, maxMs: Math.round(gc.maxMs * 10) / 10 },
  });
  loop.reset();
  Object.assign(gc, { count: 0, totalMs: 0, maxMs: 0 });
});
process.on('disconnect', () => {
  void service.close().finally(() => process.exit(0));
});
