import { randomUUID } from 'node:crypto';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describeOfflineMessageError, offlineMessageDeliverySchema, type OfflineMessage, type OfflineMessageDelivery } from '../../../contracts/offline-message.ts';
import { HttpError, jsonBody, type Router } from '../http/http-kit.ts';

// Messages visitors left outside business hours. In local mode the token
// service delivers them here when no webhook is configured; the agent console
// lists them. Kept in memory, newest last, forgotten by /faults/reset.

export type { OfflineMessage };

export interface OfflineInbox {
  readonly messages: readonly OfflineMessage[];
  clear(): void;
}

/** Oldest messages go first beyond this, so a long demo cannot grow the emulator without bound. */
export const MAX_OFFLINE_MESSAGES = 500;

const ajv = new Ajv({ allErrors: false, strict: true });
addFormats(ajv, ['uri', 'date-time']);
const validateDelivery = ajv.compile<Partial<OfflineMessageDelivery>>(offlineMessageDeliverySchema);

/** The token service's delivery payload, checked again here with the same rules (contracts/offline-message.ts). */
function parseOfflineMessage(input: unknown): OfflineMessage {
  if (!validateDelivery(input)) {
    const first = validateDelivery.errors?.[0];
    const problem = first ? describeOfflineMessageError(first, 'type, id, receivedAt, name, email, message and context') : { message: 'The body is invalid' };
    throw new HttpError({ status: 400, body: { error: { code: 'invalid_body', message: problem.message } } });
  }
  const message: OfflineMessage = {
    id: input.id ?? randomUUID(),
    receivedAt: input.receivedAt ?? new Date().toISOString(),
    name: input.name as string,
    email: input.email as string,
    message: input.message as string,
  };
  if (input.context && Object.keys(input.context).length > 0) message.context = { ...input.context };
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
