// Signed identities for logged-in visitors. The site owner's backend signs a
// short-lived HS256 JWT `{ sub: <user id>, exp }` with FLEXCHAT_IDENTITY_SECRET
// and hands it to the page; the widget passes it to /webchat/init as
// `userToken`. The chat identity is then `user-` + HMAC(secret, sub), stable
// across visits (so the visitor can find their conversations again) and
// meaningless to anyone without the secret (never the user id or other PII).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const USER_IDENTITY_PREFIX = 'user-';
/** Hex characters of the HMAC kept in the identity (128 bits). */
export const USER_IDENTITY_HASH_LENGTH = 32;
/** Tolerated clock difference between the site owner's server and this one. */
export const USER_TOKEN_CLOCK_SKEW_SECONDS = 60;
/** A userToken may live at most this long (exp − iat, or exp − now without iat). */
export const MAX_USER_TOKEN_LIFETIME_SECONDS = 24 * 3600;
export const MAX_USER_ID_LENGTH = 256;
/** Accepted `aud` when the token carries one. */
export const USER_TOKEN_AUDIENCE = 'flexchat';

export type UserTokenCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: 'malformed' | 'unsupported_alg' | 'bad_signature' | 'expired' | 'not_yet_valid' | 'too_long_lived' | 'bad_subject' | 'wrong_audience' };

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function decodeJson(segment: string): unknown {
  if (!BASE64URL.test(segment)) throw new Error('not base64url');
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Verifies an HS256 JWT from the site owner's backend. Only HS256; `exp` is required. */
export function verifyUserToken(token: string, secret: string, nowMs: number = Date.now()): UserTokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let claims: unknown;
  try {
    header = decodeJson(headerPart);
    claims = decodeJson(payloadPart);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isObject(header) || !isObject(claims) || !BASE64URL.test(signaturePart)) return { ok: false, reason: 'malformed' };
  // Never let the token choose its algorithm ("none", RS256-with-HMAC-key confusion, …).
  if (header.alg !== 'HS256') return { ok: false, reason: 'unsupported_alg' };

  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };

  const now = nowMs / 1000;
  const { sub, exp, nbf, iat, aud } = claims;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return { ok: false, reason: 'malformed' };
  if (exp + USER_TOKEN_CLOCK_SKEW_SECONDS <= now) return { ok: false, reason: 'expired' };
  if (typeof nbf === 'number' && nbf - USER_TOKEN_CLOCK_SKEW_SECONDS > now) return { ok: false, reason: 'not_yet_valid' };
  if (iat !== undefined && typeof iat !== 'number') return { ok: false, reason: 'malformed' };
  const issued = typeof iat === 'number' ? Math.min(iat, now + USER_TOKEN_CLOCK_SKEW_SECONDS) : now;
  if (exp - issued > MAX_USER_TOKEN_LIFETIME_SECONDS) return { ok: false, reason: 'too_long_lived' };
  if (aud !== undefined) {
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(USER_TOKEN_AUDIENCE)) return { ok: false, reason: 'wrong_audience' };
  }
  if (typeof sub !== 'string' || sub === '' || sub.length > MAX_USER_ID_LENGTH) return { ok: false, reason: 'bad_subject' };
  return { ok: true, userId: sub };
}

/** `user-` + the first 32 hex digits of HMAC-SHA256(secret, "flexchat-identity:" + userId). */
export function deriveUserIdentity(userId: string, secret: string): string {
  const digest = createHmac('sha256', secret).update(`flexchat-identity:${userId}`).digest('hex');
  return USER_IDENTITY_PREFIX + digest.slice(0, USER_IDENTITY_HASH_LENGTH);
}

/**
 * What the site owner's backend does (also used by tests): an HS256 JWT for
 * `userId`, valid for `ttlSeconds` (default 5 minutes).
 */
export function signUserToken(userId: string, secret: string, options: { ttlSeconds?: number; nowMs?: number; extraClaims?: Record<string, unknown> } = {}): string {
  const iat = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = encode({ alg: 'HS256', typ: 'JWT' });
  const payload = encode({ sub: userId, aud: USER_TOKEN_AUDIENCE, iat, exp: iat + (options.ttlSeconds ?? 300), ...options.extraClaims });
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}
