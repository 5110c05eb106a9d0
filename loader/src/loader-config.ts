// Which part of the deployment config the loader needs. Pure; used at build time.
import type { DeploymentConfig } from '../../config/types.ts';
import type { LoaderConfig } from './loader.ts';

/**
 * The slice of the deployment config baked into loader.js. Everything else
 * (pre-engagement form, texts, token URL, allowed domains) belongs to the widget
 * and must not count against the loader's 2 KB budget.
 */
export function loaderConfigOf(d: DeploymentConfig): LoaderConfig {
  const slice: LoaderConfig = { widgetOrigin: d.widgetOrigin };
  if (d.launcher) slice.launcher = d.launcher;
  if (d.theme?.primaryColor) slice.theme = { primaryColor: d.theme.primaryColor };
  if (d.texts?.title) slice.texts = { title: d.texts.title };
  return slice;
}
