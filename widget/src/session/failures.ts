// One table from a failure to what the visitor sees (a code) and what Retry does
// (a recovery), by where it happened. Pure data: the session slices look it up
// (init.ts, connect.ts, credentials.ts) instead of each writing its own switch.
import { TransportError } from '../transport/chat-transport.ts';
import type { RecoveryAction, SessionErrorCode } from './session-store.ts';
import { TokenServiceError } from './token-service.ts';

export interface Failure {
  code: SessionErrorCode;
  recovery: RecoveryAction;
  /** The service no longer knows this session: a session resumed from storage is dropped quietly. */
  gone?: true;
}

/**
 * - `init`: POST /webchat/init (by TokenServiceError kind). Nothing usable came back, so Retry asks
 *   again; a refusal will not change with the same answers, so it goes back to the form ('fields':
 *   errors about fields the visitor cannot see or change; correctable ones go to the form instead,
 *   as do hosted answers over Twilio's 16 KB limit, 'too-large').
 * - `load`: the transport chunk for the session's mode. 'rejected': a mode this widget has no
 *   adapter for; anything else: the chunk could not be fetched, Retry connects again.
 * - `connect`: the chat SDK with the credentials (by TransportError code). A refused token or a
 *   conversation the service no longer has needs a new session; a lost connection does not.
 * - `renew`: POST /webchat/refresh after the token expired (by TokenServiceError kind; also a stale
 *   token before a retry or a resume). Only a refusal (401/403 `auth`, other 4xx `rejected` or
 *   `fields`) says the session is over: "session expired" and a new chat. Everything else (offline,
 *   429/503 busy, 5xx, a malformed answer) says nothing about the session: the conversation is kept
 *   and Retry renews first, then connects. This reconciles two copies that disagreed: one made a 5xx
 *   terminal (losing a live conversation to a passing server error, although the service answers a
 *   dead session with 401) and reported busy as `network`; the other reported 5xx as `network`.
 *   The code now names what happened (`server`, `busy`, `bad-response`) in every source alike.
 */
const table = {
  init: {
    network: { code: 'network', recovery: 'retry-init' },
    busy: { code: 'busy', recovery: 'retry-init' },
    server: { code: 'server', recovery: 'retry-init' },
    'bad-response': { code: 'bad-response', recovery: 'retry-init' },
    auth: { code: 'auth', recovery: 'retry-init' },
    rejected: { code: 'rejected', recovery: 'restart' },
    fields: { code: 'rejected', recovery: 'restart' },
    // Hosted init (Twilio's Webchat endpoint): the configuration is wrong; the error view names it.
    'deployment-key': { code: 'deployment-key', recovery: 'retry-init' },
    origin: { code: 'origin-not-allowed', recovery: 'retry-init' },
    unknown: { code: 'unknown', recovery: 'retry-init' },
  },
  load: {
    rejected: { code: 'unsupported-mode', recovery: 'restart' },
    unknown: { code: 'network', recovery: 'retry-connect' },
  },
  connect: {
    auth: { code: 'auth', recovery: 'retry-init', gone: true },
    'not-found': { code: 'not-found', recovery: 'retry-init', gone: true },
    rejected: { code: 'rejected', recovery: 'retry-init', gone: true },
    network: { code: 'network', recovery: 'retry-connect' },
    unknown: { code: 'unknown', recovery: 'retry-connect' },
  },
  renew: {
    auth: { code: 'session-expired', recovery: 'restart', gone: true },
    rejected: { code: 'session-expired', recovery: 'restart', gone: true },
    fields: { code: 'session-expired', recovery: 'restart', gone: true },
    network: { code: 'network', recovery: 'retry-connect' },
    busy: { code: 'busy', recovery: 'retry-connect' },
    server: { code: 'server', recovery: 'retry-connect' },
    'bad-response': { code: 'bad-response', recovery: 'retry-connect' },
    unknown: { code: 'unknown', recovery: 'retry-connect' },
  },
} as const satisfies Record<string, Record<string, Failure> & { unknown: Failure }>;

export type FailureSource = keyof typeof table;

/** What a failure at `source` means for the visitor: its row of the table, else the source's `unknown`. */
export function classify(source: FailureSource, error: unknown): Failure {
  const rows: Readonly<Record<string, Failure>> = table[source];
  const key = error instanceof TokenServiceError ? error.kind : error instanceof TransportError ? error.code : 'unknown';
  return rows[key] ?? rows.unknown!;
}
