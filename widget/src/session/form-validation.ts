// Pre-engagement form values and their validation against the configured fields,
// in the visitor's words. The rules themselves are contracts/pre-engagement.ts, which
// the token service enforces too. Pure functions.
import type { FormField } from '../../../config/types.ts';
import { consentGiven, textAnswerProblem, type PreEngagementProblem } from '../../../contracts/pre-engagement.ts';
import { format, type Strings } from '../strings.ts';

export type FormValue = string | boolean;
export type FormValues = Record<string, FormValue>;
export type FormErrors = Record<string, string>;

export type ValidationMessages = Pick<
  Strings,
  'fieldRequired' | 'fieldEmail' | 'fieldTel' | 'fieldTooShort' | 'fieldTooLong' | 'fieldPattern' | 'fieldOption' | 'consentRequired'
>;

export function initialFormValues(fields: readonly FormField[]): FormValues {
  const values: FormValues = {};
  for (const field of fields) {
    // Consent is never given in advance, whatever a default says.
    if (field.type === 'consent') values[field.name] = false;
    else if (field.type === 'checkbox') values[field.name] = field.defaultValue === true || field.defaultValue === 'true';
    else values[field.name] = typeof field.defaultValue === 'string' ? field.defaultValue : '';
  }
  return values;
}

/** The text for each problem without a number in it. */
const problemText = {
  email: 'fieldEmail',
  tel: 'fieldTel',
  pattern: 'fieldPattern',
  option: 'fieldOption',
} as const satisfies Record<Exclude<PreEngagementProblem, 'tooShort' | 'tooLong'>, keyof ValidationMessages>;

/** The error for one field, or null when the value is acceptable. */
export function validateField(field: FormField, value: FormValue | undefined, messages: ValidationMessages): string | null {
  // Hidden fields are filled by the page, not the visitor, who could not fix them.
  if (field.type === 'hidden') return null;
  const fail = (fallback: string) => field.errorText ?? fallback;

  // Always required, whatever `required` says.
  if (field.type === 'consent') return consentGiven(value) ? null : fail(messages.consentRequired);
  if (field.type === 'checkbox') {
    return field.required && value !== true ? fail(messages.fieldRequired) : null;
  }

  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return field.required ? fail(messages.fieldRequired) : null;

  const problem = textAnswerProblem(field, text);
  if (problem === null) return null;
  if (problem === 'tooShort') return fail(format(messages.fieldTooShort, { min: field.minLength ?? 0 }));
  if (problem === 'tooLong') return fail(format(messages.fieldTooLong, { max: field.maxLength ?? 0 }));
  return fail(messages[problemText[problem]]);
}

/** Errors keyed by field name, in field order; empty when the form is valid. */
export function validateForm(fields: readonly FormField[], values: FormValues, messages: ValidationMessages): FormErrors {
  const errors: FormErrors = {};
  for (const field of fields) {
    const error = validateField(field, values[field.name], messages);
    if (error !== null) errors[field.name] = error;
  }
  return errors;
}

/** What is sent as `preEngagementData`: every configured field, strings trimmed. */
export function collectPreEngagementData(fields: readonly FormField[], values: FormValues): Record<string, FormValue> {
  const data: Record<string, FormValue> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === 'checkbox' || field.type === 'consent') data[field.name] = value === true;
    else data[field.name] = typeof value === 'string' ? value.trim() : '';
  }
  return data;
}

/** The first field (in config order) that has an error. */
export function firstInvalidField(fields: readonly FormField[], errors: FormErrors): string | null {
  return fields.find((field) => errors[field.name] !== undefined)?.name ?? null;
}
