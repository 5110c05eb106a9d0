import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionProofs, generateSessionSecret } from './session-proof.ts';

const SCOPE = { accountSid: `AC${'1'.repeat(32)}`, serviceSid: `IS${'1'.repeat(32)}` };
const SECRET = 'session-secret-0123456789abcdef0123456789';
const BINDING = { identity: 'visitor-1', conversationSid: `CH${'a'.repeat(32)}` };
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const LIFETIME = 3600 + 900;

describe('session proofs', () => {
  const proofs = createSessionProofs(SECRET, SCOPE);

  it('verify what they issue, within the lifetime', () => {
    const proof = proofs.issue(BINDING, NOW);
    expect(proof).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(proofs.verify(proof, BINDING, NOW, LIFETIME)).toEqual({ ok: true, issuedAt: NOW / 1000 });
    expect(proofs.verify(proof, BINDING, NOW + (LIFETIME - 1) * 1000, LIFETIME).ok).toBe(true);
  });

  it('expire after the lifetime', () => {
    const proof = proofs.issue(BINDING, NOW);
    expect(proofs.verify(proof, BINDING, NOW + LIFETIME * 1000, LIFETIME)).toEqual({ ok: false, reason: 'expired' });
  });

  it('are bound to identity and conversation', () => {
    const proof = proofs.issue(BINDING, NOW);
    expect(proofs.verify(proof, { ...BINDING, identity: 'visitor-2' }, NOW, LIFETIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(proofs.verify(proof, { ...BINDING, conversationSid: `CH${'b'.repeat(32)}` }, NOW, LIFETIME)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('are bound to the secret and to the account/service', () => {
    const proof = proofs.issue(BINDING, NOW);
    expect(createSessionProofs(generateSessionSecret(), SCOPE).verify(proof, BINDING, NOW, LIFETIME)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(createSessionProofs(SECRET, { ...SCOPE, serviceSid: `IS${'2'.repeat(32)}` }).verify(proof, BINDING, NOW, LIFETIME)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('cannot be stretched by editing issuedAt', () => {
    const proof = proofs.issue(BINDING, NOW);
    const [, issuedAt, mac] = proof.split('.');
    const later = `v1.${Number(issuedAt) + 3600}.${mac}`;
    expect(proofs.verify(later, BINDING, NOW + 2 * LIFETIME * 1000, LIFETIME)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuse a proof issued in the future (clock tampering or another server far ahead)', () => {
    const proof = proofs.issue(BINDING, NOW + 3600_000);
    expect(proofs.verify(proof, BINDING, NOW, LIFETIME)).toEqual({ ok: false, reason: 'from_the_future' });
  });

  it.each(['', 'v1', 'v2.1.abc', 'v1.abc.def', `v1.1.${'A'.repeat(42)}`, `v1.1.${'A'.repeat(44)}`, `v1.1.${'+'.repeat(43)}`])('refuse malformed %j', (proof) => {
    expect(proofs.verify(proof, BINDING, NOW, LIFETIME)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('are the documented HMAC of scope, binding and issuedAt under the secret as UTF-8 (same proofs as before the key was cached)', () => {
    for (const secret of [SECRET, 'sécret-ü-😀-0123456789abcdef0123456789']) {
      const issuedAt = Math.floor(NOW / 1000);
      const message = ['flexchat-session:v1', SCOPE.accountSid, SCOPE.serviceSid, BINDING.identity, BINDING.conversationSid, String(issuedAt)].join('\n');
      const expected = `v1.${issuedAt}.${createHmac('sha256', secret).update(message).digest('base64url')}`;
      const issuer = createSessionProofs(secret, SCOPE);
      expect(issuer.issue(BINDING, NOW)).toBe(expected);
      expect(issuer.verify(expected, BINDING, NOW, LIFETIME)).toEqual({ ok: true, issuedAt });
    }
  });

  it('generated secrets are random and long', () => {
    const a = generateSessionSecret();
    expect(a.length).toBeGreaterThanOrEqual(43);
    expect(generateSessionSecret()).not.toBe(a);
  });
});
