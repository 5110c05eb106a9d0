import type { TwilioErrorCode } from '../twilio-errors.ts';
import { createHmac, timingSafeEqual } from 'node:crypto';

// Verifies Twilio AccessTokens (HS256, signed with the API key secret) as
// Twilio would: signature, issuer key, account, expiry. The SDK never reads the
// token itself, so the emulator is the only place this matters locally.

export interface VerifiedAccessToken {
  identity: string;
  accountSid: string;
  apiKeySid: string;
  expiresAt: number;
  /** Whether the token carries a ChatGrant at all. */
  hasChatGrant: boolean;
  /** Chat/Conversations service SID from the ChatGrant, if any. */
  chatServiceSid?: string;
}

export type TokenProblem = 'malformed' | 'bad-signature' | 'wrong-key' | 'wrong-account' | 'expired' | 'no-identity';

export class AccessTokenError extends Error {
  constructor(readonly problem: TokenProblem, message: string) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

interface TokenKeys {
  accountSid: string;
  apiKeySid: string;
  apiKeySecret: string;
}

function base64UrlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

export function verifyAccessToken(token: string, keys: TokenKeys, nowMs = Date.now()): VerifiedAccessToken {
  const parts = token.split('.');
  if (parts.length !== 3) throw new AccessTokenError('malformed', 'token is not a JWT');
  const [headerPart, claimsPart, signaturePart] = parts as [string, string, string];
  let header: { alg?: unknown };
  let claims: Record<string, unknown>;
  try {
    header = base64UrlJson(headerPart) as { alg?: unknown };
    claims = base64UrlJson(claimsPart) as Record<string, unknown>;
  } catch {
    throw new AccessTokenError('malformed', 'token parts are not base64url JSON');
  }
  if (header.alg !== 'HS256') throw new AccessTokenError('malformed', 'token must be signed with HS256');
  const expected = createHmac('sha256', keys.apiKeySecret).update(`${headerPart}.${claimsPart}`).digest();
  const actual = Buffer.from(signaturePart, 'base64url');
  if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new AccessTokenError('bad-signature', 'token signature is invalid');
  }
  if (claims.iss !== keys.apiKeySid) throw new AccessTokenError('wrong-key', 'token was not issued with this API key');
  if (claims.sub !== keys.accountSid) throw new AccessTokenError('wrong-account', 'token belongs to another account');
  const exp = Number(claims.exp);
  if (!Number.isFinite(exp) || exp * 1000 <= nowMs) throw new AccessTokenError('expired', 'token has expired');
  const grants = (claims.grants ?? {}) as { identity?: unknown; chat?: { service_sid?: unknown } };
  if (typeof grants.identity !== 'string' || grants.identity === '') {
    throw new AccessTokenError('no-identity', 'token has no identity grant');
  }
  return {
    identity: grants.identity,
    accountSid: keys.accountSid,
    apiKeySid: keys.apiKeySid,
    expiresAt: exp * 1000,
    hasChatGrant: grants.chat !== undefined && grants.chat !== null && typeof grants.chat === 'object',
    chatServiceSid: typeof grants.chat?.service_sid === 'string' ? grants.chat.service_sid : undefined,
  };
}

/**
 * What the realtime service requires of a chat token beyond its signature: a
 * ChatGrant (Twilio 51103), naming a service (51104) of this account (51101).
 * Answered to Twilsock init as 401: the SDKs treat 401 as final (client state
 * `denied`, twilsock/dist/twilsock.js sendInit).
 */
export function chatGrantProblem(token: VerifiedAccessToken, accountServices: ReadonlySet<string>): { errorCode: Extract<TwilioErrorCode, 51101 | 51103 | 51104>; description: string } | undefined {
  if (!token.hasChatGrant) return { errorCode: 51103, description: 'the token has no ChatGrant' };
  if (token.chatServiceSid === undefined || token.chatServiceSid === '') return { errorCode: 51104, description: 'the ChatGrant names no service (service_sid)' };
  if (!accountServices.has(token.chatServiceSid)) return { errorCode: 51101, description: `service ${token.chatServiceSid.slice(0, 40)} is not a Conversations service of this account` };
  return undefined;
}
