import { describe, expect, it } from 'vitest';
import { supportedLocales } from '../../i18n/locales.ts';
import { emojiButtonLabel } from './button-label.ts';
import { CATEGORY_IDS } from './emoji-data.ts';
import { EMOJI_TEXTS, emojiTexts } from './texts.ts';

const flat = (locale: string): string[] => {
  const t = EMOJI_TEXTS[locale]!;
  return [...Object.values(t).filter((v): v is string => typeof v === 'string'), ...CATEGORY_IDS.map((c) => t.category[c])];
};

describe('emoji texts', () => {
  it('exist for every language of the widget, complete and not empty', () => {
    for (const locale of supportedLocales()) {
      expect(EMOJI_TEXTS[locale], locale).toBeDefined();
      expect(flat(locale).every((s) => s.trim().length > 0), locale).toBe(true);
      expect(flat(locale)).toHaveLength(flat('en').length);
    }
  });

  it('are translated (not English) and keep their placeholders', () => {
    for (const locale of supportedLocales().filter((l) => l !== 'en')) {
      expect(EMOJI_TEXTS[locale]!.search).not.toBe(EMOJI_TEXTS.en!.search);
      expect(EMOJI_TEXTS[locale]!.category.food).not.toBe(EMOJI_TEXTS.en!.category.food);
      expect(EMOJI_TEXTS[locale]!.found).toContain('{count}');
      expect(EMOJI_TEXTS[locale]!.suggestionsHint).toContain('{count}');
      expect(EMOJI_TEXTS[locale]!.inserted).toContain('{name}');
      expect(emojiButtonLabel(locale)).not.toBe(emojiButtonLabel('en'));
    }
  });

  it('fall back from a regional tag to the language, then to English', () => {
    expect(emojiTexts('es-MX')).toBe(EMOJI_TEXTS.es);
    expect(emojiTexts('pt-BR')).toBe(EMOJI_TEXTS['pt-BR']);
    expect(emojiTexts('ja')).toBe(EMOJI_TEXTS.en);
    expect(emojiButtonLabel('de-AT')).toBe('Emoji einfügen');
    expect(emojiButtonLabel('ja')).toBe('Insert emoji');
  });
});
