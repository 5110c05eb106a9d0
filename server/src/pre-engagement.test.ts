import { describe, expect, it } from 'vitest';
import type { FormFieldConfig as FormField, PreEngagementConfig } from '../../config/types.ts';
import { createPreEngagementValidator } from './pre-engagement.ts';
import { testForm, validSubmission } from './testing/fixtures.ts';

const validate = createPreEngagementValidator(testForm);

function fieldsOf(form: PreEngagementConfig, input: Record<string, unknown>): Record<string, string> {
  const result = createPreEngagementValidator(form)(input);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.data)}`);
  return result.fields;
}

function dataOf(form: PreEngagementConfig, input: Record<string, unknown>) {
  const result = createPreEngagementValidator(form)(input);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.fields)}`);
  return result;
}

const one = (field: FormField, extra: Partial<PreEngagementConfig> = {}): PreEngagementConfig => ({
  fields: [field],
  unknownFields: 'reject',
  ...extra,
});

describe('the shipped form', () => {
  it('accepts Unicode names and returns cleaned data with the friendly name', () => {
    const result = validate(validSubmission);
    expect(result).toEqual({ ok: true, data: validSubmission, friendlyName: 'Zoë Ærøskøbing 李小龍' });
  });

  it('reports every required field that is missing', () => {
    expect(validate({})).toEqual({
      ok: false,
      fields: { friendlyName: 'is required', email: 'is required', question: 'is required' },
    });
  });

  it('treats whitespace-only as missing and trims values', () => {
    expect(validate({ ...validSubmission, friendlyName: ' \t ' })).toEqual({ ok: false, fields: { friendlyName: 'is required' } });
    const result = dataOf(testForm, { ...validSubmission, friendlyName: '  Ana  ', question: '\n hi \n' });
    expect(result.data.friendlyName).toBe('Ana');
    expect(result.data.question).toBe('hi');
    expect(result.friendlyName).toBe('Ana');
  });

  it('rejects unknown fields by name', () => {
    expect(validate({ ...validSubmission, phone: '123', admin: true })).toEqual({
      ok: false,
      fields: { phone: 'is not a field of this form', admin: 'is not a field of this form' },
    });
  });

  it('reports an unknown "__proto__" field as data, not as a prototype', () => {
    const input = JSON.parse(`{"friendlyName":"A","email":"a@b.co","question":"q","__proto__":{"x":1}}`) as Record<string, unknown>;
    const result = validate(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.fields)).toEqual(['__proto__']);
      expect(Object.getPrototypeOf(result.fields)).toBe(Object.prototype);
    }
  });

  it('strips unknown fields when configured', () => {
    const result = dataOf({ ...testForm, unknownFields: 'strip' }, { ...validSubmission, utm_source: 'ads' });
    expect(result.data).toEqual(validSubmission);
  });

  it('rejects non-string values for text fields', () => {
    expect(validate({ ...validSubmission, friendlyName: 42, question: ['a'], email: { a: 1 } })).toEqual({
      ok: false,
      fields: { friendlyName: 'must be text', email: 'must be text', question: 'must be text' },
    });
  });

  it('treats null like an absent value', () => {
    expect(validate({ ...validSubmission, question: null })).toEqual({ ok: false, fields: { question: 'is required' } });
  });
});

describe('lengths are counted in Unicode code points', () => {
  it('accepts exactly maxLength emoji, rejects one more', () => {
    const form = one({ name: 'n', type: 'text', label: 'N', maxLength: 3 });
    expect(dataOf(form, { n: '😀😀😀' }).data.n).toBe('😀😀😀');
    expect(fieldsOf(form, { n: '😀😀😀😀' })).toEqual({ n: 'must be at most 3 characters' });
  });

  it('normalises to NFC before counting, so a decomposed "ë" is one character', () => {
    const form = one({ name: 'n', type: 'text', label: 'N', maxLength: 3 });
    const decomposed = 'Zoe\u0308';
    expect(decomposed.length).toBe(4);
    expect(dataOf(form, { n: decomposed }).data.n).toBe('Zoë');
  });

  it('enforces minLength', () => {
    const form = one({ name: 'n', type: 'text', label: 'N', minLength: 2 });
    expect(fieldsOf(form, { n: 'a' })).toEqual({ n: 'must be at least 2 characters' });
    expect(dataOf(form, { n: '李小' }).data.n).toBe('李小');
  });

  it('does not apply minLength to an empty optional field', () => {
    const form = one({ name: 'n', type: 'text', label: 'N', minLength: 2 });
    expect(dataOf(form, { n: '' }).data).toEqual({});
  });
});

