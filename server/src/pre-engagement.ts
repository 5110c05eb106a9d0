// Pure validation of submitted pre-engagement data against the deployment's form.
// No I/O; the same rules the widget applies client-side, enforced on the server.
import type { FormField, PreEngagementConfig } from '../../config/types.ts';

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

export type PreEngagementValidator = (input: Readonly<Record<string, unknown>>) => PreEngagementResult;

const SINGLE_LINE_TYPES = new Set<FormField['type']>(['text', 'email', 'tel', 'hidden', 'select', 'radio']);

/** C0/C1 controls (except tab and LF), DEL and lone surrogates. CR is normalised to LF first. */
const FORBIDDEN_ANYWHERE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\p{Cs}]/u;
const LINE_BREAKS = /[\t\n\r\u2028\u2029]/u;

/** Length in Unicode code points, so "李小龍" is 3 and "😀" is 1. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

/**
 * Pragmatic address shape: local@domain, no spaces, at least one dot in the
 * domain, letters/digits/hyphens in labels (internationalised names allowed).
 */
export function isEmailShaped(value: string): boolean {
  if (codePointLength(value) > 254) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (codePointLength(local) > 64) return false;
  if (!/^[^\s@"(),:;<>[\\\]]+$/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return false;
  }
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const label = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u;
  if (!labels.every((l) => label.test(l))) return false;
  return /^[\p{L}]{2,}$/u.test(labels[labels.length - 1] ?? '') || /^xn--[a-z0-9-]+$/i.test(labels[labels.length - 1] ?? '');
}

/** Digits with the usual separators and an optional leading +, 3 to 20 digits. */
export function isPhoneShaped(value: string): boolean {
  if (!/^\+?[0-9 ().\-/]+$/.test(value)) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 3 && digits <= 20;
}

interface CompiledField {
  field: FormField;
  pattern?: RegExp;
  options?: Set<string>;
}

/**
 * Compiles the form once (patterns get HTML `pattern` semantics: whole-value
 * match, Unicode mode) and returns a validator. Throws if a pattern does not
 * compile; the deployment config validation normally catches that first.
 */
export function createPreEngagementValidator(form: PreEngagementConfig): PreEngagementValidator {
  const compiled = new Map<string, CompiledField>();
  for (const field of form.fields) {
    const entry: CompiledField = { field };
    if (field.pattern !== undefined) {
      try {
        entry.pattern = new RegExp(`^(?:${field.pattern})$`, 'u');
      } catch (error) {
        throw new Error(`Pre-engagement field "${field.name}" has an invalid pattern: ${(error as Error).message}`);
      }
    }
    if (field.options) entry.options = new Set(field.options.map((o) => o.value));
    compiled.set(field.name, entry);
  }
  const stripUnknown = form.unknownFields === 'strip';

  return (input) => {
    const errors = new Map<string, string>();
    const data = new Map<string, PreEngagementValue>();
    const fail = (entry: CompiledField, message: string) => {
      errors.set(entry.field.name, entry.field.errorText ?? message);
    };

    for (const entry of compiled.values()) {
      const { field } = entry;
      const present = Object.prototype.hasOwnProperty.call(input, field.name);
      const raw = present ? input[field.name] : undefined;

      if (field.type === 'checkbox') {
        if (raw === undefined || raw === null) {
          if (field.required) fail(entry, 'must be checked');
          continue;
        }
        if (typeof raw !== 'boolean') {
          fail(entry, 'must be true or false');
          continue;
        }
        if (field.required && !raw) {
          fail(entry, 'must be checked');
          continue;
        }
        data.set(field.name, raw);
        continue;
      }

      if (raw !== undefined && raw !== null && typeof raw !== 'string') {
        fail(entry, 'must be text');
        continue;
      }
      const value = (raw ?? '').replace(/\r\n?/g, '\n').normalize('NFC').trim();
      if (value === '') {
        if (field.required) fail(entry, 'is required');
        continue;
      }
      if (FORBIDDEN_ANYWHERE.test(value) || (SINGLE_LINE_TYPES.has(field.type) && LINE_BREAKS.test(value))) {
        fail(entry, 'contains characters that are not allowed');
        continue;
      }
      const length = codePointLength(value);
      if (field.minLength !== undefined && length < field.minLength) {
        fail(entry, `must be at least ${field.minLength} characters`);
        continue;
      }
      if (field.maxLength !== undefined && length > field.maxLength) {
        fail(entry, `must be at most ${field.maxLength} characters`);
        continue;
      }
      if (field.type === 'email' && !isEmailShaped(value)) {
        fail(entry, 'must be an email address');
        continue;
      }
      if (field.type === 'tel' && !isPhoneShaped(value)) {
        fail(entry, 'must be a phone number');
        continue;
      }
      if (entry.options && !entry.options.has(value)) {
        fail(entry, 'must be one of the offered options');
        continue;
      }
      if (entry.pattern && !entry.pattern.test(value)) {
        fail(entry, 'has an invalid format');
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
