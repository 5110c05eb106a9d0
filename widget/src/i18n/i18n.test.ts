import { describe, expect, it, vi } from 'vitest';
import schema from '../../../config/schema.json' with { type: 'json' };
import { format, resolveStrings } from '../strings.ts';
import { en } from './en.ts';
import { catalogueFor, directionOf, matchLocale, pickLocale, supportedLocales } from './locales.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('ship en, es, fr, de, pt-BR and ar', () => {
    expect(supportedLocales().sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt-BR']);
  });

  it.each(supportedLocales())('%s has every key, non-empty, with the same placeholders as English', (locale) => {
    const strings = catalogueFor(locale);
    expect(Object.keys(strings).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(strings)) {
      expect(text.trim(), `${locale}.${key}`).not.toBe('');
      expect(placeholders(text), `${locale}.${key}`).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it('translations differ from English (no forgotten copies of whole catalogues)', () => {
    for (const locale of supportedLocales().filter((l) => l !== 'en')) {
      const strings = catalogueFor(locale);
      const same = Object.keys(en).filter((k) => strings[k as keyof typeof en] === en[k as keyof typeof en]);
      expect(same.length, `${locale}: ${same.join(', ')}`).toBeLessThan(4);
    }
  });
});

describe('locale negotiation', () => {
  it('matches exact tags, then the language, case-insensitively, else English', () => {
    expect(matchLocale('pt-br')).toBe('pt-BR');
    expect(matchLocale('pt-PT')).toBe('pt-BR');
    expect(matchLocale('fr-CA')).toBe('fr');
    expect(matchLocale('DE')).toBe('de');
    expect(matchLocale('ja-JP')).toBe('en');
  });

  it('the configured locale wins; else the first browser locale we have; else English', () => {
    expect(pickLocale('de', ['fr-FR'])).toBe('de');
    expect(pickLocale(undefined, ['ja', 'es-MX', 'fr'])).toBe('es');
    expect(pickLocale(undefined, ['en-GB', 'fr'])).toBe('en');
    expect(pickLocale(undefined, ['ja'])).toBe('en');
    expect(pickLocale(undefined, [])).toBe('en');
  });

  it('knows right-to-left languages', () => {
    expect(directionOf('ar')).toBe('rtl');
    expect(directionOf('he-IL')).toBe('rtl');
    expect(directionOf('fa')).toBe('rtl');
    expect(directionOf('fr')).toBe('ltr');
  });

  it('config texts override the locale catalogue', () => {
    const strings = resolveStrings({ title: 'Support Acme', sendLabel: '' }, 'fr');
    expect(strings.title).toBe('Support Acme');
    expect(strings.sendLabel).toBe('Envoyer'); // empty overrides are ignored
    expect(format(strings.queuePosition, { position: 2 })).toBe('Vous êtes en position 2 dans la file d’attente.');
  });

  it('per-locale texts win over general texts, the exact locale over its language', () => {
    const byLocale = { pt: { title: 'Fale conosco', sendLabel: 'Mandar' }, 'pt-BR': { sendLabel: 'Enviar agora' }, es: { title: 'Hola' } };
    const brazil = resolveStrings({ title: 'Acme', endChat: 'Stop' }, 'pt-BR', byLocale);
    expect([brazil.title, brazil.sendLabel, brazil.endChat]).toEqual(['Fale conosco', 'Enviar agora', 'Stop']);
    expect(resolveStrings({ title: 'Acme' }, 'de', byLocale).title).toBe('Acme');
    // Keys outside the catalogue never reach the strings.
    expect(Object.keys(resolveStrings({ bogus: 'x' } as Record<string, string>, 'en'))).not.toContain('bogus');
  });

  it('every catalogue key can be overridden through the config schema, and nothing else', () => {
    expect(Object.keys(schema.definitions.texts.properties).sort()).toEqual(Object.keys(en).sort());
  });
});

describe('catalogues as chunks of their own', () => {
  // A fresh copy of the module, as a visitor's page starts: only English is there.
  const fresh = async () => {
    vi.resetModules();
    return import('./locales.ts');
  };

  it('start with English only; a language arrives with loadCatalogue, once however often it is asked for', async () => {
    const locales = await fresh();
    expect(locales.isCatalogueLoaded('en')).toBe(true);
    expect(locales.isCatalogueLoaded('de-AT')).toBe(false);
    expect(locales.catalogueFor('de').sendLabel).toBe(en.sendLabel); // English until it is here
    const [a, b] = [locales.loadCatalogue('de-AT'), locales.loadCatalogue('de')];
    expect(a).toBe(b);
    await a;
    expect(locales.isCatalogueLoaded('de')).toBe(true);
    expect(locales.catalogueFor('de-CH').sendLabel).toBe('Senden');
    // English and unknown languages need nothing.
    await expect(locales.loadCatalogue('ja')).resolves.toBeUndefined();
  });

  it('a chunk that fails to load rejects, and a later call tries again', async () => {
    vi.doMock('./fr.ts', () => {
      throw new Error('offline');
    });
    const locales = await fresh();
    await expect(locales.loadCatalogue('fr')).rejects.toThrow();
    expect(locales.isCatalogueLoaded('fr')).toBe(false);
    vi.doUnmock('./fr.ts');
    vi.resetModules();
    await expect(locales.loadCatalogue('fr')).resolves.toBeUndefined();
    expect(locales.catalogueFor('fr').sendLabel).toBe('Envoyer');
  });

  it('negotiate among every supported locale, loaded or not', async () => {
    const locales = await fresh();
    expect(locales.matchLocale('pt-PT')).toBe('pt-BR');
    expect(locales.pickLocale(undefined, ['ar-EG'])).toBe('ar');
    expect(locales.supportedLocales().sort()).toEqual(['ar', 'de', 'en', 'es', 'fr', 'pt-BR']);
  });
});
