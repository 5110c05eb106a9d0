// Build time (Node, through Vite's module runner: shell-plugin.ts): the widget document's
// first view, the pre-chat form in the deployment's default language, rendered by the
// same components the app renders it with. The markup lands in index.html inside a
// <template>; the boot script (boot.ts) stamps it into #root when it applies, and the
// app (main.tsx, handover.ts) takes it over without losing what the visitor typed.
import { renderToStaticMarkup } from 'react-dom/server';
import type { DeploymentConfig } from '../../../config/types.ts';
import { loadCatalogue, pickLocale, supportedLocales } from '../i18n/locales.ts';
import { createSessionController } from '../session/session-controller.ts';
import { App } from '../ui/App.tsx';
import { themeStyle } from '../ui/theme.ts';
import { resolveWidgetOptions } from '../widget-options.ts';
import { SHELL_ID } from './shell-dom.ts';

/** Why the first view cannot be known at build time, or null when it can. */
export function shellUnknowable(config: DeploymentConfig): string | null {
  // Open or closed depends on the visitor's clock: the first view may be the offline screen.
  if (config.businessHours) return 'business hours';
  // The form may submit itself as soon as the host's prefill arrives.
  if (resolveWidgetOptions(config).skipForm) return 'skipForm';
  return null;
}

/** The language the shell speaks: the one the widget picks when the browser names none of ours. */
export const shellLocale = (config: DeploymentConfig): string => pickLocale(config.locale, []);

/**
 * `<template id="fc-shell">` holding the app's first view, or null when it cannot be
 * known at build time; `data-app`: the app's module, which the boot script runs. `data-languages` (only when the config pins no language): the
 * primary languages the widget has catalogues for, for the boot script's check that the
 * visitor's browser picks the shell's language.
 */
export async function prerenderFormShell(config: DeploymentConfig, scripts: { boot: string; app: string }): Promise<string | null> {
  if (shellUnknowable(config) !== null) return null;
  const locale = shellLocale(config);
  await loadCatalogue(locale);
  const controller = createSessionController({
    config,
    loadTransport: () => Promise.reject(new Error('no transport at build time')),
    browserLocales: [],
  });
  const languages = config.locale ? undefined : [...new Set(supportedLocales().map((tag) => tag.toLowerCase().split('-')[0]!))].join(' ');
  // The boot script right after the template: a classic script, it runs as the parser
  // reaches it and finds the template parsed. It runs the app's module (`data-app`).
  return renderToStaticMarkup(
    <>
      <template id={SHELL_ID} data-locale={locale} data-languages={languages} data-app={scripts.app}>
        <App controller={controller} themeFromStylesheet />
      </template>
      <script src={scripts.boot} crossOrigin="" />
    </>,
  );
}

/** The theme's custom properties as a rule for the app's root (the shell's markup can carry
 *  no style attribute: the widget's CSP has no 'unsafe-inline'). Values are #rrggbb colours. */
export function shellThemeCss(config: DeploymentConfig): string {
  const declarations = Object.entries(themeStyle(config.theme)).map(([name, value]) => {
    if (!/^--fc-[a-z-]+$/.test(name) || !/^#[0-9a-f]{6}$/.test(value)) throw new Error(`shell theme: unexpected ${name}: ${value}`);
    return `${name}:${value}`;
  });
  // Above styles.css' defaults for .fc-app; below the app's own style attribute (a preview's theme).
  return `.fc-app[data-theme]{${declarations.join(';')}}\n`;
}

/** What stands in index.html for the app's module, which the boot script runs: a preload. */
export const appPreload = (href: string): string => renderToStaticMarkup(<link rel="modulepreload" crossOrigin="" href={href} />);
