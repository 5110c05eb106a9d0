// Session lifecycle: start, the error view's recovery, back to the form, shutdown,
// and tearing a connection down. Starting a session is in init.ts, connecting in connect.ts.
import type { WidgetEvent } from '../../bridge/host-bridge.ts';
import type { ChatTransport } from '../../transport/chat-transport.ts';
import { queueUnsent } from '../messages.ts';
import { initialFormState, type RecoveryAction, type SessionError, type SessionErrorCode, type SessionState } from '../session-store.ts';
import { holdsSession } from '../state-machine.ts';
import { revokeObjectUrl } from './composing.ts';
import type { Credentials } from './credentials.ts';
import type { Session } from './session.ts';

/** The composer draft plus the text of messages that never reached the server. */
export function withUnsentText(state: SessionState): string {
  const unsent = state.messages
    .filter((m) => m.delivery === 'failed' || m.delivery === 'sending' || m.delivery === 'queued')
    .map((m) => m.body);
  return [...unsent, state.draft].filter((text) => text.trim() !== '').join('\n\n');
}

/** The visible parts of the store that belong to one conversation, reset between chats. */
export function conversationReset(): Partial<SessionState> {
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

export interface LifecycleSlice {
  transport: ChatTransport | null;
  /** Stops listening to `transport`. */
  unsubscribe: (() => void) | null;
  credentials: Credentials | null;
  /**
   * The scope of the current connection: aborted whenever the session is (re)started or torn
   * down. Async work captures its signal and drops its result once it is aborted.
   */
  scope: AbortController;
  /** Aborts the current scope (its pending work is stale) and opens a new one. */
  renewScope(): AbortSignal;
  /** A timer of the current scope: cleared when the scope ends. Returns a function that clears it. */
  later(run: () => void, ms: number): () => void;
  sessionStarted: boolean;
  /** Connecting to a session taken from storage or another tab (a dead one is dropped quietly). */
  resuming: boolean;
  /**
   * Shows the form (or the offline view), or resumes the chat kept in storage;
   * starts loading the chat SDK in the background. Idempotent.
   */
  start(): void;
  /** Runs the error view's recovery action. */
  retry(): Promise<void>;
  /** Back to the form for a new chat; form values and the composer draft are kept. */
  restart(): void;
  /**
   * The host page forgets the visitor (FlexChat('shutdown'), e.g. on logout):
   * ends a running chat, clears the stored session and the form, shows the start.
   */
  shutdown(): Promise<void>;
  /** Stops everything (the iframe is going away). */
  dispose(): void;
  teardown(): void;
  fail(code: SessionErrorCode, recovery: RecoveryAction): void;
  /** The stored session turned out to be over: forget it and show the form, saying so. */
  abandon(): void;
}

export function createLifecycleSlice(s: Session): LifecycleSlice {
  let unsubscribeSync: (() => void) | null = null;

  /** Frees the blob: URLs of image previews of the conversation being left. */
  const releasePreviews = () => {
    for (const m of s.get().messages) for (const a of m.attachments) if (a.previewUrl) revokeObjectUrl(a.previewUrl);
  };

  const errorMessage = (code: SessionErrorCode): string => {
    switch (code) {
      case 'network':
        return s.strings.errorNetwork;
      case 'busy':
        return s.strings.errorBusy;
      case 'session-expired':
        return s.strings.errorSessionExpired;
      case 'unsupported-mode':
        return s.strings.errorUnsupported;
      case 'deployment-key':
        return s.strings.errorDeploymentKey;
      case 'origin-not-allowed':
        return s.strings.errorOriginNotAllowed;
      default:
        return s.strings.errorGeneric;
    }
  };

  return {
    transport: null,
    unsubscribe: null,
    credentials: null,
    scope: new AbortController(),
    sessionStarted: false,
    resuming: false,

    start() {
      if (s.get().phase !== 'idle') return;
      unsubscribeSync = s.sync.subscribe((record) => s.onSyncRecord(record));
      const record = s.sync.load();
      const businessOpen = s.businessOpen();
      s.dispatch(
        { type: 'open', businessOpen, resumable: record !== null },
        { canResume: s.sync.persistent, nextOpening: s.nextOpeningTime() },
      );
      if (record) {
        void s.preloadFor(record.mode);
        void s.resume(record, true);
      } else {
        s.preloadWhenOpen();
        s.notifyHost({ type: 'sessionEnd' }); // tells the host there is no chat to come back to
        s.scheduleHoursCheck();
        s.maybeSkipForm();
      }
    },

    async retry() {
      const { phase, error } = s.get();
      if (phase !== 'error' || !error) return;
      switch (error.recovery) {
        case 'retry-connect': {
          const credentials = s.credentials;
          if (!credentials) return s.initAndConnect({ type: 'retry' });
          s.dispatch({ type: 'retry' }, { error: null });
          const signal = s.renewScope();
          // Expired meanwhile: renew within the token service's grace period first.
          if (s.credentialsStale() && !(await s.renewCredentials(signal, 'fail'))) return;
          await s.connect(signal);
          return;
        }
        case 'retry-init':
          await s.initAndConnect({ type: 'retry' });
          return;
        case 'restart':
          s.restart();
          return;
      }
    },

    restart() {
      releasePreviews();
      const wasStarted = s.sessionStarted;
      const sid = s.credentials?.conversationSid;
      s.teardown();
      if (sid && s.get().phase !== 'ended') s.sync.clear(sid);
      s.credentials = null;
      s.sessionStarted = false;
      s.forgetAgents();
      s.outgoingFiles.clear();
      const ended = s.get().phase === 'ended'; // the teaser belonged to that chat
      const moved = s.dispatch({ type: 'restart', businessOpen: s.businessOpen() }, (state) => ({
        ...conversationReset(),
        ...(ended ? { teaser: null } : {}),
        error: null,
        session: null,
        connection: 'idle',
        draft: withUnsentText(state),
        form: { ...state.form, errors: {}, message: null },
        nextOpening: s.nextOpeningTime(),
      }));
      if (moved) s.scheduleHoursCheck();
      if (wasStarted) s.notifyHost({ type: 'sessionEnd' });
    },

    async shutdown() {
      const hadSession = s.sessionStarted;
      if (holdsSession(s.get().phase)) await s.endChat();
      const sid = s.credentials?.conversationSid;
      if (sid) s.sync.clear(sid);
      s.userToken = undefined;
      s.submission = null;
      s.restart();
      s.set({ visitorName: null, draft: '', notice: null, teaser: null, form: initialFormState(s.form.fields) });
      if (!hadSession) s.notifyHost({ type: 'sessionEnd' }); // otherwise ending it said so
    },

    dispose() {
      s.teardown();
      s.stopReportingAccepted();
      s.clearDoubt();
      unsubscribeSync?.();
      unsubscribeSync = null;
      s.stopHoursCheck();
    },

    renewScope() {
      s.scope.abort();
      s.scope = new AbortController();
      return s.scope.signal;
    },

    later(run, ms) {
      const { signal } = s.scope;
      const clear = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', clear);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', clear);
        run();
      }, ms);
      signal.addEventListener('abort', clear);
      return clear;
    },

    teardown() {
      s.renewScope();
      s.unsubscribe?.();
      s.unsubscribe = null;
      const transport = s.transport;
      s.transport = null;
      s.refreshing = null;
      s.stopCatchUp();
      s.pumping = null;
      s.inFlight = null;
      if (transport) transport.disconnect().catch(() => {});
    },

    fail(code, recovery) {
      s.resuming = false;
      s.teardown();
      const error: SessionError = { code, recovery, message: errorMessage(code) };
      // Reconnecting to the same conversation sends what waits; a new one takes it back into the composer.
      s.dispatch({ type: 'failed' }, (state) => ({
        error,
        typing: [],
        connection: 'idle',
        messages: queueUnsent(state.messages),
      }));
      if (recovery === 'restart' && s.credentials) s.sync.clear(s.credentials.conversationSid);
      // Hosts may log it: a code only (protocol: `error` event), never a message or PII.
      s.notifyHost({ type: 'error', code } as unknown as WidgetEvent);
    },

    abandon() {
      s.resuming = false;
      const sid = s.credentials?.conversationSid;
      s.teardown();
      if (sid) s.sync.clear(sid);
      s.credentials = null;
      s.sessionStarted = false;
      s.forgetAgents();
      s.dispatch({ type: 'restart', businessOpen: s.businessOpen() }, {
        ...conversationReset(),
        error: null,
        session: null,
        connection: 'idle',
        notice: s.strings.previousChatEnded,
        nextOpening: s.nextOpeningTime(),
      });
      s.scheduleHoursCheck();
    },
  };
}
