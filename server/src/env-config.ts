// The token service's configuration: its types, defaults and limits, and the error that lists every problem.
import type { TokenServiceMode } from '../../contracts/token-service.ts';

export type { TokenServiceMode };

/**
 * Which Flex orchestration a chat starts with: `conversations` (Flex
 * Conversations, POST /v2/WebChats, @twilio/conversations) or `legacy` (Flex
 * Programmable Chat, POST /v1/Channels, twilio-chat).
 */
export type ChatFlow = 'conversations' | 'legacy';

export interface LegacyFlexConfig {
  /** FO…: the web (or custom) Flex Flow that POST /v1/Channels starts chats on. */
  flexFlowSid: string;
  /** IS…: the Flex chat service (Programmable Chat) the ChatGrant is for; the flow's chat_service_sid. */
  chatServiceSid: string;
  /** Sent as LongLived; unset: the flow's own setting. */
  longLived?: boolean;
}

export interface TokenServiceConfig {
  /** `local` = the Flex emulator; `conversations` / `legacy` = real Twilio with that flow. */
  mode: TokenServiceMode;
  /** Default: `legacy` in mode legacy, else `conversations` (local mode: FLEXCHAT_LOCAL_FLOW). */
  flow?: ChatFlow;
  accountSid: string;
  /** Used for REST Basic auth when set; otherwise the API key pair is used. */
  authToken?: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** IS… Flex Conversations service (ChatGrant). Required for the conversations flow. */
  conversationsServiceSid?: string;
  /** IG… Flex web chat address (AddressSid of /v2/WebChats). Required for the conversations flow. */
  webChatAddressSid?: string;
  /** Required for the legacy flow. */
  legacy?: LegacyFlexConfig;
  /** WS… Flex's TaskRouter workspace: where POST /webchat/survey records surveys (on the chat's task). Optional. */
  taskRouterWorkspaceSid?: string;
  /** Exact origins (scheme://host[:port]) allowed to call the service from a browser. */
  allowedOrigins: string[];
  tokenTtlSeconds: number;
  /** Local mode only: where the Flex emulator lives. */
  emulator?: { url: string; twilsockUri: string };
  /** Requests per minute; 0 switches a limit off. */
  rateLimits: RateLimitSettings;
  /**
   * Calls that start a Flex chat, per second, for the whole account (all instances sharing
   * `redisUrl`; without Redis, per instance). 0 = no limit; absent = DEFAULT_ORCHESTRATION_PER_SECOND.
   */
  orchestrationPerSecond?: number;
  /** redis:// or rediss:// URL of a Redis shared by every instance for rate limits; memory when unset. */
  redisUrl?: string;
  /** How many reverse proxies in front of the service append to X-Forwarded-For (0: use the socket address). */
  trustProxyHops: number;
  /** HS256 secret the site owner's backend signs `userToken`s with; signed identities are off when unset. */
  identitySecret?: string;
  /** Pre-engagement field whose value is posted as the visitor's first message; off when unset. */
  firstMessageField?: string;
  /** HMAC secret of session proofs; generated per process when unset (proofs then die with the process). */
  sessionSecret?: string;
  /** How long after its token expired a session may still be refreshed with its session proof. */
  refreshGraceSeconds: number;
  /** Where POST /webchat/message forwards messages left outside business hours; unset: the emulator (local) or off. */
  messageWebhook?: MessageWebhookConfig;
  /** Chat starts the Node runtime rehearses before /readyz says ready (runtimes/rehearsal.ts); 0 or unset: none. */
  warmUpChatStarts?: number;
}

export interface MessageWebhookConfig {
  /** https URL (http only on loopback). May carry a secret in its query: never logged. */
  url: string;
  /** Signs each delivery (x-flexchat-signature) when set. */
  secret?: string;
}

export interface RateLimitRule {
  /** Requests per minute per client IP (0 = no limit). */
  perIp: number;
  /** Requests per minute for the whole deployment, across all clients (0 = no limit). */
  perDeployment: number;
}

export interface RateLimitSettings {
  init: RateLimitRule;
  refresh: RateLimitRule;
  /** POST /webchat/end; the refresh rule when absent (configs built by hand). */
  end?: RateLimitRule;
  /** POST /webchat/message; DEFAULT_RATE_LIMITS.message when absent (configs built by hand). */
  message?: RateLimitRule;
}

export type EnvInput = Readonly<Record<string, string | undefined>>;

export interface EnvDefaults {
  /** Used when FLEXCHAT_ALLOWED_ORIGINS is unset (normally the deployment's widgetOrigin). */
  allowedOrigins?: string[];
}

export type EnvParseResult = { ok: true; config: TokenServiceConfig } | { ok: false; problems: string[] };

export const DEFAULT_TOKEN_TTL_SECONDS = 3600;
export const MIN_TOKEN_TTL_SECONDS = 60;
/** Twilio access tokens live at most 24 hours. */
export const MAX_TOKEN_TTL_SECONDS = 86_400;
export const DEFAULT_EMULATOR_URL = 'http://127.0.0.1:4010';

/**
 * Where the local emulator is when FLEX_EMULATOR_URL does not say: on the port `npm start`
 * runs it (FLEXCHAT_EMULATOR_PORT, as scripts/local-origins.ts reads it), else the default.
 */
export function defaultEmulatorUrl(env: EnvInput): string {
  const port = env.FLEXCHAT_EMULATOR_PORT?.trim();
  return port && /^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535 ? `http://127.0.0.1:${Number(port)}` : DEFAULT_EMULATOR_URL;
}

export const DEFAULT_RATE_LIMITS: Readonly<RateLimitSettings> = Object.freeze({
  init: Object.freeze({ perIp: 10, perDeployment: 300 }),
  refresh: Object.freeze({ perIp: 60, perDeployment: 3000 }),
  end: Object.freeze({ perIp: 60, perDeployment: 3000 }),
  message: Object.freeze({ perIp: 5, perDeployment: 120 }),
});
export const DEFAULT_MESSAGE_RATE_LIMIT: RateLimitRule = DEFAULT_RATE_LIMITS.message ?? { perIp: 5, perDeployment: 120 };
export const MAX_RATE_LIMIT_PER_MINUTE = 1_000_000;
/**
 * Twilio's Flex web chat orchestrator allows 5 requests per second per account
 * (https://www.twilio.com/docs/flex/developer/conversations/limits): stay one under it,
 * leaving room for the Flex UI and other tools of the same account.
 */
export const DEFAULT_ORCHESTRATION_PER_SECOND = 4;
export const MAX_ORCHESTRATION_PER_SECOND = 1000;
export const MAX_TRUST_PROXY_HOPS = 10;
export const DEFAULT_REFRESH_GRACE_SECONDS = 900;
export const MAX_REFRESH_GRACE_SECONDS = 86_400;
/**
 * FLEXCHAT_WARM_UP_CHAT_STARTS (runtimes/rehearsal.ts): past where a fresh service's
 * first-traffic tail ended (~400 chat starts at 200/s); about 1.3 s at start on this
 * 2-core machine.
 */
export const DEFAULT_WARM_UP_CHAT_STARTS = 1000;
export const MAX_WARM_UP_CHAT_STARTS = 5000;
/** Shortest accepted FLEXCHAT_IDENTITY_SECRET / FLEXCHAT_SESSION_SECRET (characters). */
export const MIN_SECRET_LENGTH = 32;

export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(['Invalid token service environment:', ...problems.map((p) => `  - ${p}`)].join('\n'));
    this.name = 'EnvError';
    this.problems = problems;
  }
}
