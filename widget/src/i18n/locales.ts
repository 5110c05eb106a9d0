// Locale negotiation and catalogues. English, the reference and the fallback, is
// part of the main chunk; every other catalogue is a chunk of its own, so a
// visitor downloads only their language. Whoever switches the language loads its
// catalogue first (loadCatalogue): the widget's entry before the first render,
// host-wiring before setLocale or a preview with a locale.
import { en, type Strings } from './en.ts';

const loaders: Record<string, () => Promise<Strings>> = {
  es: () => import('./es.ts').then((m) => m.es),
  fr: () => import('./fr.ts').then((m) => m.fr),
  de: () => import('./de.ts').then((m) => m.de),
  'pt-BR': () => import('./pt-BR.ts').then((m) => m.ptBR),
  ar: () => import('./ar.ts').then((m) => m.ar),
};
const locales = ['en', ...Object.keys(loaders)];
const catalogues: Record<string, Strings> = { en };
const loading = new Map<string, Promise<void>>();

/** Locales with a full catalogue. */
export const supportedLocales = (): string[] => [...locales];

export function registerCatalogue(locale: string, strings: Strings): void {
  if (!locales.includes(locale)) locales.push(locale);
  catalogues[locale] = strings;
}

/** The best loaded catalogue for a BCP 47 tag: exact, then language only, then English. */
export function catalogueFor(locale: string): Strings {
  return catalogues[matchLocale(locale)] ?? en;
}

/** Has the catalogue `catalogueFor(locale)` should return arrived? */
export function isCatalogueLoaded(locale: string): boolean {
  return catalogues[matchLocale(locale)] !== undefined;
}

/** Fetches the catalogue for a tag (its chunk); at once for English or one already here. Rejects if the chunk fails to load. */
export function loadCatalogue(locale: string): Promise<void> {
  const key = matchLocale(locale);
  if (catalogues[key]) return Promise.resolve();
  let pending = loading.get(key);
  if (!pending) {
    const load = loaders[key] as () => Promise<Strings>;
    pending = load().then(
      (strings) => {
        catalogues[key] = strings;
      },
      (error: unknown) => {
        loading.delete(key); // a later call may try again
        throw error;
      },
    );
    loading.set(key, pending);
  }
  return pending;
}

/** The supported locale closest to `tag` ('pt-br' → 'pt-BR', 'fr-CA' → 'fr'), else 'en'. */
export function matchLocale(tag: string): string {
  const wanted = tag.trim().toLowerCase();
  const keys = locales;
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
