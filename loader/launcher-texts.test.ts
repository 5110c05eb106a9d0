// The launcher's name and the chat title in the visitor's language (launcher.label and
// textsByLocale.<tag>.title given per locale): the core names the launcher itself (its `L`),
// so nothing but loader.js runs before intent; the API chunk titles the iframe and follows
// setLocale.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { defaultConfigPath } from '../config/load.ts';
import type { DeploymentConfig } from '../config/types.ts';
import { inLanguage, install } from './src/api.ts';
import { labelsOf, launcherTextsOf, loaderConfigOf, type LauncherTexts } from './src/loader-config.ts';
import type { HostWindow, LoaderConfig } from './src/loader.ts';
import { config, flexChat, mount, resetPage } from './test-helpers.ts';

const texts: LauncherTexts = {
  label: { en: 'Talk to Acme', es: 'Habla con Acme', 'pt-BR': 'Fale com a Acme' },
  title: { es: 'Chat con Acme' },
  base: { label: config.label!, title: config.title! },
};
const localized: LoaderConfig = { ...config, L: labelsOf(texts.label) };

function browserLanguages(languages: string[]): void {
  vi.spyOn(navigator, 'languages', 'get').mockReturnValue(languages);
  vi.spyOn(navigator, 'language', 'get').mockReturnValue(languages[0]!);
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
  it("names the launcher in the browser's language before any intent, without the API chunk, and titles the iframe", () => {
    browserLanguages(['es-ES', 'en']);
    const { page, load } = mountWith(localized, texts);
    expect(load).not.toHaveBeenCalled(); // nothing but the core before intent
    expect(page.button.getAttribute('aria-label')).toBe('Habla con Acme');
    expect(page.iframe()).toBeNull();
    flexChat('open');
    expect(load).toHaveBeenCalledTimes(1);
    expect(page.iframe()!.title).toBe('Chat con Acme');
    expect(page.button.getAttribute('aria-label')).toBe('Habla con Acme'); // the chunk agrees
  });

  it('takes the language of a regional tag, and a page locale (data-locale) over the browser', () => {
    browserLanguages(['pt-PT']);
    expect(mountWith(localized, texts).page.button.getAttribute('aria-label')).toBe('Fale com a Acme');
    resetPage();
    browserLanguages(['en-US']);
    const { page, load } = mountWith(localized, texts, { locale: 'es' });
    expect(page.button.getAttribute('aria-label')).toBe('Habla con Acme');
    flexChat('boot', { locale: 'pt-BR' }); // the core relabels on boot, still without the chunk
    expect(page.button.getAttribute('aria-label')).toBe('Fale com a Acme');
    expect(load).not.toHaveBeenCalled();
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
    const { page } = mountWith({ ...localized, T: 'pt-BR' }, { ...texts, locale: 'pt-BR' });
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
  it('names by canonical tag, each language also under its bare tag (its own name first)', () => {
    expect(labelsOf({ 'pt-br': 'A', es: 'B', 'es-MX': 'C', 'zh-Hant-TW': 'D' })).toEqual({ 'pt-BR': 'A', pt: 'A', es: 'B', 'es-MX': 'C', 'zh-Hant-TW': 'D', zh: 'D' });
  });

  const deployed = () => JSON.parse(readFileSync(defaultConfigPath, 'utf8')) as DeploymentConfig;

  it('a name per locale: the core gets the default one and every name by tag, the chunk all of them', () => {
    const d: DeploymentConfig = { ...deployed(), locale: 'es', launcher: { label: { en: 'Chat with us', es: 'Chatea con nosotros' } } };
    expect(loaderConfigOf(d)).toMatchObject({ label: 'Chatea con nosotros', L: { en: 'Chat with us', es: 'Chatea con nosotros' }, T: 'es' });
    expect(launcherTextsOf(d)).toMatchObject({ label: { en: 'Chat with us', es: 'Chatea con nosotros' }, locale: 'es', base: { label: 'Chatea con nosotros' } });
  });

  it('only titles per locale: no fetch at start (the chunk comes with the iframe)', () => {
    const d: DeploymentConfig = { ...deployed(), launcher: { label: 'Chat' }, texts: { title: 'Support' }, textsByLocale: { es: { title: 'Soporte' } } };
    expect(loaderConfigOf(d).L).toBeUndefined();
    expect(launcherTextsOf(d)).toEqual({ label: {}, title: { es: 'Soporte' }, base: { label: 'Chat', title: 'Support' } });
  });
});
