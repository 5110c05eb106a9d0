// The widget's state: a zustand vanilla store of plain, serialisable data.
// React reads it with `useStore(store, selector)`; only the session controller writes it.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { FormField } from '../../../config/types.ts';
import type { ConnectionState, MessageAuthorRole } from '../transport/chat-transport.ts';
import { initialFormValues, type FormErrors, type FormValues } from './form-validation.ts';
import type { ChatMessage } from './messages.ts';

export type SessionPhase = 'idle' | 'pre-engagement' | 'connecting' | 'active' | 'ended' | 'error';

/** What the Retry button of the error view does. */
export type RecoveryAction =
  /** Ask the token service again (nothing usable came back yet). */
  | 'retry-init'
  /** Reconnect with the credentials already received. */
  | 'retry-connect'
  /** Go back to the form and start a new chat. */
  | 'restart';

export type SessionErrorCode =
  | 'network'
  | 'busy'
  | 'server'
  | 'bad-response'
  | 'auth'
  | 'not-found'
  | 'rejected'
  | 'unsupported-mode'
  | 'session-expired'
  | 'unknown';

export interface SessionError {
  code: SessionErrorCode;
  /** Text for the visitor. */
  message: string;
  recovery: RecoveryAction;
}

export interface FormState {
  values: FormValues;
  errors: FormErrors;
  /** A form-level message, e.g. the token service's explanation of field errors. */
  message: string | null;
  /** Increases on every rejected submit; the form moves focus to the first invalid field when it changes. */
  rejectedSubmits: number;
}

export interface ParticipantInfo {
  identity: string;
  role: MessageAuthorRole;
  displayName: string | null;
}

export interface SessionInfo {
  identity: string;
  conversationSid: string;
  mode: string;
  /** Epoch ms when the access token expires, if the token service said. */
  expiresAt: number | null;
}

export interface SessionState {
  phase: SessionPhase;
  error: SessionError | null;
  form: FormState;
  /** The visitor's own chat identity and conversation. Never the token. */
  session: SessionInfo | null;
  /** Display name the visitor gave in the form (config `friendlyNameField`). */
  visitorName: string | null;
  messages: readonly ChatMessage[];
  hasOlderMessages: boolean;
  participants: Readonly<Record<string, ParticipantInfo>>;
  /** Identities of other participants currently typing, in the order they started. */
  typing: readonly string[];
  connection: ConnectionState | 'idle';
  /** Composer text; kept here so it survives view changes. */
  draft: string;
}

export type SessionStore = StoreApi<SessionState>;

export function initialSessionState(fields: readonly FormField[]): SessionState {
  return {
    phase: 'idle',
    error: null,
    form: { values: initialFormValues(fields), errors: {}, message: null, rejectedSubmits: 0 },
    session: null,
    visitorName: null,
    messages: [],
    hasOlderMessages: false,
    participants: {},
    typing: [],
    connection: 'idle',
    draft: '',
  };
}

export function createSessionStore(fields: readonly FormField[]): SessionStore {
  return createStore<SessionState>()(() => initialSessionState(fields));
}
