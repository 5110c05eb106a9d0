import { defineConfig } from 'vitest/config';
import { build, type Rolldown, type UserConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeploymentConfig } from './config/load.ts';
import { applyLocalPortOverrides, distDir } from './scripts/local-origins.ts';
import { launcherTextsOf, loaderConfigOf } from './loader/src/loader-config.ts';
import { localOrigins } from './scripts/local-origins.ts';
import { loaderDeclarations } from './scripts/loader-declarations.ts';
import { NONCE_PLACEHOLDER } from './scripts/static-server.ts';
import { previewValidator } from './widget/src/bridge/preview-validator-plugin.ts';

const root = import.meta.dirname;

/** Builds one loader entry in memory (no config file, nothing written) and returns its code. */
async function buildEntry(entry: string, format: 'iife' | 'es', define: Record<string, string>): Promise<string> {
  const result = await build({
    configFile: false,
    publicDir: false,
    logLevel: 'silent',
    define,
    build: {
      write: false,
      target: 'es2020',
      minify: true,
      lib: { entry: resolve(root, entry), formats: [format], name: 'FlexChatApi', fileName: () => 'out.js' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((f) => f.type === 'chunk' && f.isEntry);
  if (!chunk || chunk.type !== 'chunk') throw new Error(`${entry} built to nothing`);
  return chunk.code;
}

/** The loader's companions: the API chunk (content-hashed name, baked into loader.js),
 *  the ES module API with its declarations, and the config's JSON Schema. */
async function loaderExtras(slice: string, launcherTexts: string): Promise<{ apiFileName: string; files: Record<string, string> }> {
  const define = { __FLEXCHAT_DEPLOYMENT__: slice, __FLEXCHAT_LAUNCHER_TEXTS__: launcherTexts };
  const api = await buildEntry('loader/src/api-entry.ts', 'iife', define);
  const apiFileName = `loader-api.${createHash('sha256').update(api).digest('hex').slice(0, 10)}.js`;
  const esm = await buildEntry('loader/src/esm.ts', 'es', define);
  return {
    apiFileName,
    files: {
      [apiFileName]: api,
      'flexchat.mjs': esm,
      'flexchat.d.mts': loaderDeclarations(root),
      'flexchat.config.schema.json': readFileSync(resolve(root, 'config/schema.json'), 'utf8'),
    },
  };
}

function isTwilsockShutdownRejection(error: { message?: string; stack?: string; stacks?: Array<{ method?: string }> }): boolean {
  const fromPendingQueue =
    (error.stack ?? '').includes('rejectPendingMessages') || (error.stacks ?? []).some((frame) => frame.method?.includes('rejectPendingMessages'));
  return (error.message ?? '').startsWith('Unable to connect: ') && fromPendingQueue;
}

// One config, three builds selected by --mode, plus the vitest projects.
//   vite build --mode widget  -> dist/widget/   (the iframe app, served from the widget origin)
//   vite build --mode loader  -> dist/widget/loader.js  (one IIFE, same origin as the widget)
//   vite build --mode demo    -> dist/demo/     (host pages on their own origin)
export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  applyLocalPortOverrides();
  const deployment = mode === 'test' ? undefined : loadDeploymentConfig();
  const define = deployment ? { __FLEXCHAT_DEPLOYMENT__: JSON.stringify(deployment) } : {};

  if (mode === 'loader') {
    // The loader gets only the few settings it uses: every byte counts toward its 2 KB budget.
    // One `vite build --mode loader` writes, into dist/widget/ (served by the widget origin):
    //   loader.js                  the core IIFE (<= 2 KB gz), knows the API chunk's name
    //   loader-api.<hash>.js       the API chunk IIFE (<= 6 KB gz), immutable name
    //   flexchat.mjs, .d.mts       the typed ES module API for SPAs (core + API in one)
    //   flexchat.config.schema.json  the published JSON Schema of flexchat.config.json
    const slice = JSON.stringify(loaderConfigOf(deployment as NonNullable<typeof deployment>));
    const extras = await loaderExtras(slice, JSON.stringify(launcherTextsOf(deployment as NonNullable<typeof deployment>)));
    return {
      define: { __FLEXCHAT_DEPLOYMENT__: slice, __FLEXCHAT_API__: JSON.stringify(extras.apiFileName) },
      publicDir: false,
      plugins: [
        {
          name: 'flexchat-loader-extras',
          generateBundle() {
            for (const [fileName, source] of Object.entries(extras.files)) this.emitFile({ type: 'asset', fileName, source });
          },
        },
      ],
      build: {
        outDir: resolve(root, distDir(), 'widget'),
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
      // ajv standalone code for previews (the widget's CSP has no 'unsafe-eval').
      plugins: [react(), previewValidator(resolve(root, 'config/schema.json'))],
      resolve: {
        // The Twilio SDKs import ~60 core-js polyfill modules for side effects
        // only. Every browser the ES2022 build runs in has those features, so
        // they become one empty module: about 50 KB gzip less for visitors.
        alias: [{ find: /^core-js\/modules\/.+$/, replacement: resolve(root, 'widget/src/transport/no-polyfills.ts') }],
      },
      build: {
        outDir: resolve(root, distDir(), 'widget'),
        emptyOutDir: true,
        target: 'es2022',
        rolldownOptions: {
          output: {
            // The chunk both SDK adapters share (transport plumbing and the SDKs' common
            // dependencies) would otherwise be named after whichever module comes first.
            // Each language but English is a chunk of its own: locale-<tag>-<hash>.js.
            chunkFileNames: (chunk) =>
              !chunk.isDynamicEntry && chunk.moduleIds.some((id) => id.includes('/widget/src/transport/'))
                ? 'assets/transport-shared-[hash].js'
                : chunk.isDynamicEntry && chunk.moduleIds.some((id) => id.includes('/widget/src/i18n/'))
                  ? 'assets/locale-[name]-[hash].js'
                  : 'assets/[name]-[hash].js',
          },
        },
      },
    };
  }

  if (mode === 'demo') {
    // Every page of the demo site (demo-site/README.md). Absolute base: the SPA example
    // is served under client-side routes (/spa/orders/42), where relative URLs break.
    const pages = ['index.html', 'agent.html', 'builder.html', 'spa/index.html', ...['strict-csp', 'long-page', 'dark-left'].map((p) => `examples/${p}.html`)];
    return {
      root: resolve(root, 'demo-site'),
      base: '/',
      define: {
        ...define,
        // The agent console and form builder talk to the local emulator's agent API.
        __FLEXCHAT_EMULATOR_URL__: JSON.stringify(localOrigins.emulator),
      },
      // Generated script and style tags carry this placeholder as their nonce; the demo
      // origin's static server swaps in a fresh nonce per response (strict-CSP example).
      html: { cspNonce: NONCE_PLACEHOLDER },
      build: {
        outDir: resolve(root, distDir(), 'demo'),
        emptyOutDir: true,
        rolldownOptions: { input: Object.fromEntries(pages.map((page) => [page.replace(/\.html$/, '').replace('/', '-'), resolve(root, 'demo-site', page)])) },
      },
    };
  }

  return {
    plugins: [react(), previewValidator(resolve(root, 'config/schema.json'))],
    define: { __FLEXCHAT_DEPLOYMENT__: 'undefined' },
    test: {
      // twilsock rejects its queue of not-yet-sent requests on shutdown without
      // anyone to catch it (its own source says "@todo Error Unhandled promise
      // rejection!"). Ignore exactly that; every other unhandled error fails the run.
      onUnhandledError: (error) => !isTwilsockShutdownRejection(error),
      coverage: {
        provider: 'v8',
        include: ['widget/src/**'],
        exclude: ['**/*.test.{ts,tsx}', '**/*.bench.{ts,tsx}', 'widget/src/testing/**', 'widget/src/**/*.d.ts'],
        reporter: ['text-summary'],
        // Issue 5: the visitor experience keeps at least 90% of its lines tested.
        thresholds: { lines: 90 },
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
            setupFiles: ['widget/src/testing/preload-chunks.ts'],
          },
        },
      ],
    },
  };
});
