import { describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { defaultCredentials } from '../config.ts';
import { AccessTokenError, verifyAccessToken } from './access-token.ts';

const { AccessToken } = twilio.jwt;

function mint(overrides: { secret?: string; keySid?: string; accountSid?: string; ttl?: number; identity?: string } = {}): string {
  const token = new AccessToken(
    overrides.accountSid ?? defaultCredentials.accountSid,
    overrides.keySid ?? defaultCredentials.apiKeySid,
    overrides.secret ?? defaultCredentials.apiKeySecret,
    { identity: overrides.identity ?? 'visitor-1', ttl: overrides.ttl ?? 600 },
  );
  token.addGrant(new AccessToken.ChatGrant({ serviceSid: defaultCredentials.conversationsServiceSid }));
  return token.toJwt();
}

function problemOf(token: string, now?: number): string {
  try {
    verifyAccessToken(token, defaultCredentials, now);
    return 'accepted';
  } catch (error) {
    return error instanceof AccessTokenError ? error.problem : 'crashed';
  }
}

describe('verifyAccessToken', () => {
  it('accepts a token made by the twilio helper library and reads identity and service', () => {
    const verified = verifyAccessToken(mint({ identity: 'zoë' }), defaultCredentials);
    expect(verified.identity).toBe('zoë');
    expect(verified.chatServiceSid).toBe(defaultCredentials.conversationsServiceSid);
    expect(verified.expiresAt).toBeGreaterThan(Date.now());
  });

  it('rejects tokens signed with another secret, key or account', () => {
    expect(problemOf(mint({ secret: 'someone-else' }))).toBe('bad-signature');
    expect(problemOf(mint({ keySid: 'SK' + 'f'.repeat(32) }))).toBe('wrong-key');
    expect(problemOf(mint({ accountSid: 'AC' + 'f'.repeat(32) }))).toBe('wrong-account');
  });

  it('rejects expired and malformed tokens', () => {
    expect(problemOf(mint({ ttl: 60 }), Date.now() + 61_000)).toBe('expired');
    expect(problemOf('not-a-jwt')).toBe('malformed');
    expect(problemOf('a.b.c')).toBe('malformed');
  });
});
