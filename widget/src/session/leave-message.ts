// The offline screen's leave-a-message form, framework-free: values, client-side
// checks (the token service's rules), POST {tokenUrl}/webchat/message, mapping
// of its typed errors, and retries that reuse the message id so the receiver can
// drop a duplicate. State is plain data in a zustand vanilla store; what the
// visitor typed is only cleared after the service confirmed delivery.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { OFFLINE_MESSAGE_LIMITS, OfflineMessageField, OfflineMessageFieldProblem } from '../../../contracts/offline-message.ts';
import type { WebChatMessageRequest } from '../../../contracts/token-service.ts';
import type { FetchLike } from './token-service.ts';
import { postJsonRequest } from './http.ts';

export type LeaveMessageField = OfflineMessageField;
export type LeaveMessageValues = Record<LeaveMessageField, string>;

/** Why a field is refused; the UI turns it into text in the visitor's language. */
export type LeaveMessageFieldError = OfflineMessageFieldProblem;

export type LeaveMessageErrorKind =
  /** No answer (offline, DNS, CORS, timeout): retry. */
  | 'network'
  /** 429: retry after a moment. */
  | 'busy'
  /** 502 delivery_failed or another 5xx: retry. */
  | 'delivery'
  /** 501 not_configured, 403, 404: this deployment cannot take messages; retrying will not help. */
  | 'unavailable'
  /** 4xx naming one of the visitor's fields. */
  | 'fields'
  /** Other 4xx. */
  | 'rejected';

export interface LeaveMessageError {
  kind: LeaveMessageErrorKind;
  /** Whether sending the same text again may work. */
  retryable: boolean;
  /** Seconds from Retry-After (429), when sent. */
  retryAfterSeconds: number | null;
  /** The service's own code (`delivery_failed`, …), when it sent one. */
  code: string | null;
}

export type LeaveMessageStatus = 'editing' | 'sending' | 'sent';

export interface LeaveMessageState {
  values: LeaveMessageValues;
  errors: Partial<Record<LeaveMessageField, LeaveMessageFieldError>>;
  status: LeaveMessageStatus;
  error: LeaveMessageError | null;
  /** Increases on every refused submit; the form focuses the first invalid field when it changes. */
  rejectedSubmits: number;
}

// The contract's limits, restated so the main chunk does not carry the whole record;
// `satisfies` fails the typecheck if either side changes alone.
export const LEAVE_MESSAGE_LIMITS = { name: 80, email: 254, message: 2000 } as const satisfies Pick<typeof OFFLINE_MESSAGE_LIMITS, LeaveMessageField>;
const FIELDS: readonly LeaveMessageField[] = ['name', 'email', 'message'];
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const LETTER = /\p{L}/u;
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const MESSAGE_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;

const codePoints = (text: string) => [...text].length;

/** The token service's rules (contracts/offline-message.ts), checked before sending. */
export function validateLeaveMessage(values: LeaveMessageValues): LeaveMessageState['errors'] {
  const errors: LeaveMessageState['errors'] = {};
  const name = values.name.trim();
  if (name === '') errors.name = 'required';
  else if (codePoints(name) > LEAVE_MESSAGE_LIMITS.name) errors.name = 'tooLong';
  else if (!LETTER.test(name) || CONTROL.test(name)) errors.name = 'nameLetters';
  const email = values.email.trim();
  if (email === '') errors.email = 'required';
  else if (email.length > LEAVE_MESSAGE_LIMITS.email || !EMAIL.test(email)) errors.email = 'email';
  const message = values.message.trim();
  if (message === '') errors.message = 'required';
  else if (codePoints(message) > LEAVE_MESSAGE_LIMITS.message) errors.message = 'tooLong';
  else if (MESSAGE_CONTROL.test(message)) errors.message = 'invalid';
  return errors;
}

export interface LeaveMessageContext {
  locale?: string;
  /** The host page, when the host told the widget (FlexChat('setContext')). */
  pageUrl?: string;
}

/** The contract's POST /webchat/message body; the widget always sends a message id. */
export type LeaveMessageRequestBody = WebChatMessageRequest & { messageId: string };

