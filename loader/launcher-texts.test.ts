// The launcher's name and the chat title in the visitor's language (launcher.label and
// textsByLocale.<tag>.title given per locale): picked by the API chunk, fetched at start
// only when the name differs per locale.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { defaultConfigPath } from '../config/load.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { inLanguage, install } from './src/api.ts';
import { launcherTextsOf, loaderConfigOf, type LauncherTexts } from './src/loader-config.ts';
import type { HostWindow, LoaderConfig } from './src/loader.ts';
import { config, flexChat, mount, resetPage } from './test-helpers.ts';

const texts: LauncherTexts = {
  label: { en: 'Talk to Acme', es: 'Habla con Acme', 'pt-BR': 'Fale com a Acme' },
  title: { es: 'Chat con Acme' },
  base: { label: config.label!, title: config.title! },
};
const localized: LoaderConfig = { ...config, l10n: 1 };

function browserLanguages(languages: string[]): void {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
}

/** Boots with the API chunk "arriving" at once with `t` baked in; counts its fetches. */
function mountWith(cfg: LoaderConfig, t: LauncherTexts | null, data?: Record<string, string>) {
  const load = vi.fn(() => (window as HostWindow).FlexChat!.x?.((K) => install(K, t)));
  return { page: mount(cfg, { load, ...(data ? { data } : {}) }), load };
}

afterEach(resetPage);

describe('inLanguage', () => {
  it('takes the exact tag, else the same language, in the order asked', () => {
    expect(inLanguage(texts.label, ['es-MX'])).toBe('Habla con Acme');
    expect(inLanguage(texts.label, ['pt-br'])).toBe('Fale com a Acme');
    expect(inLanguage(texts.label, ['de', 'pt-PT'])).toBe('Fale com a Acme');
    expect(inLanguage(texts.label, ['de'])).toBeUndefined();
  });
});

describe('launcher texts per locale', () => {
  it("names the launcher in the browser's language before any intent, and titles the iframe", () => {
    browserLanguages(['es-ES', 'en']);
    const { page, load } = mountWith(localized, texts);
    expect(load).toHaveBeenCalledTimes(1);
    expect(page.button.getAttribute('aria-label')).toBe('Habla con Acme');
    expect(page.iframe()).toBeNull(); // the chunk, not the iframe
    flexChat('open');
    expect(page.iframe()!.title).toBe('Chat con Acme');
  });

  it("keeps the default language's name where a language has none", () => {
    browserLanguages(['de-DE']);
    const { page } = mountWith(localized, texts);
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
  });

  it("follows the page's setLocale, and the unread count stays in the name", () => {
    browserLanguages(['en-US']);
    const { page } = mountWith(localized, texts);
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    flexChat('setLocale', 'es');
    expect(page.button.getAttribute('aria-label')).toBe('Habla con Acme');
    flexChat('open');
    expect(page.iframe()!.title).toBe('Chat con Acme');
    flexChat('setLocale', 'pt-BR');
    expect(page.button.getAttribute('aria-label')).toBe('Fale com a Acme');
    expect(page.iframe()!.title).toBe(config.title);
  });

  it("a deployment's fixed locale wins over the browser's", () => {
    browserLanguages(['es-ES']);
    const { page } = mountWith(localized, { ...texts, locale: 'pt-BR' });
    expect(page.button.getAttribute('aria-label')).toBe('Fale com a Acme');
  });

  it("leaves a page's own name (data-label) alone", () => {
    browserLanguages(['es-ES']);
    const { page } = mountWith(localized, texts, { label: 'Ayuda' });
    expect(page.button.getAttribute('aria-label')).toBe('Ayuda');
  });

  it('fetches nothing at start when the name is the same in every language', () => {
    browserLanguages(['es-ES']);
    const { page, load } = mountWith(config, null);
    expect(load).not.toHaveBeenCalled();
    expect(page.button.getAttribute('aria-label')).toBe(config.label);
  });
});

describe('what the build bakes', () => {
  const deployed = () => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;

  it('a name per locale: the core gets the default one and the l10n flag, the chunk all of them', () => {
    const d: DeploymentConfig = { ...deployed(), locale: 'es', launcher: { label: { en: 'Chat with us', es: 'Chatea con nosotros' } } };
    expect(loaderConfigOf(d)).toMatchObject({ label: 'Chatea con nosotros', l10n: 1 });
    expect(launcherTextsOf(d)).toMatchObject({ label: { en: 'Chat with us', es: 'Chatea con nosotros' }, locale: 'es', base: { label: 'Chatea con nosotros' } });
  });

  it('only titles per locale: no fetch at start (the chunk comes with the iframe)', () => {
    const d: DeploymentConfig = { ...deployed(), launcher: { label: 'Chat' }, texts: { title: 'Support' }, textsByLocale: { es: { title: 'Soporte' } } };
    expect(loaderConfigOf(d).l10n).toBeUndefined();
    expect(launcherTextsOf(d)).toEqual({ label: {}, title: { es: 'Soporte' }, base: { label: 'Chat', title: 'Support' } });
  });
});
