import { createHmac } from 'node:crypto';
import { createRequire } from 'node:module';
import twilio from 'twilio';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createChatTokenMinter, jwtExpiry, mintChatToken, verifyChatToken, type ChatTokenIssuer } from './access-token.ts';
import { testConfig, verifyHs256 } from './testing/fixtures.ts';

const config = testConfig();
const issuer: ChatTokenIssuer = {
  accountSid: config.accountSid,
  apiKeySid: config.apiKeySid,
  apiKeySecret: config.apiKeySecret,
  serviceSid: config.conversationsServiceSid,
};

const mint = (identity = 'visitor-1', ttlSeconds = 3600) => mintChatToken({ ...issuer, identity, ttlSeconds });

/** Signs arbitrary claims the way Twilio's AccessToken does, to build tokens the service did not mint. */
function sign(payload: Record<string, unknown>, secret = issuer.apiKeySecret, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }) {
  const enc = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

const claims = (overrides: Record<string, unknown> = {}) => ({
  iss: issuer.apiKeySid,
  sub: issuer.accountSid,
  exp: Math.floor(Date.now() / 1000) + 600,
  grants: { identity: 'visitor-1', chat: { service_sid: issuer.serviceSid } },
  ...overrides,
});

describe('mintChatToken', () => {
  it('signs an AccessToken with a ChatGrant on the service and reports its expiry', () => {
    const { token, expiresAt } = mint('visitor-abc', 900);
    const jwt = verifyHs256(token, issuer.apiKeySecret);
    expect(jwt.payload.grants).toEqual({ identity: 'visitor-abc', chat: { service_sid: issuer.serviceSid } });
    expect(jwt.payload.iss).toBe(issuer.apiKeySid);
    expect(jwt.payload.sub).toBe(issuer.accountSid);
    expect(jwt.payload.exp - jwt.payload.iat).toBe(900);
    expect(expiresAt.getTime()).toBe(jwt.payload.exp * 1000);
    expect(jwtExpiry(token)).toEqual(expiresAt);
  });
});

/** What twilio's own helper library mints for the same request (AccessToken + ChatGrant, toJwt()). */
function twilioAccessToken(request: ChatTokenIssuer & { identity: string; ttlSeconds: number }): string {
  const { AccessToken } = twilio.jwt;
  const accessToken = new AccessToken(request.accountSid, request.apiKeySid, request.apiKeySecret, { identity: request.identity, ttl: request.ttlSeconds });
  accessToken.addGrant(new AccessToken.ChatGrant({ serviceSid: request.serviceSid }));
  return accessToken.toJwt();
}

/** jsonwebtoken, the library twilio signs with (a dependency of twilio, loaded the way twilio loads it). */
interface JsonWebToken {
  verify(token: string, secret: string, options: { algorithms: string[]; complete: true }): { header: Record<string, unknown>; payload: Record<string, unknown> };
}
const jsonwebtoken = createRequire(createRequire(import.meta.url).resolve('twilio'))('jsonwebtoken') as JsonWebToken;

describe('createChatTokenMinter: byte-compatible with twilio AccessToken', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['a plain secret', issuer, 'visitor-abc', 3600],
    ['a secret that looks like a PEM key and non-ASCII in identity and secret', { ...issuer, apiKeySecret: '-----BEGIN PRIVATE KEY-----\nnot really\nsécret' }, 'user-ñ-日本', 60],
    ['another service and a long TTL', { ...issuer, serviceSid: 'IS' + 'a'.repeat(32) }, 'visitor-' + 'x'.repeat(200), 86_400],
  ] as const)('mints the same token as AccessToken#toJwt() (%s)', (_name, who, identity, ttlSeconds) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-05T08:15:42.731Z'));
    const ours = createChatTokenMinter(who)(identity, ttlSeconds);
    const theirs = twilioAccessToken({ ...who, identity, ttlSeconds });
    expect(ours.token).toBe(theirs);
    expect(ours.expiresAt).toEqual(jwtExpiry(theirs));
  });

  it('decodes and verifies with jsonwebtoken: the Twilio header, claims and ChatGrant', () => {
    const nowMs = Date.UTC(2026, 11, 5, 8, 0, 0, 500);
    const { token, expiresAt } = createChatTokenMinter(issuer)('visitor-42', 900, nowMs);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(nowMs + 1000);
    const decoded = jsonwebtoken.verify(token, issuer.apiKeySecret, { algorithms: ['HS256'], complete: true });
    expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const iat = Math.floor(nowMs / 1000);
    expect(decoded.payload).toEqual({
      jti: `${issuer.apiKeySid}-${iat}`,
      grants: { identity: 'visitor-42', chat: { service_sid: issuer.serviceSid } },
      iat,
      exp: iat + 900,
      iss: issuer.apiKeySid,
      sub: issuer.accountSid,
    });
    expect(expiresAt.getTime()).toBe((iat + 900) * 1000);
    expect(() => jsonwebtoken.verify(token, 'another-secret', { algorithms: ['HS256'], complete: true })).toThrow(/invalid signature/);
  });

  it('a token minted by twilio AccessToken passes verifyChatToken, and ours passes it the same way', async () => {
    const theirs = twilioAccessToken({ ...issuer, identity: 'visitor-t', ttlSeconds: 600 });
    expect(await verifyChatToken(theirs, issuer)).toMatchObject({ ok: true, identity: 'visitor-t' });
    const ours = createChatTokenMinter(issuer)('visitor-o', 600);
    expect(await verifyChatToken(ours.token, issuer)).toEqual({ ok: true, identity: 'visitor-o', expiresAt: ours.expiresAt });
  });
});

