// HTTP client of the token service: POST {tokenUrl}/webchat/init and /webchat/refresh.
// Errors arrive as `{ error: { code, message, fields? } }`.
import type {
  WebChatEndRequest,
  WebChatInitRequest,
  WebChatInitResponse,
  WebChatRefreshRequest,
  WebChatRefreshResponse,
} from '../../../contracts/token-service.ts';
import { jsonOrNull, postJsonRequest, request, type FetchLike } from './http.ts';

export type { FetchLike };

/** The contract's init body; the widget always sends its locale. */
export type InitRequestBody = WebChatInitRequest & { context: NonNullable<WebChatInitRequest['context']> & { locale: string } };

/** WebChatInitResponse as parsed: the contract's fields, read leniently. */
export type InitResponse = Omit<WebChatInitResponse, 'expiresAt' | 'mode' | 'sessionProof'> & {
  /** Epoch ms, or null when the service did not say. */
  expiresAt: number | null;
  mode: string;
  /** Lets /webchat/refresh renew the token after it expired (within a grace period). */
  sessionProof?: string;
};

/** The contract's refresh body; the widget always sends its token. */
export type RefreshRequestBody = WebChatRefreshRequest & { token: string };

/** WebChatRefreshResponse as parsed (the identity is the one the widget sent). */
export type RefreshResponse = Pick<WebChatRefreshResponse, 'token'> & {
  expiresAt: number | null;
  sessionProof?: string;
};

/** The contract's end body; the widget always sends its token and identity. */
export type EndRequestBody = WebChatEndRequest & { token: string; identity: string };

export type TokenServiceErrorKind =
  /** The request never got an answer (offline, DNS, CORS, timeout). */
  | 'network'
  /** 429: rate limited; 503 `busy`: Twilio's chat-start limit (retry after `retryAfterSeconds`). */
  | 'busy'
  /** 5xx. */
  | 'server'
  /** 4xx naming form fields the visitor can correct. */
  | 'fields'
  /** 401/403. */
  | 'auth'
  /** Other 4xx. */
  | 'rejected'
  /** 2xx whose body is not what the contract says. */
  | 'bad-response'
  /** Hosted init: Twilio does not know the deployment key (45778). */
  | 'deployment-key'
  /** Hosted init: the widget's origin is not among the deployment key's allowed origins. */
  | 'origin'
  /** Hosted init: the form's answers are over Twilio's 16 KB limit (45731). */
  | 'too-large';

