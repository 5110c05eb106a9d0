import { defineConfig } from 'vitest/config';
import type { UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { loadDeploymentConfig } from './config/load.ts';
import { applyLocalPortOverrides } from './scripts/local-origins.ts';
import { loaderConfigOf } from './loader/src/loader-config.ts';

const root = import.meta.dirname;

function isTwilsockShutdownRejection(error: { message?: string; stack?: string; stacks?: Array<{ method?: string }> }): boolean {
  const fromPendingQueue =
    (error.stack ?? '').includes('rejectPendingMessages') || (error.stacks ?? []).some((frame) => frame.method?.includes('rejectPendingMessages'));
  return (error.message ?? '').startsWith('Unable to connect: ') && fromPendingQueue;
}

// One config, three builds selected by --mode, plus the vitest projects.
//   vite build --mode widget  -> dist/widget/   (the iframe app, served from the widget origin)
//   vite build --mode loader  -> dist/widget/loader.js  (one IIFE, same origin as the widget)
//   vite build --mode demo    -> dist/demo/     (host pages on their own origin)
export default defineConfig(({ mode }): UserConfig => {
  applyLocalPortOverrides();
  const deployment = mode === 'test' ? undefined : loadDeploymentConfig();
  const define = deployment ? { __FLEXCHAT_DEPLOYMENT__: JSON.stringify(deployment) } : {};

  if (mode === 'loader') {
    // The loader gets only the few settings it uses: every byte counts toward its 2 KB budget.
    return {
      define: { __FLEXCHAT_DEPLOYMENT__: JSON.stringify(loaderConfigOf(deployment as NonNullable<typeof deployment>)) },
      build: {
        outDir: resolve(root, 'dist/widget'),
        emptyOutDir: false,
        target: 'es2020',
        minify: true,
        lib: {
          entry: resolve(root, 'loader/src/index.ts'),
          formats: ['iife'],
          name: 'FlexChatLoader',
          fileName: () => 'loader.js',
        },
      },
    };
  }

  if (mode === 'widget') {
    return {
      root: resolve(root, 'widget'),
      base: './',
      define,
      plugins: [react()],
      resolve: {
        // The Twilio SDKs import ~60 core-js polyfill modules for side effects
        // only. Every browser the ES2022 build runs in has those features, so
        // they become one empty module: about 50 KB gzip less for visitors.
        alias: [{ find: /^core-js\/modules\/.+$/, replacement: resolve(root, 'widget/src/transport/no-polyfills.ts') }],
      },
      build: {
        outDir: resolve(root, 'dist/widget'),
        emptyOutDir: true,
        target: 'es2022',
      },
    };
  }

  if (mode === 'demo') {
    return {
      root: resolve(root, 'demo-site'),
      base: './',
      define,
      build: {
        outDir: resolve(root, 'dist/demo'),
        emptyOutDir: true,
      },
    };
  }

  return {
    plugins: [react()],
    define: { __FLEXCHAT_DEPLOYMENT__: 'undefined' },
    test: {
      // twilsock rejects its queue of not-yet-sent requests on shutdown without
      // anyone to catch it (its own source says "@todo Error Unhandled promise
      // rejection!"). Ignore exactly that; every other unhandled error fails the run.
      onUnhandledError: (error) => !isTwilsockShutdownRejection(error),
      projects: [
        {
          extends: true,
          test: {
            name: 'node',
            environment: 'node',
            include: ['emulator/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts'],
          },
        },
        {
          extends: true,
          test: {
            name: 'dom',
            environment: 'jsdom',
            include: ['widget/**/*.test.{ts,tsx}', 'loader/**/*.test.ts', 'demo-site/**/*.test.{ts,tsx}'],
          },
        },
      ],
    },
  };
});
