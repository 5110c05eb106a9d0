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
      '/prefetch must be one of "cache", "intent", "idle"',
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

describe('widget behaviour settings', () => {
  const behaviour: DeploymentConfig = {
    ...base(),
    preEngagement: { ...base().preEngagement, skipForm: true },
    texts: { title: 'Help', offlineTitle: 'Closed for the night' },
    textsByLocale: { es: { title: 'Ayuda' }, 'pt-BR': { sendLabel: 'Enviar' } },
    messages: { markdown: true, maskAgentNames: true, historyPageSize: 20, maxLength: 4000 },
    attachments: { enabled: true, maxFileSize: 1_000_000, maxFiles: 3, extensions: ['mp3', 'pdf'] },
    notifications: { sound: true, browser: false },
    businessHours: {
      timezone: 'Europe/Paris',
      weekly: { mon: [['09:00', '12:00'], ['13:00', '18:00']], sat: [['10:00', '24:00']] },
      closedDates: ['2026-12-25'],
    },
    offline: { mode: 'closedMessage' },
    previewOrigins: [base().allowedDomains[0]!],
  };

  it('accepts hours, offline mode, messages, attachments, notifications, texts per locale and preview origins', () => {
    expect(problems(behaviour)).toEqual([]);
  });

  it('rejects what cannot work, pointing at the field', () => {
    expect(
      problems({
        ...behaviour,
        texts: { titel: 'typo' },
        textsByLocale: { Spanish: { title: 'x' } },
        attachments: { maxFileSize: 32 * 1024 * 1024, extensions: ['exe'] },
        businessHours: { timezone: 'Europe/Pariss', weekly: { mon: [['09:00', '25:00']] } },
        offline: { mode: 'voicemail' },
        messages: { maxLength: 50_000 },
      }).sort(),
    ).toEqual(
      [
        '/texts/titel is not a known setting',
        '/messages/maxLength must be <= 32768',
        '/textsByLocale property name must be valid',
        '/textsByLocale must match pattern "^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"',
        '/attachments/maxFileSize must be <= 16777216',
        '/attachments/extensions/0 must be one of "jpg", "jpeg", "png", "gif", "heic", "amr", "mp3", "mp4", "pdf", "txt"',
        '/businessHours/weekly/mon/0/1 must match pattern "^(([01]\\d|2[0-3]):[0-5]\\d|24:00)$"',
        '/offline/mode must be one of "leaveMessage", "closedMessage"',
      ].sort(),
    );
    expect(
      problems({
        ...behaviour,
        businessHours: {
          timezone: 'Mars/Olympus',
          weekly: { tue: [['17:00', '09:00']], wed: [['09:00', '13:00'], ['12:00', '18:00']] },
          closedDates: ['2026-02-30'],
        },
        previewOrigins: ['https://elsewhere.example'],
      }).sort(),
    ).toEqual(
      [
        '/businessHours/timezone is not an IANA time zone ("Mars/Olympus")',
        '/businessHours/weekly/tue/0 must close after it opens',
        '/businessHours/weekly/wed/1 overlaps another interval of the day',
        '/businessHours/closedDates/0 is not a calendar date ("2026-02-30")',
        '/previewOrigins/0 must also be in allowedDomains ("https://elsewhere.example")',
      ].sort(),
    );
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
      build({ configFile: resolve(root, 'loader/vite.config.ts'), logLevel: 'silent', build: { write: false } }),
    ).rejects.toThrow('/launcher/position must be one of "left", "right"');
  }, 60_000);
});
