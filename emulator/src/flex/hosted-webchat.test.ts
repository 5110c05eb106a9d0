import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { RunningEmulator } from '../emulator.ts';
import { verifyAccessToken } from '../auth/access-token.ts';
import { MAX_PRE_ENGAGEMENT_BYTES, normalizeOrigin } from './hosted-webchat.ts';

// Twilio's hosted Webchat 3 init (POST /v2/Webchat/Init, /v2/Webchat/Tokens/Refresh)
// with deployment keys from the agent API: what emulator/FIDELITY.md, "Hosted
// Webchat init", says.

const ORIGIN = 'https://shop.example.com';
const KEY = 'CV' + 'ab'.repeat(16);

/** What Webchat 3's generateSecurityHeaders() sends (values as a Chromium would give them). */
function securityHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    'x-twilio-sec-usersettings': JSON.stringify({ language: 'en-GB', cookieEnabled: true, userTimezone: -60 }),
    'x-twilio-sec-webchatinfo': JSON.stringify({ loginTimestamp: '1764900000000' }),
    'x-twilio-sec-decoders': JSON.stringify({ audio: { supported: true, smooth: true, powerEfficient: true }, video: { supported: true, smooth: true, powerEfficient: true } }),
    'ui-version': '',
    'webchat-version': '',
    ...overrides,
  };
}

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
/** A second emulator for the rate-limit test: Twilio's documented limits, counted in a 60 s window. */
const limitedTest = emulatorTest({ rateLimits: { mode: 'documented', windowSeconds: 60 }, logLevel: 'silent' });
it.beforeAll(async ({ emulator }) => {
  const created = await agentPost(emulator, '/agent/deployment-keys', { key: KEY, allowedOrigins: [ORIGIN, 'http://127.0.0.1:5430/'] });
  expect(created.status).toBe(201);
});

function agentPost(emulator: RunningEmulator, path: string, body: unknown) {
  return fetch(`${emulator.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function post(emulator: RunningEmulator, path: string, fields: Record<string, string>, headers: Record<string, string> = {}, origin: string | null = ORIGIN) {
  return fetch(`${emulator.url}${path}`, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
      ...securityHeaders(),
      ...(origin ? { Origin: origin } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields),
  });
}

const initFields = (overrides: Record<string, string> = {}) => ({
  DeploymentKey: KEY,
  CustomerFriendlyName: 'Ana',
  PreEngagementData: JSON.stringify({ friendlyName: 'Ana', email: 'ana@example.com', query: 'Where is my order?' }),
  ...overrides,
});

async function init(emulator: RunningEmulator, overrides: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const response = await post(emulator, '/flex-api/v2/Webchat/Init', initFields(overrides), headers);
  expect(response.status).toBe(200);
  return (await response.json()) as { token: string; conversation_sid: string; identity: string; expiration: string };
}

describe('deployment keys (agent API)', () => {
  it('lists the keys with their allowed origins, normalised', async ({ emulator }) => {
    const response = await fetch(`${emulator.url}/agent/deployment-keys`);
    const body = (await response.json()) as { deploymentKeys: Array<{ key: string; allowedOrigins: string[]; addressSid: string }> };
    expect(body.deploymentKeys).toContainEqual(
      expect.objectContaining({ key: KEY, allowedOrigins: [ORIGIN, 'http://127.0.0.1:5430'], addressSid: emulator.credentials.webChatAddressSid }),
    );
  });

  it('creates random CV keys and refuses more than 10 origins, non-origins and duplicates', async ({ emulator }) => {
    const random = await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: [ORIGIN] });
    expect(random.status).toBe(201);
    expect(((await random.json()) as { key: string }).key).toMatch(/^CV[0-9a-f]{32}$/);
    const origins = Array.from({ length: 11 }, (_, i) => `https://site${i}.example.com`);
    const tooMany = await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: origins });
    expect(tooMany.status).toBe(400);
    expect(await tooMany.json()).toMatchObject({ error: { code: 'invalid_deployment_key', message: expect.stringContaining('at most 10') } });
    expect((await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: origins.slice(0, 10) })).status).toBe(201);
    expect((await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: ['https://example.com/path'] })).status).toBe(400);
    expect((await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: [ORIGIN], key: KEY })).status).toBe(400);
  });

  it('changes and deletes a key', async ({ emulator }) => {
    const created = (await (await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: [ORIGIN] })).json()) as { key: string };
    const changed = await agentPost(emulator, `/agent/deployment-keys/${created.key}`, { allowedOrigins: ['https://other.example.com'] });
    expect(await changed.json()).toMatchObject({ allowedOrigins: ['https://other.example.com'] });
    expect((await fetch(`${emulator.url}/agent/deployment-keys/${created.key}`, { method: 'DELETE' })).status).toBe(204);
    expect((await post(emulator, '/v2/Webchat/Init', initFields({ DeploymentKey: created.key }), {}, 'https://other.example.com')).status).toBe(404);
  });
});

