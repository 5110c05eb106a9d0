// Environment → typed, validated TokenServiceConfig. One clear message per mistake.
import { defaultCredentials } from '../../emulator/src/config.ts';
import type { TokenServiceMode } from './contract.ts';

export type { TokenServiceMode };

export interface TokenServiceConfig {
  mode: TokenServiceMode;
  accountSid: string;
  /** Used for REST Basic auth when set; otherwise the API key pair is used. */
  authToken?: string;
  apiKeySid: string;
  apiKeySecret: string;
  conversationsServiceSid: string;
  webChatAddressSid: string;
  /** Exact origins (scheme://host[:port]) allowed to call the service from a browser. */
  allowedOrigins: string[];
  tokenTtlSeconds: number;
  /** Local mode only: where the Flex emulator lives. */
  emulator?: { url: string; twilsockUri: string };
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
  IS: 'a Conversations service',
  IG: 'a Conversations address',
  CH: 'a conversation',
  FO: 'a Flex Flow',
};

const anLetters = new Set('AEFHILMNORSX');

function checkSid(name: string, value: string, prefix: string): string | undefined {
  const got = value.slice(0, 2).toUpperCase();
  if (!value.startsWith(prefix)) {
    if (got === prefix) return `${name} must start with ${prefix} in capitals`;
    const kind = SID_KINDS[got];
    const article = anLetters.has(got.charAt(0)) ? 'an' : 'a';
    const hint = kind ? ` (got ${article} ${got}… SID: that is ${kind}, not ${SID_KINDS[prefix] ?? prefix})` : '';
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

/** Twilsock URI of an emulator: http→ws, https→wss, path /v3/wsconnect under the emulator's base path. */
export function deriveTwilsockUri(emulatorUrl: string): string {
  const url = new URL(emulatorUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/v3/wsconnect`;
  url.search = '';
  url.hash = '';
  return url.toString();
}

/** Parses the environment without throwing; collects every problem. */
export function parseTokenServiceEnv(env: EnvInput, defaults: EnvDefaults = {}): EnvParseResult {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  let mode: TokenServiceMode;
  const explicitMode = get('FLEXCHAT_MODE');
  if (explicitMode === undefined) {
    mode = get('TWILIO_ACCOUNT_SID') ? 'conversations' : 'local';
  } else if (explicitMode === 'local' || explicitMode === 'conversations') {
    mode = explicitMode;
  } else {
    problems.push(`FLEXCHAT_MODE must be "local" or "conversations" (got "${explicitMode}")`);
    mode = 'local';
  }

  const local = mode === 'local';
  const need = (name: string, localDefault: string): string => {
    const value = get(name);
    if (value !== undefined) return value;
    if (local) return localDefault;
    problems.push(`${name} is required when talking to real Twilio (mode "conversations")`);
    return '';
  };

  const accountSid = need('TWILIO_ACCOUNT_SID', defaultCredentials.accountSid);
  const authToken = get('TWILIO_AUTH_TOKEN') ?? (local ? defaultCredentials.authToken : undefined);
  const apiKeySid = need('TWILIO_API_KEY_SID', defaultCredentials.apiKeySid);
  const apiKeySecret = need('TWILIO_API_KEY_SECRET', defaultCredentials.apiKeySecret);
  const conversationsServiceSid = need('TWILIO_CONVERSATIONS_SERVICE_SID', defaultCredentials.conversationsServiceSid);
  const webChatAddressSid = need('TWILIO_WEBCHAT_ADDRESS_SID', defaultCredentials.webChatAddressSid);

  const sids: Array<[string, string, string]> = [
    ['TWILIO_ACCOUNT_SID', accountSid, 'AC'],
    ['TWILIO_API_KEY_SID', apiKeySid, 'SK'],
    ['TWILIO_CONVERSATIONS_SERVICE_SID', conversationsServiceSid, 'IS'],
    ['TWILIO_WEBCHAT_ADDRESS_SID', webChatAddressSid, 'IG'],
  ];
  for (const [name, value, prefix] of sids) {
    if (value === '') continue; // already reported as missing
    const problem = checkSid(name, value, prefix);
    if (problem) problems.push(problem);
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

  let emulator: TokenServiceConfig['emulator'];
  if (local) {
    const rawUrl = get('FLEX_EMULATOR_URL') ?? DEFAULT_EMULATOR_URL;
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
    accountSid,
    apiKeySid,
    apiKeySecret,
    conversationsServiceSid,
    webChatAddressSid,
    allowedOrigins,
    tokenTtlSeconds,
  };
  if (authToken !== undefined) config.authToken = authToken;
  if (emulator) config.emulator = emulator;
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
