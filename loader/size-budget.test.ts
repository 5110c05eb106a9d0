// @vitest-environment node
// loader.js must stay <= 2 KB min+gzip. Builds the loader in-process with the
// repo's vite.config.ts in loader mode (write: false: dist/ is not touched) and
// gzips the result at level 9. zlib writes no file name into the gzip header, so
// `gzip -9c dist/widget/loader.js | wc -c` reads about 10 bytes more.
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { build, type InlineConfig, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../config/load.ts';
import { loaderConfigOf } from './src/loader-config.ts';

const BUDGET = 2048;
const root = resolve(import.meta.dirname, '..');

async function buildLoader(overrides: InlineConfig = {}): Promise<string> {
  const result = await build({
    configFile: resolve(root, 'vite.config.ts'),
    mode: 'loader',
    logLevel: 'silent',
    ...overrides,
    build: { write: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((o) => o.output).find((f) => f.type === 'chunk' && f.fileName === 'loader.js');
  if (!chunk || chunk.type !== 'chunk') throw new Error('the loader build produced no loader.js');
  return chunk.code;
}

const gzipSize = (code: string) => gzipSync(code, { level: 9 }).length;

describe('loader.js size budget', () => {
  it(`is at most ${BUDGET} bytes min+gzip as built by vite.config.ts`, async () => {
    const code = await buildLoader();
    const size = gzipSize(code);
    console.log(`loader.js: ${code.length} B minified, ${size} B gzip -9 (budget ${BUDGET} B)`);
    // The widget's part of the config has no business in loader.js.
    expect(
      code,
      'vite.config.ts bakes the whole deployment config into loader.js: in loader mode, define ' +
        '__FLEXCHAT_DEPLOYMENT__ as JSON.stringify(loaderConfigOf(deployment)) (loader/src/loader-config.ts)',
    ).not.toContain('preEngagement');
    expect(size).toBeLessThanOrEqual(BUDGET);
  }, 60_000);

  it('keeps the loader code itself within budget (config reduced to the loader slice)', async () => {
    const slice = JSON.stringify(loaderConfigOf(loadDeploymentConfig()));
    const code = await buildLoader({ define: { __FLEXCHAT_DEPLOYMENT__: slice } });
    const size = gzipSize(code);
    console.log(`loader.js with its config slice only: ${size} B gzip -9`);
    expect(size).toBeLessThanOrEqual(BUDGET);
    // Deterministic: the same input builds the same bytes.
    expect(await buildLoader({ define: { __FLEXCHAT_DEPLOYMENT__: slice } })).toBe(code);
  }, 60_000);
});
