// The deployment config's schema (config/schema.json), its types (config/types.ts)
// and the build's refusal of an invalid file, pointing at the field.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterEach, describe, expect, it } from 'vitest';
import { LOADER_DEFAULTS, loaderConfigOf } from '../loader/src/loader-config.ts';
import { defaultConfigPath, loadDeploymentConfig } from './load.ts';
import type { DeploymentConfig } from './types.ts';
import { validateDeploymentConfig } from './validate.ts';

const root = resolve(import.meta.dirname, '..');
const base = (): DeploymentConfig => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;

/** Every loader-related setting, typed: config/types.ts must know them all. */
const full: DeploymentConfig = {
  ...base(),
  prefetch: 'idle',
  theme: { primaryColor: '#123', mode: 'auto' },
  launcher: {
    position: 'left',
    offsetX: 0,
    offsetY: 400,
    zIndex: 10,
    label: 'Help',
    selector: '[data-chat-open], .help',
    hideDefaultLauncher: true,
    mobileBreakpoint: 640,
  },
};

const problems = (config: unknown) => {
  const result = validateDeploymentConfig(config);
  return result.ok ? [] : result.problems.map((p) => `${p.path} ${p.message}`);
};

describe('deployment config schema', () => {
  it('accepts the repo config and every loader setting', () => {
    expect(problems(base())).toEqual([]);
    expect(problems(full)).toEqual([]);
  });

  it('rejects bad loader settings, pointing at the field', () => {
    expect(
      problems({
        ...full,
        prefetch: 'eager',
        launcher: { ...full.launcher, selector: '', hideDefaultLauncher: 'yes', mobileBreakpoint: 5000, offsetX: -1, side: 'left' },
      }).sort(),
    ).toEqual([
      '/prefetch must be one of "intent", "idle"',
      '/launcher/side is not a known setting',
      '/launcher/offsetX must be >= 0',
      '/launcher/selector must NOT have fewer than 1 characters',
      '/launcher/hideDefaultLauncher must be boolean',
      '/launcher/mobileBreakpoint must be <= 4000',
    ].sort());
  });

  it('bakes only the loader slice, flattened to the per-page option names', () => {
    expect(loaderConfigOf(full)).toEqual({
      widgetOrigin: full.widgetOrigin,
      position: 'left',
      offsetX: 0,
      offsetY: 400,
      zIndex: 10,
      label: 'Help',
      color: '#123',
      title: full.texts!.title,
      selector: '[data-chat-open], .help',
      hideLauncher: true,
      prefetch: 'idle',
      breakpoint: 640,
    });
    // The core has no defaults of its own: the build supplies the schema's.
    const minimal = loaderConfigOf({ ...base(), launcher: undefined, theme: undefined, texts: undefined });
    expect(minimal).toEqual({ widgetOrigin: base().widgetOrigin, ...LOADER_DEFAULTS });
  });
});

describe('npm run build', () => {
  const saved = process.env.FLEXCHAT_CONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.FLEXCHAT_CONFIG;
    else process.env.FLEXCHAT_CONFIG = saved;
  });

  it('fails on an invalid flexchat.config.json with a message that points at the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexchat-config-'));
    const path = join(dir, 'flexchat.config.json');
    writeFileSync(path, JSON.stringify({ ...base(), launcher: { position: 'middle' } }));
    process.env.FLEXCHAT_CONFIG = path;
    expect(() => loadDeploymentConfig()).toThrow(`${path} is invalid:\n  /launcher/position must be one of "left", "right"`);
    await expect(
      build({ configFile: resolve(root, 'vite.config.ts'), mode: 'loader', logLevel: 'silent', build: { write: false } }),
    ).rejects.toThrow('/launcher/position must be one of "left", "right"');
  }, 60_000);
});
