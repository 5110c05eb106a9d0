// Preview: unsaved settings from a form builder (FlexChat('preview')) laid over
// the deployment config, never into it, and never changing where the widget connects.
import { localizeForm } from '../../../../config/localized.ts';
import type { DeploymentConfig } from '../../../../config/types.ts';
import { directionOf, matchLocale, pickLocale } from '../../i18n/locales.ts';
import { resolveStrings } from '../../strings.ts';
import { resolveWidgetOptions } from '../../widget-options.ts';
import { createSessionStore } from '../session-store.ts';
import type { Session } from './session.ts';

export interface PreviewSlice {
  /** A preview is shown (it never starts a chat by itself). */
  previewing: boolean;
  /** Bumped whenever `config`, `options` or `strings` change without a store update (a preview). */
  revision: number;
  /** Called after each change of `revision`; returns a function that stops. */
  subscribeConfig(listener: () => void): () => void;
  /**
   * Shows unsaved settings (FlexChat('preview'), validated by the caller), or the
   * deployment's again with `null`. Strings, options, form fields, theme and
   * language follow at once. Without a running chat the start view is shown again
   * (the form, or offline when the previewed hours say closed); a chat in progress
   * only changes its look and strings. Never changes where the widget connects.
   */
  applyPreview(preview: Partial<DeploymentConfig> | null): void;
}

export function createPreviewSlice(s: Session): PreviewSlice {
  const listeners = new Set<() => void>();
  return {
    previewing: false,
    revision: 0,
    subscribeConfig(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    applyPreview(preview) {
      const base = s.deployment;
      const config: DeploymentConfig = preview
        ? { ...base, ...preview, widgetOrigin: base.widgetOrigin, tokenUrl: base.tokenUrl, tokenSource: base.tokenSource, allowedDomains: base.allowedDomains, previewOrigins: base.previewOrigins }
        : base;
      s.previewing = preview !== null;
      s.config = config;
      s.options = resolveWidgetOptions(config, s.optionOverrides);
      const requested = preview?.locale ?? s.hostLocale;
      const locale = requested !== undefined ? matchLocale(requested) : pickLocale(config.locale, s.browserLocales);
      s.form = localizeForm(config.preEngagement, locale, config.locale);
      if (!s.fixedStrings) s.strings = resolveStrings(config.texts, locale, config.textsByLocale);
      // Values typed into fields that are still there (same name and type) are kept.
      const fields = s.form.fields;
      const fresh = createSessionStore(fields).getState().form.values;
      s.set((state) => {
        const values = { ...fresh };
        for (const field of fields) {
          const typed = state.form.values[field.name];
          if (typed !== undefined && typeof typed === typeof fresh[field.name]) values[field.name] = typed;
        }
        return { locale, dir: directionOf(locale), form: { ...state.form, values, errors: {}, message: null } };
      });
      const phase = s.get().phase;
      if (phase === 'ended') s.restart();
      else if (phase === 'pre-engagement' || phase === 'offline') s.checkBusinessHours();
      s.revision++;
      for (const listener of [...listeners]) listener();
    },
  };
}
