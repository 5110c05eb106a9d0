import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { EmulatorCredentials } from '../config.ts';
import { HttpError, type HttpHandler } from '../http/http-kit.ts';
import { requireAccountAuth, twilioRestError } from './twilio-rest.ts';

// Twilio's documented per-endpoint limits of the Flex orchestration APIs, per
// account, in requests per second; beyond them Twilio answers HTTP 429.
//   Flex Conversations: https://www.twilio.com/docs/flex/developer/conversations/limits
//     ("The Flex Webchat orchestrator currently has a rate limit of 5 requests per second")
//   legacy Flex messaging: https://www.twilio.com/docs/flex/developer/messaging/limits
//     (the per-endpoint table: FlexFlows, WebChannels, Channels)
// Each endpoint has its own budget. The preview WebChannels call is the older
// form of creating a web channel and shares that budget (a guess: the stricter
// reading).

export const DOCUMENTED_RATE_LIMITS = {
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
} as const satisfies Record<string, number>;

export type RateLimitedEndpoint = keyof typeof DOCUMENTED_RATE_LIMITS;

/** The endpoints that start a chat: what EMULATOR_WEBCHAT_RATE_PER_SECOND sets. */
const CHAT_CREATION: readonly RateLimitedEndpoint[] = ['POST /v2/WebChats', 'POST /v1/WebChannels', 'POST /v1/Channels'];

export const RATE_LIMITS_ENV = 'EMULATOR_RATE_LIMITS';
export const WEBCHAT_RATE_ENV = 'EMULATOR_WEBCHAT_RATE_PER_SECOND';

export interface RateLimitSettings {
  /** `off`: no limit anywhere (e2e runs many chats in parallel). */
  mode: 'documented' | 'off';
  /** Overrides the per-second budget of each chat-creating endpoint. */
  chatCreationPerSecond?: number;
  /** Length of one counting window; Twilio's limits are per second. Tests lengthen it to count without racing the clock. */
  windowSeconds?: number;
}

/**
 * EMULATOR_RATE_LIMITS=off turns every limit off; EMULATOR_WEBCHAT_RATE_PER_SECOND=N
 * gives each chat-creating endpoint N per second instead (0 also turns every limit off).
 */
export function rateLimitSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimitSettings {
  const mode = env[RATE_LIMITS_ENV]?.trim() || 'documented';
  if (mode !== 'documented' && mode !== 'off') throw new Error(`${RATE_LIMITS_ENV} must be "documented" or "off", got "${mode}"`);
  const raw = env[WEBCHAT_RATE_ENV];
  if (raw === undefined || raw.trim() === '') return { mode };
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${WEBCHAT_RATE_ENV} must be a whole number of requests per second (0 = no limits), got "${raw}"`);
  }
  return value === 0 ? { mode: 'off' } : { mode, chatCreationPerSecond: value };
}

export class EndpointRateLimits {
  readonly perSecond: Readonly<Record<RateLimitedEndpoint, number>> | undefined;
  private limiters = new Map<RateLimitedEndpoint, RateLimiterMemory>();

  constructor(private readonly settings: RateLimitSettings) {
    if (settings.mode === 'off') {
      this.perSecond = undefined;
      return;
    }
    const table: Record<RateLimitedEndpoint, number> = { ...DOCUMENTED_RATE_LIMITS };
    if (settings.chatCreationPerSecond !== undefined) for (const endpoint of CHAT_CREATION) table[endpoint] = settings.chatCreationPerSecond;
    this.perSecond = table;
    this.reset();
  }

  /** Forgets every account's usage. */
  reset(): void {
    if (!this.perSecond) return;
    const windowSeconds = this.settings.windowSeconds ?? 1;
    this.limiters = new Map(
      (Object.entries(this.perSecond) as Array<[RateLimitedEndpoint, number]>).map(([endpoint, points]) => [
        endpoint,
        new RateLimiterMemory({ points, duration: windowSeconds, keyPrefix: endpoint }),
      ]),
    );
  }

  /** Counts one request of the account on the endpoint; throws a Twilio 429 (20429, Retry-After in seconds) beyond its budget. */
  async consume(endpoint: RateLimitedEndpoint, accountSid: string): Promise<void> {
    const limiter = this.limiters.get(endpoint);
    if (!limiter || !this.perSecond) return;
    try {
      await limiter.consume(accountSid);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      const response = twilioRestError(429, 20429, `Too Many Requests: ${endpoint} allows ${this.perSecond[endpoint]} requests per second per account`);
      response.headers = { 'Retry-After': String(retryAfterSeconds) };
      throw new HttpError(response);
    }
  }
}

/** A handler behind account auth and the endpoint's budget: Twilio counts authenticated requests per account. */
export function rateLimited(limits: EndpointRateLimits, endpoint: RateLimitedEndpoint, credentials: EmulatorCredentials, handler: HttpHandler): HttpHandler {
  return async (request) => {
    requireAccountAuth(request, credentials);
    await limits.consume(endpoint, credentials.accountSid);
    return handler(request);
  };
}