describe('email', () => {
  it('uses the field errorText when configured', () => {
    const form = one({ name: 'email', type: 'email', label: 'Email', required: true, errorText: 'Please enter a valid email address.' });
    expect(fieldsOf(form, { email: 'nope' })).toEqual({ email: 'Please enter a valid email address.' });
    expect(fieldsOf(form, {})).toEqual({ email: 'Please enter a valid email address.' });
  });

  it("answers with the errorText of the visitor's language when it is given per locale", () => {
    const form = one({ name: 'email', type: 'email', label: 'Email', required: true, errorText: { en: 'Please enter a valid email address.', es: 'Escribe un correo válido.' } });
    const validate = createPreEngagementValidator(form);
    expect(validate({ email: 'nope' }, 'es-ES')).toEqual({ ok: false, fields: { email: 'Escribe un correo válido.' } });
    expect(validate({ email: 'nope' }, 'de')).toEqual({ ok: false, fields: { email: 'Please enter a valid email address.' } });
    expect(validate({ email: 'nope' })).toEqual({ ok: false, fields: { email: 'Please enter a valid email address.' } });
  });

  it('says what is wrong without errorText', () => {
    expect(fieldsOf(testForm, { ...validSubmission, email: 'nope' })).toEqual({ email: 'must be an email address' });
  });
});

describe('tel', () => {
  it('validates tel fields', () => {
    expect(fieldsOf(one({ name: 'phone', type: 'tel', label: 'Phone' }), { phone: 'abc' })).toEqual({ phone: 'must be a phone number' });
  });
});

describe('pattern', () => {
  const form = one({ name: 'order', type: 'text', label: 'Order', pattern: '[A-Z]{2}-\\d{4}' });

  it('must match the whole value (HTML pattern semantics)', () => {
    expect(dataOf(form, { order: 'AB-1234' }).data.order).toBe('AB-1234');
    expect(fieldsOf(form, { order: 'xAB-1234' })).toEqual({ order: 'has an invalid format' });
    expect(fieldsOf(form, { order: 'AB-12345' })).toEqual({ order: 'has an invalid format' });
  });

  it('cannot be escaped by alternation', () => {
    const alt = one({ name: 'c', type: 'text', label: 'C', pattern: 'a|b' });
    expect(fieldsOf(alt, { c: 'ab' })).toEqual({ c: 'has an invalid format' });
    expect(dataOf(alt, { c: 'b' }).data.c).toBe('b');
  });

  it('runs in Unicode mode', () => {
    const letters = one({ name: 'name', type: 'text', label: 'Name', pattern: '[\\p{L} ]+' });
    expect(dataOf(letters, { name: 'Zoë Ærøskøbing 李小龍' }).data.name).toBe('Zoë Ærøskøbing 李小龍');
    expect(fieldsOf(letters, { name: 'R2D2' })).toEqual({ name: 'has an invalid format' });
    const single = one({ name: 'e', type: 'text', label: 'E', pattern: '.' });
    expect(dataOf(single, { e: '😀' }).data.e).toBe('😀');
  });

  it('throws at construction for a pattern that does not compile', () => {
    expect(() => createPreEngagementValidator(one({ name: 'x', type: 'text', label: 'X', pattern: '(' }))).toThrow(
      /Pre-engagement field "x" has an invalid pattern/,
    );
  });
});

