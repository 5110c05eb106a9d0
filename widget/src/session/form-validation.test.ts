import { describe, expect, it } from 'vitest';
import type { FormField } from '../../../config/types.ts';
import { defaultStrings } from '../strings.ts';
import { collectPreEngagementData, firstInvalidField, initialFormValues, validateField, validateForm } from './form-validation.ts';

const m = defaultStrings;
const text = (extra: Partial<FormField> = {}): FormField => ({ name: 'f', type: 'text', label: 'F', ...extra });

describe('validateField', () => {
  it('required text: blank and whitespace-only fail, anything else passes', () => {
    const field = text({ required: true });
    expect(validateField(field, '', m)).toBe(m.fieldRequired);
    expect(validateField(field, '   \n', m)).toBe(m.fieldRequired);
    expect(validateField(field, undefined, m)).toBe(m.fieldRequired);
    expect(validateField(field, 'x', m)).toBeNull();
  });

  it('optional empty fields skip the other checks', () => {
    expect(validateField(text({ type: 'email', minLength: 3, pattern: '[0-9]+' }), '', m)).toBeNull();
  });

  it('accepts Unicode names', () => {
    const field = text({ required: true, maxLength: 80, pattern: '[\\p{L}\\p{M} .\'-]+' });
    for (const name of ['Zoë Ångström', '王小明', 'Αλέξανδρος', 'Nguyễn Thị Minh Khai', 'O\'Brien-Smith', 'محمد']) {
      expect(validateField(field, name, m), name).toBeNull();
    }
    expect(validateField(field, 'R2-D2', m)).toBe(m.fieldPattern);
  });

  it('counts length in code points, not UTF-16 units', () => {
    const field = text({ maxLength: 2, minLength: 2 });
    expect(validateField(field, '😀😀', m)).toBeNull();
    expect(validateField(field, '😀😀😀', m)).toBe('Enter at most 2 characters.');
    expect(validateField(field, '😀', m)).toBe('Enter at least 2 characters.');
  });

  it('measures the trimmed value', () => {
    expect(validateField(text({ maxLength: 3 }), '  abc  ', m)).toBeNull();
  });

  it('uses the field errorText for every kind of failure', () => {
    const field = text({ required: true, minLength: 5, errorText: 'Tell us more.' });
    expect(validateField(field, '', m)).toBe('Tell us more.');
    expect(validateField(field, 'abc', m)).toBe('Tell us more.');
  });

  it('patterns must match the whole value, with Unicode semantics', () => {
    const field = text({ pattern: '[A-Z]{2}\\d{4}' });
    expect(validateField(field, 'AB1234', m)).toBeNull();
    expect(validateField(field, 'xAB1234', m)).toBe(m.fieldPattern);
    expect(validateField(text({ pattern: '.' }), '😀', m)).toBeNull();
  });

  it('email fields', () => {
    const field = text({ type: 'email', required: true });
    expect(validateField(field, 'ana@example.com', m)).toBeNull();
    expect(validateField(field, 'ana@example', m)).toBe(m.fieldEmail);
  });

  it('tel fields', () => {
    const field = text({ type: 'tel' });
    expect(validateField(field, '+44 20 7946 0958', m)).toBeNull();
    expect(validateField(field, 'call me', m)).toBe(m.fieldTel);
  });

  it('select and radio values must be one of the options', () => {
    const options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }];
    expect(validateField(text({ type: 'select', options, required: true }), '', m)).toBe(m.fieldRequired);
    expect(validateField(text({ type: 'select', options }), 'b', m)).toBeNull();
    expect(validateField(text({ type: 'radio', options }), 'z', m)).toBe(m.fieldOption);
  });

  it('holds a text field with options to them, as the token service does', () => {
    const field = text({ options: [{ value: 'sales', label: 'Sales' }] });
    expect(validateField(field, 'sales', m)).toBeNull();
    expect(validateField(field, 'support', m)).toBe(m.fieldOption);
  });

  it('says what the checks of contracts/pre-engagement.ts found, in the words of the catalogue', () => {
    const es = { ...m, fieldEmail: 'Introduce un correo válido.', fieldTooLong: 'Como mucho {max} caracteres.' };
    expect(validateField(text({ type: 'email' }), 'ana@', es)).toBe('Introduce un correo válido.');
    expect(validateField(text({ maxLength: 3 }), 'abcd', es)).toBe('Como mucho 3 caracteres.');
  });

  it('required checkboxes must be ticked', () => {
    const field = text({ type: 'checkbox', required: true });
    expect(validateField(field, false, m)).toBe(m.fieldRequired);
    expect(validateField(field, true, m)).toBeNull();
    expect(validateField(text({ type: 'checkbox' }), false, m)).toBeNull();
  });

  it('never blocks on hidden fields the visitor cannot fix', () => {
    expect(validateField(text({ type: 'hidden', required: true }), '', m)).toBeNull();
  });
});

describe('form helpers', () => {
  const fields: FormField[] = [
    { name: 'name', type: 'text', label: 'Name', required: true, defaultValue: 'Ana' },
    { name: 'email', type: 'email', label: 'Email', required: true },
    { name: 'consent', type: 'checkbox', label: 'OK', defaultValue: true },
    { name: 'src', type: 'hidden', label: 'Source', defaultValue: 'ad' },
  ];

  it('initial values come from defaults', () => {
    expect(initialFormValues(fields)).toEqual({ name: 'Ana', email: '', consent: true, src: 'ad' });
  });

  it('validateForm reports errors by field and the first invalid one in config order', () => {
    const errors = validateForm(fields, { name: '', email: 'nope', consent: true, src: '' }, m);
    expect(errors).toEqual({ name: m.fieldRequired, email: m.fieldEmail });
    expect(firstInvalidField(fields, errors)).toBe('name');
    expect(firstInvalidField(fields, {})).toBeNull();
  });

  it('collectPreEngagementData trims strings and includes every field', () => {
    expect(collectPreEngagementData(fields, { name: ' Ana ', email: 'a@b.co ', consent: false })).toEqual({
      name: 'Ana',
      email: 'a@b.co',
      consent: false,
      src: '',
    });
  });
});
