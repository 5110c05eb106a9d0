// Every visible string of the widget comes from here: the catalogue of the
// visitor's locale (i18n/), overlaid with the deployment config's `texts`.
import type { TextsConfig } from '../../config/types.ts';
import { en, type Strings } from './i18n/en.ts';
import { catalogueFor } from './i18n/locales.ts';

export type { Strings };

/** English, the reference catalogue. */
export const defaultStrings: Strings = en;

/** The locale's catalogue (English where it has none) overlaid with the deployment's `texts`. */
export function resolveStrings(texts: TextsConfig | undefined, locale = 'en'): Strings {
  const strings: Strings = { ...catalogueFor(locale) };
  if (!texts) return strings;
  for (const key of Object.keys(texts) as (keyof TextsConfig)[]) {
    const value = texts[key];
    if (typeof value === 'string' && value.length > 0) strings[key] = value;
  }
  return strings;
}

/** Replaces `{name}` placeholders; unknown placeholders are left as they are. */
export function format(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}