export class TokenServiceError extends Error {
  constructor(
    readonly kind: TokenServiceErrorKind,
    message: string,
    readonly status: number | null = null,
    /** The service's own error code, when it sent one. */
    readonly serviceCode: string | null = null,
    /** Field name → message, for kind 'fields'. */
    readonly fields: Record<string, string> = {},
    /** The service's Retry-After (whole seconds), when it sent one. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'TokenServiceError';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts `{ name: message }` or `[{ field|name|path, message }]`; paths keep their last segment. */
export function parseFieldErrors(raw: unknown): Record<string, string> {
  const fields: Record<string, string> = {};
  const add = (name: unknown, message: unknown) => {
    if (typeof name !== 'string' || typeof message !== 'string' || name === '') return;
    const key = name.split('/').filter(Boolean).pop() ?? name;
    fields[key] = message;
  };
  if (Array.isArray(raw)) {
    for (const item of raw) if (isRecord(item)) add(item.field ?? item.name ?? item.path, item.message);
  } else if (isRecord(raw)) {
    for (const [name, message] of Object.entries(raw)) add(name, message);
  }
  return fields;
}

/** Epoch ms from a number (seconds or ms) or a date string. */
export function parseExpiresAt(raw: unknown): number | null {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw < 1e11 ? raw * 1000 : raw;
  if (typeof raw === 'string') {
    const parsed = Date.parse(raw);
    return Number.isNaN(parsed) ? null : parsed;
  }
  return null;
}

/** Retry-After in whole seconds (the token service never sends the HTTP-date form); null when absent or odd. */
export function parseRetryAfter(raw: string | null): number | null {
  if (raw === null || !/^\s*\d{1,6}\s*$/.test(raw)) return null;
  return Number(raw);
}

async function postJson(fetchFn: FetchLike, url: string, body: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await postJsonRequest(fetchFn, url, body);
  } catch (error) {
    throw new TokenServiceError('network', `Request to ${url} failed: ${(error as Error)?.message ?? String(error)}`);
  }
  const payload = await jsonOrNull(response);

  if (response.ok) {
    if (payload === null) throw new TokenServiceError('bad-response', 'Response is not JSON', response.status);
    return payload;
  }

  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : {};
  const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status}`;
  const code = typeof error.code === 'string' ? error.code : null;
  const fields = parseFieldErrors(error.fields);
  const status = response.status;
  if (Object.keys(fields).length > 0 && status >= 400 && status < 500) {
    throw new TokenServiceError('fields', message, status, code, fields);
  }
  const kind: TokenServiceErrorKind =
    status === 429 || (status === 503 && code === 'busy') ? 'busy' : status >= 500 ? 'server' : status === 401 || status === 403 ? 'auth' : 'rejected';
  throw new TokenServiceError(kind, message, status, code, {}, parseRetryAfter(response.headers.get('retry-after')));
}

function requireString(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== 'string' || value === '') throw new TokenServiceError('bad-response', `Response lacks "${key}"`);
  return value;
}

export async function requestInit(fetchFn: FetchLike, tokenUrl: string, body: InitRequestBody): Promise<InitResponse> {
  const payload = await postJson(fetchFn, `${tokenUrl}/webchat/init`, body);
  if (!isRecord(payload)) throw new TokenServiceError('bad-response', 'Response is not an object');
  const response: InitResponse = {
    token: requireString(payload, 'token'),
    identity: requireString(payload, 'identity'),
    conversationSid: requireString(payload, 'conversationSid'),
    expiresAt: parseExpiresAt(payload.expiresAt),
    mode: typeof payload.mode === 'string' && payload.mode !== '' ? payload.mode : 'conversations',
  };
  if (typeof payload.twilsockUri === 'string' && payload.twilsockUri !== '') response.twilsockUri = payload.twilsockUri;
  if (typeof payload.sessionProof === 'string' && payload.sessionProof !== '') response.sessionProof = payload.sessionProof;
  if (typeof payload.firstMessageSent === 'boolean') response.firstMessageSent = payload.firstMessageSent;
  if (payload.firstMessageSent === false && typeof payload.firstMessage === 'string' && payload.firstMessage.trim() !== '') {
    response.firstMessage = payload.firstMessage;
  }
  return response;
}

export async function requestRefresh(fetchFn: FetchLike, tokenUrl: string, body: RefreshRequestBody): Promise<RefreshResponse> {
  const payload = await postJson(fetchFn, `${tokenUrl}/webchat/refresh`, body);
  if (!isRecord(payload)) throw new TokenServiceError('bad-response', 'Response is not an object');
  const response: RefreshResponse = { token: requireString(payload, 'token'), expiresAt: parseExpiresAt(payload.expiresAt) };
  if (typeof payload.sessionProof === 'string' && payload.sessionProof !== '') response.sessionProof = payload.sessionProof;
  return response;
}

/**
 * POST {tokenUrl}/webchat/end: the visitor ends the chat (the service closes the
 * conversation). Resolves once the service accepted it.
 */
export async function requestEnd(fetchFn: FetchLike, tokenUrl: string, body: EndRequestBody): Promise<void> {
  await postJson(fetchFn, `${tokenUrl}/webchat/end`, body);
}

/** What the visitor may ask of the token service about a chat that ended (ended screen). */
export type AfterEndRoute = 'transcript' | 'survey';

/**
 * POST {tokenUrl}/webchat/{route} with the chat's credentials: `transcript` (the
 * service mails the transcript it builds from the conversation to `email`) or
 * `survey` (the visitor's rating, recorded once).
 */
export async function requestAfterEnd(fetchFn: FetchLike, tokenUrl: string, route: AfterEndRoute, body: EndRequestBody & Record<string, unknown>): Promise<void> {
  await postJson(fetchFn, `${tokenUrl}/webchat/${route}`, body);
}

/**
 * GET {tokenUrl}/healthz → the service's chat mode ('local', 'conversations',
 * 'legacy'), so the right SDK chunk can load while the visitor fills in the form.
 * Null when it cannot be told.
 */
export async function requestMode(fetchFn: FetchLike, tokenUrl: string): Promise<string | null> {
  try {
    const response = await request(fetchFn, `${tokenUrl}/healthz`, { headers: { accept: 'application/json' } }, 5_000); // a GET
    if (!response.ok) return null;
    const payload: unknown = await response.json();
    return isRecord(payload) && typeof payload.mode === 'string' && payload.mode !== '' ? payload.mode : null;
  } catch {
    return null;
  }
}
