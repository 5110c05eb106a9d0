import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import { AccessTokenError, verifyAccessToken } from '../auth/access-token.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { formParams, preEngagementParam, type ParamTable } from '../rest/params.ts';
import type { EndpointRateLimits } from '../rest/rate-limit.ts';
import { twilioRestError, withTwilioErrors } from '../rest/twilio-rest.ts';
import { mintChatToken } from './preview.ts';
import type { Routing } from './routing.ts';
import { startWebChat } from './web-chats.ts';

// Twilio's hosted Webchat 3 init: no token service, a deployment key instead.
// The contract is Twilio's own Webchat 3 client (twilio/twilio-webchat-react-app,
// branch flex-webchat-ui: src/sessionDataHandler.ts, src/utils/generateHeaders.ts)
// and the Webchat 3 docs (setup, security):
//   POST /v2/Webchat/Init            DeploymentKey, CustomerFriendlyName, PreEngagementData, Identity?
//        -> { token, conversation_sid, identity, expiration }
//   POST /v2/Webchat/Tokens/Refresh  DeploymentKey, Token  -> { token, identity, expiration }
// on flex-api.twilio.com, served here under /flex-api and at the root. No account
// auth: the deployment key and the request's Origin (one of the key's allowed
// origins, at most 10) decide. The browser's fingerprint (x-twilio-sec-* headers)
// is recorded at init and must match on refresh. Every choice the sources do not
// pin down is marked "guess" in emulator/FIDELITY.md.

export const HOSTED_WEBCHAT_PATHS = { init: '/v2/Webchat/Init', refresh: '/v2/Webchat/Tokens/Refresh' } as const;
/** Both endpoints, as the emulator serves them (prefixed like the flex-api host, and at the root). */
export const HOSTED_WEBCHAT_ROUTES: readonly string[] = Object.values(HOSTED_WEBCHAT_PATHS).flatMap((path) => [`/flex-api${path}`, path]);

/** Webchat 3 security: "up to 10 trusted URLs as allowed origins". */
export const MAX_ALLOWED_ORIGINS = 10;
/** Error 45731: "Pre engagment data is over the maximum allowed size of 16KB" (KB read as 1000 bytes, the stricter reading). */
export const MAX_PRE_ENGAGEMENT_BYTES = 16_000;
/** Lifetime of a hosted-init token: guess (Twilio does not document it). */
export const HOSTED_TOKEN_TTL_SECONDS = 3600;

export const SECURITY_HEADERS = ['x-twilio-sec-usersettings', 'x-twilio-sec-webchatinfo', 'x-twilio-sec-decoders'] as const;
/** Headers Webchat 3 sends besides the security ones (generateMixPanelHeaders). */
export const VERSION_HEADERS = ['ui-version', 'webchat-version'] as const;

export const HOSTED_WEBCHAT_PARAMS = {
  init: {
    DeploymentKey: { type: 'string', required: true },
    CustomerFriendlyName: { type: 'string' },
    PreEngagementData: { type: 'string' },
    Identity: { type: 'string' },
  },
  refresh: {
    DeploymentKey: { type: 'string', required: true },
    Token: { type: 'string', required: true },
  },
} as const satisfies Record<string, ParamTable>;

export interface DeploymentKey {
  key: string;
  friendlyName: string;
  /** The web chat address (IG…) the key is mapped to. */
  addressSid: string;
  allowedOrigins: string[];
  dateCreated: string;
}

export class DeploymentKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentKeyError';
  }
}

/** `scheme://host[:port]` with http or https, nothing more (what a browser sends as Origin); null otherwise. */
export function normalizeOrigin(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length > 300) return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
  if (raw.trim().replace(/\/$/, '').toLowerCase() !== url.origin) return null;
  return url.origin;
}

const KEY_PATTERN = /^CV[0-9a-fA-F]{32}$/;

/** The account's deployment keys (the console's Flex > Webchat page), kept through emulator resets like Flex Flows. */
export class DeploymentKeyStore {
  private readonly keys = new Map<string, DeploymentKey>();

