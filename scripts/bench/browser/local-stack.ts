// The local stack of `npm start` (scripts/start.ts) in a child process of its own, for
// benchmarks that drive Chromium against it: it needs a build made with the same
// ports (`npm run build`), which is what `npm run bench` does first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { localOrigins } from '../../local-origins.ts';

const root = resolve(import.meta.dirname, '..', '..', '..');

export interface LocalStack {
  origins: typeof localOrigins;
  stop(): Promise<void>;
}

async function waitUntilUp(url: string, deadline: number, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the local stack exited with ${child.exitCode} before ${url} answered`);
    try {
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within the start-up time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts emulator, token service, widget and demo origins on the FLEXCHAT_*_PORT ports. */
export async function startLocalStack(env: NodeJS.ProcessEnv = {}): Promise<LocalStack> {
  for (const file of ['dist/widget/index.html', 'dist/widget/loader.js', 'dist/demo/index.html']) {
    if (!existsSync(resolve(root, file))) throw new Error(`${file} is missing: run "npm run build" first (with the same FLEXCHAT_*_PORT variables)`);
  }
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'scripts/start.ts')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  try {
    await Promise.all([
      waitUntilUp(`${localOrigins.emulator}/healthz`, deadline, child),
      // Ready, not only up: until then the token service rehearses chat starts (server/src/warm-up.ts),
      // seconds of CPU that would land in the first measurements.
      waitUntilUp(`${localOrigins.tokenService}/readyz`, deadline, child),
      waitUntilUp(`${localOrigins.widget}/loader.js`, deadline, child),
      waitUntilUp(`${localOrigins.demo}/`, deadline, child),
    ]);
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGKILL');
    throw error;
  }
  return {
    origins: localOrigins,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || !child.pid) return done();
        const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 5_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        process.kill(-child.pid, 'SIGTERM');
      }),
  };
}
