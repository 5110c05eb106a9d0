// The session's behaviour, framework-free: form → token service → transport →
// store. The only writer of the session store. Phase changes go through the
// pure state machine (state-machine.ts); everything else here is plumbing.
import { firstMessageFieldOf } from '../../../config/first-message.ts';
import { localizeForm } from '../../../config/localized.ts';
import type { DeploymentConfig, FormField, PreEngagementForm } from '../../../config/types.ts';
import type { WidgetEvent } from '../bridge/host-bridge.ts';
import { directionOf, matchLocale, pickLocale } from '../i18n/locales.ts';
import { format, resolveStrings, type Strings } from '../strings.ts';
import {
  TransportError,
  type ChatTransport,
  type OutgoingFile,
  type TransportEvent,
  type TransportMessage,
  type TransportParticipant,
} from '../transport/chat-transport.ts';
import type { TransportFactory, TransportLoader } from '../transport/transport-loader.ts';
import { resolveWidgetOptions, type WidgetOptions } from '../widget-options.ts';
import { checkFiles, formatBytes, isImage, type AttachmentProblem } from './attachments.ts';
import { isOpen, nextClosing, nextOpening } from './business-hours.ts';
import { collectPreEngagementData, validateForm, type FormValue } from './form-validation.ts';
import {
  addNotice,
  addOutgoingMessage,
  failPending,
  findByClientMessageId,
  firstIndexBy,
  markDequeued,
  markFailed,
  markQueued,
  markRetrying,
  maxServerIndex,
  mergeServerMessages,
  minServerIndex,
  nameAuthor,
  pendingIds,
  queueUnsent,
  rewriteNotices,
  unsentAnchor,
  setProgress,
  upsertNotice,
  type AttachmentInfo,
  type ChatMessage,
  type NoticeKind,
  type SendFailure,
} from './messages.ts';
import { createNoopSessionSync, type SessionSync, type StoredSession } from './persistence.ts';
import {
  createSessionStore,
  type DraftAttachment,
  type ParticipantInfo,
  type RecoveryAction,
  type SessionError,
  type SessionErrorCode,
  type SessionState,
  type SessionStore,
} from './session-store.ts';
import { holdsSession, isInChat, transition, type SessionEvent } from './state-machine.ts';
import {
  requestEnd,
  requestInit,
  requestMode,
  requestRefresh,
  TokenServiceError,
  type FetchLike,
  type InitResponse,
} from './token-service.ts';
import { buildTranscript } from './transcript.ts';

/** An agent message the visitor has not seen (for sound and browser notifications). */
export interface IncomingNotice {
  authorName: string;
  body: string;
}

export interface SessionControllerOptions {
  config: DeploymentConfig;
  /** Resolves a transport factory for a chat mode (production: dynamic imports). */
  loadTransport: TransportLoader;
  fetch?: FetchLike;
  /** Events for the host page (through the host bridge). */
  notifyHost?: (event: WidgetEvent) => void;
  /** Called for each agent message that arrives while the visitor is not looking. */
  onUnseenMessage?: (message: IncomingNotice) => void;
  /** Fixed strings (tests); otherwise from the locale and config `texts`. */
  strings?: Strings;
  /** Preferred locales of the browser, most preferred first (navigator.languages). */
  browserLocales?: readonly string[];
  /** Keeps the session across reloads and tabs. Default: keeps nothing. */
  sync?: SessionSync;
  options?: Partial<WidgetOptions>;
  now?: () => number;
  createId?: () => string;
  historyPageSize?: number;
  /**
   * Mode whose transport is preloaded while the visitor fills in the form;
   * 'auto' asks the token service (GET /healthz) which one it uses.
   */
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
  const unsent = state.messages
    .filter((m) => m.delivery === 'failed' || m.delivery === 'sending' || m.delivery === 'queued')
    .map((m) => m.body);
  return [...unsent, state.draft].filter((text) => text.trim() !== '').join('\n\n');
}

/**
 * Whether a failed send was refused by the service (it will never take this
 * message: the visitor must change it), and why. Anything else (a lost
 * socket, a timeout, an expired token) may not even have reached the service.
 */
function refusal(error: unknown): SendFailure | null {
  if (!(error instanceof TransportError) || error.code !== 'rejected') return null;
  return error.reason ?? 'refused';
}

/** Credentials are considered stale this long before they actually expire. */
const expiryMarginMs = 30_000;
/**
 * Backoff for a catch-up that failed although the connection is up, and for the
 * catch-up after a send that failed without the connection noticing.
 */
const resyncRetryBaseMs = 1_000;
const resyncRetryMaxMs = 30_000;
/** Longest wait between business-hours checks (timers drift while devices sleep). */
const maxHoursCheckMs = 15 * 60_000;
/** A catch-up reads at most this many history pages back to find sends that made it. */
const maxCatchUpPages = 20;
/**
 * A send whose answer was lost may still land a moment later (the service got
 * the request and is slow, or answers a closed socket). Its copy shows up live
 * or in the history; only a history read begun this long after the failure
 * that does not show it lets the widget send it again. A request that lands
 * later still would be the one duplicate the widget cannot prevent.
 */
const doubtGraceMs = 3_000;

interface Credentials extends InitResponse {
  sessionProof?: string;
}

/** The visible parts of the store that belong to one conversation, reset between chats. */
function conversationReset(): Partial<SessionState> {
  return {
    messages: [],
    hasOlderMessages: false,
    loadingOlder: false,
    participants: {},
    typing: [],
    queuePosition: null,
    readHorizon: -1,
    unread: 0,
    firstUnreadKey: null,
    endedBy: null,
    ending: false,
    endError: null,
  };
}

export class SessionController {
  readonly store: SessionStore;

  /** The deployment config as built; a preview is laid over it, never into it. */
  private readonly deployment: DeploymentConfig;
  private configValue: DeploymentConfig;
  private readonly optionOverrides: Partial<WidgetOptions>;
  private optionsValue: WidgetOptions;
  private readonly browserLocales: readonly string[];
  /** The locale the host asked for (FlexChat('setLocale')), if it did. */
  private hostLocale: string | undefined;
  private previewing = false;
  private configRevision = 0;
  private readonly configListeners = new Set<() => void>();
  private stringsValue: Strings;
  private readonly fixedStrings: boolean;
  /** The pre-engagement form with its texts in the current language. */
  private formValue: PreEngagementForm;
  private readonly loader: TransportLoader;
  private readonly fetchFn: FetchLike;
  private readonly notifyHostFn: (event: WidgetEvent) => void;
  private readonly onUnseenMessage: (message: IncomingNotice) => void;
  private readonly sync: SessionSync;
  private readonly now: () => number;
  private readonly createId: () => string;
  private readonly historyPageSize: number;
  private readonly preloadMode: string;