  constructor(private readonly defaultAddressSid: string) {}

  /** A new key; `key` may be given (a fixed local key for `npm start`), else a random `CV…` one. */
  create(input: { allowedOrigins: unknown; key?: unknown; friendlyName?: unknown }): DeploymentKey {
    const key = input.key === undefined ? newSid('CV') : input.key;
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) throw new DeploymentKeyError('key must be CV followed by 32 hex digits');
    if (this.keys.has(key)) throw new DeploymentKeyError(`deployment key ${key} already exists`);
    const allowedOrigins = this.originsFrom(input.allowedOrigins);
    const friendlyName = input.friendlyName === undefined ? 'Webchat' : input.friendlyName;
    if (typeof friendlyName !== 'string' || friendlyName.trim() === '' || friendlyName.length > 64) {
      throw new DeploymentKeyError('friendlyName must be 1-64 characters');
    }
    const record: DeploymentKey = { key, friendlyName: friendlyName.trim(), addressSid: this.defaultAddressSid, allowedOrigins, dateCreated: new Date().toISOString() };
    this.keys.set(key, record);
    return record;
  }

  /** Replaces a key's allowed origins. */
  update(key: string, input: { allowedOrigins: unknown }): DeploymentKey {
    const record = this.keys.get(key);
    if (!record) throw new DeploymentKeyError(`no deployment key ${key}`);
    record.allowedOrigins = this.originsFrom(input.allowedOrigins);
    return record;
  }

  get(key: string): DeploymentKey | undefined {
    return this.keys.get(key);
  }

  list(): DeploymentKey[] {
    return [...this.keys.values()];
  }

  remove(key: string): boolean {
    return this.keys.delete(key);
  }

  private originsFrom(raw: unknown): string[] {
    if (!Array.isArray(raw) || raw.length === 0) throw new DeploymentKeyError('allowedOrigins must list 1 to 10 origins');
    if (raw.length > MAX_ALLOWED_ORIGINS) {
      throw new DeploymentKeyError(`a deployment key allows at most ${MAX_ALLOWED_ORIGINS} origins, got ${raw.length}`);
    }
    const origins = raw.map((value) => {
      const origin = normalizeOrigin(value);
      if (!origin) throw new DeploymentKeyError(`"${String(value).slice(0, 80)}" is not an origin (scheme://host[:port], http or https)`);
      return origin;
    });
    return [...new Set(origins)];
  }
}

interface HostedSession {
  key: string;
  conversationSid: string;
  fingerprint: string;
}

/** The browser's fingerprint: the three security headers, as sent at init (the login timestamp stays the same for a session). */
function fingerprintOf(request: HttpRequest): string | null {
  const parts: string[] = [];
  for (const name of SECURITY_HEADERS) {
    const value = request.headers[name];
    if (typeof value !== 'string' || value.trim() === '') return null;
    try {
      JSON.parse(value);
    } catch {
      return null;
    }
    parts.push(value);
  }
  return parts.join('\n');
}

function expirationOf(token: string): string {
  const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp: number };
  return new Date(claims.exp * 1000).toISOString();
}

function refused(status: number, code: Parameters<typeof twilioRestError>[1], message: string): HttpError {
  return new HttpError(twilioRestError(status, code, message));
}

export interface HostedWebchatDeps {
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  routing: Routing;
  keys: DeploymentKeyStore;
  rateLimits?: EndpointRateLimits;
  /** Token lifetime (tests shorten it); default HOSTED_TOKEN_TTL_SECONDS. */
  tokenTtlSeconds?: () => number;
}

export interface HostedWebchat {
  /** Forgets the sessions (emulator reset); keys stay, like the account's other configuration. */
  reset(): void;
}