describe('select and radio', () => {
  const options = [
    { value: 'billing', label: 'Billing' },
    { value: 'tech', label: 'Technical' },
  ];

  it.each(['select', 'radio'] as const)('%s accepts offered values only', (type) => {
    const form = one({ name: 'topic', type, label: 'Topic', required: true, options });
    expect(dataOf(form, { topic: 'tech' }).data.topic).toBe('tech');
    expect(fieldsOf(form, { topic: 'Technical' })).toEqual({ topic: 'must be one of the offered options' });
    expect(fieldsOf(form, { topic: 'other' })).toEqual({ topic: 'must be one of the offered options' });
    expect(fieldsOf(form, {})).toEqual({ topic: 'is required' });
  });
});

describe('checkbox', () => {
  const consent = one({ name: 'consent', type: 'checkbox', label: 'I agree', required: true });
  const optional = one({ name: 'newsletter', type: 'checkbox', label: 'News' });

  it('required means checked', () => {
    expect(dataOf(consent, { consent: true }).data).toEqual({ consent: true });
    expect(fieldsOf(consent, { consent: false })).toEqual({ consent: 'must be checked' });
    expect(fieldsOf(consent, {})).toEqual({ consent: 'must be checked' });
  });

  it('takes booleans only', () => {
    expect(fieldsOf(optional, { newsletter: 'true' })).toEqual({ newsletter: 'must be true or false' });
    expect(fieldsOf(optional, { newsletter: 1 })).toEqual({ newsletter: 'must be true or false' });
    expect(dataOf(optional, { newsletter: false }).data).toEqual({ newsletter: false });
    expect(dataOf(optional, {}).data).toEqual({});
  });

  it('booleans are not accepted for text fields', () => {
    expect(fieldsOf(testForm, { ...validSubmission, friendlyName: true })).toEqual({ friendlyName: 'must be text' });
  });
});

describe('control characters and line breaks', () => {
  it('rejects line breaks in single-line fields but keeps them in a textarea', () => {
    expect(fieldsOf(testForm, { ...validSubmission, friendlyName: 'Ana\nBob' })).toEqual({
      friendlyName: 'contains characters that are not allowed',
    });
    expect(dataOf(testForm, { ...validSubmission, question: 'line 1\r\nline 2\ttabbed' }).data.question).toBe('line 1\nline 2\ttabbed');
  });

  it.each(['a\u0000b', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\ud800b'])('rejects %j anywhere', (value) => {
    expect(fieldsOf(testForm, { ...validSubmission, question: value })).toEqual({
      question: 'contains characters that are not allowed',
    });
  });

  it('accepts emoji (well-formed surrogate pairs) and right-to-left text', () => {
    expect(dataOf(testForm, { ...validSubmission, question: 'مرحبا 👋🏽' }).data.question).toBe('مرحبا 👋🏽');
  });
});

describe('hidden fields and friendly name', () => {
  it('validates hidden fields like text', () => {
    const form = one({ name: 'plan', type: 'hidden', label: 'Plan', maxLength: 5 });
    expect(dataOf(form, { plan: 'pro' }).data).toEqual({ plan: 'pro' });
    expect(fieldsOf(form, { plan: 'enterprise' })).toEqual({ plan: 'must be at most 5 characters' });
  });

  it('has no friendly name when the field is optional and empty, or not configured', () => {
    const form: PreEngagementConfig = {
      friendlyNameField: 'nick',
      fields: [{ name: 'nick', type: 'text', label: 'Nick' }],
    };
    expect(dataOf(form, {})).toEqual({ ok: true, data: {} });
    expect(dataOf({ fields: form.fields }, { nick: 'Zoë' })).toEqual({ ok: true, data: { nick: 'Zoë' } });
  });

  it('keeps form order in the data, whatever the submission order', () => {
    const result = dataOf(testForm, { question: 'q', email: 'a@b.co', friendlyName: 'A' });
    expect(Object.keys(result.data)).toEqual(['friendlyName', 'email', 'question']);
  });

  it('rejects unknown fields by default (unknownFields unset)', () => {
    expect(fieldsOf({ fields: [] }, { x: 'y' })).toEqual({ x: 'is not a field of this form' });
  });
});
