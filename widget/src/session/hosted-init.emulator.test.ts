// @vitest-environment node
// Integration: the widget's hosted-init client against the emulator's
// /v2/Webchat endpoints, then the real @twilio/conversations SDK on the token it got.
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../../emulator/src/emulator.ts';
import { createConversationsTransport } from '../transport/conversations-transport.ts';
import { createHostedInit, type HostedInitOptions } from './hosted-init.ts';
import { TokenServiceError, type FetchLike } from './token-service.ts';

const WIDGET_ORIGIN = 'http://127.0.0.1:5430';
const KEY = 'CV' + 'cd'.repeat(16);
const browser: HostedInitOptions['navigator'] = { language: 'en-GB', cookieEnabled: true };

const it = emulatorTest({ rateLimits: { mode: 'off' } });
it.beforeAll(async ({ emulator }) => {
  const response = await fetch(`${emulator.url}/agent/deployment-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: KEY, allowedOrigins: [WIDGET_ORIGIN] }),
  });
  expect(response.status).toBe(201);
});

/** fetch as the browser sends it from the widget's iframe: with its Origin. */
const fromOrigin =
  (origin: string): FetchLike =>
  (url, init) =>
    fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), Origin: origin } });

function client(emulator: RunningEmulator, overrides: Partial<HostedInitOptions> = {}) {
  return createHostedInit({
    type: 'hosted',
    deploymentKey: KEY,
    region: 'us1',
    emulatorUrl: emulator.url,
    fetch: fromOrigin(WIDGET_ORIGIN),
    navigator: browser,
    ...overrides,
  });
}

const form = { friendlyName: 'Zoë', email: 'zoe@example.com', question: 'Where is my order?' };

async function failure(run: () => Promise<unknown>): Promise<TokenServiceError> {
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TokenServiceError);
  return error as TokenServiceError;
}

describe('hosted init against the emulator', () => {
  it('starts a Flex chat the SDK joins, and refreshes its token with the same fingerprint', async ({ emulator }) => {
    const hosted = client(emulator);
    const init = await hosted.init({ preEngagementData: form, context: { locale: 'en' } });
    expect(init).toMatchObject({ mode: 'local', twilsockUri: emulator.twilsockUri });
    expect(init.conversationSid).toMatch(/^CH/);
    expect(emulator.model.get(init.conversationSid).attributes).toMatchObject({ from: 'Zoë', pre_engagement_data: form });

    const transport = createConversationsTransport();
    try {
      await transport.connect({ token: init.token, identity: init.identity, conversationSid: init.conversationSid, twilsockUri: init.twilsockUri! });
      await transport.sendMessage('Hello from the hosted widget', 'cmid-1');
      expect(emulator.model.get(init.conversationSid).messages.map((m) => m.body)).toContain('Hello from the hosted widget');

      const fresh = await hosted.refresh({ token: init.token, identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof! });
      expect(fresh.sessionProof).toBe(init.sessionProof);
      await transport.updateToken(fresh.token);
      // Another tab or a reload of the same browser: a new client, the stored proof.
      const again = await client(emulator).refresh({ token: fresh.token, identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof! });
      expect(again.token).toMatch(/^ey/);
    } finally {
      await transport.disconnect();
    }
  });

  it('another browser cannot refresh the chat (its fingerprint differs)', async ({ emulator }) => {
    const init = await client(emulator).init({ preEngagementData: form, context: { locale: 'en' } });
    const other = client(emulator, { navigator: { language: 'fr-FR', cookieEnabled: true } });
    const error = await failure(() => other.refresh({ token: init.token, identity: init.identity, conversationSid: init.conversationSid, sessionProof: init.sessionProof! }));
    expect(error).toMatchObject({ kind: 'auth', status: 403 });
  });

  it('a wrong key, a disallowed origin and an oversized form each get their own kind of error', async ({ emulator }) => {
    const wrongKey = await failure(() => client(emulator, { deploymentKey: 'CV' + '9'.repeat(32) }).init({ preEngagementData: form, context: { locale: 'en' } }));
    expect(wrongKey).toMatchObject({ kind: 'deployment-key', status: 404, serviceCode: '45778' });
    const origin = await failure(() => client(emulator, { fetch: fromOrigin('https://elsewhere.example') }).init({ preEngagementData: form, context: { locale: 'en' } }));
    expect(origin).toMatchObject({ kind: 'origin', status: 403 });
    const big = await failure(() => client(emulator).init({ preEngagementData: { ...form, question: 'x'.repeat(16_500) }, context: { locale: 'en' } }));
    expect(big).toMatchObject({ kind: 'too-large', status: 400, serviceCode: '45731' });
  });
});
