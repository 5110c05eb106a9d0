import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deriveUserIdentity, signUserToken, verifyUserToken } from './user-identity.ts';

const SECRET = 'site-owner-identity-secret-0123456789abcdef';
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Signs arbitrary header/claims the way a (possibly careless) site owner might. */
function jwt(header: unknown, claims: unknown, secret = SECRET): string {
  const signing = `${b64(header)}.${b64(claims)}`;
  return `${signing}.${createHmac('sha256', secret).update(signing).digest('base64url')}`;
}

const nowS = NOW / 1000;

describe('verifyUserToken', () => {
  it('accepts a token made by signUserToken and returns the user id', () => {
    expect(verifyUserToken(signUserToken('user 42', SECRET, { nowMs: NOW }), SECRET, NOW)).toEqual({ ok: true, userId: 'user 42' });
  });

  it('accepts a minimal { sub, exp } token without iat or aud', () => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS + 60 }), SECRET, NOW)).toEqual({ ok: true, userId: 'u1' });
  });

  it('refuses a token signed with another secret', () => {
    expect(verifyUserToken(signUserToken('u1', 'another-secret-0123456789abcdef0123', { nowMs: NOW }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
  });

  it('refuses a tampered payload', () => {
    const [header, , signature] = signUserToken('u1', SECRET, { nowMs: NOW }).split('.');
    const forged = `${header}.${b64({ sub: 'admin', exp: nowS + 60 })}.${signature}`;
    expect(verifyUserToken(forged, SECRET, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    [{ alg: 'none' }, 'unsupported_alg'],
    [{ alg: 'HS512' }, 'unsupported_alg'],
    [{ alg: 'RS256' }, 'unsupported_alg'],
    [{}, 'unsupported_alg'],
  ])('refuses header %j', (header, reason) => {
    expect(verifyUserToken(jwt(header, { sub: 'u1', exp: nowS + 60 }), SECRET, NOW)).toEqual({ ok: false, reason });
  });

  it('refuses an unsigned alg:none token even with an empty signature', () => {
    expect(verifyUserToken(`${b64({ alg: 'none' })}.${b64({ sub: 'u1', exp: nowS + 60 })}.`, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('honours exp with a 60 s clock skew', () => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS - 30 }), SECRET, NOW).ok).toBe(true);
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS - 60 }), SECRET, NOW)).toEqual({ ok: false, reason: 'expired' });
  });

  it('honours nbf', () => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', nbf: nowS + 600, exp: nowS + 900 }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'not_yet_valid',
    });
  });

  it('refuses tokens meant to live longer than a day', () => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS + 2 * 86400 }), SECRET, NOW)).toEqual({ ok: false, reason: 'too_long_lived' });
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', iat: nowS - 10, exp: nowS + 86400 }), SECRET, NOW)).toEqual({
      ok: false,
      reason: 'too_long_lived',
    });
  });

  it('checks aud when present', () => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS + 60, aud: 'billing' }), SECRET, NOW)).toEqual({ ok: false, reason: 'wrong_audience' });
    expect(verifyUserToken(jwt({ alg: 'HS256' }, { sub: 'u1', exp: nowS + 60, aud: ['billing', 'flexchat'] }), SECRET, NOW).ok).toBe(true);
  });

  it.each([
    [{ exp: nowS + 60 }, 'bad_subject'],
    [{ sub: '', exp: nowS + 60 }, 'bad_subject'],
    [{ sub: 42, exp: nowS + 60 }, 'bad_subject'],
    [{ sub: 'x'.repeat(257), exp: nowS + 60 }, 'bad_subject'],
    [{ sub: 'u1' }, 'malformed'],
    [{ sub: 'u1', exp: String(nowS + 60) }, 'malformed'],
    [{ sub: 'u1', exp: nowS + 60, iat: 'yesterday' }, 'malformed'],
  ])('refuses claims %j', (claims, reason) => {
    expect(verifyUserToken(jwt({ alg: 'HS256' }, claims), SECRET, NOW)).toEqual({ ok: false, reason });
  });

  it.each(['', 'a.b', 'a.b.c.d', '!!.??.**', `${b64('[1]')}.${b64({ sub: 'u' })}.x`, `${b64({ alg: 'HS256' })}.notjson.x`])('refuses malformed %j', (token) => {
    expect(verifyUserToken(token, SECRET, NOW)).toEqual({ ok: false, reason: 'malformed' });
  });
});

describe('deriveUserIdentity', () => {
  it('is stable for one user and secret, and differs per user and per secret', () => {
    const identity = deriveUserIdentity('user-42@example.com', SECRET);
    expect(identity).toMatch(/^user-[0-9a-f]{32}$/);
    expect(deriveUserIdentity('user-42@example.com', SECRET)).toBe(identity);
    expect(deriveUserIdentity('user-43@example.com', SECRET)).not.toBe(identity);
    expect(deriveUserIdentity('user-42@example.com', `${SECRET}x`)).not.toBe(identity);
  });

  it('does not contain the user id', () => {
    expect(deriveUserIdentity('zoe@example.com', SECRET)).not.toContain('zoe');
  });

  it('is the documented HMAC derivation (so site owners can compute it themselves)', () => {
    const expected = createHmac('sha256', SECRET).update('flexchat-identity:u1').digest('hex').slice(0, 32);
    expect(deriveUserIdentity('u1', SECRET)).toBe(`user-${expected}`);
  });
});
