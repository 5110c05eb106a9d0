import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// Playwright records video with its own ffmpeg build, which it downloads with its
// browsers; offline machines (like this project's) do not have it. A system ffmpeg
// (Debian: `apt-get install ffmpeg`) does the same job: we point Playwright at a
// private browsers folder whose ffmpeg entry is the system one, every other entry
// linking to the usual folder. Returns false when no ffmpeg can be found (the demo
// then relies on the trace's screencast, and says so).

const FFMPEG_FILE: Partial<Record<NodeJS.Platform, string>> = { linux: 'ffmpeg-linux', darwin: 'ffmpeg-mac', win32: 'ffmpeg-win64.exe' };

export function prepareVideoRecording(): boolean {
  const file = FFMPEG_FILE[process.platform];
  if (!file) return false;
  const require = createRequire(import.meta.url);
  const browsers = JSON.parse(readFileSync(join(dirname(require.resolve('playwright-core/package.json')), 'browsers.json'), 'utf8')) as {
    browsers: Array<{ name: string; revision: string }>;
  };
  const revision = browsers.browsers.find((b) => b.name === 'ffmpeg')?.revision;
  if (!revision) return false;
  const usual = process.env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), process.platform === 'darwin' ? 'Library/Caches/ms-playwright' : '.cache/ms-playwright');
  if (existsSync(join(usual, `ffmpeg-${revision}`, file))) return true;

  let system: string;
  try {
    system = execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim();
  } catch {
    system = '';
  }
  if (!system) {
    console.warn('[demo:e2e] no ffmpeg: recording traces only (install ffmpeg, or run "npx playwright install ffmpeg" where downloads work, for videos).');
    return false;
  }
  const own = resolve(import.meta.dirname, '../../node_modules/.cache/flexchat-playwright');
  const target = join(own, `ffmpeg-${revision}`);
  mkdirSync(target, { recursive: true });
  if (!existsSync(join(target, file))) symlinkSync(system, join(target, file));
  for (const entry of existsSync(usual) ? readdirSync(usual) : []) {
    if (!existsSync(join(own, entry))) symlinkSync(join(usual, entry), join(own, entry));
  }
  // Read by the test workers, which start after the config is loaded.
  process.env.PLAYWRIGHT_BROWSERS_PATH = own;
  return true;
}
