// Rows for `npm run bench` from the output of `npm run bench:token`
// (scripts/bench/token-service.ts), which prints one line per phase:
//   init     400 requests, 0 failed, 146 req/s, p50 50.5 ms, p99 201.7 ms
// A token benchmark that writes rows itself (report.ts, emitRows) needs no parsing.
import type { BenchRow } from './report.ts';

const PHASE = /^(\S+)\s+(\d+) requests, (\d+) failed, (\d+) req\/s, p50 ([\d.]+) ms, p99 ([\d.]+) ms/;

export function parseTokenBenchOutput(output: string): BenchRow[] {
  const rows: BenchRow[] = [];
  const context = /^token service on loopback, (.*)$/m.exec(output)?.[1] ?? '';
  for (const line of output.split('\n')) {
    const match = PHASE.exec(line.trim());
    if (!match) continue;
    const [, phase, count, failed, rate, p50, p99] = match;
    rows.push({
      group: 'token service',
      figure: `POST /webchat/${phase}${context ? `, ${context}` : ''}: p50 / p99, throughput`,
      value: `${p50} ms / ${p99} ms, ${rate} req/s`,
      comparison: 'no direct upstream call in this benchmark',
      goal: '',
      met: Number(failed) === 0 ? null : false,
      command: `npm run bench:token (${count} requests, ${failed} failed)`,
    });
  }
  return rows;
}
