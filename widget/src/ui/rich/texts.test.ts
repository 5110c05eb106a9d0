import { describe, expect, it } from 'vitest';
import { supportedLocales } from '../../i18n/locales.ts';
import { RICH_TEXTS, richTexts, type RichTexts } from './texts.ts';

describe('rich reply texts', () => {
  it('has every text in each of the widget’s languages, none empty, each translated', () => {
    const keys = Object.keys(RICH_TEXTS.en!).sort();
    for (const locale of supportedLocales()) {
      const texts = RICH_TEXTS[locale];
      expect(texts, locale).toBeDefined();
      expect(Object.keys(texts!).sort(), locale).toEqual(keys);
      for (const key of keys) expect(texts![key as keyof RichTexts].trim(), `${locale}.${key}`).not.toBe('');
      if (locale !== 'en') expect(texts!.replies, locale).not.toBe(RICH_TEXTS.en!.replies);
    }
  });

  it('falls back from a regional tag to its language, then to English', () => {
    expect(richTexts('es-MX')).toBe(RICH_TEXTS.es);
    expect(richTexts('pt-BR')).toBe(RICH_TEXTS['pt-BR']);
    expect(richTexts('ja')).toBe(RICH_TEXTS.en);
  });
});
