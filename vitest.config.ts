// The unit tests: a `node` project (contracts, emulator, server, scripts, config) and
// a `dom` project in jsdom (widget, loader, demo site). The builds have their own
// configs: widget/, loader/ and demo-site/vite.config.ts.
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { applyLocalPortOverrides } from './scripts/local-origins.ts';
import { previewValidator } from './widget/src/bridge/preview-validator-plugin.ts';
import { legacySdkResolver } from './widget/src/transport/sdk-stages-plugin.ts';

function isTwilsockShutdownRejection(error: { message?: string; stack?: string; stacks?: Array<{ method?: string }> }): boolean {
  const fromPendingQueue =
    (error.stack ?? '').includes('rejectPendingMessages') || (error.stacks ?? []).some((frame) => frame.method?.includes('rejectPendingMessages'));
  return (error.message ?? '').startsWith('Unable to connect: ') && fromPendingQueue;
}

// Tests that build or start the local stack see the same FLEXCHAT_*_PORT overrides as `npm start`.
applyLocalPortOverrides();

export default defineConfig({
  plugins: [react(), previewValidator(resolve(import.meta.dirname, 'config/schema.json')), legacySdkResolver()],
  define: { __FLEXCHAT_DEPLOYMENT__: 'undefined' },
  test: {
    // twilsock rejects its queue of not-yet-sent requests on shutdown without
    // anyone to catch it (its own source says "@todo Error Unhandled promise
    // rejection!"). Ignore exactly that; every other unhandled error fails the run.
    onUnhandledError: (error) => !isTwilsockShutdownRejection(error),
    coverage: {
      provider: 'v8',
      include: ['widget/src/**', 'server/src/**', 'emulator/src/**'],
      exclude: ['**/*.test.{ts,tsx}', '**/*.bench.{ts,tsx}', '**/testing/**', '**/*.d.ts'],
      reporter: ['text-summary'],
      // Per folder (a top-level figure would pool all three). The widget: issue 5, the
      // visitor experience keeps at least 90% of its lines tested. Server and emulator:
      // just under what the node project alone measured when these were set (server 93.7%
      // lines / 87.2% branches, emulator 95.2% / 82.6%); the dom project's emulator tests add to it.
      thresholds: {
        'widget/src/**': { lines: 90 },
        'server/src/**': { lines: 93, branches: 86 },
        'emulator/src/**': { lines: 94, branches: 82 },
      },
    },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['contracts/**/*.test.ts', 'emulator/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'config/**/*.test.ts', 'e2e/demo/**/*.test.ts', 'e2e/fixtures/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'dom',
          environment: 'jsdom',
          include: ['widget/**/*.test.{ts,tsx}', 'loader/**/*.test.ts', 'demo-site/**/*.test.{ts,tsx}'],
          // The widget's lazy chunks (languages, chat view), loaded up front: widget/src/testing/preload-chunks.ts.
          // Chromium's scheduler.yield(), which jsdom lacks: widget/src/testing/scheduler-yield.ts.
          setupFiles: ['widget/src/testing/scheduler-yield.ts', 'widget/src/testing/preload-chunks.ts'],
        },
      },
    ],
  },
});
