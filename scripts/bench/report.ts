// What every benchmark stage reports: rows of one table, each figure next to the
// figure it is compared with in the same run, its goal (if the project has one)
// and the command that measures it alone. `npm run bench` (scripts/bench/run.ts)
// runs the stages as child processes and collects their rows through the file
// named by FLEXCHAT_BENCH_ROWS (one JSON row per line); run alone, a stage prints
// its own table.
import { appendFileSync } from 'node:fs';

export interface BenchRow {
  /** Which part was measured: 'token service', 'widget (Chromium)', 'emulator'. */
  group: string;
  /** What was measured, e.g. 'accept every chat, 2,000 chats'. */
  figure: string;
  /** The measured figure, formatted with its unit. */
  value: string;
  /** The figure it is compared with, measured in the same run, with the ratio where one makes sense. */
  comparison: string;
  /** The project's goal for this figure, e.g. '≤ 2 s'; empty when there is none. */
  goal: string;
  /** Whether the goal holds; null when there is no goal or it could not be measured. */
  met: boolean | null;
  /** The command that measures this figure on its own. */
  command: string;
}

export const ROWS_FILE_ENV = 'FLEXCHAT_BENCH_ROWS';

/** Hands rows to `npm run bench` when it runs this stage, and prints them as a table either way. */
export function emitRows(rows: readonly BenchRow[], env: NodeJS.ProcessEnv = process.env): void {
  const file = env[ROWS_FILE_ENV];
  if (file) appendFileSync(file, rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
  console.log(`\n${formatTable(rows)}`);
}

/** Parses the rows file: one JSON row per line; lines that are not rows are skipped. */
export function parseRows(text: string): BenchRow[] {
  const rows: BenchRow[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as Partial<BenchRow>;
      if (typeof row.group === 'string' && typeof row.figure === 'string' && typeof row.value === 'string') {
        rows.push({ comparison: '', goal: '', met: null, command: '', ...row } as BenchRow);
      }
    } catch {
      // a torn last line from a stage that was killed: skip it
    }
  }
  return rows;
}

const verdict = (row: BenchRow) => (row.met === null ? '' : row.met ? 'yes' : 'NO');
const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One Markdown table (the README's figures are pasted from it), grouped in the order rows came. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['part', 'figure', 'flexchat', 'compared with (same run)', 'goal', 'met', 'command'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    lines.push(`| ${[row.group, row.figure, row.value, row.comparison, row.goal, verdict(row), row.command ? `\`${row.command}\`` : ''].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The p-th percentile (nearest rank) of the values; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export const median = (values: readonly number[]) => percentile(values, 50);

/** Milliseconds with a sensible number of digits. */
export function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  return `${value.toFixed(1)} ms`;
}

/** Bytes as KB (1000 B) above 10 KB, else bytes with a thousands separator. */
export function bytes(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} KB` : `${value.toLocaleString('en-US')} B`;
}

/** "2.3×" (or "n/a" when either side is missing). */
export function ratio(value: number, base: number): string {
  if (!Number.isFinite(value) || !Number.isFinite(base) || base === 0) return 'n/a';
  return `${(value / base).toFixed(value / base >= 10 ? 0 : 2)}×`;
}
