// Environment → typed, validated TokenServiceConfig. One clear message per mistake.
import { localAccount as defaultCredentials } from '../../contracts/local-account.ts';
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
const DEFAULT_END_RATE_LIMIT: RateLimitRule = DEFAULT_RATE_LIMITS.end ?? DEFAULT_RATE_LIMITS.refresh;
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

const SID_KINDS: Record<string, string> = {
  AC: 'an account',
  SK: 'an API key',
  IS: 'a Conversations or chat service',
  IG: 'a Conversations address',
  CH: 'a conversation',
  FO: 'a Flex Flow',
  FW: 'a Studio Flow',
  KS: 'a Proxy service',
  WS: 'a TaskRouter workspace',
  WW: 'a TaskRouter workflow',
};

/** Extra advice for the mix-ups people actually make: `${variable}:${prefix they gave}`. */
const MIXUP_HINTS: Record<string, string> = {
  'TWILIO_WEBCHAT_ADDRESS_SID:FO': '; for the legacy Flex chat flow put it in TWILIO_FLEX_FLOW_SID instead',
  'TWILIO_FLEX_FLOW_SID:IG': '; for Flex Conversations put it in TWILIO_WEBCHAT_ADDRESS_SID instead',
  'TWILIO_FLEX_FLOW_SID:FW': '; the Flex Flow (FO…) points at that Studio Flow: run `npm run flexchat -- setup` to list Flex Flows',
  'TWILIO_CONVERSATIONS_SERVICE_SID:IG': '; the address (IG…) belongs in TWILIO_WEBCHAT_ADDRESS_SID',
};

const anLetters = new Set('AEFHILMNORSX');

export function checkSid(name: string, value: string, prefix: string): string | undefined {
  const got = value.slice(0, 2).toUpperCase();
  if (!value.startsWith(prefix)) {
    if (got === prefix) return `${name} must start with ${prefix} in capitals`;
    const kind = SID_KINDS[got];
    const article = anLetters.has(got.charAt(0)) ? 'an' : 'a';
    const hint = kind ? ` (got ${article} ${got}… SID: that is ${kind}, not ${SID_KINDS[prefix] ?? prefix}${MIXUP_HINTS[`${name}:${got}`] ?? ''})` : '';
    return `${name} must start with ${prefix}${hint}`;
  }
  if (!/^[A-Z]{2}[0-9a-f]{32}$/.test(value)) {
    return `${name} must be ${prefix} followed by 32 lowercase hex digits (34 characters; got ${value.length})`;
  }
  return undefined;
}

function parseOrigin(raw: string): { origin: string } | { problem: string } {
  if (raw === '*') return { problem: 'must list exact origins; "*" is not allowed' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `"${raw}" is not an origin like https://chat.example.com` };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { problem: `"${raw}" must use http or https` };
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return { problem: `"${raw}" must be an origin only (scheme://host[:port]), without path, query or credentials` };
  }
  return { origin: url.origin };
}

function parseHttpUrl(name: string, raw: string, protocols: string[]): { url: URL } | { problem: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: `${name} is not a valid URL ("${raw}")` };
  }
  if (!protocols.includes(url.protocol)) {
    return { problem: `${name} must be a ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL ("${raw}")` };
  }
  return { url };
}

const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

/**
 * FLEXCHAT_MESSAGE_WEBHOOK_URL (+ _SECRET). Neither value is echoed in a problem:
 * webhook URLs often carry a token in their path or query.
 */
