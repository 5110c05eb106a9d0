// Rate limits per client IP and per deployment (rate-limiter-flexible), in
// fixed one-minute windows. The store is this process's memory by default; with
// FLEXCHAT_REDIS_URL every instance counts in one Redis, so limits hold across a
// fleet. The Redis client (ioredis) is imported and connected on first use only.
// If Redis is down, each instance falls back to its own memory counters until it
// is back (rate-limiter-flexible's insurance limiter): limits loosen, chats go on.
// The same store counts the account's orchestration slots (calls that start a
// Flex chat) in one-second windows, so the fleet as a whole stays under
// Twilio's per-account limit (chat-flow/back-pressure.ts waits for a slot).
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract, type RateLimiterStoreAbstract } from 'rate-limiter-flexible';
import { rateLimitKeyOf } from './client-ip.ts';
import { DEFAULT_MESSAGE_RATE_LIMIT, type RateLimitRule, type RateLimitSettings } from './env.ts';

export type RateLimitedRoute = 'init' | 'refresh' | 'end' | 'message' | 'transcript' | 'survey';
export type RateLimitScope = 'ip' | 'deployment';

export type RateLimitDecision = { allowed: true } | { allowed: false; scope: RateLimitScope; retryAfterSeconds: number };

/** One call that starts a Flex chat: allowed now, or how long until the next slot frees up. */
export type OrchestrationSlot = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  /** Counts one request of `route` from `ip` (undefined: unknown, only the deployment limit applies). */
  check(route: RateLimitedRoute, ip: string | undefined): Promise<RateLimitDecision>;
  /** Disconnects from Redis, if connected. */
  close(): Promise<void>;
  /** With a Redis URL: resolves when Redis answers a PING (connecting first if need be), rejects when it does not. */
  ping?(): Promise<void>;
  /**
   * Takes one of the account's orchestration slots (calls that start a Flex chat),
   * counted per second for the whole cluster; refused: how long until the next one.
   */
  takeOrchestrationSlot?(): Promise<OrchestrationSlot>;
}

/** What this module needs from a Redis client (an ioredis `Redis`). */
export interface RedisStoreClient {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'close', listener: () => void): unknown;
  ping(): Promise<unknown>;
  disconnect(): void;
}

export type ConnectRedis = (url: string, onError: (error: Error) => void) => Promise<RedisStoreClient>;

export type RateLimitLog = (entry: { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>) => void;

export interface RateLimiterOptions {
  /** Names this deployment in the shared store (the web chat address SID). */
  deploymentKey: string;
  /** Redis shared by all instances; memory when unset. */
  redisUrl?: string | undefined;
  /** Default: ioredis, imported on first use. */
  connectRedis?: ConnectRedis;
  /** Calls that start a Flex chat, per second, for everything sharing `key` (the account SID); off when absent or 0. */
  orchestration?: { perSecond: number; key: string };
  log: RateLimitLog;
}

export const RATE_LIMIT_WINDOW_SECONDS = 60;
export const RATE_LIMIT_KEY_PREFIX = 'flexchat:rl';
export const ORCHESTRATION_KEY_PREFIX = 'flexchat:orch';
/** Upper bound on one Redis round trip before the insurance limiter answers instead. */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
const REDIS_FIRST_CONNECT_WAIT_MS = 2000;

/** ioredis, loaded only when a Redis URL is configured. Resolves once connected, or failed once (it keeps retrying). */
export const connectIoredis: ConnectRedis = async (url, onError) => {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    // Fail fast while disconnected: the insurance limiter answers instead of queueing requests.
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    connectionName: 'flexchat-token-service',
  });
  client.on('error', onError);
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      client.off('error', done);
      resolve();
    };
    const timer = setTimeout(done, REDIS_FIRST_CONNECT_WAIT_MS);
    timer.unref();
    client.once('ready', done);
    client.once('error', done);
  });
  return client;
};

type Limiters = Record<RateLimitedRoute, Partial<Record<RateLimitScope, RateLimiterAbstract>>>;

const ROUTES: RateLimitedRoute[] = ['init', 'refresh', 'end', 'message', 'transcript', 'survey'];

/**
 * The rule of a route; `end` falls back to `refresh`, `message` to its default, for settings built without them.
 * `transcript` (an e-mail sent through the same webhook) takes the `message` rule, counted on its own;
 * `survey` (once per ended chat, like an end) the `end` rule, counted on its own.
 */
function ruleOf(settings: RateLimitSettings, route: RateLimitedRoute): RateLimitRule {
  if (route === 'message' || route === 'transcript') return settings.message ?? DEFAULT_MESSAGE_RATE_LIMIT;
  return route === 'end' || route === 'survey' ? (settings.end ?? settings.refresh) : settings[route];
}
const SCOPES: Array<[RateLimitScope, keyof RateLimitRule]> = [
  ['ip', 'perIp'],
  ['deployment', 'perDeployment'],
];

function memoryLimiters(settings: RateLimitSettings): Limiters {
  const limiters = { init: {}, refresh: {}, end: {}, message: {}, transcript: {}, survey: {} } as Limiters;
  for (const route of ROUTES) {
    for (const [scope, field] of SCOPES) {
      const points = ruleOf(settings, route)[field];
      if (points > 0) {
        limiters[route][scope] = new RateLimiterMemory({
          keyPrefix: `${RATE_LIMIT_KEY_PREFIX}:${route}:${scope}`,
          points,
          duration: RATE_LIMIT_WINDOW_SECONDS,
        });
      }
    }
  }
  return limiters;
}

