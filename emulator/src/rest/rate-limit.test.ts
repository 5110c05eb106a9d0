import { describe, expect, it } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { twilioRest, type RestCall } from '../../test/rest-client.ts';
import type { RunningEmulator } from '../emulator.ts';
import { HttpError } from '../http/http-kit.ts';
import { DOCUMENTED_RATE_LIMITS, EndpointRateLimits, rateLimitSettingsFromEnv, type RateLimitedEndpoint } from './rate-limit.ts';

// Twilio's per-endpoint rate limits. The budgets are Twilio's per-second
// numbers; the tests count them in a 60 s window so that a slow machine never
// starts a new window in the middle of a count.

const WINDOW = { windowSeconds: 60 } as const;

/** The file's emulator (for the REST tests), with Twilio's documented limits. */
const test = emulatorTest({ rateLimits: { mode: 'documented', ...WINDOW }, logLevel: 'silent' });

async function outcome(limits: EndpointRateLimits, endpoint: RateLimitedEndpoint, account = 'AC1'): Promise<number | 'ok'> {
  try {
    await limits.consume(endpoint, account);
    return 'ok';
  } catch (error) {
    if (error instanceof HttpError) return error.response.status;
    throw error;
  }
}

describe('EndpointRateLimits', () => {
  it("holds Twilio's documented numbers", () => {
    expect(DOCUMENTED_RATE_LIMITS).toEqual({
      'POST /v2/WebChats': 5,
      'GET /v1/FlexFlows': 10,
      'GET /v1/FlexFlows/{Sid}': 2,
      'POST /v1/FlexFlows': 2,
      'POST /v1/FlexFlows/{Sid}': 1,
      'DELETE /v1/FlexFlows/{Sid}': 2,
      'GET /v1/WebChannels': 1,
      'GET /v1/WebChannels/{Sid}': 1,
      'POST /v1/WebChannels': 5,
      'POST /v1/WebChannels/{Sid}': 1,
      'DELETE /v1/WebChannels/{Sid}': 1,
      'GET /v1/Channels': 5,
      'GET /v1/Channels/{Sid}': 3,
      'POST /v1/Channels': 10,
      'DELETE /v1/Channels/{Sid}': 10,
    });
  });

  it('gives each endpoint its own budget per account, then answers 429 (20429) with Retry-After', async () => {
    const limits = new EndpointRateLimits({ mode: 'documented', ...WINDOW });
    const channels = [];
    for (let i = 0; i < 11; i += 1) channels.push(await outcome(limits, 'POST /v1/Channels'));
    expect(channels).toEqual([...Array(10).fill('ok'), 429]);
    expect(await outcome(limits, 'POST /v2/WebChats')).toBe('ok');
    expect(await outcome(limits, 'POST /v1/Channels', 'AC2')).toBe('ok');
    expect([await outcome(limits, 'POST /v1/FlexFlows/{Sid}'), await outcome(limits, 'POST /v1/FlexFlows/{Sid}')]).toEqual(['ok', 429]);

    const rejection = await limits.consume('POST /v1/Channels', 'AC1').catch((error: unknown) => error);
    const response = (rejection as HttpError).response;
    expect(response.body).toMatchObject({ code: 20429, status: 429 });
    expect(Number(response.headers?.['Retry-After'])).toBeGreaterThanOrEqual(1);
    limits.reset();
    expect(await outcome(limits, 'POST /v1/Channels')).toBe('ok');
  });

  it('is off when told, and EMULATOR_WEBCHAT_RATE_PER_SECOND sets the chat-creating endpoints', async () => {
    const off = new EndpointRateLimits({ mode: 'off' });
    for (let i = 0; i < 50; i += 1) expect(await outcome(off, 'POST /v1/FlexFlows/{Sid}')).toBe('ok');
    expect(rateLimitSettingsFromEnv({})).toEqual({ mode: 'documented' });
    expect(rateLimitSettingsFromEnv({ EMULATOR_RATE_LIMITS: 'off' })).toEqual({ mode: 'off' });
    expect(rateLimitSettingsFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: '0' })).toEqual({ mode: 'off' });
    expect(rateLimitSettingsFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: '50' })).toEqual({ mode: 'documented', chatCreationPerSecond: 50 });
    expect(() => rateLimitSettingsFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: 'fast' })).toThrow(/whole number/);
    expect(() => rateLimitSettingsFromEnv({ EMULATOR_RATE_LIMITS: 'some' })).toThrow(/documented/);
    const lifted = new EndpointRateLimits({ mode: 'documented', chatCreationPerSecond: 50 });
    expect(lifted.perSecond).toMatchObject({ 'POST /v2/WebChats': 50, 'POST /v1/WebChannels': 50, 'POST /v1/Channels': 50, 'POST /v1/WebChannels/{Sid}': 1 });
  });
});