  private readonly factories = new Map<string, Promise<TransportFactory>>();
  private transport: ChatTransport | null = null;
  private unsubscribe: (() => void) | null = null;
  private unsubscribeSync: (() => void) | null = null;
  private credentials: Credentials | null = null;
  private submission: Record<string, FormValue> | null = null;
  private pageUrl: string | undefined;
  private userToken: string | undefined;
  /** Bumped whenever the session is (re)started or torn down; stale async results compare against it. */
  private generation = 0;
  private sessionStarted = false;
  /** Connecting to a session taken from storage or another tab (a dead one is dropped quietly). */
  private resuming = false;
  /** The form's question the token service left for the widget to post, once connected. */
  private pendingFirstMessage: string | null = null;
  private refreshing: Promise<void> | null = null;
  /** The outbox is being sent, one message at a time. */
  private pumping: Promise<void> | null = null;
  /** The message whose send request is out (its own answer decides its state). */
  private inFlight: string | null = null;
  /** Messages wait after a (re)connect: nothing is sent before a catch-up has read the history (it tells what made it). */
  private catchUpNeeded = false;
  /**
   * The message whose send failed without a refusal: it may have reached the
   * service. Nothing is sent until its copy shows up, or a history read begun
   * after the grace period (while `doubtGrace` runs) does not show it.
   */
  private inDoubt: string | null = null;
  private doubtGrace: ReturnType<typeof setTimeout> | null = null;
  /** Counts doubts: a read settles nothing if a new doubt arose while it was out. */
  private doubts = 0;
  private resyncing: Promise<void> | null = null;
  /** A failed catch-up load is retried on this timer while the connection stays up. */
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private resyncFailures = 0;
  private hoursTimer: ReturnType<typeof setTimeout> | null = null;
  /** The token service said busy (503 with Retry-After): the widget's own retry of init. */
  private busyRetryTimer: ReturnType<typeof setTimeout> | null = null;
  /** identity → number, for masked agent names ("Agent 2"), in order of appearance. */
  private readonly aliases = new Map<string, number>();
  /**
   * identity → the name shown for that agent (masked when configured), kept after the agent
   * leaves: a name belongs to the messages its author sent, also after a transfer.
   */
  private readonly agentNames = new Map<string, string>();
  /** Files of draft attachments (by draft id) and of messages not sent yet (by clientMessageId). */
  private readonly draftFiles = new Map<string, Blob>();
  private readonly outgoingFiles = new Map<string, OutgoingFile>();
  /** clientMessageIds of messages typed here that the service has not accepted yet (reported to the host once it has). */
  private readonly unconfirmed = new Set<string>();
  private readonly unsubscribeStore: () => void;
  private hostOpen = true;
  private pageVisible = true;
  private atBottom = true;

  constructor(options: SessionControllerOptions) {
    this.deployment = this.configValue = options.config;
    this.optionOverrides = options.options ?? {};
    this.optionsValue = resolveWidgetOptions(options.config, this.optionOverrides);
    this.browserLocales = options.browserLocales ?? [];
    // The config's locale, else the browser's first supported one, else English.
    const locale = pickLocale(options.config.locale, this.browserLocales);
    this.formValue = localizeForm(options.config.preEngagement, locale, options.config.locale);
    this.fixedStrings = options.strings !== undefined;
    this.stringsValue = options.strings ?? resolveStrings(options.config.texts, locale, options.config.textsByLocale);
    this.store = options.store ?? createSessionStore(this.fields, locale, directionOf(locale));
    this.loader = options.loadTransport;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.notifyHostFn = options.notifyHost ?? (() => {});
    this.onUnseenMessage = options.onUnseenMessage ?? (() => {});
    this.sync = options.sync ?? createNoopSessionSync();
    this.now = options.now ?? Date.now;
    this.createId = options.createId ?? newClientMessageId;
    this.historyPageSize = options.historyPageSize ?? this.options.historyPageSize;
    this.preloadMode = options.preloadMode ?? 'conversations';
    this.unsubscribeStore = this.store.subscribe((state, previous) => {
      if (this.unconfirmed.size > 0 && state.messages !== previous.messages) this.reportAccepted(state.messages);
    });
  }

  /**
   * The host hears of each message the visitor typed once it is in the chat, whichever way it
   * got there: the send's answer, its live echo, or the history after a reconnect.
   */
  private reportAccepted(messages: readonly ChatMessage[]): void {
    for (const id of [...this.unconfirmed]) {
      const message = findByClientMessageId(messages, id);
      if (message === undefined) this.unconfirmed.delete(id); // the conversation was left
      else if (message.delivery === 'sent') {
        this.unconfirmed.delete(id);
        this.notifyHost({ type: 'message', fromAgent: false, direction: 'outgoing' });
      }
    }
  }

  // ---- reading ----------------------------------------------------------------

  get state(): SessionState {
    return this.store.getState();
  }

  get strings(): Strings {
    return this.stringsValue;
  }

  /** The deployment config, with the settings of a preview laid over it while one is shown. */
  get config(): DeploymentConfig {
    return this.configValue;
  }

  /** The pre-engagement form, its texts (title, labels, options, errors…) in the current language. */
  get form(): PreEngagementForm {
    return this.formValue;
  }

  private get fields(): readonly FormField[] {
    return this.formValue.fields;
  }

  get options(): WidgetOptions {
    return this.optionsValue;
  }

  /** Bumped whenever `config`, `options` or `strings` change without a store update (a preview). */
  get revision(): number {
    return this.configRevision;
  }

  /** Called after each change of `revision`; returns a function that stops. */
  subscribeConfig = (listener: () => void): (() => void) => {
    this.configListeners.add(listener);
    return () => this.configListeners.delete(listener);
  };

  /** Whether the visitor can see new messages right now. */
  get viewing(): boolean {
    return this.hostOpen && this.pageVisible && this.atBottom;
  }

  private set(partial: Partial<SessionState> | ((state: SessionState) => Partial<SessionState>)): void {
    this.store.setState(partial);
  }

  /**
   * Moves the phase through the state machine, applying `patch` in the same
   * update. Returns false (and changes nothing) when the event does not apply.
   */
  private dispatch(event: SessionEvent, patch?: Partial<SessionState> | ((state: SessionState) => Partial<SessionState>)): boolean {
    const next = transition(this.state.phase, event);
    if (next === null) return false;
    this.set((state) => ({ ...(typeof patch === 'function' ? patch(state) : patch), phase: next }));
    return true;
  }

  private notifyHost(event: WidgetEvent): void {
    this.notifyHostFn(event);
  }

  // ---- language ---------------------------------------------------------------

  /** Switches the UI language (FlexChat('setLocale'), or the browser's). Messages already shown keep theirs. */
  setLocale(requested: string): void {
    this.hostLocale = requested;
    const locale = matchLocale(requested);
    const before = this.strings;
    if (!this.fixedStrings) this.stringsValue = resolveStrings(this.config.texts, locale, this.config.textsByLocale);
    this.formValue = localizeForm(this.config.preEngagement, locale, this.config.locale);
    this.set({ locale, dir: directionOf(locale), ...this.relocalized(before) });
  }

  /**
   * The texts on screen that came from the old strings (the error, the form's errors, notes), in the
   * new language. Texts from elsewhere (the token service's field errors) stay as they are.
   */
  private relocalized(before: Strings): Partial<SessionState> {
    const after = this.strings;
    if (after === before) return {};
    const keys = Object.keys(before) as Array<keyof Strings>;
    const swap = (text: string | null): string | null => {
      if (text === null) return null;
      const key = keys.find((k) => before[k] === text);
      return key === undefined ? text : after[key];
    };
    const state = this.state;
    const fieldsInError = Object.keys(state.form.errors);
    const revalidated = fieldsInError.length > 0 ? validateForm(this.fields, state.form.values, after) : {};
    return {
      error: state.error ? { ...state.error, message: swap(state.error.message) ?? state.error.message } : null,
      notice: swap(state.notice),
      endError: swap(state.endError),
      form: {
        ...state.form,
        message: swap(state.form.message),
        errors: Object.fromEntries(fieldsInError.map((name) => [name, revalidated[name] ?? state.form.errors[name]!])),
      },
    };
  }

  // ---- preview ----------------------------------------------------------------