describe('POST /v2/Webchat/Init', () => {
  it('starts a Flex web chat: a conversation with the visitor, a task, a token for the Conversations service', async ({ emulator }) => {
    const body = await init(emulator);
    expect(Object.keys(body).sort()).toEqual(['conversation_sid', 'expiration', 'identity', 'token']);
    expect(body.conversation_sid).toMatch(/^CH[0-9a-f]{32}$/);
    const verified = verifyAccessToken(body.token, emulator.credentials);
    expect(verified).toMatchObject({ identity: body.identity, chatServiceSid: emulator.credentials.conversationsServiceSid });
    expect(Date.parse(body.expiration)).toBe(verified.expiresAt);
    const conversation = emulator.model.get(body.conversation_sid);
    expect(conversation.attributes).toMatchObject({ from: 'Ana', channel_type: 'web', pre_engagement_data: { email: 'ana@example.com' } });
    expect([...conversation.participants.values()].map((p) => p.identity)).toEqual([body.identity]);
  });

  it('is served at the root and under /flex-api, and keeps a returning visitor\'s Identity', async ({ emulator }) => {
    const response = await post(emulator, '/v2/Webchat/Init', initFields({ Identity: 'returning-visitor-1' }));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ identity: 'returning-visitor-1' });
  });

  it('answers CORS for the browser, preflight included', async ({ emulator }) => {
    const preflight = await fetch(`${emulator.url}/flex-api/v2/Webchat/Init`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'x-twilio-sec-decoders' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-twilio-sec-decoders');
    const response = await post(emulator, '/flex-api/v2/Webchat/Init', initFields());
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
  });

  it('refuses an unknown deployment key with 45778', async ({ emulator }) => {
    const response = await post(emulator, '/flex-api/v2/Webchat/Init', initFields({ DeploymentKey: 'CV' + '0'.repeat(32) }));
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 45778, status: 404 });
  });

  it('refuses an Origin the key does not allow, and a request without one', async ({ emulator }) => {
    for (const origin of ['https://evil.example.com', 'http://shop.example.com', null]) {
      const response = await post(emulator, '/flex-api/v2/Webchat/Init', initFields(), {}, origin);
      expect(response.status, String(origin)).toBe(403);
      expect(await response.json()).toMatchObject({ code: 20403 });
    }
  });

  it('refuses PreEngagementData over 16 KB with 45731, creating nothing', async ({ emulator }) => {
    const before = emulator.model.conversations.size;
    const big = JSON.stringify({ query: 'x'.repeat(MAX_PRE_ENGAGEMENT_BYTES) });
    const response = await post(emulator, '/flex-api/v2/Webchat/Init', initFields({ PreEngagementData: big }));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 45731 });
    expect(emulator.model.conversations.size).toBe(before);
    // Counted in UTF-8 bytes: 5,400 three-byte characters are 16,200 bytes.
    const wide = await post(emulator, '/flex-api/v2/Webchat/Init', initFields({ PreEngagementData: JSON.stringify({ q: '語'.repeat(5400) }) }));
    expect(wide.status).toBe(400);
  });

  it('refuses missing or non-JSON security headers (45745), unknown and missing parameters (20001)', async ({ emulator }) => {
    const noHeader = await post(emulator, '/flex-api/v2/Webchat/Init', initFields(), { 'x-twilio-sec-decoders': '' });
    expect(noHeader.status).toBe(400);
    expect(await noHeader.json()).toMatchObject({ code: 45745 });
    const notJson = await post(emulator, '/flex-api/v2/Webchat/Init', initFields(), { 'x-twilio-sec-usersettings': 'en' });
    expect(await notJson.json()).toMatchObject({ code: 45745 });
    const unknown = await post(emulator, '/flex-api/v2/Webchat/Init', initFields({ AddressSid: emulator.credentials.webChatAddressSid }));
    expect(await unknown.json()).toMatchObject({ code: 20001 });
    const missing = await post(emulator, '/flex-api/v2/Webchat/Init', { CustomerFriendlyName: 'Ana' });
    expect(await missing.json()).toMatchObject({ code: 20001 });
  });
});

