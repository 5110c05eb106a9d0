// Preview: unsaved settings from a form builder (FlexChat('preview')) laid over
// the deployment config, never into it, and never changing where the widget connects.
import { localizeForm } from '../../../../config/localized.ts';
import type { DeploymentConfig } from '../../../../config/types.ts';
import { directionOf, matchLocale, pickLocale } from '../../i18n/locales.ts';
import { resolveStrings } from '../../strings.ts';
import { resolveWidgetOptions } from '../../widget-options.ts';
import { initialFormValues } from '../form-validation.ts';
import type { Session } from './session.ts';

export interface PreviewSlice {
  /** A preview is shown (it never starts a chat by itself). */
  previewing: boolean;
  /**
   * Shows unsaved settings (FlexChat('preview'), validated by the caller), or the
   * deployment's again with `null`. Strings, options, form fields, theme and
   * language follow at once (one store update). Without a running chat the start
   * view is shown again (the form, or offline when the previewed hours say closed);
   * a chat in progress only changes its look and strings. Never changes where the
   * widget connects.
   */
  applyPreview(preview: Partial<DeploymentConfig> | null): void;
}

export function createPreviewSlice(s: Session): PreviewSlice {
  return {
    previewing: false,
    applyPreview(preview) {
      const base = s.deployment;
      const config: DeploymentConfig = preview
        ? { ...base, ...preview, widgetOrigin: base.widgetOrigin, tokenUrl: base.tokenUrl, tokenSource: base.tokenSource, allowedDomains: base.allowedDomains, previewOrigins: base.previewOrigins }
        : base;
      s.previewing = preview !== null;
      const requested = preview?.locale ?? s.hostLocale;
      const locale = requested !== undefined ? matchLocale(requested) : pickLocale(config.locale, s.browserLocales);
      const preEngagement = localizeForm(config.preEngagement, locale, config.locale);
      const strings = s.fixedStrings ? s.strings : resolveStrings(config.texts, locale, config.textsByLocale);
      // Values typed into fields that are still there (same name and type) are kept.
      const fields = preEngagement.fields;
      const fresh = initialFormValues(fields);
      s.set((state) => {
        const values = { ...fresh };
        for (const field of fields) {
          const typed = state.form.values[field.name];
          if (typed !== undefined && typeof typed === typeof fresh[field.name]) values[field.name] = typed;
        }
        return {
          config,
          options: resolveWidgetOptions(config, s.optionOverrides),
          strings,
          preEngagement,
          locale,
          dir: directionOf(locale),
          form: { ...state.form, values, errors: {}, message: null },
        };
      });
      const phase = s.get().phase;
      if (phase === 'ended') s.restart();
      else if (phase === 'pre-engagement' || phase === 'offline') s.checkBusinessHours();
    },
  };
}
