import { describe, expect, it } from 'vitest';
import { HttpError } from '../http-error.ts';
import type { LogEntry } from '../log.ts';
import type { OrchestrationSlot } from '../rate-limit.ts';
import { busyError, FIRST_BACKOFF_MS, withBackPressure } from './back-pressure.ts';

/** A clock that only moves when the code under test sleeps. */
function fakeTime() {
  let nowMs = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => nowMs,
    sleep: async (ms: number) => {
      slept.push(ms);
      nowMs += ms;
    },
    slept,
  };
}

const twilio429 = () => Object.assign(new Error('Too Many Requests'), { status: 429, code: 20429 });

describe('withBackPressure', () => {
  it('retries a 429 from Twilio with growing, jittered waits and returns the first success', async () => {
    const time = fakeTime();
    const logs: LogEntry[] = [];
    let calls = 0;
    const start = withBackPressure(
      async (n: number) => {
        calls += 1;
        if (calls < 3) throw twilio429();
        return n * 2;
      },
      { log: (e) => logs.push(e), budgetMs: 5000, ...time, random: () => 0.5 },
    );
    expect(await start(21)).toBe(42);
    expect(calls).toBe(3);
    expect(time.slept).toEqual([FIRST_BACKOFF_MS, FIRST_BACKOFF_MS * 2]);
    expect(logs.filter((e) => e.msg === 'orchestration_throttled').map((e) => e.attempt)).toEqual([1, 2]);
  });

  it('answers 503 busy with Retry-After when the next retry would pass the budget', async () => {
    const time = fakeTime();
    const logs: LogEntry[] = [];
    let calls = 0;
    const start = withBackPressure(
      async () => {
        calls += 1;
        throw twilio429();
      },
      { log: (e) => logs.push(e), budgetMs: 700, ...time, random: () => 0.5 },
    );
    const error = await start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe('busy');
    expect((error as HttpError).details.headers?.['retry-after']).toBe('1');
    // 200 + 400 fit in 700 ms; the third wait (800) would not.
    expect(time.slept).toEqual([200, 400]);
    expect(calls).toBe(3);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'orchestration_busy', cause: 'twilio_429', attempts: 3, status: 429, twilioCode: 20429 }));
  });

  it('does not retry other failures: they reach the flow, which answers 502', async () => {
    const time = fakeTime();
    let calls = 0;
    const failure = Object.assign(new Error('boom'), { status: 500, code: 20500 });
    const start = withBackPressure(
      async () => {
        calls += 1;
        throw failure;
      },
      { log: () => {}, ...time },
    );
    await expect(start()).rejects.toBe(failure);
    expect(calls).toBe(1);
    expect(time.slept).toEqual([]);
  });

  it('waits for an orchestration slot before calling Twilio, within the budget', async () => {
    const time = fakeTime();
    const answers: OrchestrationSlot[] = [{ allowed: false, retryAfterMs: 300 }, { allowed: false, retryAfterMs: 250 }, { allowed: true }];
    let calls = 0;
    const start = withBackPressure(
      async () => {
        calls += 1;
        return 'CH1';
      },
      { log: () => {}, takeSlot: async () => answers.shift() ?? { allowed: true }, budgetMs: 2000, ...time, random: () => 0 },
    );
    expect(await start()).toBe('CH1');
    expect(time.slept).toEqual([300, 250]);
    expect(calls).toBe(1);
  });

  it('answers busy without calling Twilio when no slot frees up within the budget', async () => {
    const time = fakeTime();
    const logs: LogEntry[] = [];
    let calls = 0;
    const start = withBackPressure(
      async () => {
        calls += 1;
        return 'CH1';
      },
      { log: (e) => logs.push(e), takeSlot: async () => ({ allowed: false, retryAfterMs: 900 }), budgetMs: 2000, ...time, random: () => 0 },
    );
    const error = (await start().catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe('busy');
    expect(error.details.headers).toEqual({ 'retry-after': '1', 'access-control-expose-headers': 'retry-after' });
    expect(calls).toBe(0);
    expect(time.slept).toEqual([900, 900]);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'orchestration_busy', cause: 'slot_limit' }));
  });
});

describe('busyError', () => {
  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(busyError(1).details.headers?.['retry-after']).toBe('1');
    expect(busyError(1001).details.headers?.['retry-after']).toBe('2');
    expect(busyError(0).details.headers?.['retry-after']).toBe('1');
  });
});
