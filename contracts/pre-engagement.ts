// The rules a pre-engagement form's answers follow, written once: the widget
// checks them as the visitor types (and says what is wrong in their language),
// the token service enforces them on POST /webchat/init (in English). Values
// arrive here already trimmed. Lengths count Unicode code points. Imports nothing.
// A consent field's policy link, version and records: contracts/consent.ts.

/** What the rules need of a configured field (config/types.ts FormField has these and more). */
export interface PreEngagementFieldRules {
  name: string;
  type: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  /** HTML `pattern` semantics: the whole value must match, Unicode mode. */
  pattern?: string;
  options?: ReadonlyArray<{ value: string }>;
}

/** Why an answer is refused; each side words it. */
export type PreEngagementProblem = 'email' | 'tel' | 'tooShort' | 'tooLong' | 'pattern' | 'option';

/** Length in Unicode code points, so "李小龍" is 3 and "😀" is 1. */
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
  if (/[\s@"(),:;<>[\]\\]/u.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  const tld = labels[labels.length - 1] ?? '';
  return labels.every((label) => emailLabel.test(label)) && emailTld.test(tld);
}

/** Digits with the usual separators and an optional leading +; 6 to 15 digits (E.164 allows at most 15). */
export function isValidTel(value: string): boolean {
  if (!/^\+?[0-9 ().\-/]+$/.test(value)) return false;
  const digits = value.replace(/[^0-9]/g, '').length;
  return digits >= 6 && digits <= 15;
}

const patternCache = new Map<string, RegExp | null>();

/** A field's pattern as a RegExp with HTML `pattern` semantics, or null when it does not compile. */
export function fieldPattern(pattern: string): RegExp | null {
  let compiled = patternCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = new RegExp(`^(?:${pattern})$`, 'u');
    } catch {
      compiled = null;
    }
    patternCache.set(pattern, compiled);
  }
  return compiled;
}

/** The problem with one text answer (trimmed, not empty), or null when it passes. */
export function textAnswerProblem(field: PreEngagementFieldRules, text: string): PreEngagementProblem | null {
  if (field.type === 'email' && !isValidEmail(text)) return 'email';
  if (field.type === 'tel' && !isValidTel(text)) return 'tel';
  const length = codePointLength(text);
  if (field.minLength !== undefined && length < field.minLength) return 'tooShort';
  if (field.maxLength !== undefined && length > field.maxLength) return 'tooLong';
  if (field.pattern !== undefined) {
    const pattern = fieldPattern(field.pattern);
    // A pattern that does not compile never blocks a visitor (config validation refuses it first).
    if (pattern && !pattern.test(text)) return 'pattern';
  }
  if (field.options?.length && !field.options.some((option) => option.value === text)) return 'option';
  return null;
}

/** Whether an answer to a consent field is an acceptance: only `true` is (never "true", never a default). */
export const consentGiven = (value: unknown): boolean => value === true;