export function buildLeaveMessageRequest(values: LeaveMessageValues, messageId: string, context: LeaveMessageContext = {}): LeaveMessageRequestBody {
  const body: LeaveMessageRequestBody = { name: values.name.trim(), email: values.email.trim(), message: values.message.trim(), messageId };
  const ctx: { locale?: string; pageUrl?: string } = {};
  if (context.locale) ctx.locale = context.locale;
  if (context.pageUrl && /^https?:\/\//i.test(context.pageUrl) && context.pageUrl.length <= 2048) ctx.pageUrl = context.pageUrl;
  if (Object.keys(ctx).length > 0) body.context = ctx;
  return body;
}

/** A refused send: the error, and the field to blame when the service named one of the visitor's. */
export class LeaveMessageSendError extends Error {
  constructor(
    readonly error: LeaveMessageError,
    readonly field: { name: LeaveMessageField; problem: LeaveMessageFieldError } | null = null,
  ) {
    super(error.code ?? error.kind);
    this.name = 'LeaveMessageSendError';
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The service's answer → nothing (delivered) or a LeaveMessageSendError. */
export async function mapLeaveMessageResponse(response: Response): Promise<void> {
  if (response.ok) return; // 202: delivered; the body is informational
  let payload: unknown = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  const error = isRecord(payload) && isRecord(payload.error) ? payload.error : {};
  const code = typeof error.code === 'string' ? error.code : null;
  const fieldName = typeof error.field === 'string' ? error.field : null;
  const status = response.status;
  const fail = (kind: LeaveMessageErrorKind, retryable: boolean, retryAfterSeconds: number | null = null) => ({ kind, retryable, retryAfterSeconds, code });

  if (status === 429) {
    const header = Number(response.headers.get('retry-after'));
    throw new LeaveMessageSendError(fail('busy', true, Number.isFinite(header) && header > 0 ? Math.ceil(header) : null));
  }
  if (status === 501 || status === 403 || status === 404 || status === 405) throw new LeaveMessageSendError(fail('unavailable', false));
  if (status >= 500) throw new LeaveMessageSendError(fail('delivery', true));
  if (status === 413) throw new LeaveMessageSendError(fail('fields', false), { name: 'message', problem: 'tooLong' });
  if (fieldName !== null && (FIELDS as readonly string[]).includes(fieldName)) {
    const name = fieldName as LeaveMessageField;
    throw new LeaveMessageSendError(fail('fields', false), { name, problem: name === 'email' ? 'email' : name === 'name' ? 'nameLetters' : 'invalid' });
  }
  throw new LeaveMessageSendError(fail('rejected', false));
}

/** POST {tokenUrl}/webchat/message. Resolves once delivered; throws a LeaveMessageSendError otherwise. */
export async function sendLeaveMessage(fetchFn: FetchLike, tokenUrl: string, body: LeaveMessageRequestBody): Promise<void> {
  let response: Response;
  try {
    response = await postJsonRequest(fetchFn, `${tokenUrl}/webchat/message`, body);
  } catch {
    throw new LeaveMessageSendError({ kind: 'network', retryable: true, retryAfterSeconds: null, code: null });
  }
  await mapLeaveMessageResponse(response);
}

export interface LeaveMessageOptions {
  tokenUrl: string;
  fetch?: FetchLike;
  /** Message ids (UUIDs). Default: crypto.randomUUID. */
  createId?: () => string;
  /** Read at send time: the UI language and the host page. */
  context?: () => LeaveMessageContext;
}

const emptyValues = (): LeaveMessageValues => ({ name: '', email: '', message: '' });

function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One leave-a-message form: the only writer of its store. */
export class LeaveMessageForm {
  readonly store: StoreApi<LeaveMessageState>;
  private readonly options: LeaveMessageOptions;
  private readonly fetchFn: FetchLike;
  private readonly createId: () => string;
  /** The id of the text being sent; kept across retries of the same text. */
  private messageId: string | null = null;

  constructor(options: LeaveMessageOptions) {
    this.options = options;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.createId = options.createId ?? randomId;
    this.store = createStore<LeaveMessageState>(() => ({ values: emptyValues(), errors: {}, status: 'editing', error: null, rejectedSubmits: 0 }));
  }

  get state(): LeaveMessageState {
    return this.store.getState();
  }

  setValue(field: LeaveMessageField, value: string): void {
    if (this.state.status === 'sending') return;
    if (this.state.values[field] !== value) this.messageId = null; // different text: a different message
    this.store.setState((s) => {
      const errors = { ...s.errors };
      delete errors[field];
      return { values: { ...s.values, [field]: value }, errors };
    });
  }

  /** Fills empty fields only (identify / pre-engagement data): never overwrites what the visitor typed. */
  prefill(values: Partial<Pick<LeaveMessageValues, 'name' | 'email'>>): void {
    this.store.setState((s) => {
      const next = { ...s.values };
      for (const field of ['name', 'email'] as const) {
        const value = values[field];
        if (next[field] === '' && typeof value === 'string' && value !== '') next[field] = value;
      }
      return { values: next };
    });
  }

  /** Validates and sends; also the retry (same text → same message id). Resolves when settled. */
  async submit(): Promise<void> {
    const state = this.state;
    if (state.status !== 'editing') return;
    const errors = validateLeaveMessage(state.values);
    if (Object.keys(errors).length > 0) {
      this.store.setState({ errors, error: null, rejectedSubmits: state.rejectedSubmits + 1 });
      return;
    }
    this.messageId ??= this.createId();
    this.store.setState({ status: 'sending', errors: {}, error: null });
    try {
      await sendLeaveMessage(this.fetchFn, this.options.tokenUrl, buildLeaveMessageRequest(state.values, this.messageId, this.options.context?.() ?? {}));
    } catch (failure) {
      const { error, field } =
        failure instanceof LeaveMessageSendError
          ? failure
          : { error: { kind: 'rejected' as const, retryable: false, retryAfterSeconds: null, code: null }, field: null };
      this.store.setState((s) => ({
        status: 'editing',
        error,
        errors: field ? { [field.name]: field.problem } : {},
        rejectedSubmits: field ? s.rejectedSubmits + 1 : s.rejectedSubmits,
      }));
      return;
    }
    this.messageId = null;
    // The text was delivered: clear it; keep name and email for a next message.
    this.store.setState((s) => ({ status: 'sent', error: null, values: { ...s.values, message: '' } }));
  }

  /** After a confirmation: back to the form for another message. */
  writeAnother(): void {
    if (this.state.status === 'sent') this.store.setState({ status: 'editing', error: null, errors: {} });
  }
}
