// `npm run bench:emulator`: how the emulator's costs grow with the number of chats.
// For each size (100, 500 and 2,000 chats by default) a fresh emulator runs alone in a
// child process (scripts/bench/emulator-process.ts), the visitors run in another
// (scripts/bench/emulator-visitors.ts: the REAL @twilio/conversations SDK, one client
// per chat, with twilsock's frame codec as the widget's build has it:
// scripts/bench/widget-twilsock-codec.ts), and this process only drives and times them:
//   1. create the chats through POST /v2/WebChats (they wait in the queue);
//   2. connect every visitor and open its conversation (history and roster loaded,
//      which subscribes it to live events, as the widget does);
//   3. accept every chat through the agent API (the agent joins and greets), and wait
//      until every visitor has seen the greeting;
//   4. fan-out: agent messages at a fixed rate to chats in turn, each timed from the
//      POST to the visitor SDK's messageAdded;
//   5. the emulator's memory after a full GC.
// Then, without clients, the create rate while 10,000 chats pile up in the queue.
// The comparisons are within this run: 2,000 chats against 100, the last 1,000 chats
// created against the first 1,000. Bounded: every phase has a deadline.
// Options (environment): BENCH_EMULATOR_SIZES (e.g. "100,500"), BENCH_EMULATOR_PENDING
// (chats for the create rate), BENCH_FANOUT_MESSAGES, BENCH_FANOUT_RATE (per second),
// BENCH_VISITORS_NICE (the visitors' priority while the agents accept; 0, theirs unchanged, by default).
// BENCH_EMULATOR_PROFILE=<dir> writes the emulator's CPU profile of each size's accepts
// and fan-out to <dir>/accept-<chats>.cpuprofile and <dir>/fanout-<chats>.cpuprofile, and the
// visitors' SDK clients' over the accepts to <dir>/visitors-accept-<chats>.cpuprofile.
// The driver's event-loop utilisation during the accepts is printed: near 1 it would
// mean the benchmark, not the emulator, set the pace.
import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { agentPost, createChat, describeError, now, pool, sleep, startChild, startVisitors } from './emulator-children.ts';
import type { VisitorChat } from './emulator-visitors.ts';
import { emitRows, ms, percentile, ratio, type BenchRow } from './report.ts';

const sizes = (process.env.BENCH_EMULATOR_SIZES ?? '100,500,2000').split(',').map(Number).filter((n) => n > 0);
const pendingTarget = Number(process.env.BENCH_EMULATOR_PENDING ?? 10_000);
const fanoutMessages = Number(process.env.BENCH_FANOUT_MESSAGES ?? 300);
const fanoutPerSecond = Number(process.env.BENCH_FANOUT_RATE ?? 100);
const profileDir = process.env.BENCH_EMULATOR_PROFILE;
/**
 * The visitors' scheduling priority (nice value) while the agents accept. Their SDK
 * clients stand for browsers on other machines, yet here they share the emulator's
 * cores and use several times its CPU over the accepts; at a lower priority (e.g. 10)
 * they take what the emulator leaves instead of setting its pace. That favours the
 * emulator over the clients, so it is an option, not the default: the accept goal is
 * met or not with the clients at their own priority. Back to 0 afterwards, so the
 * greeting and fan-out times are the clients' own. 0: no change. The accept row names it.
 */
const VISITORS_NICE = Number(process.env.BENCH_VISITORS_NICE ?? 0);
/** Agents accepting chats at the same time. */
const ACCEPT_AGENTS = 8;
const COMMAND = 'npm run bench:emulator';
const GROUP = 'emulator';


interface SizeResult {
  chats: number;
  createMs: number;
  connected: number;
  connectMs: number;
  acceptMs: number;
  /** CPU time the emulator spent from the first accept until the last answer. */
  acceptCpuMs: number;
  /** CPU time the visitors' SDK clients spent over the same span (they share the machine's cores with the emulator). */
  visitorsAcceptCpuMs: number;
  /** Accept requests answered 2xx. */
  accepted: number;
  /** This process's event-loop utilisation while it sent the accepts (near 1: the benchmark set the pace). */
  driverElu: number;
  greetedMs: number;
  greeted: number;
  fanout: number[];
  fanoutLost: number;
  fanoutCpuMs: number;
  heapUsedBytes: number;
  rssBytes: number;
  failures: string[];
}

