import { describe, expect, it } from 'vitest';
import { consentRecords, CONSENT_VERSION, isPolicyUrl } from './consent.ts';

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