  /**
   * Shows unsaved settings (FlexChat('preview'), validated by the caller), or the
   * deployment's again with `null`. Strings, options, form fields, theme and
   * language follow at once. Without a running chat the start view is shown again
   * (the form, or offline when the previewed hours say closed); a chat in progress
   * only changes its look and strings. Never changes where the widget connects.
   */
  applyPreview(preview: Partial<DeploymentConfig> | null): void {
    const base = this.deployment;
    const config: DeploymentConfig = preview
      ? { ...base, ...preview, widgetOrigin: base.widgetOrigin, tokenUrl: base.tokenUrl, allowedDomains: base.allowedDomains, previewOrigins: base.previewOrigins }
      : base;
    this.previewing = preview !== null;
    this.configValue = config;
    this.optionsValue = resolveWidgetOptions(config, this.optionOverrides);
    const requested = preview?.locale ?? this.hostLocale;
    const locale = requested !== undefined ? matchLocale(requested) : pickLocale(config.locale, this.browserLocales);
    this.formValue = localizeForm(config.preEngagement, locale, config.locale);
    if (!this.fixedStrings) this.stringsValue = resolveStrings(config.texts, locale, config.textsByLocale);
    // Values typed into fields that are still there (same name and type) are kept.
    const fresh = createSessionStore(this.fields).getState().form.values;
    this.set((state) => {
      const values = { ...fresh };
      for (const field of this.fields) {
        const typed = state.form.values[field.name];
        if (typed !== undefined && typeof typed === typeof fresh[field.name]) values[field.name] = typed;
      }
      return { locale, dir: directionOf(locale), form: { ...state.form, values, errors: {}, message: null } };
    });
    const phase = this.state.phase;
    if (phase === 'ended') this.restart();
    else if (phase === 'pre-engagement' || phase === 'offline') this.checkBusinessHours();
    this.configRevision++;
    for (const listener of [...this.configListeners]) listener();
  }

  // ---- form -------------------------------------------------------------------

  /**
   * Shows the form (or the offline view), or resumes the chat kept in storage;
   * starts loading the chat SDK in the background. Idempotent.
   */
  start(): void {
    if (this.state.phase !== 'idle') return;
    this.unsubscribeSync = this.sync.subscribe((record) => this.onSyncRecord(record));
    const record = this.sync.load();
    const businessOpen = this.businessOpen();
    this.dispatch(
      { type: 'open', businessOpen, resumable: record !== null },
      { canResume: this.sync.persistent, nextOpening: this.nextOpeningTime() },
    );
    void this.preloadFor(record?.mode);
    if (record) void this.resume(record, true);
    else {
      this.notifyHost({ type: 'sessionEnd' }); // tells the host there is no chat to come back to
      this.scheduleHoursCheck();
      this.maybeSkipForm();
    }
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
    if (phase !== 'idle' && phase !== 'pre-engagement' && phase !== 'offline') return;
    this.set((state) => {
      const values = { ...state.form.values };
      for (const field of this.fields) {
        const value = prefill[field.name];
        if (value === undefined) continue;
        values[field.name] = field.type === 'checkbox' ? value === 'true' : value;
      }
      return { form: { ...state.form, values } };
    });
    this.maybeSkipForm();
  }

  /** A signed identity of a logged-in visitor (host page), sent with the next /webchat/init. */
  setUserToken(userToken: string | undefined): void {
    this.userToken = userToken === '' ? undefined : userToken;
  }

