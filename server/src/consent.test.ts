import { describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { PreEngagementConfig } from '../../config/types.ts';
import type { ErrorResponse, WebChatInitResponse } from '../../contracts/token-service.ts';
import { createTokenService, type TokenService } from './app.ts';
import { loadTokenServiceConfig } from './env.ts';
import { createPreEngagementValidator } from './pre-engagement.ts';
import { WIDGET_ORIGIN } from './testing/fixtures.ts';

// A consent field: the service refuses a form without it, and records the accepted
// text version and the time in the pre-engagement data, which Flex (here the
// emulator, through the twilio helper library) keeps in the conversation's attributes.

const form: PreEngagementConfig = {
  fields: [
    { name: 'name', type: 'text', label: 'Name', required: true },
    { name: 'privacy', type: 'consent', label: { en: 'I agree to the processing of my data', de: 'Ich stimme zu' }, version: 'v3', policyUrl: 'https://example.com/privacy' },
  ],
};

describe('consent validation', () => {
  const validate = createPreEngagementValidator(form);

  it.each([[{ name: 'Ana' }], [{ name: 'Ana', privacy: false }], [{ name: 'Ana', privacy: 'true' }], [{ name: 'Ana', privacy: 1 }]])('refuses %j', (input) => {
    expect(validate(input)).toEqual({ ok: false, fields: { privacy: 'must be accepted (consent)' } });
  });

  it('accepts true, even when the field does not say required', () => {
    expect(validate({ name: 'Ana', privacy: true })).toEqual({ ok: true, data: { name: 'Ana', privacy: true } });
  });
});

let service: TokenService;
const NOW = Date.parse('2026-12-05T13:00:00.000Z');

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
it.beforeAll(({ emulator }) => {
  const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN });
  service = createTokenService(config, { preEngagement: form, log: () => {}, now: () => NOW });
});
it.afterAll(async () => {
  await service?.close();
});

const init = (preEngagementData: Record<string, unknown>) =>
  service.fetch(
    new Request('http://127.0.0.1/webchat/init', {
      method: 'POST',
      headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ preEngagementData }),
    }),
    { remoteAddress: '192.0.2.1' },
  );

describe('POST /webchat/init with a consent field (against the emulator)', () => {
  it('records version, policy and time in the conversation attributes', async ({ emulator }) => {
    const response = await init({ name: 'Ana', privacy: true });
    expect(response.status).toBe(200);
    const chat = (await response.json()) as WebChatInitResponse;
    const attributes = emulator.model.get(chat.conversationSid).attributes as { pre_engagement_data: Record<string, unknown> };
    expect(attributes.pre_engagement_data).toEqual({
      name: 'Ana',
      privacy: true,
      _consent: [{ field: 'privacy', version: 'v3', policyUrl: 'https://example.com/privacy', acceptedAt: '2026-12-05T13:00:00.000Z' }],
    });
  });

  it('answers 422 without consent and starts no chat', async ({ emulator }) => {
    const before = emulator.model.conversations.size;
    const response = await init({ name: 'Ana' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as ErrorResponse;
    expect(body.error).toMatchObject({ code: 'validation_failed', fields: { privacy: 'must be accepted (consent)' } });
    expect(emulator.model.conversations.size).toBe(before);
  });

  it('refuses a client-sent _consent (not a field of the form)', async () => {
    const response = await init({ name: 'Ana', privacy: true, _consent: [{ version: 'forged' }] });
    expect(response.status).toBe(422);
    expect(((await response.json()) as ErrorResponse).error.fields).toEqual({ _consent: 'is not a field of this form' });
  });
});