describe('POST /v2/Webchat/Tokens/Refresh', () => {
  it('renews the token for the same identity from the same browser', async ({ emulator }) => {
    const session = await init(emulator);
    const response = await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: KEY, Token: session.token });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { token: string; identity: string; expiration: string };
    expect(Object.keys(body).sort()).toEqual(['expiration', 'identity', 'token']);
    expect(body.identity).toBe(session.identity);
    expect(verifyAccessToken(body.token, emulator.credentials).identity).toBe(session.identity);
  });

  it('refuses another browser: a fingerprint that differs from the one recorded at init', async ({ emulator }) => {
    const session = await init(emulator);
    const otherBrowser = securityHeaders({ 'x-twilio-sec-usersettings': JSON.stringify({ language: 'fr-FR', cookieEnabled: true, userTimezone: 0 }) });
    const response = await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: KEY, Token: session.token }, otherBrowser);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 20403 });
    const otherLogin = securityHeaders({ 'x-twilio-sec-webchatinfo': JSON.stringify({ loginTimestamp: '1' }) });
    expect((await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: KEY, Token: session.token }, otherLogin)).status).toBe(403);
  });

  it('refuses a token that is not one, a disallowed origin and another key', async ({ emulator }) => {
    const session = await init(emulator);
    const garbage = await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: KEY, Token: 'not-a-token' });
    expect(await garbage.json()).toMatchObject({ code: 20101, status: 401 });
    const origin = await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: KEY, Token: session.token }, {}, 'https://evil.example.com');
    expect(origin.status).toBe(403);
    const other = (await (await agentPost(emulator, '/agent/deployment-keys', { allowedOrigins: [ORIGIN] })).json()) as { key: string };
    const wrongKey = await post(emulator, '/flex-api/v2/Webchat/Tokens/Refresh', { DeploymentKey: other.key, Token: session.token });
    expect(await wrongKey.json()).toMatchObject({ code: 20101 });
  });
});

describe('the orchestration rate limit', () => {
  limitedTest('counts hosted inits against the Webchat orchestrator budget: the 6th in a second gets 429', async ({ emulator: limited }) => {
    await fetch(`${limited.url}/agent/deployment-keys`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: KEY, allowedOrigins: [ORIGIN] }) });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${limited.url}/v2/Webchat/Init`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: ORIGIN, ...securityHeaders() },
        body: new URLSearchParams(initFields()),
      });
      statuses.push(response.status);
      if (response.status === 429) expect(await response.json()).toMatchObject({ code: 20429 });
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });
});

describe('normalizeOrigin', () => {
  it.each([
    ['https://shop.example.com', 'https://shop.example.com'],
    ['https://shop.example.com/', 'https://shop.example.com'],
    ['HTTP://LOCALHOST:8080', 'http://localhost:8080'],
    ['https://shop.example.com/cart', null],
    ['ftp://shop.example.com', null],
    ['shop.example.com', null],
    [42, null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeOrigin(raw)).toBe(expected);
  });
});
