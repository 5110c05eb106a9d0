// Back-pressure on the call that starts a Flex chat (POST /v2/WebChats, legacy
// POST /v1/Channels). Twilio lets an account start about 5 chats per second
// ("The Flex Webchat orchestrator currently has a rate limit of 5 requests per
// second", https://www.twilio.com/docs/flex/developer/conversations/limits) and
// answers HTTP 429 beyond that. Two layers keep visitors out of that wall:
//  1. every call first takes a slot from the cluster-wide orchestration limiter
//     (rate-limit.ts: Redis shared by all instances, else this process), whose
//     default stays under Twilio's figure;
//  2. a 429 from Twilio all the same (another app on the account) is retried
//     with jittered exponential backoff.
// Both wait only within a small budget per request. Past it the visitor gets
// 503 `busy` with Retry-After, and the widget retries by itself.
import { HttpError } from '../http-error.ts';
import type { Log } from '../log.ts';
import type { OrchestrationSlot } from '../rate-limit.ts';
import { describeUpstreamError } from '../twilio-client.ts';

/** How long one request may wait for a slot or retry Twilio's 429s before it answers 503 busy. */
export const ORCHESTRATION_WAIT_BUDGET_MS = 2000;
/** The first retry after a 429 waits about this long; each further one twice as long (±50 % jitter). */
export const FIRST_BACKOFF_MS = 200;
export const BUSY_MESSAGE = 'Lots of visitors are starting chats right now; try again in a moment';

export interface BackPressureOptions {
  /** The cluster-wide orchestration limiter; none: only Twilio's own 429s hold calls back. */
  takeSlot?: (() => Promise<OrchestrationSlot>) | undefined;
  budgetMs?: number;
  log: Log;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** 503 busy; Retry-After in whole seconds, at least 1. */
export function busyError(retryAfterMs: number): HttpError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new HttpError('busy', BUSY_MESSAGE, {
    // Retry-After is not a CORS-safelisted response header: expose it to the widget.
    headers: { 'retry-after': String(seconds), 'access-control-expose-headers': 'retry-after' },
  });
}

/** `call` behind the orchestration limiter, with Twilio's 429s retried within the budget. */
export function withBackPressure<A extends unknown[], R>(call: (...args: A) => Promise<R>, options: BackPressureOptions): (...args: A) => Promise<R> {
  const { takeSlot, log } = options;
  const budgetMs = options.budgetMs ?? ORCHESTRATION_WAIT_BUDGET_MS;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;

  return async (...args) => {
    const deadline = now() + budgetMs;
    let throttled = 0;
    for (;;) {
      if (takeSlot) {
        const slot = await takeSlot();
        if (!slot.allowed) {
          // A little jitter so that the requests queued behind one window do not all ask again at once.
          const wait = slot.retryAfterMs + Math.floor(random() * 50);
          if (now() + wait > deadline) {
            log({ level: 'warn', msg: 'orchestration_busy', cause: 'slot_limit', retryAfterMs: wait });
            throw busyError(wait);
          }
          await sleep(wait);
          continue;
        }
      }
      try {
        return await call(...args);
      } catch (error) {
        const summary = describeUpstreamError(error);
        if (summary.status !== 429) throw error;
        const wait = Math.round(FIRST_BACKOFF_MS * 2 ** throttled * (0.5 + random()));
        throttled += 1;
        if (now() + wait > deadline) {
          log({ level: 'warn', msg: 'orchestration_busy', cause: 'twilio_429', attempts: throttled, ...summary });
          throw busyError(wait);
        }
        log({ level: 'info', msg: 'orchestration_throttled', attempt: throttled, waitMs: wait, ...summary });
        await sleep(wait);
      }
    }
  };
}
