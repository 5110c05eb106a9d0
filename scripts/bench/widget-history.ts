// `npm run bench:history`: only the long-history rows of `npm run bench:browser`
// (scripts/bench/browser/history.ts), for comparing builds back to back: one incoming
// agent message's main-thread cost, long tasks on resume and while scrolling to the
// first message. Needs `npm run build` with the same FLEXCHAT_*_PORT variables.
// Counts: BENCH_HISTORY_COUNTS (default 100,10000). Nothing here asserts a time.
import { measureHistory } from './browser/history.ts';
import { startBench, stopBench } from './browser/page.ts';

const counts = (process.env.BENCH_HISTORY_COUNTS ?? '100,10000').split(',').map(Number);
const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ') || 'none';

await startBench();
try {
  for (const count of counts) {
    const h = await measureHistory(count);
    console.log(
      `${count} messages: incoming message median ${h.messageCostMs.toFixed(1)} ms (${h.messageCosts.map((c) => c.toFixed(1)).join(', ')}), CPU ${h.messageCpuMs.toFixed(1)} ms (${h.messageCpuCosts.map((c) => c.toFixed(1)).join(', ')}); ` +
        `resume long tasks ${h.resumeLongTasks.map((d, i) => `${d.toFixed(0)} (${h.resumeLongTaskSources[i]})`).join(', ') || 'none'}; scroll ${h.loadedAll ? 'reached the first message' : 'did NOT reach the first message'} in ${h.scrollMs} ms, long tasks ${list(h.scrollLongTasks)}`,
    );
  }
} finally {
  await stopBench();
}
