// The session's behaviour, framework-free: form → token service → transport →
// store. The only writer of the session store.
import type { DeploymentConfig, FormField } from '../../../config/types.ts';
import type { WidgetEvent } from '../bridge/host-bridge.ts';
import { resolveStrings, format, type Strings } from '../strings.ts';
import {
  TransportError,
  type ChatTransport,
  type TransportEvent,
  type TransportParticipant,
} from '../transport/chat-transport.ts';
import type { TransportFactory, TransportLoader } from '../transport/transport-loader.ts';
import { collectPreEngagementData, validateForm, type FormValue } from './form-validation.ts';
import {
  addNotice,
  addOutgoingMessage,
  failPending,
  findByClientMessageId,
  markFailed,
  markRetrying,
  mergeServerMessages,
  rewriteNotices,
  type NoticeKind,
} from './messages.ts';
import {
  createSessionStore,
  type ParticipantInfo,
  type SessionError,
  type SessionErrorCode,
  type SessionState,
  type SessionStore,
  type RecoveryAction,
} from './session-store.ts';
import { requestInit, requestRefresh, TokenServiceError, type FetchLike, type InitResponse } from './token-service.ts';

export interface SessionControllerOptions {
  config: DeploymentConfig;
  /** Resolves a transport factory for a chat mode (production: dynamic imports). */
  loadTransport: TransportLoader;
  fetch?: FetchLike;
  /** Events for the host page (through the host bridge). */
  notifyHost?: (event: WidgetEvent) => void;
  strings?: Strings;
  now?: () => number;
  createId?: () => string;
  historyPageSize?: number;
  /** Mode whose transport is preloaded while the visitor fills in the form. */
  preloadMode?: string;
  store?: SessionStore;
}

