// Mints the visitor's Twilio access token: AccessToken + ChatGrant on one Conversations service.
import twilio from 'twilio';

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

export function mintChatToken(request: ChatTokenRequest): ChatToken {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(request.accountSid, request.apiKeySid, request.apiKeySecret, {
    identity: request.identity,
    ttl: request.ttlSeconds,
  });
  accessToken.addGrant(new AccessToken.ChatGrant({ serviceSid: request.serviceSid }));
  const token = accessToken.toJwt();
  return { token, expiresAt: jwtExpiry(token) };
}

export interface ChatTokenIssuer {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
  serviceSid: string;
}

export type ChatTokenCheck =
  | { ok: true; identity: string; expiresAt: Date }
  /** Ours and well-formed, but past `exp`: identity and expiry let a caller apply a grace period. */
  | { ok: false; reason: 'expired'; identity: string; expiresAt: Date }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'wrong_issuer' | 'wrong_grant' };

const decodeBase64Url = (segment: string): Uint8Array<ArrayBuffer> => {
  if (!/^[A-Za-z0-9_-]*$/.test(segment)) throw new Error('not base64url');
  const base64 = segment.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
};

const decodeJson = (segment: string): unknown => JSON.parse(new TextDecoder().decode(decodeBase64Url(segment)));

/**
 * Checks that `token` is an unexpired chat token this service minted: HS256
 * signature with our API key secret (constant-time, Web Crypto), issuer,
 * subject account, and a ChatGrant on our Conversations service.
 */
export async function verifyChatToken(token: string, issuer: ChatTokenIssuer, nowMs: number = Date.now()): Promise<ChatTokenCheck> {
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'malformed' };
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  let header: unknown;
  let payload: unknown;
  let signature: Uint8Array<ArrayBuffer>;
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
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(issuer.apiKeySecret), { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  if (!(await crypto.subtle.verify('HMAC', key, signature, signed))) return { ok: false, reason: 'bad_signature' };

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