async function measureSize(chats: number): Promise<SizeResult> {
  const emulator = await startChild();
  const visitors = startVisitors();
  const failures: string[] = [];
  try {
    // 1. create
    const created: VisitorChat[] = [];
    let t0 = performance.now();
    await pool(
      Array.from({ length: chats }, (_, i) => i),
      16,
      t0 + 120_000,
      async (n) => {
        try {
          created.push(await createChat(emulator, n));
        } catch (error) {
          failures.push(describeError(error));
        }
      },
    );
    const createMs = performance.now() - t0;

    // 2. connect (in the visitors' process)
    t0 = performance.now();
    const connection = await visitors.connect(created, emulator, 240_000);
    failures.push(...connection.failures);
    const connected = connection.connected;
    const connectMs = performance.now() - t0;

    // 3. accept every chat (oldest first, as a queue is served), then wait for every greeting
    const profileFile = profileDir ? resolve(profileDir, `accept-${chats}.cpuprofile`) : undefined;
    const visitorsProfileFile = profileDir ? resolve(profileDir, `visitors-accept-${chats}.cpuprofile`) : undefined;
    if (profileFile) await emulator.profile(profileFile);
    if (visitorsProfileFile) await visitors.profile(visitorsProfileFile);
    const cpuBeforeAccept = (await emulator.usage()).cpuMs;
    const visitorsCpuBeforeAccept = (await visitors.status()).cpuMs;
    if (VISITORS_NICE !== 0 && !visitors.prioritise(VISITORS_NICE)) failures.push(`could not lower the visitors' priority to nice ${VISITORS_NICE}`);
    const eluBefore = performance.eventLoopUtilization();
    let accepted = 0;
    const acceptStart = now();
    t0 = performance.now();
    // ACCEPT_AGENTS agents accept at once, each on its own kept-alive connection, as a
    // fleet of Flex agents' browsers would (a new TCP connection per accept measured the
    // connection set-up and tear-down of both sides as much as the accept).
    const agents = new Agent({ keepAlive: true, maxSockets: ACCEPT_AGENTS });
    await pool(created, ACCEPT_AGENTS, t0 + 60_000, async (chat) => {
      try {
        await agentPost(emulator, `/agent/conversations/${chat.conversationSid}/accept`, { greet: true }, agents);
        accepted += 1;
      } catch (error) {
        failures.push(describeError(error));
      }
    });
    const acceptMs = performance.now() - t0;
    agents.destroy();
    const driverElu = performance.eventLoopUtilization(eluBefore).utilization;
    const acceptCpuMs = (await emulator.usage()).cpuMs - cpuBeforeAccept;
    const visitorsAcceptCpuMs = (await visitors.status()).cpuMs - visitorsCpuBeforeAccept;
    const restored = VISITORS_NICE === 0 || visitors.prioritise(0);
    if (!restored) console.log(`  (the visitors stay at nice ${VISITORS_NICE}: raising a priority needs privileges here)`);
    if (profileFile) await emulator.profile(profileFile);
    if (visitorsProfileFile) await visitors.profile(visitorsProfileFile);
    const greetDeadline = performance.now() + 60_000;
    let greetings = await visitors.status();
    while (greetings.greeted < connected.length && performance.now() < greetDeadline) {
      await sleep(100);
      greetings = await visitors.status();
    }
    const greetedMs = greetings.lastGreetedAt - acceptStart;

    // 4. fan-out at a fixed rate
    const fanout: number[] = [];
    const fanoutProfile = profileDir ? resolve(profileDir, `fanout-${chats}.cpuprofile`) : undefined;
    if (fanoutProfile) await emulator.profile(fanoutProfile);
    const cpuBeforeFanout = (await emulator.usage()).cpuMs;
    const sentAt = new Map<string, number>();
    const interval = 1000 / fanoutPerSecond;
    const start = performance.now();
    const posts: Promise<void>[] = [];
    for (let i = 0; i < fanoutMessages && connected.length > 0; i += 1) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const conversationSid = connected[i % connected.length] as string;
      const body = `bench ${i}`;
      sentAt.set(body, now());
      posts.push(agentPost(emulator, `/agent/conversations/${conversationSid}/messages`, { body }).catch((error) => void failures.push(describeError(error))));
    }
    await Promise.all(posts);
    const fanoutDeadline = performance.now() + 10_000;
    let arrivals = (await visitors.status()).arrivals;
    while (Object.keys(arrivals).length < sentAt.size && performance.now() < fanoutDeadline) {
      await sleep(100);
      arrivals = (await visitors.status()).arrivals;
    }
    for (const [body, at] of sentAt) {
      const arrived = arrivals[body];
      if (arrived !== undefined) fanout.push(arrived - at);
    }

    const fanoutCpuMs = (await emulator.usage()).cpuMs - cpuBeforeFanout;
    if (fanoutProfile) await emulator.profile(fanoutProfile);

    // 5. memory
    const memory = await emulator.usage(true);
    return {
      chats,
      createMs,
      connected: connected.length,
      connectMs,
      acceptMs,
      acceptCpuMs,
      visitorsAcceptCpuMs,
      accepted,
      driverElu,
      greetedMs,
      greeted: greetings.greeted,
      fanout,
      fanoutLost: sentAt.size - fanout.length,
      fanoutCpuMs,
      heapUsedBytes: memory.heapUsedBytes,
      rssBytes: memory.rssBytes,
      failures,
    };
  } finally {
    await visitors.stop();
    await emulator.stop();
  }
}