function parseMessageWebhook(rawUrl: string | undefined, secret: string | undefined, problems: string[]): MessageWebhookConfig | undefined {
  if (secret !== undefined && secret.length < MIN_SECRET_LENGTH) {
    problems.push(
      `FLEXCHAT_MESSAGE_WEBHOOK_SECRET must be at least ${MIN_SECRET_LENGTH} characters (got ${secret.length}); it signs each delivery to the webhook. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    );
  }
  if (rawUrl === undefined) {
    if (secret !== undefined) problems.push('FLEXCHAT_MESSAGE_WEBHOOK_SECRET is set but FLEXCHAT_MESSAGE_WEBHOOK_URL is not: set the webhook URL too, or remove the secret');
    return undefined;
  }
  let url: URL | undefined;
  try {
    url = new URL(rawUrl);
  } catch {
    // reported below
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) {
    problems.push('FLEXCHAT_MESSAGE_WEBHOOK_URL must be an absolute https URL such as https://hooks.example.com/flexchat');
    return undefined;
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOST.test(url.hostname)) {
    problems.push('FLEXCHAT_MESSAGE_WEBHOOK_URL must use https (plain http is only accepted for 127.0.0.1/localhost): messages carry visitors\' email addresses');
    return undefined;
  }
  return secret !== undefined && secret.length >= MIN_SECRET_LENGTH ? { url: url.toString(), secret } : { url: url.toString() };
}

/** Twilsock URI of an emulator: http→ws, https→wss, path /v3/wsconnect under the emulator's base path. */
export function deriveTwilsockUri(emulatorUrl: string): string {
  const url = new URL(emulatorUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v3/wsconnect`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/**
 * FLEXCHAT_MODE, or inferred: no TWILIO_ACCOUNT_SID → local; the legacy pair
 * (TWILIO_FLEX_FLOW_SID + TWILIO_FLEX_CHAT_SERVICE_SID) without a web chat
 * address → legacy; otherwise conversations.
 */
export function resolveMode(env: EnvInput, problems: string[] = []): TokenServiceMode {
  const get = (name: string) => env[name]?.trim() || undefined;
  const explicitMode = get('FLEXCHAT_MODE');
  if (explicitMode === 'local' || explicitMode === 'conversations' || explicitMode === 'legacy') return explicitMode;
  if (explicitMode !== undefined) {
    problems.push(`FLEXCHAT_MODE must be "local", "conversations" or "legacy" (got "${explicitMode}")`);
    return 'local';
  }
  if (!get('TWILIO_ACCOUNT_SID')) return 'local';
  if (get('TWILIO_FLEX_FLOW_SID') && get('TWILIO_FLEX_CHAT_SERVICE_SID') && !get('TWILIO_WEBCHAT_ADDRESS_SID')) return 'legacy';
  return 'conversations';
}

/** The flow a config runs (configs built by hand may leave `flow` out). */
export function flowOf(config: Pick<TokenServiceConfig, 'mode' | 'flow'>): ChatFlow {
  return config.flow ?? (config.mode === 'legacy' ? 'legacy' : 'conversations');
}

export type ResolvedChat =
  | { flow: 'conversations'; /** IS… the token grants. */ serviceSid: string; addressSid: string }
  | { flow: 'legacy'; /** IS… the token grants (the Flex chat service). */ serviceSid: string; flexFlowSid: string; longLived?: boolean };

/** The SIDs the config's flow runs on; throws an EnvError naming what is missing (configs built by hand). */
export function resolveChat(config: TokenServiceConfig): ResolvedChat {
  if (flowOf(config) === 'legacy') {
    if (!config.legacy) throw new EnvError(['The legacy flow needs TWILIO_FLEX_FLOW_SID and TWILIO_FLEX_CHAT_SERVICE_SID (config.legacy)']);
    const { flexFlowSid, chatServiceSid, longLived } = config.legacy;
    return { flow: 'legacy', serviceSid: chatServiceSid, flexFlowSid, ...(longLived !== undefined ? { longLived } : {}) };
  }
  const missing = [
    ...(config.conversationsServiceSid ? [] : ['TWILIO_CONVERSATIONS_SERVICE_SID']),
    ...(config.webChatAddressSid ? [] : ['TWILIO_WEBCHAT_ADDRESS_SID']),
  ];
  if (missing.length || !config.conversationsServiceSid || !config.webChatAddressSid) {
    throw new EnvError([`The conversations flow needs ${missing.join(' and ')}`]);
  }
  return { flow: 'conversations', serviceSid: config.conversationsServiceSid, addressSid: config.webChatAddressSid };
}

/** Parses the environment without throwing; collects every problem. */
export function parseTokenServiceEnv(env: EnvInput, defaults: EnvDefaults = {}): EnvParseResult {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const mode = resolveMode(env, problems);
  const local = mode === 'local';

  let flow: ChatFlow = mode === 'legacy' ? 'legacy' : 'conversations';
  const localFlow = get('FLEXCHAT_LOCAL_FLOW');
  if (localFlow !== undefined) {
    if (localFlow !== 'conversations' && localFlow !== 'legacy') {
      problems.push(`FLEXCHAT_LOCAL_FLOW must be "conversations" or "legacy" (got "${localFlow}")`);
    } else if (!local) {
      problems.push(
        `FLEXCHAT_LOCAL_FLOW only applies in local mode (the mode is "${mode}"); against real Twilio set FLEXCHAT_MODE=${localFlow === 'legacy' ? 'legacy' : 'conversations'} instead`,
      );
    } else {
      flow = localFlow;
    }
  }

  const need = (name: string, localDefault: string, hint = ''): string => {
    const value = get(name);
    if (value !== undefined) return value;
    if (local) return localDefault;
    problems.push(`${name} is required when talking to real Twilio (mode "${mode}")${hint}`);
    return '';
  };
  /** Needed by one flow only: required for it, optional (checked if set) otherwise. */
  const needFor = (needed: boolean, name: string, localDefault: string, hint = ''): string | undefined => {
    if (needed) return need(name, localDefault, hint);
    return get(name);
  };

  const accountSid = need('TWILIO_ACCOUNT_SID', defaultCredentials.accountSid);
  const authToken = get('TWILIO_AUTH_TOKEN') ?? (local ? defaultCredentials.authToken : undefined);
  const apiKeySid = need('TWILIO_API_KEY_SID', defaultCredentials.apiKeySid);
  const apiKeySecret = need('TWILIO_API_KEY_SECRET', defaultCredentials.apiKeySecret);
  const legacyHint =
    flow === 'conversations' && get('TWILIO_FLEX_FLOW_SID') !== undefined
      ? ' (TWILIO_FLEX_FLOW_SID is set: for the legacy Flex chat flow set FLEXCHAT_MODE=legacy)'
      : '';
  const conversationsServiceSid = needFor(flow === 'conversations', 'TWILIO_CONVERSATIONS_SERVICE_SID', defaultCredentials.conversationsServiceSid, legacyHint);
  const webChatAddressSid = needFor(flow === 'conversations', 'TWILIO_WEBCHAT_ADDRESS_SID', defaultCredentials.webChatAddressSid, legacyHint);
  const setupHint = ' (run `npm run flexchat -- setup` to find it)';
  const flexFlowSid = needFor(flow === 'legacy', 'TWILIO_FLEX_FLOW_SID', defaultCredentials.webFlexFlowSid, setupHint);
  const flexChatServiceSid = needFor(flow === 'legacy', 'TWILIO_FLEX_CHAT_SERVICE_SID', defaultCredentials.flexChatServiceSid, setupHint);

  const sids: Array<[string, string | undefined, string]> = [
    ['TWILIO_ACCOUNT_SID', accountSid, 'AC'],
    ['TWILIO_API_KEY_SID', apiKeySid, 'SK'],
    ['TWILIO_CONVERSATIONS_SERVICE_SID', conversationsServiceSid, 'IS'],
    ['TWILIO_WEBCHAT_ADDRESS_SID', webChatAddressSid, 'IG'],
  ];
  if (flexFlowSid?.startsWith('IS') && flexChatServiceSid?.startsWith('FO')) {
    problems.push('TWILIO_FLEX_FLOW_SID and TWILIO_FLEX_CHAT_SERVICE_SID are swapped: the Flex Flow is the FO… SID, the chat service the IS… SID');
  } else {
    sids.push(['TWILIO_FLEX_FLOW_SID', flexFlowSid, 'FO'], ['TWILIO_FLEX_CHAT_SERVICE_SID', flexChatServiceSid, 'IS']);
  }
  for (const [name, value, prefix] of sids) {
    if (value === undefined || value === '') continue; // not needed, or already reported as missing
    const problem = checkSid(name, value, prefix);
    if (problem) problems.push(problem);
  }

  let legacyLongLived: boolean | undefined;
  const rawLongLived = get('FLEXCHAT_LEGACY_LONG_LIVED');
  if (rawLongLived !== undefined) {
    if (rawLongLived === 'true' || rawLongLived === 'false') legacyLongLived = rawLongLived === 'true';
    else problems.push(`FLEXCHAT_LEGACY_LONG_LIVED must be "true" or "false" (got "${rawLongLived}"); leave it unset to use the Flex Flow's own setting`);
  }
  if (authToken !== undefined && /^(AC|SK)[0-9a-f]{32}$/.test(authToken)) {
    problems.push('TWILIO_AUTH_TOKEN looks like a SID; it must be the auth token (a secret), not an identifier');
  }
  if (/^(AC|SK)[0-9a-f]{32}$/.test(apiKeySecret)) {
    problems.push('TWILIO_API_KEY_SECRET looks like a SID; it must be the secret shown once when the API key was created');
  }

  let allowedOrigins: string[] = [];
  const rawOrigins = get('FLEXCHAT_ALLOWED_ORIGINS');
  if (rawOrigins === undefined) {
    if (defaults.allowedOrigins?.length) allowedOrigins = [...defaults.allowedOrigins];
    else problems.push('FLEXCHAT_ALLOWED_ORIGINS is required: the widget origin(s), comma separated, e.g. https://chat.example.com');
  } else {
    const entries = rawOrigins.split(',').map((o) => o.trim()).filter(Boolean);
    if (entries.length === 0) problems.push('FLEXCHAT_ALLOWED_ORIGINS lists no origin');
    for (const entry of entries) {
      const parsed = parseOrigin(entry);
      if ('problem' in parsed) problems.push(`FLEXCHAT_ALLOWED_ORIGINS: ${parsed.problem}`);
      else if (!allowedOrigins.includes(parsed.origin)) allowedOrigins.push(parsed.origin);
    }
  }

  let tokenTtlSeconds = DEFAULT_TOKEN_TTL_SECONDS;
  const rawTtl = get('FLEXCHAT_TOKEN_TTL_SECONDS');
  if (rawTtl !== undefined) {
    const ttl = /^\d+$/.test(rawTtl) ? Number(rawTtl) : Number.NaN;
    if (!Number.isSafeInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
      problems.push(
        `FLEXCHAT_TOKEN_TTL_SECONDS must be a whole number of seconds between ${MIN_TOKEN_TTL_SECONDS} and ${MAX_TOKEN_TTL_SECONDS} (got "${rawTtl}")`,
      );
    } else {
      tokenTtlSeconds = ttl;
    }
  }

  const wholeNumber = (name: string, fallback: number, min: number, max: number, unit: string): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      problems.push(`${name} must be a whole number of ${unit} between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const perMinute = (name: string, fallback: number) =>
    wholeNumber(name, fallback, 0, MAX_RATE_LIMIT_PER_MINUTE, 'requests per minute (0 = no limit)');
  const rateLimits: RateLimitSettings = {
    init: {
      perIp: perMinute('FLEXCHAT_RATE_LIMIT_INIT_PER_IP', DEFAULT_RATE_LIMITS.init.perIp),
      perDeployment: perMinute('FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT', DEFAULT_RATE_LIMITS.init.perDeployment),
    },
    refresh: {
      perIp: perMinute('FLEXCHAT_RATE_LIMIT_REFRESH_PER_IP', DEFAULT_RATE_LIMITS.refresh.perIp),
      perDeployment: perMinute('FLEXCHAT_RATE_LIMIT_REFRESH_PER_DEPLOYMENT', DEFAULT_RATE_LIMITS.refresh.perDeployment),
    },
    end: {
      perIp: perMinute('FLEXCHAT_RATE_LIMIT_END_PER_IP', DEFAULT_END_RATE_LIMIT.perIp),
      perDeployment: perMinute('FLEXCHAT_RATE_LIMIT_END_PER_DEPLOYMENT', DEFAULT_END_RATE_LIMIT.perDeployment),
    },
    message: {
      perIp: perMinute('FLEXCHAT_RATE_LIMIT_MESSAGE_PER_IP', DEFAULT_MESSAGE_RATE_LIMIT.perIp),
      perDeployment: perMinute('FLEXCHAT_RATE_LIMIT_MESSAGE_PER_DEPLOYMENT', DEFAULT_MESSAGE_RATE_LIMIT.perDeployment),
    },
  };

  const orchestrationPerSecond = wholeNumber(
    'FLEXCHAT_ORCHESTRATION_PER_SECOND',
    DEFAULT_ORCHESTRATION_PER_SECOND,
    0,
    MAX_ORCHESTRATION_PER_SECOND,
    'chat starts per second for the account (0 = no limit)',
  );

  let trustProxyHops = 0;
  const rawTrust = get('FLEXCHAT_TRUST_PROXY');
  if (rawTrust !== undefined) {
    const hops = /^\d+$/.test(rawTrust) ? Number(rawTrust) : Number.NaN;
    if (!Number.isSafeInteger(hops) || hops > MAX_TRUST_PROXY_HOPS) {
      problems.push(
        `FLEXCHAT_TRUST_PROXY must be the number of reverse proxies in front of the service, 0 to ${MAX_TRUST_PROXY_HOPS} (got "${rawTrust}"; e.g. 1 behind one load balancer)`,
      );
    } else {
      trustProxyHops = hops;
    }
  }

  let redisUrl: string | undefined;
  const rawRedis = get('FLEXCHAT_REDIS_URL');
  if (rawRedis !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(rawRedis);
    } catch {
      // reported below
    }
    // Never echo the value: it may carry a password.
    if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:') || !url.hostname) {
      problems.push('FLEXCHAT_REDIS_URL must be a redis:// or rediss:// URL such as redis://redis.internal:6379/0');
    } else {
      redisUrl = rawRedis;
    }
  }

  const secret = (name: string, purpose: string): string | undefined => {
    const value = get(name);
    if (value !== undefined && value.length < MIN_SECRET_LENGTH) {
      problems.push(
        `${name} must be at least ${MIN_SECRET_LENGTH} characters (got ${value.length}); ${purpose}. Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
      );
    }
    return value;
  };
  const identitySecret = secret('FLEXCHAT_IDENTITY_SECRET', "it signs logged-in visitors' userTokens");
  const sessionSecret = secret('FLEXCHAT_SESSION_SECRET', 'it signs session proofs');
  if (identitySecret !== undefined && identitySecret === sessionSecret) {
    problems.push('FLEXCHAT_IDENTITY_SECRET and FLEXCHAT_SESSION_SECRET must differ: the site owner knows the first, only this service may know the second');
  }

  const firstMessageField = get('FLEXCHAT_FIRST_MESSAGE_FIELD');
  if (firstMessageField !== undefined && !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(firstMessageField)) {
    problems.push(`FLEXCHAT_FIRST_MESSAGE_FIELD must be the name of a pre-engagement form field, e.g. question (got "${firstMessageField}")`);
  }

  const messageWebhook = parseMessageWebhook(get('FLEXCHAT_MESSAGE_WEBHOOK_URL'), get('FLEXCHAT_MESSAGE_WEBHOOK_SECRET'), problems);

  const refreshGraceSeconds = wholeNumber(
    'FLEXCHAT_REFRESH_GRACE_SECONDS',
    DEFAULT_REFRESH_GRACE_SECONDS,
    0,
    MAX_REFRESH_GRACE_SECONDS,
    'seconds',
  );

  let emulator: TokenServiceConfig['emulator'];
  if (local) {
    const rawUrl = get('FLEX_EMULATOR_URL') ?? defaultEmulatorUrl(env);
    const parsedUrl = parseHttpUrl('FLEX_EMULATOR_URL', rawUrl, ['http:', 'https:']);
    let url: string | undefined;
    if ('problem' in parsedUrl) problems.push(parsedUrl.problem);
    else url = parsedUrl.url.toString().replace(/\/+$/, '');

    let twilsockUri: string | undefined;
    const rawTwilsock = get('FLEX_EMULATOR_TWILSOCK_URI');
    if (rawTwilsock !== undefined) {
      const parsed = parseHttpUrl('FLEX_EMULATOR_TWILSOCK_URI', rawTwilsock, ['ws:', 'wss:']);
      if ('problem' in parsed) problems.push(parsed.problem);
      else twilsockUri = parsed.url.toString();
    } else if (url !== undefined) {
      twilsockUri = deriveTwilsockUri(url);
    }
    if (url !== undefined && twilsockUri !== undefined) emulator = { url, twilsockUri };
  }

  if (problems.length) return { ok: false, problems };
  const config: TokenServiceConfig = {
    mode,
    flow,
    accountSid,
    apiKeySid,
    apiKeySecret,
    allowedOrigins,
    tokenTtlSeconds,
    rateLimits,
    orchestrationPerSecond,
    trustProxyHops,
    refreshGraceSeconds,
  };
  if (authToken !== undefined) config.authToken = authToken;
  if (conversationsServiceSid !== undefined) config.conversationsServiceSid = conversationsServiceSid;
  if (webChatAddressSid !== undefined) config.webChatAddressSid = webChatAddressSid;
  if (flexFlowSid !== undefined && flexChatServiceSid !== undefined) {
    config.legacy = { flexFlowSid, chatServiceSid: flexChatServiceSid };
    if (legacyLongLived !== undefined) config.legacy.longLived = legacyLongLived;
  }
  if (emulator) config.emulator = emulator;
  if (redisUrl !== undefined) config.redisUrl = redisUrl;
  if (identitySecret !== undefined) config.identitySecret = identitySecret;
  if (sessionSecret !== undefined) config.sessionSecret = sessionSecret;
  if (firstMessageField !== undefined) config.firstMessageField = firstMessageField;
  if (messageWebhook !== undefined) config.messageWebhook = messageWebhook;
  return { ok: true, config };
}

/** Like parseTokenServiceEnv, but throws an EnvError listing every problem. */
export function loadTokenServiceConfig(env: EnvInput, defaults: EnvDefaults = {}): TokenServiceConfig {
  const result = parseTokenServiceEnv(env, defaults);
  if (!result.ok) throw new EnvError(result.problems);
  return result.config;
}

export const DEFAULT_TOKEN_SERVICE_PORT = 4020;

export type ListenParseResult = { ok: true; port: number; host: string } | { ok: false; problems: string[] };

/** FLEXCHAT_TOKEN_PORT (default: the port of `defaultPortFrom`, else 4020) and FLEXCHAT_TOKEN_HOST (default 127.0.0.1). */
export function parseListenAddress(env: EnvInput, defaultPortFrom?: string): ListenParseResult {
  const problems: string[] = [];
  let port = DEFAULT_TOKEN_SERVICE_PORT;
  if (defaultPortFrom) {
    try {
      const fromUrl = new URL(defaultPortFrom).port;
      if (fromUrl) port = Number(fromUrl);
    } catch {
      // keep the built-in default
    }
  }
  const rawPort = env.FLEXCHAT_TOKEN_PORT?.trim();
  if (rawPort) {
    const parsed = /^\d+$/.test(rawPort) ? Number(rawPort) : Number.NaN;
    if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65535) {
      problems.push(`FLEXCHAT_TOKEN_PORT must be a port number between 0 and 65535 (got "${rawPort}")`);
    } else {
      port = parsed;
    }
  }
  const host = env.FLEXCHAT_TOKEN_HOST?.trim() || '127.0.0.1';
  return problems.length ? { ok: false, problems } : { ok: true, port, host };
}
