// `vite build -c widget/vite.config.ts` -> dist/widget/: the iframe app, served from
// the widget origin. The deployment config is baked in (__FLEXCHAT_DEPLOYMENT__).
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { buildDeployment, distDir, root } from '../scripts/vite-shared.ts';
import { previewValidator } from './src/bridge/preview-validator-plugin.ts';
import { prefetchPagePlugin } from './src/prefetch-page-plugin.ts';
import { formShellPlugin } from './src/shell-plugin.ts';
import { sdkDedupe } from './src/transport/sdk-dedupe-plugin.ts';
import { sdkLazyMediaClient } from './src/transport/sdk-lazy-media-plugin.ts';
import { sdkLazyLogs } from './src/transport/sdk-logs-plugin.ts';
import { sdkModernBuilds } from './src/transport/sdk-modern-builds-plugin.ts';
import { legacyStagedPackageIn, sdkStages, stagedPackageIn } from './src/transport/sdk-stages-plugin.ts';
import { twilsockFastDecode } from './src/transport/twilsock-decode-plugin.ts';

/** The deployment as the widget needs it: not the launcher's settings, which are the
 *  loader's (loader/src/loader-config.ts), so they cost the widget's first chunk nothing. */
function widgetDeployment() {
  const { launcher: _launcher, ...deployment } = buildDeployment();
  return deployment;
}

export default defineConfig(() => {
  const deployment = widgetDeployment();
  const stages = sdkStages();
  return {
    root: resolve(root, 'widget'),
    base: './',
    define: { __FLEXCHAT_DEPLOYMENT__: JSON.stringify(deployment) },
    // ajv standalone code for previews (the widget's CSP has no 'unsafe-eval').
    // The form shell: the first view prerendered into index.html (shell-plugin.ts).
    // prefetch.html: the form's files, for the loader's idle prefetch (prefetch-page-plugin.ts).
    plugins: [
      react(),
      previewValidator(resolve(root, 'config/schema.json')),
      sdkLazyMediaClient(),
      sdkModernBuilds(),
      sdkDedupe(),
      twilsockFastDecode(),
      sdkLazyLogs(),
      formShellPlugin(deployment),
      prefetchPagePlugin(),
      ...stages.plugins,
    ],
    resolve: {
      // The Twilio SDKs import ~60 core-js polyfill modules for side effects
      // only. Every browser the ES2022 build runs in has those features, so
      // they become one empty module: about 50 KB gzip less for visitors.
      // twilsock and twilio-sync (both SDKs' copies) import the platform package (6.2 KB gzip)
      // only for the browser's and OS's name and version they send Twilio as client metadata
      // (telemetry): platform-lite.ts reads them from the user agent as platform.js names
      // them for the common browsers; rare ones may read differently (null, or the browser
      // they are built on), which the SDKs send as "unknown" or as that name.
      alias: [
        { find: /^core-js\/modules\/.+$/, replacement: resolve(root, 'widget/src/transport/no-polyfills.ts') },
        { find: /^platform$/, replacement: resolve(root, 'widget/src/transport/platform-lite.ts') },
      ],
    },
    build: {
      outDir: resolve(root, distDir(), 'widget'),
      emptyOutDir: true,
      target: 'es2022',
      // No polyfill: `<link rel="modulepreload">` is native where most visitors are (Chromium
      // since 66, Safari 17, Firefox 115). In the few older ES2022 browsers a chunk's
      // dependencies load when it imports them instead of ahead: slower, never broken.
      modulePreload: { polyfill: false, resolveDependencies: stages.resolveDependencies },
      rolldownOptions: {
        output: {
          // The chunks both SDK adapters share (our transport plumbing; the SDKs' common
          // dependencies) would otherwise be named after whichever module comes first.
          // Each language but English is a chunk of its own: locale-<tag>-<hash>.js.
          // Each SDK's largest dependencies, which load-transport.ts evaluates a task at a
          // time before the SDK: sdk-<package>-<hash>.js for @twilio/conversations',
          // legacy-<package>-<hash>.js for twilio-chat's own copies (sdk-stages-plugin.ts).
          chunkFileNames: (chunk) => {
            const sdkPart = chunk.isDynamicEntry ? undefined : stagedPackageIn(chunk.moduleIds);
            if (sdkPart) return `assets/sdk-${sdkPart}-[hash].js`;
            const legacyPart = chunk.isDynamicEntry ? undefined : legacyStagedPackageIn(chunk.moduleIds);
            if (legacyPart) return `assets/legacy-${legacyPart}-[hash].js`;
            if (!chunk.isDynamicEntry && chunk.moduleIds.some((id) => id.includes('/widget/src/transport/sdk-transport.ts'))) return 'assets/transport-shared-[hash].js';
            // What the two SDKs' dependencies share (loglevel, platform-lite.ts for `platform`, the state machine).
            if (!chunk.isDynamicEntry && chunk.moduleIds.some((id) => /\/node_modules\/loglevel\/|\/widget\/src\/transport\/platform-lite\.ts$/.test(id))) return 'assets/sdk-shared-[hash].js';
            if (chunk.isDynamicEntry && chunk.moduleIds.some((id) => id.includes('/widget/src/i18n/'))) return 'assets/locale-[name]-[hash].js';
            return 'assets/[name]-[hash].js';
          },
        },
      },
    },
  };
});