  /** Context supplied by the host page; `pageUrl` is forwarded to the token service. */
  setContext(context: Readonly<Record<string, string>>): void {
    // The token service rejects anything but an absolute http(s) URL; drop others here.
    const pageUrl = context.pageUrl;
    if (typeof pageUrl === 'string' && /^https?:\/\//i.test(pageUrl) && URL.canParse(pageUrl)) this.pageUrl = pageUrl;
  }

  /** The host page's URL from setContext, if the host sent one (the leave-a-message form forwards it). */
  get hostPageUrl(): string | undefined {
    return this.pageUrl;
  }

  /** Skip-form mode: submit at once when the form needs nothing from the visitor. */
  private maybeSkipForm(): void {
    // A preview never starts a real chat by itself.
    if (!this.options.skipForm || this.previewing || this.state.phase !== 'pre-engagement') return;
    if (Object.keys(validateForm(this.fields, this.state.form.values, this.strings)).length > 0) return;
    void this.submitForm();
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
      notice: null,
    });
    await this.initAndConnect({ type: 'submit' });
  }

  // ---- business hours -------------------------------------------------------------

  private businessOpen(): boolean {
    const hours = this.options.businessHours;
    if (!hours) return true;
    try {
      return isOpen(hours, this.now());
    } catch {
      return true; // A broken schedule must not lock visitors out.
    }
  }

  private nextOpeningTime(): number | null {
    const hours = this.options.businessHours;
    if (!hours || this.businessOpen()) return null;
    try {
      return nextOpening(hours, this.now());
    } catch {
      return null;
    }
  }

  /** Re-evaluates business hours (on a timer; also callable when the page becomes visible). */
  checkBusinessHours(): void {
    this.dispatch({ type: 'hoursChanged', businessOpen: this.businessOpen() });
    this.set({ nextOpening: this.nextOpeningTime() });
    this.scheduleHoursCheck();
  }

  private scheduleHoursCheck(): void {
    if (this.hoursTimer !== null) clearTimeout(this.hoursTimer);
    this.hoursTimer = null;
    const hours = this.options.businessHours;
    if (!hours) return;
    let next: number | null;
    try {
      next = this.businessOpen() ? nextClosing(hours, this.now()) : nextOpening(hours, this.now());
    } catch {
      return;
    }
    const delay = next === null ? maxHoursCheckMs : Math.min(Math.max(next - this.now(), 1_000), maxHoursCheckMs);
    this.hoursTimer = setTimeout(() => this.checkBusinessHours(), delay);
  }

  // ---- session lifecycle -------------------------------------------------------

  /** Runs the error view's recovery action. */
  async retry(): Promise<void> {
    const { phase, error } = this.state;
    if (phase !== 'error' || !error) return;
    switch (error.recovery) {
      case 'retry-connect': {
        const credentials = this.credentials;
        if (!credentials) return this.initAndConnect({ type: 'retry' });
        this.dispatch({ type: 'retry' }, { error: null });
        const generation = ++this.generation;
        // Expired meanwhile: renew within the token service's grace period first.
        if (this.credentialsStale() && !(await this.renewCredentials(generation, 'fail'))) return;
        await this.connect(generation);
        return;
      }
      case 'retry-init':
        await this.initAndConnect({ type: 'retry' });
        return;
      case 'restart':
        this.restart();
        return;
    }
  }

  /** Back to the form for a new chat; form values and the composer draft are kept. */
  restart(): void {
    this.releasePreviews();
    const wasStarted = this.sessionStarted;
    const sid = this.credentials?.conversationSid;
    this.teardown();
    if (sid && this.state.phase !== 'ended') this.sync.clear(sid);
    this.credentials = null;
    this.sessionStarted = false;
    this.forgetAgents();
    this.outgoingFiles.clear();
    const moved = this.dispatch({ type: 'restart', businessOpen: this.businessOpen() }, (state) => ({
      ...conversationReset(),
      error: null,
      session: null,
      connection: 'idle',
      draft: withUnsentText(state),
      form: { ...state.form, errors: {}, message: null },
      nextOpening: this.nextOpeningTime(),
    }));
    if (moved) this.scheduleHoursCheck();
    if (wasStarted) this.notifyHost({ type: 'sessionEnd' });
  }

  /**
   * The host page forgets the visitor (FlexChat('shutdown'), e.g. on logout):
   * ends a running chat, clears the stored session and the form, shows the start.
   */
  async shutdown(): Promise<void> {
    const hadSession = this.sessionStarted;
    if (holdsSession(this.state.phase)) await this.endChat();
    const sid = this.credentials?.conversationSid;
    if (sid) this.sync.clear(sid);
    this.userToken = undefined;
    this.submission = null;
    this.restart();
    this.set({ visitorName: null, draft: '', notice: null, form: createSessionStore(this.fields).getState().form });
    if (!hadSession) this.notifyHost({ type: 'sessionEnd' }); // otherwise ending it said so
  }

  /** Frees the blob: URLs of image previews of the conversation being left. */
  private releasePreviews(): void {
    for (const m of this.state.messages) for (const a of m.attachments) if (a.previewUrl) revokeObjectUrl(a.previewUrl);
  }

  /** Stops everything (the iframe is going away). */
  dispose(): void {
    this.teardown();
    this.unsubscribeStore();
    this.clearDoubt();
    this.unsubscribeSync?.();
    this.unsubscribeSync = null;
    if (this.hoursTimer !== null) clearTimeout(this.hoursTimer);
    this.hoursTimer = null;
  }

  private credentialsStale(): boolean {
    const expiresAt = this.credentials?.expiresAt;
    return expiresAt !== null && expiresAt !== undefined && expiresAt - expiryMarginMs <= this.now();
  }

  /** Starts loading the SDK chunk the coming session will need. */
  private async preloadFor(knownMode: string | undefined): Promise<void> {
    let mode = knownMode ?? this.preloadMode;
    if (mode === 'auto') mode = (await requestMode(this.fetchFn, this.config.tokenUrl)) ?? 'conversations';
    // 'local' (the emulator) speaks Conversations: same chunk.
    await this.preload(mode).catch(() => {
      // A failed preload is retried by connect(); nothing to show yet.
    });
  }

  /** Loads (once) the transport module for a mode. */
  private preload(mode: string): Promise<TransportFactory> {
    let pending = this.factories.get(mode);
    if (!pending) {
      pending = this.loader(mode);
      this.factories.set(mode, pending);
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
    this.resyncing = null;
    this.cancelResyncRetry();
    this.resyncFailures = 0;
    this.pumping = null;
    this.inFlight = null;
    this.catchUpNeeded = false;
    if (this.busyRetryTimer !== null) clearTimeout(this.busyRetryTimer);
    this.busyRetryTimer = null;
    if (transport) transport.disconnect().catch(() => {});
  }

  private fail(code: SessionErrorCode, recovery: RecoveryAction): void {
    this.resuming = false;
    this.teardown();
    const error: SessionError = { code, recovery, message: this.errorMessage(code) };
    // Reconnecting to the same conversation sends what waits; a new one takes it back into the composer.
    this.dispatch({ type: 'failed' }, (state) => ({
      error,
      typing: [],
      connection: 'idle',
      messages: queueUnsent(state.messages),
    }));
    if (recovery === 'restart' && this.credentials) this.sync.clear(this.credentials.conversationSid);
    // Hosts may log it: a code only (protocol: `error` event), never a message or PII.
    this.notifyHost({ type: 'error', code } as unknown as WidgetEvent);
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

  /** The stored session turned out to be over: forget it and show the form, saying so. */
  private abandon(): void {
    this.resuming = false;
    const sid = this.credentials?.conversationSid;
    this.teardown();
    if (sid) this.sync.clear(sid);
    this.credentials = null;
    this.sessionStarted = false;
    this.forgetAgents();
    this.dispatch({ type: 'restart', businessOpen: this.businessOpen() }, {
      ...conversationReset(),
      error: null,
      session: null,
      connection: 'idle',
      notice: this.strings.previousChatEnded,
      nextOpening: this.nextOpeningTime(),
    });
    this.scheduleHoursCheck();
  }

  private record(endedBy: 'visitor' | 'agent' | null = null): StoredSession | null {
    const c = this.credentials;
    if (!c) return null;
    return {
      v: 1,
      identity: c.identity,
      conversationSid: c.conversationSid,
      token: c.token,
      sessionProof: c.sessionProof ?? null,
      expiresAt: c.expiresAt,
      mode: c.mode,
      twilsockUri: c.twilsockUri ?? null,
      visitorName: this.state.visitorName,
      endedBy,
      savedAt: this.now(),
    };
  }

  private persist(): void {
    const record = this.record();
    if (record) this.sync.save(record);
  }

  private async initAndConnect(event: SessionEvent): Promise<void> {
    const data = this.submission;
    if (!data) {
      this.restart();
      return;
    }
    this.teardown();
    const generation = this.generation;
    this.credentials = null;
    this.resuming = false;
    this.forgetAgents();
    // A new conversation: whatever the visitor could not send goes back into the composer.
    if (!this.dispatch(event, (state) => ({ ...conversationReset(), error: null, connection: 'idle', draft: withUnsentText(state) }))) {
      return;
    }

    let init: InitResponse;
    try {
      const context: { pageUrl?: string; locale: string } = { locale: this.state.locale };
      if (this.pageUrl !== undefined) context.pageUrl = this.pageUrl;
      init = await requestInit(this.fetchFn, this.config.tokenUrl, {
        preEngagementData: data,
        context,
        ...(this.userToken !== undefined ? { userToken: this.userToken } : {}),
      });
    } catch (error) {
      if (generation === this.generation) this.handleInitError(error);
      return;
    }
    if (generation !== this.generation) return;

    this.credentials = init;
    this.pendingFirstMessage = this.firstMessageToPost(init, data);
    this.set({
      session: { identity: init.identity, conversationSid: init.conversationSid, mode: init.mode, expiresAt: init.expiresAt },
    });
    this.persist();
    await this.connect(generation);
  }

  /**
   * The form's question, for the widget to post as the visitor's first message once connected: when
   * the token service could not (firstMessageSent: false), or said nothing of it (a service that
   * does not post it). Null when the service posted it, or the form has none (firstMessageField).
   */
  private firstMessageToPost(init: InitResponse, data: Record<string, FormValue>): string | null {
    if (init.firstMessageSent === true) return null;
    if (init.firstMessage !== undefined) return init.firstMessage;
    if (init.firstMessageSent === false) return null;
    const field = firstMessageFieldOf(this.config.preEngagement);
    const answer = field === null ? undefined : data[field];
    return typeof answer === 'string' && answer.trim() !== '' ? answer.trim() : null;
  }

  /** Joins a session kept in storage (`atStart`: start() already moved to connecting), or started in another tab. */
  private async resume(record: StoredSession, atStart = false): Promise<void> {
    if (!atStart && !this.dispatch({ type: 'resume' })) return;
    this.teardown();
    const generation = this.generation;
    this.resuming = true;
    this.forgetAgents();
    this.credentials = {
      token: record.token,
      identity: record.identity,
      conversationSid: record.conversationSid,
      expiresAt: record.expiresAt,
      mode: record.mode,
      ...(record.twilsockUri !== null ? { twilsockUri: record.twilsockUri } : {}),
      ...(record.sessionProof !== null ? { sessionProof: record.sessionProof } : {}),
    };
    this.set({
      ...conversationReset(),
      error: null,
      notice: null,
      connection: 'idle',
      visitorName: record.visitorName,
      session: { identity: record.identity, conversationSid: record.conversationSid, mode: record.mode, expiresAt: record.expiresAt },
    });
    if (this.credentialsStale() && !(await this.renewCredentials(generation, 'abandon'))) return;
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
        this.dispatch({ type: 'formRejected' }, (state) => ({
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
        if (error.serviceCode === 'busy') return this.retryInitLater(error.retryAfterSeconds);
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

  /**
   * Twilio's chat-start limit is reached (503 busy): say so with the wait, count it down, and
   * retry init by itself when it is over, with the same form answers (Retry still retries at once).
   * A random extra second for some visitors keeps those turned away together from all coming back together.
   */
  private retryInitLater(retryAfterSeconds: number | null): void {
    let secondsLeft = Math.min(Math.max(retryAfterSeconds ?? 5, 1), 60) + (Math.random() < 0.5 ? 0 : 1);
    this.fail('busy', 'retry-init');
    const message = format(this.strings.busyRetryIn, { seconds: secondsLeft });
    this.set((state) => (state.error ? { error: { ...state.error, message, retryInSeconds: secondsLeft } } : {}));
    const tick = () => {
      secondsLeft -= 1;
      if (secondsLeft > 0) {
        this.set((state) => (state.error ? { error: { ...state.error, retryInSeconds: secondsLeft } } : {}));
        this.busyRetryTimer = setTimeout(tick, 1000);
        return;
      }
      this.busyRetryTimer = null;
      void this.retry();
    };
    this.busyRetryTimer = setTimeout(tick, 1000);
  }

  private async connect(generation: number): Promise<void> {
    const credentials = this.credentials;
    if (!credentials) return;

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
      const map = this.participantMap(participants);
      const readHorizon = participants.reduce((max, p) => (p.role === 'agent' ? Math.max(max, p.lastReadIndex ?? -1) : max), -1);
      const announce = !this.resuming;
      this.set((state) => {
        const present = { ...state.participants, ...map };
        const merged = mergeServerMessages(state.messages, history.messages.map((m) => this.withAuthorName(m)));
        return {
          connection: state.connection === 'idle' || state.connection === 'connecting' ? 'connected' : state.connection,
          messages: announce ? this.announcePresent(merged, present) : merged,
          hasOlderMessages: history.hasOlder,
          participants: present,
          readHorizon: Math.max(state.readHorizon, readHorizon),
        };
      });
      // Agents from the roster, or announced by an event while it was loading.
      this.dispatch({ type: 'joined', agentPresent: this.agentPresent() });
    } catch (error) {
      if (generation !== this.generation) return;
      const code = error instanceof TransportError ? error.code : 'unknown';
      // A stored session the service no longer knows: start afresh, no error.
      if (this.resuming && (code === 'auth' || code === 'not-found' || code === 'rejected')) return this.abandon();
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
    this.resuming = false;
    this.updateQueueNotice();
    if (isInChat(this.state.phase) && !this.sessionStarted) {
      this.sessionStarted = true;
      this.notifyHost({ type: 'sessionStart' });
    }
    this.markSeen();
    const question = this.pendingFirstMessage;
    this.pendingFirstMessage = null;
    // After a reconnect, what was on its way may have made it: the history tells, before anything is sent again.
    if (pendingIds(this.state.messages).length > 0) {
      this.catchUpNeeded = true;
      void this.resync();
    }
    if (question !== null) void this.send(question);
    else void this.pump();
  }

  /**
   * "Alex joined the chat" for every agent already there when the visitor joins (Alex may
   * have accepted before the SDK connected), placed before that agent's first message.
   * Agents announced before (by an event) are not announced again.
   */
  private announcePresent(messages: readonly ChatMessage[], participants: Record<string, ParticipantInfo>): readonly ChatMessage[] {
    let next = messages;
    for (const p of Object.values(participants)) {
      if (p.role !== 'agent' || next.some((m) => m.notice === 'joined' && m.author === p.identity)) continue;
      const first = firstIndexBy(next, p.identity);
      const about = { kind: 'joined' as const, identity: p.identity };
      next = addNotice(next, this.noticeText('joined', p.displayName), this.now(), about, first === null ? undefined : first - 1);
    }
    return next;
  }

  private participantMap(participants: readonly TransportParticipant[]): Record<string, ParticipantInfo> {
    const map: Record<string, ParticipantInfo> = {};
    for (const p of participants) map[p.identity] = this.toParticipantInfo(p);
    return map;
  }

  private toParticipantInfo(p: TransportParticipant): ParticipantInfo {
    return { identity: p.identity, role: p.role, displayName: p.role === 'agent' ? this.agentName(p.identity, p.displayName) : (p.displayName ?? null) };
  }

  /** Agents of the conversation being left: their aliases and names go with it. */
  private forgetAgents(): void {
    this.aliases.clear();
    this.agentNames.clear();
  }

  /**
   * Remembers the name shown for an agent; the first time, it goes onto that agent's
   * earlier messages that have none (they arrived before the name was known).
   */
  private learnAgentName(messages: readonly ChatMessage[], identity: string, shown: string | null): readonly ChatMessage[] {
    if (shown === null || this.agentNames.get(identity) === shown) return messages;
    this.agentNames.set(identity, shown);
    return nameAuthor(messages, identity, shown);
  }

  /** The name the widget shows for an agent: masked ("Agent 2") when configured, never the real one then. */
  private agentName(identity: string, realName: string | null | undefined): string | null {
    if (!this.options.maskAgentNames) return realName ?? this.agentNames.get(identity) ?? null;
    let n = this.aliases.get(identity);
    if (n === undefined) {
      n = this.aliases.size + 1;
      this.aliases.set(identity, n);
    }
    return format(this.strings.agentMasked, { n });
  }

  /** A server message with the agent name the widget may show (masked, or remembered when the SDK gave none). */
  private withAuthorName(message: TransportMessage): TransportMessage {
    if (message.role !== 'agent') return message;
    const { authorName: real, ...rest } = message;
    const shown = this.options.maskAgentNames ? this.agentName(message.author, null) : (real ?? this.agentName(message.author, null));
    return shown === null ? rest : { ...rest, authorName: shown };
  }

  private noticeText(kind: NoticeKind, name: string | null | undefined): string {
    return format(kind === 'joined' ? this.strings.joined : this.strings.left, {
      name: name ?? this.strings.agentFallbackName,
    });
  }

  private displayName(identity: string, fallback?: string | null): string {
    return this.state.participants[identity]?.displayName ?? fallback ?? this.strings.agentFallbackName;
  }

  private agentPresent(): boolean {
    return Object.values(this.state.participants).some((p) => p.role === 'agent');
  }

  /** While queued, one notice tells the queue position; it goes once an agent joins. */
  private updateQueueNotice(): void {
    const { phase, queuePosition } = this.state;
    const text =
      phase !== 'queued'
        ? null
        : queuePosition !== null
          ? format(this.strings.queuePosition, { position: queuePosition })
          : this.strings.queueWaiting;
    this.set((state) => ({ messages: upsertNotice(state.messages, 'queue', text, this.now()) }));
  }

  // ---- cross-tab ------------------------------------------------------------------

  private onSyncRecord(record: StoredSession): void {
    const mine = this.credentials?.conversationSid === record.conversationSid;
    if (record.endedBy !== null) {
      if (mine) this.end(record.endedBy, false);
      return;
    }
    if (mine) {
      // Another tab renewed the token: keep the newest credentials for our own next refresh.
      const current = this.credentials!;
      if ((record.expiresAt ?? 0) > (current.expiresAt ?? 0)) {
        this.credentials = {
          ...current,
          token: record.token,
          expiresAt: record.expiresAt,
          ...(record.sessionProof !== null ? { sessionProof: record.sessionProof } : {}),
        };
      }
      return;
    }
    if (transition(this.state.phase, { type: 'resume' }) !== null) void this.resume(record);
  }

  // ---- transport events ----------------------------------------------------------

  private handleEvent(source: ChatTransport, event: TransportEvent): void {
    if (source !== this.transport) return;
    switch (event.type) {
      case 'messageAdded':
        return this.onMessage(this.withAuthorName(event.message));
      case 'connectionState': {
        const was = this.state.connection;
        // Messages waiting for their turn now wait for the connection (shown as such).
        this.set((state) => ({
          connection: event.state,
          messages: event.state === 'connected' ? state.messages : queueUnsent(state.messages, this.inFlight),
        }));
        if (event.state === 'denied') void this.refreshToken(true);
        // Back after a drop: catch up on what was missed, then send what was typed meanwhile.
        if (event.state === 'connected' && was !== 'connected' && was !== 'idle' && isInChat(this.state.phase)) {
          void this.resync();
        }
        return;
      }
      case 'participantJoined': {
        const p = event.participant;
        const known = this.state.participants[p.identity] !== undefined;
        const info = this.toParticipantInfo(p);
        const announce = !known && isInChat(this.state.phase) && p.role === 'agent';
        this.set((state) => {
          const messages = p.role === 'agent' ? this.learnAgentName(state.messages, p.identity, info.displayName) : state.messages;
          return {
            participants: { ...state.participants, [p.identity]: info },
            messages: announce
              ? addNotice(messages, this.noticeText('joined', info.displayName), this.now(), { kind: 'joined', identity: p.identity })
              : messages,
          };
        });
        if (p.role === 'agent' && this.dispatch({ type: 'agentJoined' })) this.updateQueueNotice();
        return;
      }
      case 'participantUpdated': {
        const p = event.participant;
        const info = this.toParticipantInfo(p);
        const nameChanged = p.role === 'agent' && !this.options.maskAgentNames && p.displayName !== undefined;
        this.set((state) => {
          // Also news about someone no longer here (the name of an agent who wrote earlier
          // messages, found after a reload): it names those messages but makes nobody present.
          const present = state.participants[p.identity] !== undefined;
          const named = p.role === 'agent' ? this.learnAgentName(state.messages, p.identity, info.displayName) : state.messages;
          return {
            participants: present ? { ...state.participants, [p.identity]: info } : state.participants,
            readHorizon: p.role === 'agent' ? Math.max(state.readHorizon, p.lastReadIndex ?? -1) : state.readHorizon,
            // "Agent joined" written before the name was known becomes "Ana joined".
            messages: nameChanged ? rewriteNotices(named, p.identity, (kind) => this.noticeText(kind, info.displayName)) : named,
          };
        });
        return;
      }
      case 'participantLeft': {
        const p = event.participant;
        const known = this.state.participants[p.identity] !== undefined;
        const name = this.displayName(p.identity, p.role === 'agent' ? this.agentName(p.identity, p.displayName) : p.displayName);
        const announce = known && isInChat(this.state.phase) && p.role === 'agent';
        this.set((state) => {
          const participants = { ...state.participants };
          delete participants[p.identity];
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
      case 'queue': {
        this.set({ queuePosition: event.position });
        if (event.position !== null && !this.agentPresent()) this.dispatch({ type: 'requeued' });
        this.updateQueueNotice();
        return;
      }
      case 'conversationState':
        if (event.state === 'closed') this.end(this.state.ending ? 'visitor' : 'agent', true);
        return;
      case 'tokenAboutToExpire':
        void this.refreshToken(false);
        return;
      case 'tokenExpired':
        void this.refreshToken(true);
        return;
    }
  }

  private onMessage(message: TransportMessage): void {
    const known = this.state.messages.some((m) => m.sid === message.sid);
    const fromAgent = message.role === 'agent';
    const unseen = !known && fromAgent && isInChat(this.state.phase) && !this.viewing;
    this.set((state) => {
      const merged = mergeServerMessages(state.messages, [message]);
      const messages = fromAgent && message.authorName !== undefined ? this.learnAgentName(merged, message.author, message.authorName) : merged;
      const key = messages.find((m) => m.sid === message.sid)?.key ?? null;
      return {
        messages,
        typing: state.typing.filter((identity) => identity !== message.author),
        ...(unseen
          ? { unread: state.unread + 1, firstUnreadKey: state.unread === 0 || state.firstUnreadKey === null ? key : state.firstUnreadKey }
          : {}),
      };
    });
    if (message.clientMessageId !== undefined && message.clientMessageId === this.inDoubt) this.settleDoubtIfSeen();
    if (known || !isInChat(this.state.phase) || !fromAgent) return;
    this.notifyHost({ type: 'message', fromAgent: true, direction: 'incoming' });
    if (unseen) {
      this.notifyHost({ type: 'unread', count: this.state.unread });
      this.onUnseenMessage({ authorName: message.authorName ?? this.displayName(message.author), body: message.body });
    } else {
      this.transport?.markRead(message.index);
    }
  }

  /**
   * The chat is over: closed by the agent, by the visitor (after /webchat/end),
   * or in another tab (`broadcast` false: the other tabs know already).
   */
  private end(endedBy: 'visitor' | 'agent', broadcast: boolean): void {
    const phase = this.state.phase;
    if (this.resuming && phase === 'connecting') {
      this.abandon();
      return;
    }
    if (!holdsSession(phase)) return;
    const record = this.record(endedBy);
    this.teardown();
    const text = endedBy === 'visitor' ? this.strings.endedByVisitor : this.strings.endedByAgent;
    this.dispatch({ type: 'closed' }, (state) => ({
      typing: [],
      connection: 'idle',
      endedBy,
      ending: false,
      endError: null,
      queuePosition: null,
      messages: upsertNotice(upsertNotice(failPending(state.messages, 'ended'), 'queue', null, 0), 'ended', text, this.now()),
    }));
    this.outgoingFiles.clear();
    if (broadcast && record) this.sync.save(record);
    if (this.sessionStarted) this.notifyHost({ type: 'sessionEnd' });
    this.sessionStarted = false;
  }

  /** The visitor ends the chat (after confirming in the UI). */
  async endChat(): Promise<void> {
    const credentials = this.credentials;
    const state = this.state;
    if (!credentials || !holdsSession(state.phase) || state.ending) return;
    const generation = this.generation;
    this.set({ ending: true, endError: null });
    try {
      await requestEnd(this.fetchFn, this.config.tokenUrl, {
        token: credentials.token,
        identity: credentials.identity,
        conversationSid: credentials.conversationSid,
        ...(credentials.sessionProof !== undefined ? { sessionProof: credentials.sessionProof } : {}),
      });
    } catch (error) {
      if (generation !== this.generation) return;
      // 404: a token service without /webchat/end; 410: already closed. Either way the visitor is done here.
      const gone = error instanceof TokenServiceError && (error.status === 404 || error.status === 410);
      if (!gone) {
        this.set({ ending: false, endError: this.strings.endFailed });
        return;
      }
    }
    if (generation !== this.generation) return; // ended meanwhile (the close event came first)
    this.end('visitor', true);
  }

  /** The conversation as plain text, for the ended screen's download. */
  transcript(): string {
    const state = this.state;
    return buildTranscript(state.messages, {
      strings: this.strings,
      locale: state.locale,
      title: this.strings.title,
      authorName: (m) => this.authorLabel(m),
      formatSize: (bytes) => formatBytes(bytes, state.locale),
    });
  }

  /** Who wrote a message, as the widget shows it. */
  authorLabel(message: ChatMessage): string {
    if (message.role === 'visitor') return this.strings.you;
    if (message.role === 'system') return '';
    return message.authorName ?? this.agentNames.get(message.author) ?? this.state.participants[message.author]?.displayName ?? this.strings.agentFallbackName;
  }

  // ---- token lifecycle -----------------------------------------------------------------

  /**
   * Asks the token service for fresh credentials (with the session proof, so it
   * works after expiry within the grace period). On a definitive refusal,
   * `onRefused` decides: quietly drop a resumed session, or fail with
   * "session expired".
   */
  private async renewCredentials(generation: number, onRefused: 'abandon' | 'fail'): Promise<boolean> {
    const credentials = this.credentials;
    if (!credentials) return false;
    try {
      return await this.fetchFreshCredentials(credentials, generation);
    } catch (error) {
      if (generation !== this.generation) return false;
      const refused = error instanceof TokenServiceError && (error.kind === 'auth' || error.kind === 'rejected');
      if (refused && onRefused === 'abandon') this.abandon();
      else if (refused) this.fail('session-expired', 'restart');
      else this.fail(error instanceof TokenServiceError && error.kind === 'busy' ? 'busy' : 'network', 'retry-connect');
      return false;
    }
  }

  /**
   * Asks the token service to renew these credentials and keeps the answer,
   * unless the session moved on meanwhile (then false). Token service errors
   * are thrown for the caller to judge.
   */
  private async fetchFreshCredentials(credentials: Credentials, generation: number): Promise<boolean> {
    const fresh = await requestRefresh(this.fetchFn, this.config.tokenUrl, {
      token: credentials.token,
      identity: credentials.identity,
      conversationSid: credentials.conversationSid,
      ...(credentials.sessionProof !== undefined ? { sessionProof: credentials.sessionProof } : {}),
    });
    if (generation !== this.generation) return false;
    this.credentials = {
      ...credentials,
      token: fresh.token,
      expiresAt: fresh.expiresAt,
      ...(fresh.sessionProof !== undefined ? { sessionProof: fresh.sessionProof } : {}),
    };
    this.set((state) => ({ session: state.session ? { ...state.session, expiresAt: fresh.expiresAt } : null }));
    this.persist();
    return true;
  }

  private refreshToken(expired: boolean): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const credentials = this.credentials;
    const transport = this.transport;
    if (!credentials || !transport) return Promise.resolve();
    const generation = this.generation;
    const run = async () => {
      try {
        if (!(await this.fetchFreshCredentials(credentials, generation)) || !this.credentials) return;
        try {
          await transport.updateToken(this.credentials.token);
        } catch {
          if (generation !== this.generation) return;
          // The client gave up on its old token: a new client with the new one, same conversation.
          await this.reconnect();
        }
      } catch (error) {
        if (generation !== this.generation) return;
        // Before expiry there is still time (tokenExpired follows); after it the session is over.
        if (!expired) return;
        const refused = !(error instanceof TokenServiceError) || error.kind === 'auth' || error.kind === 'rejected' || error.kind === 'server';
        if (refused) this.fail('session-expired', 'restart');
        else this.fail('network', 'retry-connect');
      } finally {
        if (generation === this.generation) this.refreshing = null;
      }
    };
    this.refreshing = run();
    return this.refreshing;
  }

  /** A new transport for the same conversation (messages on their way are re-queued, not lost). */
  private async reconnect(): Promise<void> {
    if (!isInChat(this.state.phase)) return;
    this.set((state) => ({ connection: 'connecting', messages: queueUnsent(state.messages) }));
    this.teardown();
    await this.connect(this.generation);
  }

  // ---- catching up after a drop ---------------------------------------------------------

  /**
   * Reloads the newest history (what arrived while offline, and our own sends
   * that made it), back to where an unsent message could have landed; then sends
   * what is still waiting.
   */
  private resync(): Promise<void> {
    if (this.resyncing) return this.resyncing;
    const transport = this.transport;
    if (!transport) return Promise.resolve();
    this.cancelResyncRetry();
    const generation = this.generation;
    const doubtsBefore = this.doubts;
    const graceOver = this.doubtGrace === null;
    const run = async () => {
      try {
        const pages = await this.readBackTo(transport, unsentAnchor(this.state.messages));
        if (generation !== this.generation) return;
        this.resyncFailures = 0;
        this.set((state) => ({ messages: mergeServerMessages(state.messages, pages.map((m) => this.withAuthorName(m))) }));
        // A send that failed while this read was out may land after it: that one needs another read.
        if (this.doubts === doubtsBefore) {
          this.catchUpNeeded = false;
          if (graceOver) this.clearDoubt();
        }
        this.settleDoubtIfSeen();
      } catch {
        // The outbox waits for the catch-up: it is what tells which cut-off sends reached the server.
        // A load that failed while the connection is back (a request lost with the old socket)
        // would otherwise leave the queue stuck until the next drop, so try again on a backoff.
        if (generation === this.generation) this.scheduleResyncRetry();
        return;
      } finally {
        if (generation === this.generation) this.resyncing = null;
      }
      if (this.catchUpNeeded) this.scheduleResyncRetry();
      else await this.pump(); // (a doubt still in its grace period holds it until the grace read)
    };
    this.resyncing = run();
    return this.resyncing;
  }

  /** The newest history page, and older ones until the page reaches index `anchor` (bounded). */
  private async readBackTo(transport: ChatTransport, anchor: number | null): Promise<TransportMessage[]> {
    let page = await transport.loadHistory(this.historyPageSize);
    const messages = [...page.messages];
    for (let read = 1; read < maxCatchUpPages && anchor !== null && page.hasOlder; read++) {
      const oldest = page.messages[0]?.index;
      if (oldest === undefined || oldest <= anchor + 1) break;
      page = await transport.loadOlder(oldest, this.historyPageSize);
      messages.unshift(...page.messages);
    }
    return messages;
  }

  /** `clientMessageId` may or may not have reached the service: the outbox waits for its copy or the grace read. */
  private doubt(clientMessageId: string): void {
    this.inDoubt = clientMessageId;
    this.doubts++;
    if (this.doubtGrace !== null) clearTimeout(this.doubtGrace);
    this.doubtGrace = setTimeout(() => {
      this.doubtGrace = null;
      // Down: the next 'connected' reads, after the grace now.
      if (this.state.connection === 'connected' && isInChat(this.state.phase)) void this.resync();
    }, doubtGraceMs);
  }

  private clearDoubt(): void {
    this.inDoubt = null;
    if (this.doubtGrace !== null) clearTimeout(this.doubtGrace);
    this.doubtGrace = null;
  }

  /** The message in doubt showed up (live or in a history page): it was sent; the outbox goes on. */
  private settleDoubtIfSeen(): void {
    const id = this.inDoubt;
    if (id === null) return;
    const message = findByClientMessageId(this.state.messages, id);
    if (message && message.delivery !== 'sent') return;
    this.clearDoubt();
    if (!this.catchUpNeeded) void this.pump();
  }

  /** A catch-up is due while the connection is up: after a failed read. */
  private scheduleResyncRetry(): void {
    this.cancelResyncRetry();
    if (this.state.connection !== 'connected' || !isInChat(this.state.phase)) return; // the next 'connected' resyncs
    const delay = Math.min(resyncRetryBaseMs * 2 ** this.resyncFailures, resyncRetryMaxMs);
    this.resyncFailures++;
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      if (this.state.connection === 'connected' && isInChat(this.state.phase)) void this.resync();
    }, delay);
  }

  private cancelResyncRetry(): void {
    if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
    this.resyncTimer = null;
  }

  /**
   * Sends the outbox one message at a time, in the order they were typed, while
   * connected: one request out at a time means at most one message is in doubt
   * when a connection goes, and nothing overtakes it.
   */
  private pump(): Promise<void> {
    if (this.pumping) return this.pumping;
    const generation = this.generation;
    let running: Promise<void> | null = null;
    let finished = false;
    const run = async () => {
      try {
        for (;;) {
          const state = this.state;
          if (generation !== this.generation || this.catchUpNeeded || this.transport === null) return;
          if (this.inDoubt !== null && findByClientMessageId(state.messages, this.inDoubt)?.delivery === 'queued') return;
          if (state.connection !== 'connected' || !isInChat(state.phase)) return;
          const next = pendingIds(state.messages)[0];
          if (next === undefined) return;
          this.set((current) => ({ messages: markDequeued(current.messages, next) }));
          if (!(await this.deliver(next, generation))) return;
        }
      } finally {
        finished = true; // when nothing was to send, before `running` is even assigned
        if (this.pumping === running) this.pumping = null;
      }
    };
    running = run();
    // Still going (waiting for a send): later calls join it, and it picks up what they add.
    if (!finished) this.pumping = running;
    return running;
  }

  // ---- reading position ------------------------------------------------------------------

  /** The host page opened or closed the panel. */
  setHostOpen(open: boolean): void {
    this.hostOpen = open;
    this.markSeen();
  }

  /** The iframe's document became visible or hidden (tab switch, minimised window). */
  setPageVisible(visible: boolean): void {
    this.pageVisible = visible;
    this.markSeen();
  }

  /** The message list is (or is no longer) scrolled to the newest message. */
  setAtBottom(atBottom: boolean): void {
    this.atBottom = atBottom;
    this.markSeen();
  }

  /** When the visitor can see the newest message: unread goes to zero and the agent sees "read". */
  private markSeen(): void {
    if (!this.viewing) return;
    const state = this.state;
    if (state.unread !== 0) {
      this.set({ unread: 0 });
      this.notifyHost({ type: 'unread', count: 0 });
    }
    if (isInChat(state.phase)) {
      const newest = maxServerIndex(state.messages);
      if (newest >= 0) this.transport?.markRead(newest);
    }
  }

  /** Loads the page of history before the oldest message shown. */
  async loadOlder(): Promise<void> {
    const state = this.state;
    const transport = this.transport;
    const oldest = minServerIndex(state.messages);
    if (!transport || !state.hasOlderMessages || state.loadingOlder || oldest === null) return;
    const generation = this.generation;
    this.set({ loadingOlder: true });
    try {
      const page = await transport.loadOlder(oldest, this.historyPageSize);
      if (generation !== this.generation) return;
      this.set((s) => ({
        messages: mergeServerMessages(s.messages, page.messages.map((m) => this.withAuthorName(m))),
        hasOlderMessages: page.hasOlder,
        loadingOlder: false,
      }));
    } catch {
      if (generation === this.generation) this.set({ loadingOlder: false });
    }
  }

  /** A short-lived download URL for an attachment of a message. */
  async mediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    const transport = this.transport;
    if (!transport) return null;
    try {
      return await transport.getMediaUrl(messageSid, mediaSid);
    } catch {
      return null;
    }
  }

  // ---- composing -------------------------------------------------------------------

  setDraft(text: string): void {
    this.set({ draft: text });
  }

  /** Tells the agent the visitor is typing (the transport throttles). */
  notifyTyping(): void {
    if (isInChat(this.state.phase) && this.state.connection === 'connected') this.transport?.notifyTyping();
  }

  /** Files from the picker, a drop or a paste: accepted ones join the draft, refused ones explain why. */
  addFiles(files: readonly File[]): void {
    const state = this.state;
    const { accepted, problems } = checkFiles(files, this.options.attachments, state.draftAttachments.length);
    const added: DraftAttachment[] = accepted.map(({ file, contentType }) => {
      const id = this.createId();
      this.draftFiles.set(id, file);
      return {
        id,
        filename: file.name,
        contentType,
        size: file.size,
        previewUrl: isImage(contentType) ? objectUrl(file) : null,
      };
    });
    this.set({
      draftAttachments: [...state.draftAttachments, ...added],
      attachmentErrors: problems.map((p) => this.problemText(p)),
    });
  }

  removeDraftAttachment(id: string): void {
    const attachment = this.state.draftAttachments.find((a) => a.id === id);
    if (!attachment) return;
    this.draftFiles.delete(id);
    if (attachment.previewUrl) revokeObjectUrl(attachment.previewUrl);
    this.set((state) => ({ draftAttachments: state.draftAttachments.filter((a) => a.id !== id), attachmentErrors: [] }));
  }

  dismissAttachmentErrors(): void {
    if (this.state.attachmentErrors.length > 0) this.set({ attachmentErrors: [] });
  }

  private problemText(problem: AttachmentProblem): string {
    const s = this.strings;
    const locale = this.state.locale;
    switch (problem.kind) {
      case 'disabled':
        return s.attachmentDisabled;
      case 'too-many':
        return format(s.attachmentTooMany, { max: problem.max });
      case 'too-large':
        return format(s.attachmentTooLarge, { name: problem.filename, max: formatBytes(problem.maxBytes, locale) });
      case 'empty':
        return format(s.attachmentEmpty, { name: problem.filename });
      case 'type':
        return format(s.attachmentType, { name: problem.filename, types: problem.allowed.join(', ') });
    }
  }

  /**
   * Sends `text`, or the composer draft (and its files) when no text is given,
   * clearing it. The message appears at once and joins the outbox; it is never
   * dropped: it is sent once, in order, as soon as the connection allows
   * ("queued" while it waits for it), and only ends "failed" when the service
   * refuses it or the chat ends. Flex takes text or one file per message: the
   * text goes first, then each file in a message of its own, marked as part of
   * the text (`partOf`) so views keep them together. Each is its own entry in the
   * outbox, so a failure (a refused file, a drop in between) is handled once per
   * message: what made it is never sent again, what is missing is.
   */
  async send(text?: string): Promise<void> {
    const state = this.state;
    const body = (text ?? state.draft).trim();
    const drafts = text === undefined ? state.draftAttachments : [];
    if ((body === '' && drafts.length === 0) || !isInChat(state.phase) || !state.session) return;
    // Too long for the service: the draft stays for the visitor to shorten (the composer says so).
    if (text === undefined && body.length > this.options.maxMessageLength) return;
    const online = state.connection === 'connected' && this.transport !== null;
    const parts: Array<{ body: string; draft: DraftAttachment | null }> = [
      ...(body !== '' ? [{ body, draft: null }] : []),
      ...drafts.map((draft) => ({ body: '', draft })),
    ];
    let first: string | undefined;
    for (const part of parts) {
      const clientMessageId = this.createId();
      this.unconfirmed.add(clientMessageId);
      const partOf = first;
      first ??= clientMessageId;
      const attachments: AttachmentInfo[] = [];
      if (part.draft) {
        const blob = this.draftFiles.get(part.draft.id);
        this.draftFiles.delete(part.draft.id);
        if (blob) this.outgoingFiles.set(clientMessageId, { blob, filename: part.draft.filename, contentType: part.draft.contentType });
        attachments.push({
          sid: null,
          filename: part.draft.filename,
          contentType: part.draft.contentType,
          size: part.draft.size,
          previewUrl: part.draft.previewUrl,
        });
      }
      this.set((current) => ({
        messages: addOutgoingMessage(current.messages, {
          clientMessageId,
          author: state.session!.identity,
          authorName: current.visitorName,
          body: part.body,
          createdAt: this.now(),
          delivery: online ? 'sending' : 'queued',
          attachments,
          ...(partOf !== undefined ? { partOf } : {}),
        }),
      }));
    }
    this.set((current) => ({
      draft: text === undefined ? '' : current.draft,
      draftAttachments: text === undefined ? [] : current.draftAttachments,
      attachmentErrors: [],
      firstUnreadKey: null, // the visitor answered: the "new messages" mark has done its job
    }));
    await this.pump();
  }

  /** Sends a failed message again (the visitor's Retry), in the outbox's order; ignored unless it is failed. */
  async retryMessage(clientMessageId: string): Promise<void> {
    const message = findByClientMessageId(this.state.messages, clientMessageId);
    if (!message || message.delivery !== 'failed' || !isInChat(this.state.phase)) return;
    const online = this.state.connection === 'connected' && this.transport !== null;
    this.set((state) => ({ messages: online ? markRetrying(state.messages, clientMessageId) : markQueued(state.messages, clientMessageId) }));
    await this.pump();
  }

  /**
   * Sends one message of the outbox. True when it is settled (sent, or refused:
   * failed with the reason); false when it may or may not have reached the
   * service: it waits, queued, for a catch-up to tell (the outbox stops until then).
   */
  private async deliver(clientMessageId: string, generation: number): Promise<boolean> {
    const message = findByClientMessageId(this.state.messages, clientMessageId);
    const transport = this.transport;
    if (!message || !transport) return true;
    const file = this.outgoingFiles.get(clientMessageId);
    this.inFlight = clientMessageId;
    try {
      const sent = await transport.sendMessage(message.body, clientMessageId, {
        ...(file ? { attachment: file } : {}),
        ...(message.partOf !== null ? { partOf: message.partOf } : {}),
        onProgress: (fraction) => {
          if (generation === this.generation) this.set((state) => ({ messages: setProgress(state.messages, clientMessageId, fraction) }));
        },
      });
      if (generation !== this.generation) return false;
      this.outgoingFiles.delete(clientMessageId);
      this.set((state) => ({ messages: mergeServerMessages(state.messages, [sent]) }));
      return true;
    } catch (error) {
      if (generation !== this.generation) return false;
      const refused = refusal(error);
      if (refused !== null) {
        this.set((state) => ({ messages: markFailed(state.messages, clientMessageId, refused) }));
        return true;
      }
      // Lost on the way (or the answer was): it waits, and the outbox waits for a catch-up before it sends
      // anything again. Down: the reconnect catches up. Still "connected" (the drop not noticed yet, a
      // timeout): a catch-up on a backoff.
      this.set((state) => ({ messages: queueUnsent(markQueued(state.messages, clientMessageId)) }));
      this.doubt(clientMessageId);
      return false;
    } finally {
      if (generation === this.generation) this.inFlight = null;
    }
  }
}

function objectUrl(blob: Blob): string | null {
  try {
    return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(blob) : null;
  } catch {
    return null;
  }
}

function revokeObjectUrl(url: string): void {
  try {
    URL.revokeObjectURL(url);
  } catch {
    // Nothing to free.
  }
}

export function createSessionController(options: SessionControllerOptions): SessionController {
  return new SessionController(options);
}