export function registerHostedWebchat(router: Router, deps: HostedWebchatDeps): HostedWebchat {
  const { credentials, model, routing, keys } = deps;
  /** identity → session (identities are per deployment's address, one conversation at a time). */
  const sessions = new Map<string, HostedSession>();
  const ttl = () => deps.tokenTtlSeconds?.() ?? HOSTED_TOKEN_TTL_SECONDS;

  const keyFor = (request: HttpRequest, deploymentKey: string) => {
    const record = keys.get(deploymentKey);
    if (!record) throw refused(404, 45778, 'Configuration not found for provided Deployment Key.');
    const origin = request.headers.origin;
    if (typeof origin !== 'string' || !record.allowedOrigins.includes(origin)) {
      throw refused(403, 20403, `Origin ${typeof origin === 'string' ? origin.slice(0, 100) : '(none)'} is not an allowed origin of this deployment key`);
    }
    return record;
  };

  const init = async (request: HttpRequest): Promise<HttpResponse> => {
    // Webchat 3's orchestrator shares the web chat budget (Flex Conversations limits).
    await deps.rateLimits?.consume('POST /v2/WebChats', credentials.accountSid);
    const fields = formParams(request, HOSTED_WEBCHAT_PARAMS.init);
    const record = keyFor(request, fields.DeploymentKey);
    const fingerprint = fingerprintOf(request);
    if (fingerprint === null) throw refused(400, 45745, `The security headers ${SECURITY_HEADERS.join(', ')} must each be JSON`);
    const rawData = fields.PreEngagementData ?? '';
    if (Buffer.byteLength(rawData, 'utf8') > MAX_PRE_ENGAGEMENT_BYTES) {
      throw refused(400, 45731, 'Failed to create webchat conversation. Pre-engagement data too large.');
    }
    const customerName = fields.CustomerFriendlyName || 'Customer';
    const { conversationSid, identity } = startWebChat(model, routing, {
      identity: fields.Identity,
      customerName,
      chatFriendlyName: `Chat with ${customerName}`,
      preEngagementData: preEngagementParam(rawData) ?? {},
    });
    sessions.set(identity, { key: record.key, conversationSid, fingerprint });
    const token = mintChatToken(credentials, identity, credentials.conversationsServiceSid, ttl());
    return { status: 200, body: { token, conversation_sid: conversationSid, identity, expiration: expirationOf(token) } };
  };

  const refresh = async (request: HttpRequest): Promise<HttpResponse> => {
    const fields = formParams(request, HOSTED_WEBCHAT_PARAMS.refresh);
    const record = keyFor(request, fields.DeploymentKey);
    let identity: string;
    try {
      identity = verifyAccessToken(fields.Token, credentials).identity;
    } catch (error) {
      if (error instanceof AccessTokenError && error.problem === 'expired') throw refused(401, 20104, 'Access Token expired or expiration date invalid');
      throw refused(401, 20101, 'Invalid Access Token');
    }
    const session = sessions.get(identity);
    if (!session || session.key !== record.key) throw refused(401, 20101, 'Invalid Access Token: not issued for this deployment key');
    if (fingerprintOf(request) !== session.fingerprint) {
      throw refused(403, 20403, 'The browser fingerprint does not match the one recorded when this chat started');
    }
    const token = mintChatToken(credentials, identity, credentials.conversationsServiceSid, ttl());
    return { status: 200, body: { token, identity, expiration: expirationOf(token) } };
  };

  for (const prefix of ['/flex-api', '']) {
    router.add('POST', `${prefix}${HOSTED_WEBCHAT_PATHS.init}`, withTwilioErrors(init));
    router.add('POST', `${prefix}${HOSTED_WEBCHAT_PATHS.refresh}`, withTwilioErrors(refresh));
  }
  return { reset: () => sessions.clear() };
}

/**
 * CORS of the hosted endpoints: the widget calls them from the visitor's browser.
 * Any Origin is answered (so a refused origin reads its error); whether it may
 * start a chat is the deployment key's decision (guess: Twilio's headers are not documented).
 */
export function hostedWebchatCors(origin: string | undefined): Record<string, string> | undefined {
  if (!origin || !normalizeOrigin(origin)) return undefined;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'POST, OPTIONS',
    'Access-Control-Allow-Headers': ['Accept', 'Content-Type', ...SECURITY_HEADERS, ...VERSION_HEADERS].join(', '),
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}
