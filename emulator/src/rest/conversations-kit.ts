import type { EmulatorCredentials } from '../config.ts';
import type { Conversation, ConversationsModel, Message } from '../conversations/model.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { TWILIO_HOSTS } from './paging.ts';
import { requireAccountAuth, twilioRestError, withTwilioErrors } from './twilio-rest.ts';

// What every Conversations v1 REST module shares: the API base URL, account
// auth with Twilio error JSON, the webhook header, and path lookups.

export const CONVERSATIONS_API = `${TWILIO_HOSTS.conversations}/v1`;
export const CONVERSATIONS_BASE = '/conversations/v1/Conversations';

const WEBHOOK_ENABLED = ['true', 'false'] as const;

/** Posts a message made from a Content template (content/content-store.ts). */
export type ContentSender = (
  conversation: Conversation,
  input: { author: string; contentSid: string; variables?: Record<string, string>; attributes?: Record<string, unknown> },
) => Message;

export interface ConversationsRestDeps {
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  /** Without it, ContentSid is answered as not emulated. */
  sendContent?: ContentSender | undefined;
}

/** X-Twilio-Webhook-Enabled: accepted (true/false) and ignored, as the emulator calls no webhooks. */
export function checkWebhookHeader(request: HttpRequest): void {
  const value = request.headers['x-twilio-webhook-enabled'];
  if (value !== undefined && !(WEBHOOK_ENABLED as readonly string[]).includes(String(value))) {
    throw new HttpError(twilioRestError(400, 20001, 'Invalid X-Twilio-Webhook-Enabled: must be true or false'));
  }
}

export function notFound(resource: string): HttpError {
  return new HttpError(twilioRestError(404, 20404, `The requested resource ${resource.slice(0, 160)} was not found`));
}

/** Registers a handler behind Basic auth; model errors answer as Twilio error JSON. */
export function restRoute(router: Router, credentials: EmulatorCredentials) {
  return (method: string, path: string, handler: (request: HttpRequest) => HttpResponse) =>
    router.add(
      method,
      path,
      withTwilioErrors((request) => {
        requireAccountAuth(request, credentials);
        return handler(request);
      }),
    );
}

/** The conversation a path names, by SID or unique name. */
export function conversationOr404(model: ConversationsModel, request: HttpRequest, key: 'sid' | 'conversationSid'): Conversation {
  const id = request.params[key] ?? '';
  const conversation = model.findConversation(id);
  if (!conversation) throw notFound(`/Conversations/${id.slice(0, 64)}`);
  return conversation;
}

/** A YYYY-MM-DD (or ISO date-time) parameter. */
export function dateParam(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new HttpError(twilioRestError(400, 20001, `Invalid ${name}: expected a date like 2024-01-31`));
  }
  return time;
}
