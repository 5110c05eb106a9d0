// The token service as a Fetch API handler: (Request) => Promise<Response>.
// Routes: POST /webchat/init, POST /webchat/refresh, GET|HEAD /healthz, OPTIONS
// preflights; JSON everywhere.
import { loadDeploymentConfig } from '../../config/load.ts';
import type { PreEngagementConfig } from '../../config/types.ts';
import { mintChatToken, verifyChatToken } from './access-token.ts';
import {
  ERROR_STATUS,
  type ErrorCode,
  type ErrorResponse,
  type HealthResponse,
  type WebChatInitRequest,
  type WebChatInitResponse,
  type WebChatRefreshResponse,
} from './contract.ts';
import type { TokenServiceConfig } from './env.ts';
import { createPreEngagementValidator, type PreEngagementValue } from './pre-engagement.ts';
import { createFlexWebChats, describeUpstreamError, type FlexWebChats } from './twilio-client.ts';

export type FetchHandler = (request: Request) => Promise<Response>;

export type LogEntry = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

export interface TokenServiceDeps {
  /** Flex POST /v2/WebChats. Default: the twilio helper library for config.mode. */
  flex?: FlexWebChats;
  /** The pre-engagement form. Default: loadDeploymentConfig().preEngagement. */
  preEngagement?: PreEngagementConfig;
  /** Default: `visitor-${crypto.randomUUID()}`. */
  newIdentity?: () => string;
  /** Server-side events (upstream failures, bugs). Default: one JSON line on stderr. */
  log?: (entry: LogEntry) => void;
  /** Request body limit in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
export const PREFLIGHT_MAX_AGE_SECONDS = 600;
export const ALLOWED_REQUEST_HEADERS = 'content-type, x-request-id';
export const CHAT_FRIENDLY_NAME = 'Web chat';
export const DEFAULT_CUSTOMER_FRIENDLY_NAME = 'Customer';

const ROUTES = new Map<string, readonly string[]>([
  ['/webchat/init', ['POST', 'OPTIONS']],
  ['/webchat/refresh', ['POST', 'OPTIONS']],
  ['/healthz', ['GET', 'HEAD', 'OPTIONS']],
]);

const MAX_PAGE_URL_LENGTH = 2048;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}$/;
const INIT_KEYS = new Set(['preEngagementData', 'context']);
const REFRESH_KEYS = new Set(['token', 'identity', 'conversationSid']);
const MAX_TOKEN_LENGTH = 8192;

class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw new HttpError('payload_too_large', `Request body must be at most ${limit} bytes`);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new HttpError('payload_too_large', `Request body must be at most ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError('invalid_body', 'The request body could not be read');
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid JSON');
  }
}

interface InitInput {
  preEngagementData: Record<string, unknown>;
  context: { pageUrl?: string; locale?: string } | undefined;
}

/** Structural checks of the init body; the form rules come after (validation_failed). */
function parseInitBody(body: unknown): InitInput {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !INIT_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError('invalid_body', `Unknown property ${JSON.stringify(unknown[0])}; expected preEngagementData and optional context`);
  }
  const { preEngagementData, context } = body as Partial<WebChatInitRequest> & Record<string, unknown>;
  if (!isPlainObject(preEngagementData)) {
    throw new HttpError('invalid_body', 'preEngagementData must be an object of field name → string or boolean');
  }
  if (context === undefined || context === null) return { preEngagementData, context: undefined };
  if (!isPlainObject(context)) throw new HttpError('invalid_body', 'context must be an object');

