// `vite build -c loader/vite.config.ts` writes, into dist/widget/ (served by the widget origin):
//   loader.js                    the core IIFE (<= 2 KB gz), knows the API chunk's name
//   loader-api.<hash>.js         the API chunk IIFE (<= 6 KB gz), immutable name
//   flexchat.mjs, .d.mts         the typed ES module API for SPAs (core + API in one)
//   flexchat.config.schema.json  the published JSON Schema of flexchat.config.json
// The loader gets only the few settings it uses: every byte counts toward its 2 KB budget.
// The API chunk and the ES module are built in memory first: loader.js bakes in the
// chunk's content-hashed name.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build, defineConfig, type Rolldown, type UserConfig } from 'vite';
import { loaderDeclarations } from '../scripts/loader-declarations.ts';
import { buildDeployment, distDir, root } from '../scripts/vite-shared.ts';
import { apiOptionsOf, launcherTextsOf, loaderConfigOf, type ApiOptions } from './src/loader-config.ts';

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
async function loaderExtras(slice: string, launcherTexts: string, apiOptions: ApiOptions): Promise<{ apiFileName: string; files: Record<string, string> }> {
  const define = {
    __FLEXCHAT_DEPLOYMENT__: slice,
    __FLEXCHAT_LAUNCHER_TEXTS__: launcherTexts,
    __FLEXCHAT_API_OPTIONS__: JSON.stringify(apiOptions),
    __FLEXCHAT_TEASER_RULES__: String(apiOptions.teaser !== undefined),
  };
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

export default defineConfig(async (): Promise<UserConfig> => {
  const deployment = buildDeployment();
  const slice = JSON.stringify(loaderConfigOf(deployment));
  const extras = await loaderExtras(slice, JSON.stringify(launcherTextsOf(deployment)), apiOptionsOf(deployment));
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
});