/** Random id for matching an optimistic message with its server copy. */
export function newClientMessageId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The composer draft plus the text of messages that never reached the server. */
function withUnsentText(state: SessionState): string {
  const unsent = state.messages.filter((m) => m.delivery === 'failed' || m.delivery === 'sending').map((m) => m.body);
  return [...unsent, state.draft].filter((text) => text.trim() !== '').join('\n\n');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Credentials are considered stale this long before they actually expire. */
const expiryMarginMs = 30_000;

export class SessionController {
  readonly store: SessionStore;
  readonly strings: Strings;
  readonly config: DeploymentConfig;

  private readonly fields: readonly FormField[];
  private readonly loader: TransportLoader;
  private readonly fetchFn: FetchLike;
  private readonly notifyHost: (event: WidgetEvent) => void;
  private readonly now: () => number;
  private readonly createId: () => string;
  private readonly historyPageSize: number;
  private readonly preloadMode: string;

  private readonly factories = new Map<string, Promise<TransportFactory>>();
  private transport: ChatTransport | null = null;
  private unsubscribe: (() => void) | null = null;
  private credentials: InitResponse | null = null;
  private submission: Record<string, FormValue> | null = null;
  private pageUrl: string | undefined;
  /** Bumped whenever the session is (re)started or torn down; stale async results compare against it. */
  private generation = 0;
  private sessionStarted = false;
  private refreshing: Promise<void> | null = null;

  constructor(options: SessionControllerOptions) {
    this.config = options.config;
    this.fields = options.config.preEngagement.fields;
    this.strings = options.strings ?? resolveStrings(options.config.texts);
    this.store = options.store ?? createSessionStore(this.fields);
    this.loader = options.loadTransport;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.notifyHost = options.notifyHost ?? (() => {});
    this.now = options.now ?? Date.now;
    this.createId = options.createId ?? newClientMessageId;
    this.historyPageSize = options.historyPageSize ?? 50;
    this.preloadMode = options.preloadMode ?? 'conversations';
  }

  // ---- reading ----------------------------------------------------------------

  get state(): SessionState {
    return this.store.getState();
  }

  private set(partial: Partial<SessionState> | ((state: SessionState) => Partial<SessionState>)): void {
    this.store.setState(partial);
  }

  // ---- form -------------------------------------------------------------------

  /** Shows the form and starts loading the chat SDK in the background. Idempotent. */
  start(): void {
    if (this.state.phase !== 'idle') return;
    this.set({ phase: 'pre-engagement' });
    this.preload(this.preloadMode).catch(() => {
      // A failed preload is retried by connect(); nothing to show yet.
    });
  }

  setFieldValue(name: string, value: FormValue): void {
    this.set((state) => {
      const errors = { ...state.form.errors };
      delete errors[name];
      return { form: { ...state.form, values: { ...state.form.values, [name]: value }, errors } };
    });
  }

  /** Values supplied by the host page (FlexChat('identify')); only for configured fields. */
  applyPrefill(prefill: Readonly<Record<string, string>>): void {
    const phase = this.state.phase;
    if (phase !== 'idle' && phase !== 'pre-engagement') return;
    this.set((state) => {
      const values = { ...state.form.values };
      for (const field of this.fields) {
        const value = prefill[field.name];
        if (value === undefined) continue;
        values[field.name] = field.type === 'checkbox' ? value === 'true' : value;
      }
      return { form: { ...state.form, values } };
    });
  }

  /** Context supplied by the host page; `pageUrl` is forwarded to the token service. */
  setContext(context: Readonly<Record<string, string>>): void {
    // The token service rejects anything but an absolute http(s) URL; drop others here.
    const pageUrl = context.pageUrl;
    if (typeof pageUrl === 'string' && /^https?:\/\//i.test(pageUrl) && URL.canParse(pageUrl)) this.pageUrl = pageUrl;
  }

  /** Validates the form; when valid, asks for a session and connects. */
  async submitForm(): Promise<void> {
    const state = this.state;
    if (state.phase !== 'pre-engagement') return;
    const errors = validateForm(this.fields, state.form.values, this.strings);
    if (Object.keys(errors).length > 0) {
      this.set({ form: { ...state.form, errors, message: null, rejectedSubmits: state.form.rejectedSubmits + 1 } });
      return;
    }
    const data = collectPreEngagementData(this.fields, state.form.values);
    const nameField = this.config.preEngagement.friendlyNameField;
    const name = nameField !== undefined ? data[nameField] : undefined;
    this.submission = data;
    this.set({
      visitorName: typeof name === 'string' && name !== '' ? name : null,
      form: { ...state.form, errors: {}, message: null },
    });
    await this.initAndConnect();
  }

  // ---- session lifecycle -------------------------------------------------------

  /** Runs the error view's recovery action. */
  async retry(): Promise<void> {
    const { phase, error } = this.state;
    if (phase !== 'error' || !error) return;
    switch (error.recovery) {
      case 'retry-connect':
        if (this.credentials && !this.credentialsStale()) {
          await this.connect(++this.generation);
          return;
        }
        await this.initAndConnect();
        return;
      case 'retry-init':
        await this.initAndConnect();
        return;
      case 'restart':
        this.restart();
        return;
    }
  }

  /** Back to the form for a new chat; form values and the composer draft are kept. */
  restart(): void {
    const wasStarted = this.sessionStarted;
    this.teardown();
    this.credentials = null;
    this.sessionStarted = false;
    this.set((state) => ({
      phase: 'pre-engagement',
      error: null,
      session: null,
      messages: [],
      hasOlderMessages: false,
      participants: {},
      typing: [],
      connection: 'idle',
      draft: withUnsentText(state),
      form: { ...state.form, errors: {}, message: null },
    }));
    if (wasStarted) this.notifyHost({ type: 'sessionEnd' });
  }

  /** Stops everything (the iframe is going away). */
  dispose(): void {
    this.teardown();
  }

  private credentialsStale(): boolean {
    const expiresAt = this.credentials?.expiresAt;
    return expiresAt !== null && expiresAt !== undefined && expiresAt - expiryMarginMs <= this.now();
  }

  private preload(mode: string): Promise<TransportFactory> {
    let pending = this.factories.get(mode);
    if (!pending) {
      pending = this.loader(mode);
      this.factories.set(mode, pending);
      // Forget failures (e.g. a chunk that did not download) so a retry loads again.
      pending.catch(() => this.factories.delete(mode));
    }
    return pending;
  }

  private teardown(): void {
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const transport = this.transport;
    this.transport = null;
    this.refreshing = null;
    if (transport) transport.disconnect().catch(() => {});
  }

  private fail(code: SessionErrorCode, recovery: RecoveryAction): void {
    this.teardown();
    const error: SessionError = { code, recovery, message: this.errorMessage(code) };
    this.set((state) => ({
      phase: 'error',
      error,
      typing: [],
      connection: 'idle',
      messages: failPending(state.messages, error.message),
    }));
  }

  private errorMessage(code: SessionErrorCode): string {
    switch (code) {
      case 'network':
        return this.strings.errorNetwork;
      case 'busy':
        return this.strings.errorBusy;
      case 'session-expired':
        return this.strings.errorSessionExpired;
      case 'unsupported-mode':
        return this.strings.errorUnsupported;
      default:
        return this.strings.errorGeneric;
    }
  }

  private async initAndConnect(): Promise<void> {
    const data = this.submission;
    if (!data) {
      this.restart();
      return;
    }
    this.teardown();
    const generation = this.generation;
    this.credentials = null;
    // A new conversation: whatever the visitor could not send goes back into the composer.
    this.set((state) => ({
      phase: 'connecting',
      error: null,
      connection: 'idle',
      messages: [],
      draft: withUnsentText(state),
    }));

    let init: InitResponse;
    try {
      const context: { pageUrl?: string; locale: string } = { locale: this.config.locale ?? 'en' };
      if (this.pageUrl !== undefined) context.pageUrl = this.pageUrl;
      init = await requestInit(this.fetchFn, this.config.tokenUrl, { preEngagementData: data, context });
    } catch (error) {
      if (generation === this.generation) this.handleInitError(error);
      return;
    }
    if (generation !== this.generation) return;

    this.credentials = init;
    this.set({
      session: {
        identity: init.identity,
        conversationSid: init.conversationSid,
        mode: init.mode,
        expiresAt: init.expiresAt,
      },
      messages: [],
      hasOlderMessages: false,
      participants: {},
      typing: [],
    });
    await this.connect(generation);
  }

  private handleInitError(error: unknown): void {
    if (!(error instanceof TokenServiceError)) {
      this.fail('unknown', 'retry-init');
      return;
    }
    if (error.kind === 'fields') {
      const errors: Record<string, string> = {};
      for (const field of this.fields) {
        const message = error.fields[field.name];
        if (message !== undefined && field.type !== 'hidden') errors[field.name] = field.errorText ?? message;
      }
      if (Object.keys(errors).length > 0) {
        this.set((state) => ({
          phase: 'pre-engagement',
          error: null,
          form: {
            ...state.form,
            errors,
            message: this.strings.formHasErrors,
            rejectedSubmits: state.form.rejectedSubmits + 1,
          },
        }));
        return;
      }
      // Errors about fields the visitor cannot see or change: nothing to correct.
      this.fail('rejected', 'restart');
      return;
    }
    switch (error.kind) {
      case 'network':
        return this.fail('network', 'retry-init');
      case 'busy':
        return this.fail('busy', 'retry-init');
      case 'server':
        return this.fail('server', 'retry-init');
      case 'bad-response':
        return this.fail('bad-response', 'retry-init');
      case 'auth':
        return this.fail('auth', 'retry-init');
      case 'rejected':
        return this.fail('rejected', 'restart');
    }
  }

  private async connect(generation: number): Promise<void> {
    const credentials = this.credentials;
    if (!credentials) return;
    this.set({ phase: 'connecting', error: null });

    let factory: TransportFactory;
    try {
      factory = await this.preload(credentials.mode);
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof TransportError && error.code === 'rejected') this.fail('unsupported-mode', 'restart');
      else this.fail('network', 'retry-connect'); // the adapter chunk could not be loaded
      return;
    }
    if (generation !== this.generation) return;

    const transport = factory();
    this.transport = transport;
    this.unsubscribe = transport.subscribe((event) => this.handleEvent(transport, event));
    try {
      await transport.connect({
        token: credentials.token,
        identity: credentials.identity,
        conversationSid: credentials.conversationSid,
        ...(credentials.twilsockUri !== undefined ? { twilsockUri: credentials.twilsockUri } : {}),
      });
      if (generation !== this.generation) return;
      const [history, participants] = await Promise.all([
        transport.loadHistory(this.historyPageSize),
        transport.getParticipants(),
      ]);
      if (generation !== this.generation) return;
      this.set((state) => ({
        phase: state.phase === 'connecting' ? 'active' : state.phase,
        connection: state.connection === 'idle' || state.connection === 'connecting' ? 'connected' : state.connection,
        messages: mergeServerMessages(state.messages, history.messages),
        hasOlderMessages: history.hasOlder,
        participants: { ...state.participants, ...this.participantMap(participants) },
      }));
    } catch (error) {
      if (generation !== this.generation) return;
      const code = error instanceof TransportError ? error.code : 'unknown';
      switch (code) {
        case 'auth':
          return this.fail('auth', 'retry-init');
        case 'not-found':
          return this.fail('not-found', 'retry-init');
        case 'rejected':
          return this.fail('rejected', 'retry-init');
        case 'network':
          return this.fail('network', 'retry-connect');
        default:
          return this.fail('unknown', 'retry-connect');
      }
    }
    if (this.state.phase === 'active' && !this.sessionStarted) {
      this.sessionStarted = true;
      this.notifyHost({ type: 'sessionStart' });
    }
  }

  private participantMap(participants: readonly TransportParticipant[]): Record<string, ParticipantInfo> {
    const map: Record<string, ParticipantInfo> = {};
    for (const p of participants) map[p.identity] = this.toParticipantInfo(p);
    return map;
  }

  private toParticipantInfo(p: TransportParticipant): ParticipantInfo {
    return { identity: p.identity, role: p.role, displayName: p.displayName ?? null };
  }

  private noticeText(kind: NoticeKind, name: string | null | undefined): string {
    return format(kind === 'joined' ? this.strings.joined : this.strings.left, {
      name: name ?? this.strings.agentFallbackName,
    });
  }

  private displayName(identity: string, fallback?: string): string {
    return this.state.participants[identity]?.displayName ?? fallback ?? this.strings.agentFallbackName;
  }

  // ---- transport events ----------------------------------------------------------

  private handleEvent(source: ChatTransport, event: TransportEvent): void {
    if (source !== this.transport) return;
    switch (event.type) {
      case 'messageAdded': {
        const message = event.message;
        const known = this.state.messages.some((m) => m.sid === message.sid);
        this.set((state) => ({
          messages: mergeServerMessages(state.messages, [message]),
          typing: state.typing.filter((identity) => identity !== message.author),
        }));
        if (!known && this.state.phase === 'active' && message.role === 'agent') {
          this.notifyHost({ type: 'message', fromAgent: true });
        }
        return;
      }
      case 'connectionState':
        this.set({ connection: event.state });
        if (event.state === 'denied') void this.refreshToken(true);
        return;
      case 'participantJoined': {
        const p = event.participant;
        const known = this.state.participants[p.identity] !== undefined;
        const active = this.state.phase === 'active';
        this.set((state) => {
          const participants = { ...state.participants, [p.identity]: this.toParticipantInfo(p) };
          const announce = !known && active && p.role === 'agent';
          return {
            participants,
            messages: announce
              ? addNotice(state.messages, this.noticeText('joined', p.displayName), this.now(), {
                  kind: 'joined',
                  identity: p.identity,
                })
              : state.messages,
          };
        });
        return;
      }
      case 'participantUpdated': {
        const p = event.participant;
        this.set((state) => ({
          participants: { ...state.participants, [p.identity]: this.toParticipantInfo(p) },
          // "Agent joined" written before the name was known becomes "Ana joined".
          messages:
            p.displayName !== undefined
              ? rewriteNotices(state.messages, p.identity, (kind) => this.noticeText(kind, p.displayName))
              : state.messages,
        }));
        return;
      }
      case 'participantLeft': {
        const p = event.participant;
        const known = this.state.participants[p.identity] !== undefined;
        const name = this.displayName(p.identity, p.displayName);
        const active = this.state.phase === 'active';
        this.set((state) => {
          const participants = { ...state.participants };
          delete participants[p.identity];
          const announce = known && active && p.role === 'agent';
          return {
            participants,
            typing: state.typing.filter((identity) => identity !== p.identity),
            messages: announce
              ? addNotice(state.messages, this.noticeText('left', name), this.now(), { kind: 'left', identity: p.identity })
              : state.messages,
          };
        });
        return;
      }
      case 'typing': {
        if (event.identity === this.credentials?.identity) return;
        this.set((state) => {
          const others = state.typing.filter((identity) => identity !== event.identity);
          return { typing: event.isTyping ? [...others, event.identity] : others };
        });
        return;
      }
      case 'conversationState':
        if (event.state === 'closed') this.end();
        return;
      case 'tokenAboutToExpire':
        void this.refreshToken(false);
        return;
      case 'tokenExpired':
        void this.refreshToken(true);
        return;
    }
  }

  private end(): void {
    const phase = this.state.phase;
    if (phase !== 'active' && phase !== 'connecting') return;
    this.teardown();
    this.set((state) => ({
      phase: 'ended',
      typing: [],
      connection: 'idle',
      messages: failPending(state.messages, this.strings.ended),
    }));
    if (this.sessionStarted) this.notifyHost({ type: 'sessionEnd' });
    this.sessionStarted = false;
  }

  private refreshToken(expired: boolean): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const credentials = this.credentials;
    const transport = this.transport;
    if (!credentials || !transport) return Promise.resolve();
    const generation = this.generation;
    const run = async () => {
      try {
        const fresh = await requestRefresh(this.fetchFn, this.config.tokenUrl, {
          token: credentials.token,
          identity: credentials.identity,
          conversationSid: credentials.conversationSid,
        });
        if (generation !== this.generation) return;
        await transport.updateToken(fresh.token);
        if (generation !== this.generation) return;
        this.credentials = { ...credentials, token: fresh.token, expiresAt: fresh.expiresAt };
        this.set((state) => ({ session: state.session ? { ...state.session, expiresAt: fresh.expiresAt } : null }));
      } catch {
        if (generation !== this.generation) return;
        // Before expiry there is still time (tokenExpired follows); after it the session is over.
        if (expired) this.fail('session-expired', 'restart');
      } finally {
        if (generation === this.generation) this.refreshing = null;
      }
    };
    this.refreshing = run();
    return this.refreshing;
  }

  // ---- composing -------------------------------------------------------------------

  setDraft(text: string): void {
    this.set({ draft: text });
  }

  /** Tells the agent the visitor is typing (the transport throttles). */
  notifyTyping(): void {
    if (this.state.phase === 'active') this.transport?.notifyTyping();
  }

  /**
   * Sends `text`, or the composer draft when no text is given (clearing it). The
   * message appears at once as "sending"; the text is never dropped: on failure
   * it stays in the list as "failed" with a retry.
   */
  async send(text?: string): Promise<void> {
    const state = this.state;
    const body = (text ?? state.draft).trim();
    if (body === '' || state.phase !== 'active' || !state.session) return;
    const clientMessageId = this.createId();
    this.set((current) => ({
      draft: text === undefined ? '' : current.draft,
      messages: addOutgoingMessage(current.messages, {
        clientMessageId,
        author: state.session!.identity,
        authorName: current.visitorName,
        body,
        createdAt: this.now(),
      }),
    }));
    await this.deliver(clientMessageId, body);
  }

  /** Sends a failed message again, once per call; ignored unless it is failed. */
  async retryMessage(clientMessageId: string): Promise<void> {
    const message = findByClientMessageId(this.state.messages, clientMessageId);
    if (!message || message.delivery !== 'failed') return;
    this.set((state) => ({ messages: markRetrying(state.messages, clientMessageId) }));
    await this.deliver(clientMessageId, message.body);
  }

  private async deliver(clientMessageId: string, body: string): Promise<void> {
    const transport = this.transport;
    const generation = this.generation;
    if (!transport || this.state.phase !== 'active') {
      this.set((state) => ({ messages: markFailed(state.messages, clientMessageId, this.strings.errorNetwork) }));
      return;
    }
    try {
      const sent = await transport.sendMessage(body, clientMessageId);
      if (generation !== this.generation) return;
      this.set((state) => ({ messages: mergeServerMessages(state.messages, [sent]) }));
    } catch (error) {
      if (generation !== this.generation) return;
      this.set((state) => ({ messages: markFailed(state.messages, clientMessageId, describe(error)) }));
    }
  }
}

export function createSessionController(options: SessionControllerOptions): SessionController {
  return new SessionController(options);
}
