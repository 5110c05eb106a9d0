import { defineConfig } from '@playwright/test';
import { localOrigins } from '../../scripts/local-origins.ts';
import { chromiumLaunchOptions } from '../fixtures/browser.ts';
import { prepareVideoRecording } from './video.ts';

// `npm run demo:e2e`: the narrated demo of the main journeys, for stakeholders.
// Headed (slowed down) when a display exists, else headless; always records video,
// trace and screenshots to test-results/demo/ and an HTML report to
// playwright-report/demo/. Not part of `npm test` (the main config matches *.spec.ts only).
const headed = Boolean(process.env.DISPLAY) && process.env.DEMO_HEADLESS !== '1';
const base = chromiumLaunchOptions();
const video = prepareVideoRecording();

export default defineConfig({
  testDir: '.',
  testMatch: '*.demo.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: '../../playwright-report/demo' }]],
  outputDir: '../../test-results/demo',
  use: {
    baseURL: localOrigins.demo,
    headless: !headed,
    viewport: { width: 1280, height: 800 },
    // Without an ffmpeg (see video.ts) the trace's screencast is the recording.
    video: video ? { mode: 'on', size: { width: 1280, height: 800 } } : 'off',
    trace: 'on',
    screenshot: 'on',
    launchOptions: { ...base, slowMo: headed ? Number(process.env.DEMO_SLOWMO_MS ?? 250) : 0 },
  },
  projects: [{ name: 'demo', use: { browserName: 'chromium' } }],
  webServer: {
    command: 'npx tsx scripts/start.ts',
    cwd: '../..',
    url: `${localOrigins.tokenService}/healthz`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: { EMULATOR_AGENT_DELAY_MS: process.env.EMULATOR_AGENT_DELAY_MS ?? '1500' },
  },
});
