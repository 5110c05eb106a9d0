import { describe, expect, it } from 'vitest';
import { codePointLength, consentGiven, consentRecords, CONSENT_VERSION, fieldPattern, isPolicyUrl, isValidEmail, isValidTel, textAnswerProblem } from './pre-engagement.ts';

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
  it.each(['112', '12345', 'call me', '+1 555 CALL', '++1 555', '1'.repeat(16)])('rejects %s', (tel) => {
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
  ] as const)('%j with %j: %s', (field, value, problem) => {
    expect(textAnswerProblem(field, value)).toBe(problem);
  });

  it('compiles a pattern once, and a broken one to null', () => {
    expect(fieldPattern('x+')).toBe(fieldPattern('x+'));
    expect(fieldPattern('(')).toBeNull();
  });
});

describe('consent', () => {
  it.each(['https://example.com/privacy', 'http://127.0.0.1:4040/privacy#v2', 'https://exämple.de/datenschutz?lang=de'])('accepts the policy URL %s', (url) => {
    expect(isPolicyUrl(url)).toBe(true);
  });

  it.each(['javascript:alert(1)', 'data:text/html,hi', 'mailto:a@b.co', '/privacy', 'https://user:pw@example.com/', 'https://exa mple.com', `https://example.com/${'a'.repeat(2048)}`, 'ftp://example.com/p'])(
    'refuses the policy URL %s',
    (url) => {
      expect(isPolicyUrl(url)).toBe(false);
    },
  );

  it('counts only a real true as consent', () => {
    expect([true, 'true', 1, 'on', null, undefined, false].map(consentGiven)).toEqual([true, false, false, false, false, false, false]);
  });

  it('versions are short tokens', () => {
    expect(['2026-01', 'v3', '1.2.0'].every((v) => CONSENT_VERSION.test(v))).toBe(true);
    expect(['', ' v1', 'v1 ', '-v1', 'x'.repeat(41)].some((v) => CONSENT_VERSION.test(v))).toBe(false);
  });

  it('records version, policy and time for each consent field, nothing for other fields', () => {
    const at = new Date('2026-12-05T13:00:00Z');
    const records = consentRecords(
      [
        { name: 'name', type: 'text' },
        { name: 'privacy', type: 'consent', version: 'v3', policyUrl: 'https://example.com/privacy' },
      ],
      at,
    );
    expect(records).toEqual([{ field: 'privacy', version: 'v3', policyUrl: 'https://example.com/privacy', acceptedAt: '2026-12-05T13:00:00.000Z' }]);
  });
});