function redisLimiters(settings: RateLimitSettings, client: RedisStoreClient, insurance: Limiters): Limiters {
  const limiters = { init: {}, refresh: {}, end: {}, message: {}, transcript: {}, survey: {} } as Limiters;
  for (const route of ROUTES) {
    for (const [scope, field] of SCOPES) {
      const points = ruleOf(settings, route)[field];
      const fallback = insurance[route][scope];
      if (points > 0 && fallback) {
        const limiter: RateLimiterStoreAbstract = new RateLimiterRedis({
          storeClient: client,
          keyPrefix: `${RATE_LIMIT_KEY_PREFIX}:${route}:${scope}`,
          points,
          duration: RATE_LIMIT_WINDOW_SECONDS,
          rejectIfRedisNotReady: true,
          insuranceLimiter: fallback,
        });
        limiters[route][scope] = limiter;
      }
    }
  }
  return limiters;
}

export function createRateLimiter(settings: RateLimitSettings, options: RateLimiterOptions): RateLimiter {
  const { log, deploymentKey, redisUrl } = options;
  const connect = options.connectRedis ?? connectIoredis;
  const memory = memoryLimiters(settings);
  const orchestration = options.orchestration && options.orchestration.perSecond > 0 ? options.orchestration : undefined;
  const orchestrationMemory = orchestration
    ? new RateLimiterMemory({ keyPrefix: ORCHESTRATION_KEY_PREFIX, points: orchestration.perSecond, duration: 1 })
    : undefined;
  let orchestrationShared: RateLimiterAbstract | undefined;
  let client: RedisStoreClient | undefined;
  let shared: Promise<Limiters> | undefined;
  let redisDown = false;
  let warnedUnknownIp = false;
  let closed = false;

  const onRedisError = (error: Error) => {
    if (redisDown) return;
    redisDown = true;
    // Never the URL or the message: either may carry the password.
    const code = (error as { code?: unknown }).code;
    log({ level: 'warn', msg: 'redis_unavailable', kind: typeof code === 'string' ? code : error.name, fallback: 'memory' });
  };

  function limiters(): Promise<Limiters> {
    if (redisUrl === undefined || closed) return Promise.resolve(memory);
    shared ??= connect(redisUrl, onRedisError).then(
      (connected) => {
        client = connected;
        connected.on('ready', () => {
          if (redisDown) log({ level: 'info', msg: 'redis_available' });
          redisDown = false;
        });
        // A lost connection: commands fail fast (no offline queue) and the memory limiters answer.
        connected.on('close', () => {
          if (!closed) onRedisError(Object.assign(new Error('connection closed'), { code: 'ECONNRESET' }));
        });
        if (orchestration && orchestrationMemory) {
          orchestrationShared = new RateLimiterRedis({
            storeClient: connected,
            keyPrefix: ORCHESTRATION_KEY_PREFIX,
            points: orchestration.perSecond,
            duration: 1,
            rejectIfRedisNotReady: true,
            insuranceLimiter: orchestrationMemory,
          });
        }
        return redisLimiters(settings, connected, memory);
      },
      (error: unknown) => {
        log({ level: 'error', msg: 'redis_client_failed', kind: error instanceof Error ? error.name : typeof error, fallback: 'memory' });
        return memory;
      },
    );
    return shared;
  }

  async function consume(limiter: RateLimiterAbstract, key: string, scope: RateLimitScope): Promise<RateLimitDecision> {
    try {
      await limiter.consume(key);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        return { allowed: false, scope, retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
      }
      // Store failure without insurance: let the request through rather than take the service down.
      log({ level: 'error', msg: 'rate_limiter_failed', scope, kind: rejection instanceof Error ? rejection.name : typeof rejection });
      return { allowed: true };
    }
  }

  return {
    async check(route, ip) {
      const set = (await limiters())[route];
      if (set.ip) {
        if (ip === undefined) {
          if (!warnedUnknownIp) {
            warnedUnknownIp = true;
            log({ level: 'warn', msg: 'client_ip_unknown', hint: 'per-IP limits are off; set FLEXCHAT_TRUST_PROXY behind a proxy' });
          }
        } else {
          const decision = await consume(set.ip, rateLimitKeyOf(ip), 'ip');
          if (!decision.allowed) return decision;
        }
      }
      if (set.deployment) return consume(set.deployment, deploymentKey, 'deployment');
      return { allowed: true };
    },
    async takeOrchestrationSlot(): Promise<OrchestrationSlot> {
      if (!orchestration || !orchestrationMemory) return { allowed: true };
      await limiters();
      try {
        await (orchestrationShared ?? orchestrationMemory).consume(orchestration.key);
        return { allowed: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { allowed: false, retryAfterMs: Math.max(1, rejection.msBeforeNext) };
        log({ level: 'error', msg: 'rate_limiter_failed', scope: 'orchestration', kind: rejection instanceof Error ? rejection.name : typeof rejection });
        return { allowed: true };
      }
    },
    ...(redisUrl === undefined
      ? {}
      : {
          async ping() {
            await limiters();
            if (!client) throw Object.assign(new Error('no Redis client'), { code: 'NO_CLIENT' });
            await client.ping();
          },
        }),
    async close() {
      closed = true;
      await shared;
      if (!client) return;
      const connected = client;
      client = undefined;
      // Counters live in Redis; nothing to flush, so no graceful QUIT (which could wait on a dead server).
      connected.disconnect();
    },
  };
}
