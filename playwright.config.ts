import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/fixtures/browser.ts';
import { localOrigins } from './scripts/local-origins.ts';

const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  fullyParallel: true,
  workers: 2,
  retries: isCI ? 1 : 0,
  forbidOnly: isCI,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: isCI ? [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: localOrigins.demo,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [
    // Everything that can share the emulator: specs use unique visitors, never global state.
    { name: 'chromium', use: { browserName: 'chromium' }, testIgnore: '**/*.faults.spec.ts' },
    // Emulator faults are global (a failure armed here would hit another spec's request):
    // these specs run after all others, serially (e2e/fixtures/faults.ts).
    {
      name: 'global-faults',
      use: { browserName: 'chromium' },
      testMatch: '**/*.faults.spec.ts',
      fullyParallel: false,
      // One worker: with several *.faults.spec.ts files, two files must not run at once either.
      workers: 1,
      dependencies: ['chromium'],
    },
  ],
  webServer: {
    // The same stack `npm start` runs, from the build `npm test` made just before.
    command: 'npx tsx scripts/start.ts',
    // Ready, not only up: the token service first rehearses chat starts (server/src/warm-up.ts),
    // seconds of CPU the first specs would otherwise share.
    url: `${localOrigins.tokenService}/readyz`,
    reuseExistingServer: !isCI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // Many specs start chats from one IP in parallel: lift the per-IP and
    // orchestration rate limits that protect the real deployment.
    env: {
      EMULATOR_AGENT_DELAY_MS: process.env.EMULATOR_AGENT_DELAY_MS ?? '500',
      EMULATOR_RATE_LIMITS: 'off',
      FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT: '0',
      FLEXCHAT_RATE_LIMIT_REFRESH_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_END_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_MESSAGE_PER_IP: '0',
    },
  },
});
