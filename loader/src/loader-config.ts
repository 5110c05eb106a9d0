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
  // Left out: the core's defaults apply (and JSON.stringify would drop them anyway).
  for (const key of Object.keys(slice) as (keyof LoaderConfig)[]) if (slice[key] === undefined) delete slice[key];
  return slice;
}
