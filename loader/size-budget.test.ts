// @vitest-environment node
// loader.js (the core) must stay <= 2 KB min+gzip, the API chunk <= 6 KB. Builds the
// loader in-process with loader/vite.config.ts (write: false:
// dist/ is not touched) and gzips the results at level 9. zlib writes no file name
// into the gzip header, so `gzip -9c dist/widget/loader.js | wc -c` reads about 10
// bytes more.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type InlineConfig, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../config/load.ts';
import { loaderConfigOf } from './src/loader-config.ts';

const BUDGET = 2048;
const API_BUDGET = 6144;
const root = resolve(import.meta.dirname, '..');

type Output = (Rolldown.OutputChunk | Rolldown.OutputAsset)[];

async function buildLoader(overrides: InlineConfig = {}): Promise<Output> {
  const result = await build({
    configFile: resolve(root, 'loader/vite.config.ts'),
    logLevel: 'silent',
    ...overrides,
    build: { write: false },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  return outputs.flatMap((o) => o.output);
}

function file(output: Output, match: RegExp): string {
  const f = output.find((o) => match.test(o.fileName));
  if (!f) throw new Error(`the loader build produced no ${match}`);
  return f.type === 'chunk' ? f.code : String(f.source);
}

const gzipSize = (code: string) => gzipSync(code, { level: 9 }).length;

describe('loader size budgets', () => {
  it(`keeps loader.js (the core) at most ${BUDGET} bytes min+gzip as built by loader/vite.config.ts`, async () => {
    const output = await buildLoader();
    const code = file(output, /^loader\.js$/);
    const size = gzipSize(code);
    console.log(`loader.js: ${code.length} B minified, ${size} B gzip -9 (budget ${BUDGET} B)`);
    // The widget's part of the config has no business in loader.js.
    expect(
      code,
      'loader/vite.config.ts bakes the whole deployment config into loader.js: define ' +
        '__FLEXCHAT_DEPLOYMENT__ as JSON.stringify(loaderConfigOf(deployment)) (loader/src/loader-config.ts)',
    ).not.toContain('preEngagement');
    // The core knows its API chunk by its content-hashed name, so the two always match.
    const apiName = /loader-api\.[0-9a-f]{10}\.js/.exec(code)?.[0];
    expect(apiName).toBeDefined();
    expect(output.map((o) => o.fileName)).toContain(apiName);
    expect(size).toBeLessThanOrEqual(BUDGET);
  }, 60_000);

  it('keeps the loader code itself within budget (config reduced to the loader slice), deterministically', async () => {
    const slice = JSON.stringify(loaderConfigOf(loadDeploymentConfig()));
    const code = file(await buildLoader({ define: { __FLEXCHAT_DEPLOYMENT__: slice } }), /^loader\.js$/);
    const size = gzipSize(code);
    console.log(`loader.js with its config slice only: ${size} B gzip -9`);
    expect(size).toBeLessThanOrEqual(BUDGET);
    // Deterministic: the same input builds the same bytes.
    expect(file(await buildLoader({ define: { __FLEXCHAT_DEPLOYMENT__: slice } }), /^loader\.js$/)).toBe(code);
  }, 60_000);

  it('stays within both budgets with teaser rules configured (the core only gets a flag)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexchat-teaser-'));
    const path = join(dir, 'flexchat.config.json');
    const deployment = JSON.parse(readFileSync(resolve(root, 'flexchat.config.json'), 'utf8')) as Record<string, unknown>;
    const rules = [
      { text: { en: 'Questions about pricing?', es: '¿Dudas sobre los precios?' }, urlPattern: '/pricing*', timeOnPage: 10 },
      { text: 'Still looking?', scrollDepth: 75, frequency: 'session' },
    ];
    writeFileSync(path, JSON.stringify({ ...deployment, $schema: undefined, teaser: { rules } }));
    const before = process.env.FLEXCHAT_CONFIG;
    process.env.FLEXCHAT_CONFIG = path;
    try {
      const output = await buildLoader();
      const core = file(output, /^loader\.js$/);
      const api = file(output, /^loader-api\.[0-9a-f]{10}\.js$/);
      console.log(`with teaser rules: loader.js ${gzipSize(core)} B, loader-api.js ${gzipSize(api)} B gzip -9`);
      expect(core).toMatch(/\bR:1\b/);
      expect(core).not.toContain('pricing'); // the rules are the API chunk's
      expect(api).toContain('/pricing*');
      expect(api, 'the rule watcher (teaser-rules.ts)').toContain('flexchat:teaser:');
      expect(file(output, /^flexchat\.mjs$/), 'the rule watcher in the ES module').toContain('flexchat:teaser:');
      expect(gzipSize(core)).toBeLessThanOrEqual(BUDGET);
      expect(gzipSize(api)).toBeLessThanOrEqual(API_BUDGET);
    } finally {
      if (before === undefined) delete process.env.FLEXCHAT_CONFIG;
      else process.env.FLEXCHAT_CONFIG = before;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it(`keeps the API chunk at most ${API_BUDGET} bytes min+gzip, and ships the ESM API, its types and the schema`, async () => {
    const output = await buildLoader();
    const api = file(output, /^loader-api\.[0-9a-f]{10}\.js$/);
    const size = gzipSize(api);
    console.log(`loader-api.js: ${api.length} B minified, ${size} B gzip -9 (budget ${API_BUDGET} B)`);
    expect(size).toBeLessThanOrEqual(API_BUDGET);
    // No baked form (the chunk does name `preEngagement` as a preview key, never as a property).
    expect(api).not.toMatch(/preEngagement["'`]?:/);
    // Without teaser rules in flexchat.config.json, their watcher is left out (__FLEXCHAT_TEASER_RULES__).
    const rulesConfigured = Boolean(loadDeploymentConfig().teaser?.rules.length);
    expect(api.includes('flexchat:teaser:'), 'the rule watcher (teaser-rules.ts) in the API chunk').toBe(rulesConfigured);

    const esm = file(output, /^flexchat\.mjs$/);
    expect(esm.includes('flexchat:teaser:'), 'the rule watcher in the ES module').toBe(rulesConfigured);
    console.log(`flexchat.mjs: ${gzipSize(esm)} B gzip -9`);
    for (const name of ['boot', 'open', 'close', 'toggle', 'showLauncher', 'hideLauncher', 'identify', 'setContext', 'setLocale', 'shutdown', 'preview', 'on', 'off', 'FlexChat']) {
      expect(esm).toMatch(new RegExp(`export\\s*\\{[^}]*\\b${name}\\b`));
    }
    const dts = file(output, /^flexchat\.d\.mts$/);
    expect(dts).toContain('export declare function on<E extends FlexChatEventName>');
    expect(dts).toContain('export interface FlexChatEvents');
    expect(dts).not.toMatch(/^import /m); // self-contained
    const schema = JSON.parse(file(output, /^flexchat\.config\.schema\.json$/)) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toContain('prefetch');
  }, 60_000);
});