describe('verifyChatToken', () => {
  it('accepts a token this service minted', async () => {
    const { token, expiresAt } = mint('visitor-xyz');
    expect(await verifyChatToken(token, issuer)).toEqual({ ok: true, identity: 'visitor-xyz', expiresAt });
  });

  it('refuses an expired token, saying whose and since when (for the refresh grace period)', async () => {
    const { token, expiresAt } = mint('visitor-sleepy');
    expect(await verifyChatToken(token, issuer, expiresAt.getTime())).toEqual({ ok: false, reason: 'expired', identity: 'visitor-sleepy', expiresAt });
    expect(await verifyChatToken(token, issuer, expiresAt.getTime() - 1000)).toMatchObject({ ok: true });
  });

  it('refuses a token signed with another secret', async () => {
    const { token } = mintChatToken({ ...issuer, apiKeySecret: 'someone-elses-secret', identity: 'v', ttlSeconds: 60 });
    expect(await verifyChatToken(token, issuer)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a token whose payload was edited after signing', async () => {
    const { token } = mint('visitor-1');
    const [header, , signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify(claims({ grants: { identity: 'agent-007', chat: { service_sid: issuer.serviceSid } } }))).toString('base64url');
    expect(await verifyChatToken(`${header}.${forged}.${signature}`, issuer)).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it.each([
    ['not a jwt', 'malformed'],
    ['a.b', 'malformed'],
    ['!!.??.**', 'malformed'],
  ])('refuses %j', async (token, reason) => {
    expect(await verifyChatToken(token, issuer)).toEqual({ ok: false, reason });
  });

  it('refuses alg "none" and other algorithms', async () => {
    const none = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    expect(await verifyChatToken(none, issuer)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyChatToken(sign(claims(), issuer.apiKeySecret, { alg: 'HS512' }), issuer)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('checks issuer, account and grant', async () => {
    expect(await verifyChatToken(sign(claims({ iss: 'SK' + 'f'.repeat(32) })), issuer)).toEqual({ ok: false, reason: 'wrong_issuer' });
    expect(await verifyChatToken(sign(claims({ sub: 'AC' + 'f'.repeat(32) })), issuer)).toEqual({ ok: false, reason: 'wrong_issuer' });
    expect(await verifyChatToken(sign(claims({ grants: { identity: 'v', chat: { service_sid: 'IS' + 'f'.repeat(32) } } })), issuer)).toEqual({
      ok: false,
      reason: 'wrong_grant',
    });
    expect(await verifyChatToken(sign(claims({ grants: { chat: { service_sid: issuer.serviceSid } } })), issuer)).toEqual({
      ok: false,
      reason: 'wrong_grant',
    });
    expect(await verifyChatToken(sign(claims({ exp: undefined })), issuer)).toEqual({ ok: false, reason: 'malformed' });
    expect(await verifyChatToken(sign(claims()), issuer)).toMatchObject({ ok: true, identity: 'visitor-1' });
  });
});
