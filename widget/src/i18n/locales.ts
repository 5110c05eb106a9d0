// Locale negotiation and catalogues. All catalogues are small and bundled, so
// switching language needs no network.
import { ar } from './ar.ts';
import { de } from './de.ts';
import { en, type Strings } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { ptBR } from './pt-BR.ts';

const catalogues: Record<string, Strings> = { en, es, fr, de, 'pt-BR': ptBR, ar };

/** Locales with a full catalogue. */
export const supportedLocales = (): string[] => Object.keys(catalogues);

export function registerCatalogue(locale: string, strings: Strings): void {
  catalogues[locale] = strings;
}

/** The best catalogue for a BCP 47 tag: exact, then language only, then English. */
export function catalogueFor(locale: string): Strings {
  return catalogues[matchLocale(locale)] ?? en;
}

/** The supported locale closest to `tag` ('pt-br' → 'pt-BR', 'fr-CA' → 'fr'), else 'en'. */
export function matchLocale(tag: string): string {
  const wanted = tag.trim().toLowerCase();
  const keys = Object.keys(catalogues);
  const exact = keys.find((k) => k.toLowerCase() === wanted);
  if (exact) return exact;
  const language = wanted.split('-')[0]!;
  return keys.find((k) => k.toLowerCase() === language) ?? keys.find((k) => k.toLowerCase().split('-')[0] === language) ?? 'en';
}

/** The configured locale if given, else the first browser locale we have a catalogue for, else English. */
export function pickLocale(configured: string | undefined, browser: readonly string[]): string {
  if (configured) return matchLocale(configured);
  for (const tag of browser) {
    const match = matchLocale(tag);
    if (match !== 'en' || tag.toLowerCase().startsWith('en')) return match;
  }
  return 'en';
}

const rtlLanguages = new Set(['ar', 'arc', 'ckb', 'dv', 'fa', 'he', 'ku', 'ps', 'sd', 'ug', 'ur', 'yi']);

/** Writing direction of a locale. */
export function directionOf(locale: string): 'ltr' | 'rtl' {
  const language = locale.trim().toLowerCase().split('-')[0]!;
  return rtlLanguages.has(language) ? 'rtl' : 'ltr';
}