interface PendingResult {
  created: number;
  /** Chats per second over each consecutive 1,000 (wall clock). */
  windows: number[];
  /** Emulator CPU time per chat over each consecutive 1,000. */
  cpuPerChatMs: number[];
  seconds: number;
  failures: number;
}

async function measurePending(target: number): Promise<PendingResult> {
  const emulator = await startChild();
  try {
    const doneAt: number[] = [];
    const cpuAt: Array<Promise<number>> = [emulator.usage().then((u) => u.cpuMs)];
    let failures = 0;
    const t0 = performance.now();
    await pool(
      Array.from({ length: target }, (_, i) => i),
      16,
      t0 + 120_000,
      async (n) => {
        try {
          await createChat(emulator, n);
          doneAt.push(performance.now());
          if (doneAt.length % 1000 === 0) cpuAt.push(emulator.usage().then((u) => u.cpuMs));
        } catch {
          failures += 1;
        }
      },
    );
    const cpu = await Promise.all(cpuAt);
    const windows: number[] = [];
    const cpuPerChatMs: number[] = [];
    for (let end = 1000; end <= doneAt.length; end += 1000) {
      const from = end === 1000 ? t0 : (doneAt[end - 1001] as number);
      windows.push(1000 / (((doneAt[end - 1] as number) - from) / 1000));
      const w = end / 1000;
      if (cpu[w] !== undefined) cpuPerChatMs.push(((cpu[w] as number) - (cpu[w - 1] as number)) / 1000);
    }
    return { created: doneAt.length, windows, cpuPerChatMs, seconds: (performance.now() - t0) / 1000, failures };
  } finally {
    await emulator.stop();
  }
}

const mb = (value: number) => `${(value / 1e6).toFixed(0)} MB`;
const count = (n: number) => n.toLocaleString('en-US');

const results: SizeResult[] = [];
for (const size of sizes) {
  console.log(`emulator: ${count(size)} chats…`);
  const result = await measureSize(size);
  results.push(result);
  console.log(
    `  created in ${ms(result.createMs)}, ${result.connected} connected in ${ms(result.connectMs)}, accepted ${result.accepted} in ${ms(result.acceptMs)} with the visitors at nice ${VISITORS_NICE} (driver event loop ${(result.driverElu * 100).toFixed(0)} % busy), ` +
      `${result.greeted} greeted after ${ms(result.greetedMs)}, fan-out p50 ${ms(percentile(result.fanout, 50))} p99 ${ms(percentile(result.fanout, 99))} ` +
      `(${result.fanoutLost} lost), accept CPU ${ms(result.acceptCpuMs)} (visitors' SDK clients ${ms(result.visitorsAcceptCpuMs)}), fan-out CPU ${ms(result.fanoutCpuMs)}, heap ${mb(result.heapUsedBytes)}, rss ${mb(result.rssBytes)}, ${result.failures.length} failures`,
  );
  for (const failure of new Set(result.failures)) console.log(`  failure: ${failure}`);
}
console.log(`emulator: ${count(pendingTarget)} pending chats…`);
const pending = await measurePending(pendingTarget);
console.log(
  `  ${pending.created} created in ${pending.seconds.toFixed(1)} s; per 1,000: ${pending.windows.map((w) => w.toFixed(0)).join(', ')} chats/s; ` +
    `emulator CPU per chat ${pending.cpuPerChatMs.map((c) => c.toFixed(2)).join(', ')} ms`,
);

const base = results[0];
const rows: BenchRow[] = [];
const against = (r: SizeResult, pick: (r: SizeResult) => number, format: (n: number) => string) =>
  base && base !== r ? `${format(pick(base))} at ${count(base.chats)} chats (${ratio(pick(r), pick(base))} for ${ratio(r.chats, base.chats)} the chats)` : 'smallest size';