  const cleaned: { pageUrl?: string; locale?: string } = {};
  const { pageUrl, locale } = context as Record<string, unknown>;
  if (pageUrl !== undefined) {
    if (typeof pageUrl !== 'string' || pageUrl.length > MAX_PAGE_URL_LENGTH) {
      throw new HttpError('invalid_body', `context.pageUrl must be a URL of at most ${MAX_PAGE_URL_LENGTH} characters`);
    }
    let url: URL;
    try {
      url = new URL(pageUrl);
    } catch {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    // Query strings and fragments often carry tokens or personal data: forward origin + path only.
    cleaned.pageUrl = url.origin + url.pathname;
  }
  if (locale !== undefined) {
    if (typeof locale !== 'string' || !LOCALE.test(locale)) {
      throw new HttpError('invalid_body', 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"');
    }
    cleaned.locale = locale;
  }
  return { preEngagementData, context: Object.keys(cleaned).length ? cleaned : undefined };
}

/** Structural checks of the refresh body. */
function parseRefreshBody(body: unknown): { token: string; identity: string; conversationSid: string } {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !REFRESH_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError('invalid_body', `Unknown property ${JSON.stringify(unknown[0])}; expected token, identity and conversationSid`);
  }
  const { token, identity, conversationSid } = body;
  if (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH) {
    throw new HttpError('invalid_body', 'token must be the access token from /webchat/init');
  }
  if (typeof identity !== 'string' || identity === '') throw new HttpError('invalid_body', 'identity must be a non-empty string');
  if (typeof conversationSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(conversationSid)) {
    throw new HttpError('invalid_body', 'conversationSid must be a conversation SID (CH…)');
  }
  return { token, identity, conversationSid };
}

const defaultLog = (entry: LogEntry) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), ...entry }));
};

