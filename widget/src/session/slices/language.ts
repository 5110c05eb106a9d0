// Language: the UI's strings and the form's texts follow the locale the host asks
// for (FlexChat('setLocale')) or the browser's; texts already on screen that came
// from the old strings are swapped for the new ones.
import { localizeForm } from '../../../../config/localized.ts';
import type { FormField } from '../../../../config/types.ts';
import { directionOf, matchLocale } from '../../i18n/locales.ts';
import { resolveStrings, type Strings } from '../../strings.ts';
import { validateForm } from '../form-validation.ts';
import type { SessionState } from '../session-store.ts';
import type { Session } from './session.ts';

export interface LanguageSlice {
  /** The locale the host asked for (FlexChat('setLocale')), if it did. */
  hostLocale: string | undefined;
  /** Switches the UI language (FlexChat('setLocale'), or the browser's). Messages already shown keep theirs. */
  setLocale(requested: string): void;
}

export function createLanguageSlice(s: Session): LanguageSlice {
  /**
   * The texts on screen that came from the old strings (the error, the form's errors, notes), in the
   * new language. Texts from elsewhere (the token service's field errors) stay as they are.
   */
  const relocalized = (before: Strings, after: Strings, fields: readonly FormField[]): Partial<SessionState> => {
    if (after === before) return {};
    const keys = Object.keys(before) as Array<keyof Strings>;
    const swap = (text: string | null): string | null => {
      if (text === null) return null;
      const key = keys.find((k) => before[k] === text);
      return key === undefined ? text : after[key];
    };
    const state = s.get();
    const fieldsInError = Object.keys(state.form.errors);
    const revalidated = fieldsInError.length > 0 ? validateForm(fields, state.form.values, after) : {};
    return {
      error: state.error ? { ...state.error, message: swap(state.error.message) ?? state.error.message } : null,
      notice: swap(state.notice),
      endError: swap(state.endError),
      form: {
        ...state.form,
        message: swap(state.form.message),
        errors: Object.fromEntries(fieldsInError.map((name) => [name, revalidated[name] ?? state.form.errors[name]!])),
      },
    };
  };

  return {
    hostLocale: undefined,
    setLocale(requested) {
      s.hostLocale = requested;
      const locale = matchLocale(requested);
      const before = s.strings;
      const strings = s.fixedStrings ? before : resolveStrings(s.config.texts, locale, s.config.textsByLocale);
      const preEngagement = localizeForm(s.config.preEngagement, locale, s.config.locale);
      s.set({ locale, dir: directionOf(locale), strings, preEngagement, ...relocalized(before, strings, preEngagement.fields) });
    },
  };
}
