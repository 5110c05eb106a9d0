// Which part of the deployment config the loader needs. Pure; used at build time.
import type { DeploymentConfig } from '../../config/types.ts';
import type { LoaderConfig } from './loader.ts';

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
    label: l.label,
    color: d.theme?.primaryColor,
    title: d.texts?.title,
    selector: l.selector,
    hideLauncher: l.hideDefaultLauncher,
    prefetch: d.prefetch,
    breakpoint: l.mobileBreakpoint,
  };
  for (const key of Object.keys(slice) as (keyof LoaderConfig)[]) if (slice[key] === undefined) delete slice[key];
  return withLoaderDefaults(slice);
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
