import { randomUUID } from 'node:crypto';
import { HttpError, jsonBody, type Router } from '../http/http-kit.ts';

// Messages visitors left outside business hours. In local mode the token
// service delivers them here when no webhook is configured; the agent console
// lists them. Kept in memory, newest last, forgotten by /faults/reset.

export interface OfflineMessage {
  id: string;
  /** ISO 8601, when the token service accepted it. */
  receivedAt: string;
  name: string;
  email: string;
  message: string;
  context?: Record<string, string>;
}

export interface OfflineInbox {
  readonly messages: readonly OfflineMessage[];
  clear(): void;
}

/** Oldest messages go first beyond this, so a long demo cannot grow the emulator without bound. */
export const MAX_OFFLINE_MESSAGES = 500;
const MAX_CONTEXT_KEYS = 12;

function invalid(message: string): HttpError {
  return new HttpError({ status: 400, body: { error: { code: 'invalid_body', message } } });
}

const text = (value: unknown, name: string, max: number, pattern?: RegExp): string => {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > max || (pattern && !pattern.test(value))) {
    throw invalid(`${name} must be a non-empty string of at most ${max} characters`);
  }
  return value;
};

/** The token service's delivery payload (server/src/contract.ts OfflineMessageDelivery), checked again here. */
function parseOfflineMessage(input: unknown): OfflineMessage {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalid('The body must be a JSON object');
  const body = input as Record<string, unknown>;
  const known = new Set(['type', 'id', 'receivedAt', 'name', 'email', 'message', 'context']);
  const extra = Object.keys(body).find((key) => !known.has(key));
  if (extra !== undefined) throw invalid(`Unknown property ${JSON.stringify(extra)}`);
  if (body.type !== undefined && body.type !== 'offline_message') throw invalid('type must be "offline_message"');
  const message: OfflineMessage = {
    id: body.id === undefined ? randomUUID() : text(body.id, 'id', 64, /^[\w-]+$/),
    receivedAt: body.receivedAt === undefined ? new Date().toISOString() : text(body.receivedAt, 'receivedAt', 40),
    name: text(body.name, 'name', 80),
    email: text(body.email, 'email', 254, /^[^\s@]+@[^\s@]+$/),
    message: text(body.message, 'message', 2000),
  };
  if (Number.isNaN(Date.parse(message.receivedAt))) throw invalid('receivedAt must be an ISO 8601 date');
  if (body.context !== undefined) {
    const context = body.context;
    if (typeof context !== 'object' || context === null || Array.isArray(context)) throw invalid('context must be an object of strings');
    const entries = Object.entries(context as Record<string, unknown>);
    if (entries.length > MAX_CONTEXT_KEYS) throw invalid(`context may hold at most ${MAX_CONTEXT_KEYS} entries`);
    for (const [key, value] of entries) {
      if (typeof value !== 'string' || value.length > 2048) throw invalid(`context.${key} must be a string of at most 2048 characters`);
    }
    if (entries.length) message.context = Object.fromEntries(entries) as Record<string, string>;
  }
  return message;
}

export function registerOfflineInbox(router: Router): OfflineInbox {
  let messages: OfflineMessage[] = [];

  router.add('GET', '/agent/offline-messages', () => ({ status: 200, body: { messages } }));

  router.add('POST', '/agent/offline-messages', (request) => {
    const message = parseOfflineMessage(jsonBody(request));
    // A retry after a timeout carries the same id: keep one copy.
    if (messages.some((m) => m.id === message.id)) return { status: 200, body: { message, duplicate: true } };
    messages = [...messages, message].slice(-MAX_OFFLINE_MESSAGES);
    return { status: 201, body: { message } };
  });

  return {
    get messages() {
      return messages;
    },
    clear() {
      messages = [];
    },
  };
}
