import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { twilioRest, type RestCall } from '../../test/rest-client.ts';
import { startEmulator, type RunningEmulator } from '../emulator.ts';
import { HttpError } from '../http/http-kit.ts';
import { createLogger } from '../log.ts';
import { OrchestrationRateLimit, webChatRateFromEnv } from './rate-limit.ts';

// The Webchat orchestration rate limit, tested by counting requests against a
// frozen clock (only Date is faked; sockets and timers stay real).

const T0 = new Date('2030-01-01T00:00:00.000Z');

afterEach(() => {
  vi.useRealTimers();
});

async function outcome(limit: OrchestrationRateLimit, account: string): Promise<number | 'ok'> {
  try {
    await limit.consume(account);
    return 'ok';
  } catch (error) {
    if (error instanceof HttpError) return error.response.status;
    throw error;
  }
}

describe('OrchestrationRateLimit', () => {
  it('allows N requests per second per account, then answers 429 (20429) with Retry-After until the next second', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const limit = new OrchestrationRateLimit(5);
    const results = [];
    for (let i = 0; i < 7; i += 1) results.push(await outcome(limit, 'AC1'));
    expect(results).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 429, 429]);
    expect(await outcome(limit, 'AC2')).toBe('ok');

    const rejection = await limit.consume('AC1').catch((error: unknown) => error);
    expect(rejection).toBeInstanceOf(HttpError);
    const response = (rejection as HttpError).response;
    expect(response.body).toMatchObject({ code: 20429, status: 429 });
    expect(response.headers?.['Retry-After']).toBe('1');

    vi.setSystemTime(new Date(T0.getTime() + 999));
    expect(await outcome(limit, 'AC1')).toBe(429);
    limit.reset();
    expect(await outcome(limit, 'AC1')).toBe('ok');
    vi.setSystemTime(new Date(T0.getTime() + 2000));
    expect(await outcome(limit, 'AC1')).toBe('ok');
  });

  it('is off at 0 and reads EMULATOR_WEBCHAT_RATE_PER_SECOND', async () => {
    const unlimited = new OrchestrationRateLimit(0);
    for (let i = 0; i < 100; i += 1) expect(await outcome(unlimited, 'AC1')).toBe('ok');
    expect(webChatRateFromEnv({})).toBe(5);
    expect(webChatRateFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: '0' })).toBe(0);
    expect(webChatRateFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: '50' })).toBe(50);
    expect(() => webChatRateFromEnv({ EMULATOR_WEBCHAT_RATE_PER_SECOND: 'fast' })).toThrow(/whole number/);
  });
});

describe('the orchestration endpoints share one budget per account', () => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    process.env.EMULATOR_WEBCHAT_RATE_PER_SECOND = '3';
    emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'silent') });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it('answers the 4th orchestration request in a second with a Twilio 429 and Retry-After, whatever the endpoint', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0);
    const flow = emulator.credentials.webFlexFlowSid;
    const calls: RestCall[] = [
      { method: 'POST', path: '/flex-api/v2/WebChats', form: { AddressSid: emulator.credentials.webChatAddressSid } },
      { method: 'POST', path: '/flex-api/v1/WebChannels', form: { FlexFlowSid: flow, Identity: 'a', CustomerFriendlyName: 'A', ChatFriendlyName: 'A' } },
      { method: 'POST', path: '/flex-api/v1/Channels', form: { FlexFlowSid: flow, Identity: 'b', ChatUserFriendlyName: 'B', ChatFriendlyName: 'B' } },
      { method: 'POST', path: '/preview/Flex/WebChannels', form: { FlexFlowSid: flow, Identity: 'c', CustomerFriendlyName: 'C', ChatFriendlyName: 'C' } },
    ];
    const statuses = [];
    for (const call of calls) statuses.push((await twilioRest(emulator, call)).status);
    expect(statuses).toEqual([201, 201, 201, 429]);

    const limited = await twilioRest(emulator, calls[0] as RestCall);
    expect([limited.status, limited.body.code]).toEqual([429, 20429]);
    expect(limited.headers.get('retry-after')).toBe('1');
    // Other endpoints are not part of the budget.
    expect((await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows' })).status).toBe(200);

    vi.setSystemTime(new Date(T0.getTime() + 1000));
    expect((await twilioRest(emulator, calls[3] as RestCall)).status).toBe(201);
  });
});
