import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwtExpiry, mintChatToken, verifyChatToken, type ChatTokenIssuer } from './access-token.ts';
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
