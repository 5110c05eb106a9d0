// Mints the visitor's Twilio access token: an AccessToken with a ChatGrant on
// one Conversations service, byte for byte what twilio's
// `AccessToken#toJwt()` produces (same header with `cty: twilio-fpa;v=1`, same
// claims in the same order), signed with a key object made once per issuer.
// twilio's helper hands the secret string to jsonwebtoken, which first tries to
// parse it as a private key on every call (and fails) before using it as an
// HMAC secret: that costs 0.5–3 ms per token; this costs a few microseconds.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

export interface ChatTokenRequest {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** IS… SID the ChatGrant is scoped to. */
  serviceSid: string;
  identity: string;
  ttlSeconds: number;
}

export interface ChatToken {
  token: string;
  expiresAt: Date;
}

/** Reads the `exp` claim of a JWT we just signed (no verification needed: we made it). */
export function jwtExpiry(token: string): Date {
  const payload = token.split('.')[1];
  if (payload === undefined) throw new Error('Not a JWT');
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const claims = JSON.parse(atob(padded)) as { exp?: unknown };
  if (typeof claims.exp !== 'number') throw new Error('JWT has no exp claim');
  return new Date(claims.exp * 1000);
}

export interface ChatTokenIssuer {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  serviceSid: string;
}

/** Mints tokens for one identity at a time; `nowMs` defaults to Date.now() (as twilio's AccessToken). */
export type ChatTokenMinter = (identity: string, ttlSeconds: number, nowMs?: number) => ChatToken;

/** jsonwebtoken's header for AccessToken: `alg`, `typ`, then AccessToken's own `cty` (no region: no `twr`). */
const ACCESS_TOKEN_HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })).toString('base64url');

/** Secrets as jsonwebtoken uses them: the string's UTF-8 bytes as an HMAC key. */
const keyCache = new Map<string, KeyObject>();
function secretKey(secret: string): KeyObject {
  let key = keyCache.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    // A service has one or two secrets; tests make many. Keep the cache small.
    if (keyCache.size >= 16) keyCache.clear();
    keyCache.set(secret, key);
  }
  return key;
}

/**
 * A minter for one issuer: the HMAC key object and the header segment are made
 * once, here; each token is one JSON.stringify, one base64url and one HMAC.
 */
export function createChatTokenMinter(issuer: ChatTokenIssuer): ChatTokenMinter {
  const key = secretKey(issuer.apiKeySecret);
  const chat = { service_sid: issuer.serviceSid };
  return (identity, ttlSeconds, nowMs = Date.now()) => {
    const now = Math.floor(nowMs / 1000);
    // Claim order as AccessToken + jsonwebtoken write it: jti, grants, iat, exp, iss, sub.
    const claims = {
      jti: `${issuer.apiKeySid}-${now}`,
      grants: { identity, chat },
      iat: now,
      exp: now + ttlSeconds,
      iss: issuer.apiKeySid,
      sub: issuer.accountSid,
    };
    const signed = `${ACCESS_TOKEN_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
    const token = `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
    return { token, expiresAt: new Date(claims.exp * 1000) };
  };
}

/** One token (builds a minter for the call; the service keeps one per issuer: createChatTokenMinter). */
export function mintChatToken(request: ChatTokenRequest): ChatToken {
  return createChatTokenMinter(request)(request.identity, request.ttlSeconds);
}

export type ChatTokenCheck =
  | { ok: true; identity: string; expiresAt: Date }
  /** Ours and well-formed, but past `exp`: identity and expiry let a caller apply a grace period. */
  | { ok: false; reason: 'expired'; identity: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'wrong_grant' };

const decodeBase64Url = (segment: string): Buffer => {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('not base64url');
  return Buffer.from(segment, 'base64url');
};

const decodeJson = (segment: string): unknown => JSON.parse(decodeBase64Url(segment).toString('utf8'));

/**
 * Checks that `token` is an unexpired chat token this service minted: HS256
 * signature with our API key secret (constant-time, cached key object), issuer,
 * subject account, and a ChatGrant on our Conversations service.
 */
export async function verifyChatToken(token: string, issuer: ChatTokenIssuer, nowMs: number = Date.now()): Promise<ChatTokenCheck> {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  let signature: Buffer;
  try {
    header = decodeJson(headerPart);
    payload = decodeJson(payloadPart);
    signature = decodeBase64Url(signaturePart);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof header !== 'object' || header === null || (header as { alg?: unknown }).alg !== 'HS256') {
    return { ok: false, reason: 'malformed' };
  }
  const expected = createHmac('sha256', secretKey(issuer.apiKeySecret)).update(`${headerPart}.${payloadPart}`).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) return { ok: false, reason: 'bad_signature' };
  const claims = (typeof payload === 'object' && payload !== null ? payload : {}) as {
    iss?: unknown;
    sub?: unknown;
    exp?: unknown;
    grants?: { identity?: unknown; chat?: { service_sid?: unknown } };
  };
  if (claims.iss !== issuer.apiKeySid || claims.sub !== issuer.accountSid) return { ok: false, reason: 'wrong_issuer' };
  const identity = claims.grants?.identity;
  if (typeof identity !== 'string' || identity === '' || claims.grants?.chat?.service_sid !== issuer.serviceSid) {
    return { ok: false, reason: 'wrong_grant' };
  }
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return { ok: false, reason: 'malformed' };
  const expiresAt = new Date(claims.exp * 1000);
  if (claims.exp * 1000 <= nowMs) return { ok: false, reason: 'expired', identity, expiresAt };
  return { ok: true, identity, expiresAt };
}
