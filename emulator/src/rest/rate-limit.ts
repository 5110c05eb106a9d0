import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from '../http/http-kit.ts';
import { twilioRestError } from './twilio-rest.ts';

// Twilio limits the Webchat orchestration endpoints (/v2/WebChats,
// /v1/WebChannels, /v1/Channels, the preview WebChannels) to about 5 requests
// per second per account, answering 429 beyond. One shared budget per account
// across all of them, in fixed one-second windows.

export const DEFAULT_WEBCHAT_RATE_PER_SECOND = 5;
export const WEBCHAT_RATE_ENV = 'EMULATOR_WEBCHAT_RATE_PER_SECOND';

/** Requests per second from EMULATOR_WEBCHAT_RATE_PER_SECOND; 0 turns the limit off. */
export function webChatRateFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WEBCHAT_RATE_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_WEBCHAT_RATE_PER_SECOND;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${WEBCHAT_RATE_ENV} must be a whole number of requests per second (0 = unlimited), got "${raw}"`);
  }
  return value;
}

export class OrchestrationRateLimit {
  private limiter: RateLimiterMemory | undefined;

  /** `perSecond` 0 (or less) means unlimited. */
  constructor(readonly perSecond: number) {
    this.reset();
  }

  /** Forgets every account's usage. */
  reset(): void {
    this.limiter = this.perSecond > 0 ? new RateLimiterMemory({ points: this.perSecond, duration: 1, keyPrefix: 'webchat' }) : undefined;
  }

  /** Counts one request for the account; throws a Twilio 429 (code 20429, Retry-After) when over budget. */
  async consume(accountSid: string): Promise<void> {
    if (!this.limiter) return;
    try {
      await this.limiter.consume(accountSid);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const response = twilioRestError(429, 20429, `Too Many Requests: the Webchat orchestration endpoints allow ${this.perSecond} requests per second per account`);
      response.headers = { 'Retry-After': String(retryAfterSeconds) };
      throw new HttpError(response);
    }
  }
}
