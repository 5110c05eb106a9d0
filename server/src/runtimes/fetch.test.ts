import { describe, expect } from 'vitest';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { WebChatInitResponse } from '../../../contracts/token-service.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from '../testing/fixtures.ts';
import { createFetchEntry } from './fetch.ts';

// The Fetch-standard entry as Workers-style platforms call it: fetch(request, env),
// with the configuration in the env the platform hands over.

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const deployment: DeploymentConfig = { widgetOrigin: WIDGET_ORIGIN, tokenUrl: 'https://chat-api.example.com', allowedDomains: ['https://shop.example.com'], preEngagement: testForm };

const init = (ip: string) =>
  new Request('https://chat-api.example.com/webchat/init', {
    method: 'POST',
    headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json', 'cf-connecting-ip': ip },
    body: JSON.stringify({ preEngagementData: validSubmission }),
  });

describe('Fetch-standard entry', () => {
  it('builds the service from the env passed with the first request, once, and serves every route', async ({ emulator }) => {
    const entry = createFetchEntry({
      deployment,
      clientAddress: (request) => request.headers.get('cf-connecting-ip') ?? undefined,
      deps: { log: () => undefined },
    });
    const env = { FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '1' };
    const first = await entry.fetch(init('203.0.113.30'), env);
    expect(first.status).toBe(200);
    const body = (await first.json()) as WebChatInitResponse;
    expect(emulator.model.get(body.conversationSid).state).toBe('active');
    // The same client again: limited by the address the platform reported.
    expect((await entry.fetch(init('203.0.113.30'), env)).status).toBe(429);
    expect((await entry.fetch(init('203.0.113.31'), { FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '50' })).status).toBe(200);
    expect(await (await entry.fetch(new Request('https://chat-api.example.com/healthz'))).json()).toEqual({ status: 'ok', mode: 'local' });
  });

  it('uses the env given up front when there is one (Bun, Deno, Vercel: process.env)', async ({ emulator }) => {
    const entry = createFetchEntry({ deployment, env: { FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: 'https://other.example' }, deps: { log: () => undefined } });
    const response = await entry.fetch(init('203.0.113.40'), { FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN });
    expect(response.status).toBe(403);
  });
});
