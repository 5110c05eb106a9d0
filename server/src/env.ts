// Environment → typed, validated TokenServiceConfig. One clear message per mistake.
// The types and defaults live in env-config.ts, single-value checks in env-checks.ts,
// mode and flow in env-flow.ts, the listen address in listen-address.ts.
import { localAccount as defaultCredentials } from '../../contracts/local-account.ts';
import {
  DEFAULT_MESSAGE_RATE_LIMIT,
  DEFAULT_ORCHESTRATION_PER_SECOND,
  DEFAULT_RATE_LIMITS,
  DEFAULT_REFRESH_GRACE_SECONDS,
  DEFAULT_WARM_UP_CHAT_STARTS,
  DEFAULT_TOKEN_TTL_SECONDS,
  defaultEmulatorUrl,
  EnvError,
  MAX_ORCHESTRATION_PER_SECOND,
  MAX_RATE_LIMIT_PER_MINUTE,
  MAX_REFRESH_GRACE_SECONDS,
  MAX_WARM_UP_CHAT_STARTS,
  MAX_TOKEN_TTL_SECONDS,
  MAX_TRUST_PROXY_HOPS,
  MIN_SECRET_LENGTH,
  MIN_TOKEN_TTL_SECONDS,
  type ChatFlow,
  type EnvDefaults,
  type EnvInput,
  type EnvParseResult,
  type RateLimitRule,
  type RateLimitSettings,
  type TokenServiceConfig,
} from './env-config.ts';
import { checkSid, deriveTwilsockUri, parseHttpUrl, parseMessageWebhook, parseOrigin } from './env-checks.ts';
import { resolveMode } from './env-flow.ts';

export * from './env-config.ts';
export { checkSid, deriveTwilsockUri } from './env-checks.ts';
export * from './env-flow.ts';
export * from './listen-address.ts';

const DEFAULT_END_RATE_LIMIT: RateLimitRule = DEFAULT_RATE_LIMITS.end ?? DEFAULT_RATE_LIMITS.refresh;

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
  // Optional: where the post-chat survey is recorded (POST /webchat/survey answers 501 without it).
  const taskRouterWorkspaceSid = get('TWILIO_TASKROUTER_WORKSPACE_SID') ?? (local ? defaultCredentials.taskRouterWorkspaceSid : undefined);

  const sids: Array<[string, string | undefined, string]> = [
    ['TWILIO_ACCOUNT_SID', accountSid, 'AC'],
    ['TWILIO_API_KEY_SID', apiKeySid, 'SK'],
    ['TWILIO_CONVERSATIONS_SERVICE_SID', conversationsServiceSid, 'IS'],
    ['TWILIO_WEBCHAT_ADDRESS_SID', webChatAddressSid, 'IG'],
    ['TWILIO_TASKROUTER_WORKSPACE_SID', taskRouterWorkspaceSid, 'WS'],
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

  const warmUpChatStarts = wholeNumber('FLEXCHAT_WARM_UP_CHAT_STARTS', DEFAULT_WARM_UP_CHAT_STARTS, 0, MAX_WARM_UP_CHAT_STARTS, 'chat starts (0 = no rehearsal)');

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
    warmUpChatStarts,
  };
  if (authToken !== undefined) config.authToken = authToken;
  if (conversationsServiceSid !== undefined) config.conversationsServiceSid = conversationsServiceSid;
  if (webChatAddressSid !== undefined) config.webChatAddressSid = webChatAddressSid;
  if (taskRouterWorkspaceSid !== undefined) config.taskRouterWorkspaceSid = taskRouterWorkspaceSid;
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
