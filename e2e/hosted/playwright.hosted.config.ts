import { defineConfig } from '@playwright/test';
import { localOrigins } from '../../scripts/local-origins.ts';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';

// `npm run test:e2e:hosted`: the widget on Twilio's hosted init (tokenSource
// "hosted", no token service), through the real SDK and the emulator. Its own
// build (dist-hosted/, FLEXCHAT_TOKEN_SOURCE=hosted) and stack on the usual
// local ports: run it on its own, not beside the main suite's stack. The specs
// change the emulator's deployment key, so they run one at a time.
export default defineConfig({
  testDir: '.',
  testMatch: '*.hosted.ts',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  outputDir: '../../test-results/hosted',
  use: {
    baseURL: localOrigins.demo,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'hosted', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'npx vite build -c widget/vite.config.ts && npx vite build -c loader/vite.config.ts && npx vite build -c demo-site/vite.config.ts && npx tsx scripts/start.ts',
    cwd: '../..',
    url: `${localOrigins.tokenService}/readyz`, // after the warm-up (server/src/warm-up.ts)
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      FLEXCHAT_TOKEN_SOURCE: 'hosted',
      FLEXCHAT_DIST: 'dist-hosted',
      EMULATOR_AGENT_DELAY_MS: process.env.EMULATOR_AGENT_DELAY_MS ?? '500',
      EMULATOR_RATE_LIMITS: 'off',
    },
  },
});
