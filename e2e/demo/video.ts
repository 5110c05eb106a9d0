import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// Playwright records video with its own ffmpeg build, which it downloads with its
// browsers; offline machines (like this project's) do not have it. A system ffmpeg
// (Debian: `apt-get install ffmpeg`) does the same job: we point Playwright at a
// private browsers folder whose ffmpeg entry is the system one, every other entry
// linking to the usual folder. Without either, the demo records traces only and
// says so plainly (DEMO_REQUIRE_VIDEO=1: it fails instead). Not in .ci/run: the
// demo is not part of CI.

const FFMPEG_FILE: Partial<Record<NodeJS.Platform, string>> = { linux: 'ffmpeg-linux', darwin: 'ffmpeg-mac', win32: 'ffmpeg-win64.exe' };

export interface VideoRecordingOptions {
  platform?: NodeJS.Platform;
  /** Playwright's ffmpeg revision (default: from the installed playwright-core). */
  revision?: string;
  /** Where Playwright keeps its downloads (default: PLAYWRIGHT_BROWSERS_PATH or its cache folder). */
  browsersPath?: string;
  /** The private browsers folder that links the system ffmpeg (default under node_modules/.cache). */
  ownPath?: string;
  /** Path of the system's ffmpeg, or '' (default: `command -v ffmpeg`). */
  systemFfmpeg?: () => string;
  /** Read for DEMO_REQUIRE_VIDEO; gets PLAYWRIGHT_BROWSERS_PATH, read by the test workers. */
  env?: NodeJS.ProcessEnv;
  warn?: (message: string) => void;
}

const NO_FFMPEG = [
  'No ffmpeg found: this run records NO VIDEO, only traces (test-results/demo/*/trace.zip, open with npx playwright show-trace).',
  'For videos install one, then run again:',
  '  Debian/Ubuntu: sudo apt-get install -y ffmpeg    (as .ci/run installs its Debian packages)',
  '  macOS: brew install ffmpeg    where downloads work: npx playwright install ffmpeg',
  'DEMO_REQUIRE_VIDEO=1 makes a run without ffmpeg fail instead.',
].map((line) => `[demo:e2e] ${line}`);

function playwrightFfmpegRevision(): string | undefined {
  const require = createRequire(import.meta.url);
  const browsers = JSON.parse(readFileSync(join(dirname(require.resolve('playwright-core/package.json')), 'browsers.json'), 'utf8')) as {
    browsers: Array<{ name: string; revision: string }>;
  };
  return browsers.browsers.find((b) => b.name === 'ffmpeg')?.revision;
}

function commandFfmpeg(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v ffmpeg'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** True when videos can be recorded (an ffmpeg Playwright will find); false, said out loud, when not. */
export function prepareVideoRecording(options: VideoRecordingOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  const env = options.env ?? process.env;
  const warn = options.warn ?? ((message: string) => console.warn(message));
  const file = FFMPEG_FILE[platform];
  const revision = options.revision ?? playwrightFfmpegRevision();
  const usual =
    options.browsersPath ?? env.PLAYWRIGHT_BROWSERS_PATH ?? join(homedir(), platform === 'darwin' ? 'Library/Caches/ms-playwright' : '.cache/ms-playwright');
  if (file && revision && existsSync(join(usual, `ffmpeg-${revision}`, file))) return true;

  const system = file && revision ? (options.systemFfmpeg ?? commandFfmpeg)() : '';
  if (!file || !revision || !system) {
    if (env.DEMO_REQUIRE_VIDEO === '1') throw new Error(NO_FFMPEG.join('\n'));
    warn(NO_FFMPEG.join('\n'));
    return false;
  }
  const own = options.ownPath ?? resolve(import.meta.dirname, '../../node_modules/.cache/flexchat-playwright');
  const target = join(own, `ffmpeg-${revision}`);
  mkdirSync(target, { recursive: true });
  if (!existsSync(join(target, file))) symlinkSync(system, join(target, file));
  for (const entry of existsSync(usual) ? readdirSync(usual) : []) {
    if (!existsSync(join(own, entry))) symlinkSync(join(usual, entry), join(own, entry));
  }
  // Read by the test workers, which start after the config is loaded.
  env.PLAYWRIGHT_BROWSERS_PATH = own;
  return true;
}
