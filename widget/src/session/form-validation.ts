// Pre-engagement form values and their validation against the configured fields.
// Pure functions; lengths are counted in Unicode code points.
import type { FormField } from '../../../config/types.ts';
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

export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

const emailLabel = /^(?!-)[\p{L}\p{M}\p{N}-]{1,63}(?<!-)$/u;
const emailTld = /^(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]+)$/iu;

/** A pragmatic address check: one @, a dotted domain, Unicode allowed on both sides. */
export function isValidEmail(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (codePointLength(local) > 64 || codePointLength(value) > 254) return false;
  if (/[\s@"(),:;<>[\]\\]/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return false;
  }
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1] ?? '';
  return labels.every((label) => emailLabel.test(label)) && emailTld.test(tld);
}

/** Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164 max). */
export function isValidTel(value: string): boolean {
  if (!/^\+?[0-9 ().\-/]+$/.test(value)) return false;
  const digits = value.replace(/[^0-9]/g, '').length;
  return digits >= 6 && digits <= 15;
}

const patternCache = new Map<string, RegExp | null>();

function compiledPattern(pattern: string): RegExp | null {
  if (!patternCache.has(pattern)) {
    let compiled: RegExp | null = null;
    try {
      // Same semantics as the HTML pattern attribute: the whole value must match.
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      compiled = null; // config validation rejects bad patterns; never block a visitor on one
    }
    patternCache.set(pattern, compiled);
  }
  return patternCache.get(pattern) ?? null;
}

/** The error for one field, or null when the value is acceptable. */
export function validateField(field: FormField, value: FormValue | undefined, messages: ValidationMessages): string | null {
  // Hidden fields are filled by the page, not the visitor, who could not fix them.
  if (field.type === 'hidden') return null;
  const fail = (fallback: string) => field.errorText ?? fallback;

  // Always required; only a real true is consent (as contracts/pre-engagement.ts consentGiven).
  if (field.type === 'consent') return value === true ? null : fail(messages.consentRequired);
  if (field.type === 'checkbox') {
    return field.required && value !== true ? fail(messages.fieldRequired) : null;
  }

  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') return field.required ? fail(messages.fieldRequired) : null;

  if (field.type === 'email' && !isValidEmail(text)) return fail(messages.fieldEmail);
  if (field.type === 'tel' && !isValidTel(text)) return fail(messages.fieldTel);

  const length = codePointLength(text);
  if (field.minLength !== undefined && length < field.minLength) {
    return fail(format(messages.fieldTooShort, { min: field.minLength }));
  }
  if (field.maxLength !== undefined && length > field.maxLength) {
    return fail(format(messages.fieldTooLong, { max: field.maxLength }));
  }
  if (field.pattern !== undefined) {
    const pattern = compiledPattern(field.pattern);
    if (pattern && !pattern.test(text)) return fail(messages.fieldPattern);
  }
  if ((field.type === 'select' || field.type === 'radio') && field.options?.length) {
    if (!field.options.some((option) => option.value === text)) return fail(messages.fieldOption);
  }
  return null;
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
