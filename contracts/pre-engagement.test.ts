import { describe, expect, it } from 'vitest';
import { codePointLength, consentGiven, fieldPattern, isValidEmail, isValidTel, textAnswerProblem } from './pre-engagement.ts';

describe('codePointLength', () => {
  it('counts astral characters once', () => {
    expect(codePointLength('😀😀')).toBe(2);
    expect(codePointLength('李小龍')).toBe(3);
    expect('😀😀'.length).toBe(4);
  });
});

describe('isValidEmail', () => {
  it.each(['a@b.co', 'first.last+tag@sub.example.org', 'zoë@exämple.dk', 'user@xn--exmple-cua.com', '李@例子.中国'])(
    'accepts %s',
    (email) => {
      expect(isValidEmail(email)).toBe(true);
    },
  );

  it.each([
    'plain',
    '@example.com',
    'a@',
    'a@b',
    'a@b.c',
    'a@example.c',
    'a b@example.com',
    'a@exa mple.com',
    'a@@example.com',
    'a@-example.com',
    'a@example-.com',
    'a@example..com',
    '.a@example.com',
    'a.@example.com',
    'a..b@example.com',
    `${'x'.repeat(65)}@example.com`,
    `a@${'b'.repeat(250)}.com`,
  ])('rejects %s', (email) => {
    expect(isValidEmail(email)).toBe(false);
  });

  it.each(['josé@correo.es', '用户@例子.广告', 'x@xn--80ak6aa92e.com'])('accepts %s', (email) => expect(isValidEmail(email)).toBe(true));
});

describe('isValidTel: E.164 numbers, 6 to 15 digits', () => {
  it.each(['+44 20 7946 0958', '(555) 123-4567', '555.123.4567', '112 112', '+1234567890 12345'])('accepts %s', (tel) => {
    expect(isValidTel(tel)).toBe(true);
  });
  it.each(['112', '12345', 'call me', '+1 555 CALL', '555-CALL-NOW', '++1 555', '1'.repeat(16), '+1234567890123456'])('rejects %s', (tel) => {
    expect(isValidTel(tel)).toBe(false);
  });
});

describe('textAnswerProblem', () => {
  const text = { name: 'n', type: 'text' };
  it.each([
    [{ ...text, type: 'email' }, 'nope', 'email'],
    [{ ...text, type: 'tel' }, 'call me', 'tel'],
    [{ ...text, minLength: 2 }, '李', 'tooShort'],
    [{ ...text, maxLength: 3 }, '😀😀😀😀', 'tooLong'],
    [{ ...text, maxLength: 3 }, '😀😀😀', null],
    [{ ...text, pattern: '[A-Z]{2}-\\d{4}' }, 'xAB-1234', 'pattern'],
    [{ ...text, pattern: 'a|b' }, 'ab', 'pattern'],
    [{ ...text, pattern: 'a|b' }, 'b', null],
    [{ ...text, pattern: '(' }, 'anything', null],
    [{ ...text, type: 'select', options: [{ value: 'sales' }] }, 'support', 'option'],
    [{ ...text, type: 'select', options: [{ value: 'sales' }] }, 'sales', null],
    [{ ...text, options: [{ value: 'sales' }] }, 'support', 'option'],
  ] as const)('%j with %j: %s', (field, value, problem) => {
    expect(textAnswerProblem(field, value)).toBe(problem);
  });

  it('compiles a pattern once, and a broken one to null', () => {
    expect(fieldPattern('x+')).toBe(fieldPattern('x+'));
    expect(fieldPattern('(')).toBeNull();
  });
});

describe('consentGiven', () => {
  it('counts only a real true as consent', () => {
    expect([true, 'true', 1, 'on', null, undefined, false].map(consentGiven)).toEqual([true, false, false, false, false, false, false]);
  });
});
