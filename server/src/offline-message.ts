// POST /webchat/message: a message left outside business hours. Validation of
// the body (JSON Schema, ajv), the payload handed on, its signature, and the two
// ways it is delivered: the deployment's webhook, or (local mode, no webhook)
// the Flex emulator's offline inbox.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import {
  describeOfflineMessageError,
  offlineMessageFieldMessage,
  offlineMessageRequestSchema,
  type OfflineMessageDelivery,
  type OfflineMessageProblem,
} from '../../contracts/offline-message.ts';
import type { WebChatMessageRequest } from '../../contracts/token-service.ts';
import type { MessageWebhookConfig } from './env.ts';

/** How long a webhook may take before the visitor is told delivery failed (and may retry). */
export const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;
export const SIGNATURE_HEADER = 'x-flexchat-signature';
/** Receivers should refuse signatures older than this (replays). */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv, ['uuid', 'uri']);
const validateRequest = ajv.compile<WebChatMessageRequest>(offlineMessageRequestSchema);

export type ParsedMessage = { ok: true; value: WebChatMessageRequest } | { ok: false; problem: OfflineMessageProblem };

const describe = (error: ErrorObject): OfflineMessageProblem =>
  describeOfflineMessageError(error, 'name, email, message and optional messageId and context');

const clean = (value: unknown): unknown => (typeof value === 'string' ? value.trim().normalize('NFC') : value);

/** Trims and NFC-normalises the strings, then checks the body against offlineMessageRequestSchema. */
export function parseMessageBody(body: unknown): ParsedMessage {
  let candidate = body;
  if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
    const input = body as Record<string, unknown>;
    const copy: Record<string, unknown> = { ...input };
    for (const key of ['name', 'email', 'message'] as const) if (key in copy) copy[key] = clean(copy[key]);
    if (typeof copy.message === 'string') copy.message = copy.message.replace(/\r\n?/g, '\n');
    candidate = copy;
  }
  if (!validateRequest(candidate)) {
    const first = validateRequest.errors?.[0];
    return { ok: false, problem: first ? describe(first) : { message: 'The request body is invalid' } };
  }
  const value: WebChatMessageRequest = { ...candidate };
  if (candidate.context !== undefined) {
    const context = { ...candidate.context };
    if (context.pageUrl !== undefined) {
      const url = new URL(context.pageUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return { ok: false, problem: { field: 'context.pageUrl', message: offlineMessageFieldMessage('context.pageUrl') } };
      }
      // Query strings and fragments often carry tokens or personal data: forward origin + path only.
      context.pageUrl = url.origin + url.pathname;
    }
    value.context = context;
  }
  return { ok: true, value };
}

/** What the webhook (or the emulator's inbox) receives. */
export function deliveryPayload(input: WebChatMessageRequest, receivedAt: Date, newId: () => string = randomUUID): OfflineMessageDelivery {
  const payload: OfflineMessageDelivery = {
    type: 'offline_message',
    id: input.messageId?.toLowerCase() ?? newId(),
    receivedAt: receivedAt.toISOString(),
    name: input.name,
    email: input.email,
    message: input.message,
  };
  if (input.context && Object.keys(input.context).length > 0) payload.context = { ...input.context };
  return payload;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. */
export function signDelivery(secret: string, rawBody: string, timestampSeconds: number): string {
  const t = Math.floor(timestampSeconds);
  const v1 = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/** The receiver's side of signDelivery (documented in server/README.md): constant-time, with a replay window. */
export function verifyDeliverySignature(
  secret: string,
  rawBody: string,
  header: string | null | undefined,
  nowSeconds: number,
  toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS,
): boolean {
  if (!header) return false;
  const parts = new Map(header.split(',').map((part) => part.trim().split('=', 2) as [string, string]));
  const t = Number(parts.get('t'));
  const v1 = parts.get('v1');
  if (!Number.isSafeInteger(t) || v1 === undefined || !/^[0-9a-f]{64}$/.test(v1)) return false;
  if (Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest();
  return timingSafeEqual(expected, Buffer.from(v1, 'hex'));
}

/** Why a delivery failed; safe to log (never the URL: it may carry a token). */
export class DeliveryError extends Error {
  constructor(
    readonly reason: 'timeout' | 'network' | 'status',
    readonly status?: number,
  ) {
    super(status === undefined ? `delivery ${reason}` : `delivery answered HTTP ${status}`);
    this.name = 'DeliveryError';
  }
}

/** Hands one message on; resolves once the receiver accepted it (2xx), else throws a DeliveryError. */
export type MessageDelivery = (payload: OfflineMessageDelivery) => Promise<void>;

export interface DeliveryOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Seconds since the epoch, for the signature. */
  nowSeconds?: () => number;
}

async function post(url: string, rawBody: string, headers: Record<string, string>, options: DeliveryOptions): Promise<void> {
  const fetchFn = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'flexchat-token-service', ...headers },
      body: rawBody,
      // A redirect could send visitors' data somewhere nobody configured.
      redirect: 'error',
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS),
    });
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    throw new DeliveryError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
  }
  await response.body?.cancel().catch(() => undefined);
  if (!response.ok) throw new DeliveryError('status', response.status);
}

/** POSTs the payload as JSON to the deployment's webhook, signed when it has a secret (offline messages and transcripts alike). */
export function webhookDelivery<T extends { id: string } = OfflineMessageDelivery>(webhook: MessageWebhookConfig, options: DeliveryOptions = {}): (payload: T) => Promise<void> {
  return async (payload) => {
    const rawBody = JSON.stringify(payload);
    const headers: Record<string, string> = { 'x-flexchat-message-id': payload.id };
    if (webhook.secret !== undefined) {
      const now = options.nowSeconds?.() ?? Date.now() / 1000;
      headers[SIGNATURE_HEADER] = signDelivery(webhook.secret, rawBody, now);
    }
    await post(webhook.url, rawBody, headers, options);
  };
}

/** Local mode without a webhook: the emulator's offline inbox (POST /agent/offline-messages), shown in the agent console. */
export function emulatorDelivery<T = OfflineMessageDelivery>(emulatorUrl: string, options: DeliveryOptions = {}, path = '/agent/offline-messages'): (payload: T) => Promise<void> {
  const url = `${emulatorUrl.replace(/\/+$/, '')}${path}`;
  return async (payload) => post(url, JSON.stringify(payload), {}, options);
}
