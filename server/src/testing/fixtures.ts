// Shared fixtures for the server tests (not a test file itself).
import { createHmac } from 'node:crypto';
import type { PreEngagementConfig } from '../../../config/types.ts';
import { DEFAULT_RATE_LIMITS, type TokenServiceConfig } from '../env.ts';

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

export const WIDGET_ORIGIN = 'http://127.0.0.1:4030';

/** A local-mode config for the conversations flow (its SIDs typed as present). */
export type TestConfig = TokenServiceConfig & { conversationsServiceSid: string; webChatAddressSid: string };

export function testConfig(overrides: Partial<TokenServiceConfig> = {}): TestConfig {
  return {
    mode: 'local',
    accountSid: sid('AC', 0xabc),
    authToken: 'test-auth-token',
    apiKeySid: sid('SK', 0xabc),
    apiKeySecret: 'test-api-key-secret-0123456789',
    conversationsServiceSid: sid('IS', 0xabc),
    webChatAddressSid: sid('IG', 0xabc),
    allowedOrigins: [WIDGET_ORIGIN],
    tokenTtlSeconds: 3600,
    emulator: { url: 'http://127.0.0.1:4010', twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect' },
    rateLimits: { init: { ...DEFAULT_RATE_LIMITS.init }, refresh: { ...DEFAULT_RATE_LIMITS.refresh } },
    trustProxyHops: 0,
    refreshGraceSeconds: 900,
    ...overrides,
  } as TestConfig;
}

/** The form shipped in flexchat.config.json, frozen here so tests do not depend on edits to it. */
export const testForm: PreEngagementConfig = {
  friendlyNameField: 'friendlyName',
  // Off here, so that tests about other things see no first message; the first-message tests turn it on.
  firstMessageField: false,
  unknownFields: 'reject',
  fields: [
    { name: 'friendlyName', type: 'text', label: 'Name', required: true, maxLength: 80 },
    { name: 'email', type: 'email', label: 'Email', required: true, maxLength: 254 },
    { name: 'question', type: 'textarea', label: 'How can we help?', required: true, maxLength: 1000 },
  ],
};

export const validSubmission = {
  friendlyName: 'Zoë Ærøskøbing 李小龍',
  email: 'zoe@example.com',
  question: 'Where is my order?',
};

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: {
    jti: string;
    iss: string;
    sub: string;
    iat: number;
    exp: number;
    grants: { identity?: string; chat?: { service_sid?: string } } & Record<string, unknown>;
  };
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

/** Decodes a JWT and checks its HS256 signature with `secret`; throws if the signature is wrong. */
export function verifyHs256(token: string, secret: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error(`not a JWT: ${parts.length} parts`);
  const [header, payload, signature] = parts as [string, string, string];
  const expected = b64url(createHmac('sha256', secret).update(`${header}.${payload}`).digest());
  if (expected !== signature) throw new Error('JWT signature does not match the secret');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as DecodedJwt['header'],
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as DecodedJwt['payload'],
  };
}
