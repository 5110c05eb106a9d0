// Which part of the deployment config the loader needs. Pure; used at build time.
import { localize } from '../../config/localized.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import type { LoaderConfig } from './loader.ts';
import type { BakedRule } from './teaser-rules.ts';

/**
 * The slice of the deployment config baked into loader.js, flattened to the
 * per-page option names (the same keys as data-* attributes and boot options).
 * Everything else (pre-engagement form, texts, token URL, allowed domains,
 * locale) belongs to the widget and must not count against the 2 KB budget.
 */
export function loaderConfigOf(d: DeploymentConfig): LoaderConfig {
  const l = d.launcher ?? {};
  const slice: LoaderConfig = {
    widgetOrigin: d.widgetOrigin,
    position: l.position,
    offsetX: l.offsetX,
    offsetY: l.offsetY,
    zIndex: l.zIndex,
    label: localize(l.label, d.locale ?? 'en', d.locale),
    color: d.theme?.primaryColor,
    title: d.texts?.title,
    selector: l.selector,
    hideLauncher: l.hideDefaultLauncher,
    prefetch: d.prefetch,
    breakpoint: l.mobileBreakpoint,
  };
  // Teaser rules live in the API chunk; the core only learns that there are some, and
  // fetches the chunk when the browser is idle (without rules it waits for intent).
  if (d.teaser?.rules.length) slice.R = 1;
  if (typeof l.label === 'object') {
    slice.L = labelsOf(l.label);
    if (d.locale) slice.T = d.locale;
  }
  for (const key of Object.keys(slice) as (keyof LoaderConfig)[]) if (slice[key] === undefined) delete slice[key];
  return withLoaderDefaults(slice);
}

/** A name per locale as the core looks it up: canonical tags (`pt-BR`, as browsers report
 *  `navigator.language`), and each language's name also under its bare tag (the bare
 *  tag's own, else its first regional one), so `L[tag] || L[language]` picks what the
 *  API chunk's `inLanguage` picks. */
export function labelsOf(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const canonical = (tag: string) => {
    try {
      return Intl.getCanonicalLocales(tag)[0]!;
    } catch {
      return tag;
    }
  };
  for (const [tag, name] of Object.entries(labels)) out[canonical(tag)] = name;
  for (const [tag, name] of Object.entries(labels)) out[tag.toLowerCase().split('-')[0]!] ??= name;
  return out;
}

/**
 * The launcher's name and the chat (iframe) title per locale, baked into the API chunk
 * (not the 2 KB core), which picks them for the page's language when it installs and on
 * each setLocale. The core names the launcher itself before any intent (`L`, labelsOf),
 * so no page fetches the chunk before the visitor's intent; the iframe's title can wait
 * for the chunk, which always arrives with the iframe.
 */
export interface LauncherTexts {
  /** locale tag → launcher name (launcher.label given per locale). */
  label: Record<string, string>;
  /** locale tag → chat title (textsByLocale.<tag>.title). */
  title: Record<string, string>;
  /** The deployment's pinned language (config `locale`), which wins over the browser's. */
  locale?: string;
  /** The name and title loader.js has baked in: the default language's. Any other value in
   *  the core's config was set by the page (data-label, boot) and is left alone. */
  base: { label: string; title: string };
}

export function launcherTextsOf(d: DeploymentConfig): LauncherTexts | null {
  const labels = d.launcher?.label;
  const label = typeof labels === 'object' ? { ...labels } : {};
  const title: Record<string, string> = {};
  for (const [tag, texts] of Object.entries(d.textsByLocale ?? {})) if (texts.title) title[tag] = texts.title;
  if (Object.keys(label).length === 0 && Object.keys(title).length === 0) return null;
  const baked = loaderConfigOf(d);
  const base = { label: baked.label!, title: baked.title! };
  return d.locale ? { label, title, locale: d.locale, base } : { label, title, base };
}

/** What else of the deployment the API chunk needs, baked into it (not the 2 KB core). */
export interface ApiOptions {
  /** The deployment's pinned language (config `locale`), which wins over the browser's. */
  locale?: string;
  /** Show the unread count in the host page's title (`launcher.unreadInTitle`). */
  unreadInTitle?: boolean;
  /** The proactive teaser's rules (`teaser.rules`), each with its id. */
  teaser?: BakedRule[];
}

/** FNV-1a, 32 bits, base 36: a rule's id, so an edited rule counts as a new one. */
const hash = (s: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
};

export function apiOptionsOf(d: DeploymentConfig): ApiOptions {
  const options: ApiOptions = {};
  if (d.locale) options.locale = d.locale;
  if (d.launcher?.unreadInTitle) options.unreadInTitle = true;
  if (d.teaser?.rules.length) options.teaser = d.teaser.rules.map((r) => ({ id: hash(JSON.stringify(r)), ...r }));
  return options;
}

/**
 * The defaults of config/schema.json for what the launcher draws. Applied here, at
 * build time: the core (loader.js) carries no defaults of its own, every byte counts.
 */
export const LOADER_DEFAULTS = {
  position: 'right',
  offsetX: 20,
  offsetY: 20,
  zIndex: 2147483000,
  label: 'Chat with us',
  color: '#0b57d0',
  title: 'Chat window',
  breakpoint: 480,
} as const satisfies Partial<LoaderConfig>;

export const withLoaderDefaults = (c: LoaderConfig): LoaderConfig => ({ ...LOADER_DEFAULTS, ...c });
