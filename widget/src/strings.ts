// Every visible string of the widget comes from here: the catalogue of the
// visitor's locale (i18n/), overlaid with the deployment config's `texts`.
import type { TextsConfig } from '../../config/types.ts';
import { en, type Strings } from './i18n/en.ts';
import { catalogueFor } from './i18n/locales.ts';

export type { Strings };

/** English, the reference catalogue. */
export const defaultStrings: Strings = en;

const stringKeys = Object.keys(en) as (keyof Strings)[];

function overlay(strings: Strings, texts: TextsConfig | undefined): void {
  if (!texts) return;
  for (const key of stringKeys) {
    const value = texts[key];
    if (typeof value === 'string' && value.length > 0) strings[key] = value;
  }
}

/**
 * The locale's catalogue (English where it has none), overlaid with the
 * deployment's `texts`, then its `textsByLocale` for the language ("pt") and
 * for the exact locale ("pt-BR"): the most specific wins.
 */
export function resolveStrings(
  texts: TextsConfig | undefined,
  locale = 'en',
  textsByLocale: Readonly<Record<string, TextsConfig>> = {},
): Strings {
  const strings: Strings = { ...catalogueFor(locale) };
  overlay(strings, texts);
  const language = locale.split('-')[0]!;
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(textsByLocale, key) ? textsByLocale[key] : undefined);
  if (language !== locale) overlay(strings, own(language));
  overlay(strings, own(locale));
  return strings;
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}