/** Builds the token service. Throws at once on a broken form config (bad pattern). */
export function createTokenService(config: TokenServiceConfig, deps: TokenServiceDeps = {}): FetchHandler {
  const form = deps.preEngagement ?? loadDeploymentConfig().preEngagement;
  const validate = createPreEngagementValidator(form);
  const flex = deps.flex ?? createFlexWebChats(config);
  const newIdentity = deps.newIdentity ?? (() => `visitor-${crypto.randomUUID()}`);
  const log = deps.log ?? defaultLog;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowed = new Set(config.allowedOrigins);

  function json(status: number, body: unknown, origin: string | null, extra: Record<string, string> = {}): Response {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      vary: 'Origin',
      ...extra,
    });
    if (origin !== null && allowed.has(origin)) headers.set('access-control-allow-origin', origin);
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers });
  }

  function error(err: HttpError, origin: string | null, extra: Record<string, string> = {}): Response {
    const body: ErrorResponse = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    return json(ERROR_STATUS[err.code], body, origin, extra);
  }

  function preflight(request: Request, methods: readonly string[]): Response {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) {
      return error(new HttpError('origin_not_allowed', 'This origin may not call the token service'), origin);
    }
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        'cache-control': 'no-store',
      },
    });
  }

  /** Origin allowlist, JSON content type and size limit for a browser POST; returns the parsed body. */
  async function readJsonPost(request: Request): Promise<{ origin: string; body: unknown }> {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) {
      throw new HttpError(
        'origin_not_allowed',
        origin === null ? 'Requests must come from an allowed origin (no Origin header)' : 'This origin may not call the token service',
      );
    }
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      throw new HttpError('unsupported_media_type', 'Content-Type must be application/json');
    }
    return { origin, body: parseJson(await readBody(request, maxBodyBytes)) };
  }

  function mint(identity: string) {
    return mintChatToken({
      accountSid: config.accountSid,
      apiKeySid: config.apiKeySid,
      apiKeySecret: config.apiKeySecret,
      serviceSid: config.conversationsServiceSid,
      identity,
      ttlSeconds: config.tokenTtlSeconds,
    });
  }

  async function init(request: Request, requestId: string | undefined): Promise<Response> {
    const { origin, body: raw } = await readJsonPost(request);
    const input = parseInitBody(raw);
    const result = validate(input.preEngagementData);
    if (!result.ok) {
      throw new HttpError('validation_failed', 'Some pre-engagement fields are invalid', result.fields);
    }

    const preEngagementData: Record<string, PreEngagementValue | Record<string, string>> = { ...result.data };
    // Field names start with a letter, so this key cannot collide with a form field.
    if (input.context) preEngagementData._context = input.context;
    const customerFriendlyName = result.friendlyName ?? DEFAULT_CUSTOMER_FRIENDLY_NAME;

    let created: { conversationSid: string; identity: string };
    try {
      created = await flex.create({
        addressSid: config.webChatAddressSid,
        chatFriendlyName: CHAT_FRIENDLY_NAME,
        customerFriendlyName,
        preEngagementData: JSON.stringify(preEngagementData),
        identity: newIdentity(),
      });
    } catch (upstream) {
      log({ level: 'error', msg: 'flex_webchats_failed', requestId, ...describeUpstreamError(upstream) });
      throw new HttpError('upstream_error', 'Could not start a conversation with Twilio Flex; try again shortly');
    }
    const conversationSid = created?.conversationSid;
    const identity = created?.identity;
    if (typeof conversationSid !== 'string' || !conversationSid.startsWith('CH') || typeof identity !== 'string' || identity === '') {
      log({ level: 'error', msg: 'flex_webchats_bad_reply', requestId });
      throw new HttpError('upstream_error', 'Twilio Flex answered without a conversation; try again shortly');
    }

    const { token, expiresAt } = mint(identity);
    const body: WebChatInitResponse = {
      token,
      identity,
      conversationSid,
      expiresAt: expiresAt.toISOString(),
      mode: config.mode,
    };
    if (config.mode === 'local' && config.emulator) body.twilsockUri = config.emulator.twilsockUri;
    return json(200, body, origin);
  }

  /**
   * A fresh token for the identity of a still-valid token this service minted.
   * The conversation SID is only shape-checked: the token grants the service,
   * not one conversation, so it does not widen access.
   */
  async function refresh(request: Request, requestId: string | undefined): Promise<Response> {
    const { origin, body: raw } = await readJsonPost(request);
    const input = parseRefreshBody(raw);
    const check = await verifyChatToken(input.token, {
      accountSid: config.accountSid,
      apiKeySid: config.apiKeySid,
      apiKeySecret: config.apiKeySecret,
      serviceSid: config.conversationsServiceSid,
    });
    if (!check.ok || check.identity !== input.identity) {
      log({ level: 'warn', msg: 'refresh_refused', requestId, reason: check.ok ? 'identity_mismatch' : check.reason });
      throw new HttpError('token_invalid', 'The token is invalid or has expired; start a new chat');
    }
    const { token, expiresAt } = mint(check.identity);
    const body: WebChatRefreshResponse = { token, identity: check.identity, expiresAt: expiresAt.toISOString() };
    return json(200, body, origin);
  }

  return async function tokenService(request: Request): Promise<Response> {
    const origin = request.headers.get('origin');
    const requestId = request.headers.get('x-request-id') ?? undefined;
    let path: string;
    try {
      path = new URL(request.url).pathname;
    } catch {
      return error(new HttpError('not_found', 'No such endpoint'), origin);
    }
    const methods = ROUTES.get(path);
    if (!methods) {
      return error(new HttpError('not_found', `No such endpoint: ${request.method} ${path.slice(0, 200)}`), origin);
    }
    if (!methods.includes(request.method)) {
      return error(new HttpError('method_not_allowed', `${path} does not support ${request.method}`), origin, {
        allow: methods.join(', '),
      });
    }
    try {
      if (request.method === 'OPTIONS') return preflight(request, methods);
      if (path === '/healthz') {
        const body: HealthResponse = { status: 'ok', mode: config.mode };
        const response = json(200, body, origin);
        return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
      }
      if (path === '/webchat/refresh') return await refresh(request, requestId);
      return await init(request, requestId);
    } catch (err) {
      if (err instanceof HttpError) return error(err, origin);
      log({ level: 'error', msg: 'unhandled_error', requestId, error: err instanceof Error ? err.name : typeof err });
      return error(new HttpError('internal_error', 'Something went wrong; try again shortly'), origin);
    }
  };
}
