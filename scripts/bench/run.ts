// `npm run bench`: every benchmark, one table. Not part of `npm test`.
// Builds once (unless BENCH_SKIP_BUILD=1), then runs each stage as a child process
// with a deadline of its own, collects the rows the stages write (report.ts) and
// prints one Markdown table: each figure, the figure it is compared with in the same
// run, the goal and whether it holds, and the command that measures it alone.
// Bounded: a stage past its deadline is stopped and reported as such; the whole run
// takes at most about BENCH_MAX_MINUTES (default 10).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { formatTable, parseRows, ROWS_FILE_ENV, type BenchRow } from './report.ts';

const root = resolve(import.meta.dirname, '..', '..');
const maxMinutes = Number(process.env.BENCH_MAX_MINUTES ?? 10);
const started = Date.now();

interface Stage {
  name: string;
  /** npm script that runs the stage alone. */
  script: string;
  /** Share of the whole run's time this stage may take at most. */
  share: number;
  /** Rows from the stage's standard output, for stages that write no rows file. */
  parseOutput?: (output: string) => BenchRow[];
}

const STAGES: Stage[] = [
  { name: 'token service', script: 'bench:token', share: 0.15 },
  { name: 'widget (Chromium)', script: 'bench:browser', share: 0.35 },
  { name: 'emulator', script: 'bench:emulator', share: 0.4 },
];

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const echo = (chunk: Buffer) => {
      output += chunk.toString();
      process.stderr.write(chunk);
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      setTimeout(() => child.pid && child.exitCode === null && process.kill(-child.pid, 'SIGKILL'), 10_000).unref();
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output, timedOut });
    });
  });
}

const rows: BenchRow[] = [];
const notes: string[] = [];
const budgetMs = maxMinutes * 60_000;

if (process.env.BENCH_SKIP_BUILD !== '1') {
  console.error('bench: npm run build…');
  const build = await run('npm', ['run', 'build'], process.env, budgetMs * 0.15);
  if (build.code !== 0) {
    console.error('bench: the build failed; nothing was measured');
    process.exit(1);
  }
  notes.push(`build: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

const dir = mkdtempSync(join(tmpdir(), 'flexchat-bench-'));
try {
  for (const stage of STAGES) {
    const file = join(dir, `${stage.script}.jsonl`);
    writeFileSync(file, '');
    const stageStart = Date.now();
    console.error(`\nbench: ${stage.name} (npm run ${stage.script})…`);
    const result = await run('npm', ['run', '--silent', stage.script], { ...process.env, [ROWS_FILE_ENV]: file }, budgetMs * stage.share);
    const seconds = ((Date.now() - stageStart) / 1000).toFixed(0);
    let stageRows = parseRows(readFileSync(file, 'utf8'));
    if (stageRows.length === 0 && stage.parseOutput) stageRows = stage.parseOutput(result.output);
    rows.push(...stageRows);
    const status = result.timedOut ? `stopped at its deadline after ${seconds} s` : result.code === 0 ? `${seconds} s` : `failed (exit ${result.code}) after ${seconds} s`;
    notes.push(`${stage.name}: ${status}`);
    if (result.timedOut || result.code !== 0 || stageRows.length === 0) {
      rows.push({ group: stage.name, figure: 'stage', value: status, comparison: '', goal: 'completes', met: false, command: `npm run ${stage.script}` });
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`\n${formatTable(rows)}\n`);
console.log(`Measured ${new Date().toISOString()} in ${((Date.now() - started) / 1000).toFixed(0)} s (${notes.join('; ')}).`);
