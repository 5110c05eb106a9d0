// Pure validation of submitted pre-engagement data against the deployment's form.
// No I/O; the rules are contracts/pre-engagement.ts (the widget applies them too);
// here also: types, control characters, unknown fields, and English messages.
import { localize } from '../../config/localized.ts';
import type { FormFieldConfig as FormField, PreEngagementConfig } from '../../config/types.ts';
import { consentGiven, fieldPattern, textAnswerProblem, type PreEngagementProblem } from '../../contracts/pre-engagement.ts';

export type PreEngagementValue = string | boolean;

export type PreEngagementResult =
  | {
      ok: true;
      /** Cleaned values (trimmed, NFC-normalised) for the form's fields, in form order. */
      data: Record<string, PreEngagementValue>;
      /** Value of the configured friendlyNameField, when submitted. */
      friendlyName?: string;
    }
  | {
      ok: false;
      /** field name → message; unknown fields are reported under their own name. */
      fields: Record<string, string>;
    };

/** `locale`: the visitor's (init's context.locale), for the form's own error texts when they are per locale. */
export type PreEngagementValidator = (input: Readonly<Record<string, unknown>>, locale?: string) => PreEngagementResult;

const SINGLE_LINE_TYPES = new Set<FormField['type']>(['text', 'email', 'tel', 'hidden', 'select', 'radio']);

/** C0/C1 controls (except tab and LF), DEL and lone surrogates. CR is normalised to LF first. */
const FORBIDDEN_ANYWHERE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}]/u;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/u;

const PROBLEM_TEXT: Record<PreEngagementProblem, (field: FormField) => string> = {
  email: () => 'must be an email address',
  tel: () => 'must be a phone number',
  tooShort: (field) => `must be at least ${field.minLength} characters`,
  tooLong: (field) => `must be at most ${field.maxLength} characters`,
  pattern: () => 'has an invalid format',
  option: () => 'must be one of the offered options',
};

/**
 * Compiles the form once (patterns get HTML `pattern` semantics: whole-value
 * match, Unicode mode) and returns a validator. Throws if a pattern does not
 * compile; the deployment config validation normally catches that first.
 */
export function createPreEngagementValidator(form: PreEngagementConfig): PreEngagementValidator {
  const compiled = new Map<string, FormField>();
  for (const field of form.fields) {
    if (field.pattern !== undefined && fieldPattern(field.pattern) === null) {
      throw new Error(`Pre-engagement field "${field.name}" has an invalid pattern: ${field.pattern}`);
    }
    compiled.set(field.name, field);
  }
  const stripUnknown = form.unknownFields === 'strip';

  return (input, locale = 'en') => {
    const errors = new Map<string, string>();
    const data = new Map<string, PreEngagementValue>();
    const fail = (field: FormField, message: string) => {
      errors.set(field.name, localize(field.errorText, locale) ?? message);
    };

    for (const field of compiled.values()) {
      const present = Object.prototype.hasOwnProperty.call(input, field.name);
      const raw = present ? input[field.name] : undefined;

      if (field.type === 'consent') {
        // Only a real `true` is consent; it is always required, whatever `required` says.
        if (!consentGiven(raw)) fail(field, 'must be accepted (consent)');
        else data.set(field.name, true);
        continue;
      }
      if (field.type === 'checkbox') {
        if (raw === undefined || raw === null) {
          if (field.required) fail(field, 'must be checked');
          continue;
        }
        if (typeof raw !== 'boolean') {
          fail(field, 'must be true or false');
          continue;
        }
        if (field.required && !raw) {
          fail(field, 'must be checked');
          continue;
        }
        data.set(field.name, raw);
        continue;
      }

      if (raw !== undefined && raw !== null && typeof raw !== 'string') {
        fail(field, 'must be text');
        continue;
      }
      const value = (raw ?? '').replace(/\r\n?/g, '\n').normalize('NFC').trim();
      if (value === '') {
        if (field.required) fail(field, 'is required');
        continue;
      }
      if (FORBIDDEN_ANYWHERE.test(value) || (SINGLE_LINE_TYPES.has(field.type) && LINE_BREAKS.test(value))) {
        fail(field, 'contains characters that are not allowed');
        continue;
      }
      const problem = textAnswerProblem(field, value);
      if (problem !== null) {
        fail(field, PROBLEM_TEXT[problem](field));
        continue;
      }
      data.set(field.name, value);
    }

    if (!stripUnknown) {
      for (const name of Object.keys(input)) {
        if (!compiled.has(name)) errors.set(name, 'is not a field of this form');
      }
    }

    if (errors.size) return { ok: false, fields: Object.fromEntries(errors) };
    const result: PreEngagementResult = { ok: true, data: Object.fromEntries(data) };
    const nameField = form.friendlyNameField;
    const friendly = nameField === undefined ? undefined : data.get(nameField);
    if (typeof friendly === 'string') result.friendlyName = friendly;
    return result;
  };
}