for (const r of results) {
  const incomplete = r.accepted < r.chats || r.greeted < r.connected ? ` (${count(r.accepted)} accepted, ${count(r.greeted)} greeted)` : '';
  rows.push({
    group: GROUP,
    figure: `accept every chat (agent joins, greets), ${count(r.chats)} chats, visitors' SDK clients (the widget's twilsock codec) at nice ${VISITORS_NICE}`,
    value: `${ms(r.acceptMs)}${incomplete}`,
    comparison: against(r, (x) => x.acceptMs, ms),
    goal: r.chats === 2000 ? '≤ 2 s' : '',
    met: r.chats === 2000 ? r.acceptMs <= 2000 && r.accepted === r.chats : null,
    command: COMMAND,
  });
  rows.push({
    group: GROUP,
    figure: `  emulator CPU for those accepts, ${count(r.chats)} chats`,
    value: ms(r.acceptCpuMs),
    comparison: against(r, (x) => x.acceptCpuMs, ms),
    goal: '',
    met: null,
    command: COMMAND,
  });
  rows.push({
    group: GROUP,
    figure: `  the visitors' SDK clients' CPU over those accepts (same cores), ${count(r.chats)} chats`,
    value: ms(r.visitorsAcceptCpuMs),
    comparison: `emulator: ${ms(r.acceptCpuMs)} (${ratio(r.visitorsAcceptCpuMs, r.acceptCpuMs)})`,
    goal: '',
    met: null,
    command: COMMAND,
  });
  rows.push({
    group: GROUP,
    figure: `  until every visitor's SDK has the greeting, ${count(r.chats)} chats (${count(r.connected)} SDK clients)`,
    value: ms(r.greetedMs),
    comparison: against(r, (x) => x.greetedMs, ms),
    goal: '',
    met: null,
    command: COMMAND,
  });
  const p99 = percentile(r.fanout, 99);
  rows.push({
    group: GROUP,
    figure: `agent message → visitor SDK, p50 / p99, ${count(r.chats)} chats (${fanoutPerSecond}/s)`,
    value: `${ms(percentile(r.fanout, 50))} / ${ms(p99)}${r.fanoutLost ? `, ${r.fanoutLost} lost` : ''}`,
    comparison: against(r, (x) => percentile(x.fanout, 99), (n) => `p99 ${ms(n)}`),
    goal: r.chats === 500 ? 'p99 ≤ 50 ms' : '',
    met: r.chats === 500 ? p99 <= 50 && r.fanoutLost === 0 : null,
    command: COMMAND,
  });
  rows.push({
    group: GROUP,
    figure: `emulator memory, RSS (heap after GC), ${count(r.chats)} chats`,
    value: `${mb(r.rssBytes)} (${mb(r.heapUsedBytes)})`,
    comparison: against(r, (x) => x.heapUsedBytes, (n) => `heap ${mb(n)}`),
    goal: r.chats === 2000 ? 'RSS ≤ 300 MB' : '',
    met: r.chats === 2000 ? r.rssBytes <= 300e6 : null,
    command: COMMAND,
  });
}
const firstRate = pending.windows[0] ?? NaN;
const lastRate = pending.windows.at(-1) ?? NaN;
const firstCpu = pending.cpuPerChatMs[0] ?? NaN;
const lastCpu = pending.cpuPerChatMs.at(-1) ?? NaN;
rows.push({
  group: GROUP,
  figure: `create rate, last 1,000 of ${count(pending.created)} pending chats`,
  value: `${lastRate.toFixed(0)} chats/s`,
  comparison: `first 1,000: ${firstRate.toFixed(0)} chats/s (${ratio(lastRate, firstRate)})`,
  goal: `flat to ${count(pendingTarget)} pending (≥ 0.8× the first)`,
  met: pending.created >= pendingTarget && lastRate >= 0.8 * firstRate,
  command: COMMAND,
});
rows.push({
  group: GROUP,
  figure: `  emulator CPU per created chat, last 1,000`,
  value: ms(lastCpu),
  comparison: `first 1,000: ${ms(firstCpu)} (${ratio(lastCpu, firstCpu)})`,
  goal: '',
  met: null,
  command: COMMAND,
});
const failureCount = results.reduce((sum, r) => sum + r.failures.length, 0) + pending.failures;
if (failureCount > 0) {
  rows.push({ group: GROUP, figure: 'failed requests and connections', value: String(failureCount), comparison: '', goal: '0', met: false, command: COMMAND });
}
emitRows(rows);
process.exit(0);