describe('rate limits on the REST endpoints', () => {
  async function statuses(emulator: RunningEmulator, call: RestCall, times: number): Promise<number[]> {
    const result = [];
    for (let i = 0; i < times; i += 1) result.push((await twilioRest(emulator, call)).status);
    return result;
  }

  test('counts /v2/WebChats (5), /v1/Channels (10) and web channel creation (5, v1 and preview together) separately', async ({ emulator }) => {
    const flow = emulator.credentials.webFlexFlowSid;
    expect(await statuses(emulator, { method: 'POST', path: '/flex-api/v2/WebChats', form: { AddressSid: emulator.credentials.webChatAddressSid } }, 6)).toEqual([201, 201, 201, 201, 201, 429]);
    const channels = await statuses(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { FlexFlowSid: flow, Identity: 'c', ChatUserFriendlyName: 'C', ChatFriendlyName: 'C', LongLived: 'true' } }, 11);
    expect(channels).toEqual([...Array(10).fill(201), 429]);
    const webChannel = { FlexFlowSid: flow, Identity: 'w', CustomerFriendlyName: 'W', ChatFriendlyName: 'W' };
    expect(await statuses(emulator, { method: 'POST', path: '/flex-api/v1/WebChannels', form: webChannel }, 3)).toEqual([201, 201, 201]);
    expect(await statuses(emulator, { method: 'POST', path: '/preview/Flex/WebChannels', form: webChannel }, 3)).toEqual([201, 201, 429]);
    const limited = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/WebChannels', form: webChannel });
    expect([limited.status, limited.body.code]).toEqual([429, 20429]);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });

  test('limits Flex Flow reads and updates and web channel updates as documented', async ({ emulator }) => {
    const flow = `/flex-api/v1/FlexFlows/${emulator.credentials.webFlexFlowSid}`;
    expect(await statuses(emulator, { method: 'GET', path: flow }, 3)).toEqual([200, 200, 429]);
    expect(await statuses(emulator, { method: 'POST', path: flow, form: { Enabled: 'true' } }, 2)).toEqual([200, 429]);
    expect(await statuses(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows' }, 11)).toEqual([...Array(10).fill(200), 429]);
    const channel = (await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/Channels' })).body.flex_chat_channels[0].sid as string;
    expect(await statuses(emulator, { method: 'POST', path: `/flex-api/v1/WebChannels/${channel}`, form: { PostEngagementData: '{"rating":5}' } }, 2)).toEqual([200, 429]);
    // Budgets are not shared: a fetch of a channel is still allowed.
    expect((await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/Channels/${channel}` })).status).toBe(200);
    // Requests without credentials are refused before they count: the list (5/s) has 4 left after the one above.
    expect(await statuses(emulator, { method: 'GET', path: '/flex-api/v1/Channels', auth: null }, 6)).toEqual(Array(6).fill(401));
    expect(await statuses(emulator, { method: 'GET', path: '/flex-api/v1/Channels' }, 5)).toEqual([200, 200, 200, 200, 429]);
  });
});
