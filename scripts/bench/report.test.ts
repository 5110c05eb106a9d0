import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytes, emitRows, formatTable, ms, parseRows, percentile, ratio, ROWS_FILE_ENV, type BenchRow } from './report.ts';

const row = (overrides: Partial<BenchRow> = {}): BenchRow => ({
  group: 'emulator',
  figure: 'accept every chat, 2,000 chats',
  value: '1.2 s',
  comparison: '0.1 s at 100 chats (12×)',
  goal: '≤ 2 s',
  met: true,
  command: 'npm run bench:emulator',
  ...overrides,
});

describe('benchmark report', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints one Markdown table with the comparison, goal, verdict and command of each figure', () => {
    const table = formatTable([row(), row({ figure: 'memory | RSS', value: '250 MB', goal: '', met: null }), row({ met: false })]);
    expect(table.split('\n')).toEqual([
      '| part | figure | flexchat | compared with (same run) | goal | met | command |',
      '|---|---|---|---|---|---|---|',
      '| emulator | accept every chat, 2,000 chats | 1.2 s | 0.1 s at 100 chats (12×) | ≤ 2 s | yes | `npm run bench:emulator` |',
      '| emulator | memory \\| RSS | 250 MB | 0.1 s at 100 chats (12×) |  |  | `npm run bench:emulator` |',
      '| emulator | accept every chat, 2,000 chats | 1.2 s | 0.1 s at 100 chats (12×) | ≤ 2 s | NO | `npm run bench:emulator` |',
    ]);
  });

  it('hands rows to npm run bench through the rows file, and reads them back skipping torn lines', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
    try {
      const file = join(dir, 'rows.jsonl');
      emitRows([row(), row({ value: '2.5 s', met: false })], { [ROWS_FILE_ENV]: file });
      const text = `${readFileSync(file, 'utf8')}{"group":"emulator","figure":"torn`;
      expect(parseRows(text)).toEqual([row(), row({ value: '2.5 s', met: false })]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('skips lines that are not rows and fills in missing optional fields', () => {
    expect(parseRows('not json\n{"other":1}\n{"group":"g","figure":"f","value":"v"}\n')).toEqual([
      { group: 'g', figure: 'f', value: 'v', comparison: '', goal: '', met: null, command: '' },
    ]);
  });

  it('formats figures: percentiles by nearest rank, milliseconds, bytes and ratios', () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 99)).toBe(99);
    expect(percentile([], 99)).toBeNaN();
    expect([ms(7.25), ms(123.4), ms(27_000), ms(NaN)]).toEqual(['7.3 ms', '123 ms', '27.0 s', 'n/a']);
    expect([bytes(2026), bytes(213_204)]).toEqual(['2,026 B', '213.2 KB']);
    expect([ratio(3, 2), ratio(270, 2), ratio(1, 0)]).toEqual(['1.50×', '135×', 'n/a']);
  });
});
