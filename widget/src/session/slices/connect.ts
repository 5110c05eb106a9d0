// Connecting: the transport chunk for the session's mode (preloaded while the
// visitor fills in the form), the connection, the first history page and the
// roster; then what waits in the outbox goes out.
import { nextTask } from '../../transport/next-task.ts';
import type { TransportFactory } from '../../transport/transport-loader.ts';
import { classify } from '../failures.ts';
import { mergeServerMessages, pendingIds, queueUnsent } from '../messages.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

export interface ConnectSlice {
  /** Starts loading the SDK chunk the coming session will need. */
  preloadFor(knownMode: string | undefined): Promise<void>;
  /**
   * Preloads the default transport once the panel is open, at the next quiet moment: the SDK
   * is the largest chunk, and compiling it while the form appears would delay the form.
   */
  preloadWhenOpen(): void;
  /** The host opened the panel: a preload waiting for it may go. */
  panelOpened(): void;
  connect(signal: AbortSignal): Promise<void>;
  /** A new transport for the same conversation (messages on their way are re-queued, not lost). */
  reconnect(): Promise<void>;
}

export function createConnectSlice(s: Session): ConnectSlice {
  const factories = new Map<string, Promise<TransportFactory>>();

  /** Loads (once) the transport module for a mode. */
  const preload = (mode: string): Promise<TransportFactory> => {
    let pending = factories.get(mode);
    if (!pending) {
      pending = s.loader(mode);
      factories.set(mode, pending);
      pending.catch(() => factories.delete(mode));
    }
    return pending;
  };

  let waitingForPanel = false;
  const preloadWhenIdle = () => s.whenIdle(() => void s.preloadFor(undefined));

  return {
    preloadWhenOpen() {
      if (s.isHostOpen()) preloadWhenIdle();
      else waitingForPanel = true;
    },

    panelOpened() {
      if (!waitingForPanel) return;
      waitingForPanel = false;
      preloadWhenIdle();
    },

    async preloadFor(knownMode) {
      let mode = knownMode ?? s.preloadMode;
      if (mode === 'auto') mode = (await s.tokens.mode()) ?? 'conversations';
      // 'local' (the emulator) speaks Conversations: same chunk.
      await preload(mode).catch(() => {
        // A failed preload is retried by connect(); nothing to show yet.
      });
    },

    async connect(signal) {
      const credentials = s.credentials;
      if (!credentials) return;

      let factory: TransportFactory;
      try {
        factory = await preload(credentials.mode);
      } catch (error) {
        if (signal.aborted) return;
        const { code, recovery } = classify('load', error);
        s.fail(code, recovery);
        return;
      }
      if (signal.aborted) return;

      const transport = factory();
      s.transport = transport;
      s.unsubscribe = transport.subscribe((event) => s.handleEvent(transport, event));
      try {
        await transport.connect({
          token: credentials.token,
          identity: credentials.identity,
          conversationSid: credentials.conversationSid,
          ...(credentials.twilsockUri !== undefined ? { twilsockUri: credentials.twilsockUri } : {}),
        });
        if (signal.aborted) return;
        const [history, participants] = await Promise.all([
          transport.loadHistory(s.historyPageSize),
          transport.getParticipants(),
        ]);
        // The SDK resolved them in its websocket task; React draws the history in a task of its own.
        await nextTask();
        if (signal.aborted) return;
        const map = s.participantMap(participants);
        const readHorizon = participants.reduce((max, p) => (p.role === 'agent' ? Math.max(max, p.lastReadIndex ?? -1) : max), -1);
        const announce = !s.resuming;
        s.set((state) => {
          const present = { ...state.participants, ...map };
          const merged = mergeServerMessages(state.messages, history.messages.map((m) => s.withAuthorName(m)));
          return {
            connection: state.connection === 'idle' || state.connection === 'connecting' ? 'connected' : state.connection,
            messages: announce ? s.announcePresent(merged, present) : merged,
            hasOlderMessages: history.hasOlder,
            participants: present,
            readHorizon: Math.max(state.readHorizon, readHorizon),
          };
        });
        // Agents from the roster, or announced by an event while it was loading.
        s.dispatch({ type: 'joined', agentPresent: s.agentPresent() });
      } catch (error) {
        if (signal.aborted) return;
        const failure = classify('connect', error);
        // A stored session the service no longer knows: start afresh, no error.
        if (s.resuming && failure.gone) return s.abandon();
        return s.fail(failure.code, failure.recovery);
      }
      s.resuming = false;
      s.updateQueueNotice();
      if (isInChat(s.get().phase) && !s.sessionStarted) {
        s.sessionStarted = true;
        s.notifyHost({ type: 'sessionStart' });
      }
      s.markSeen();
      const question = s.pendingFirstMessage;
      s.pendingFirstMessage = null;
      // After a reconnect, what was on its way may have made it: the history tells, before anything is sent again.
      if (pendingIds(s.get().messages).length > 0) {
        s.catchUpNeeded = true;
        void s.resync();
      }
      if (question !== null) void s.send(question);
      else void s.pump();
    },

    async reconnect() {
      if (!isInChat(s.get().phase)) return;
      s.set((state) => ({ connection: 'connecting', messages: queueUnsent(state.messages) }));
      s.teardown();
      await s.connect(s.scope.signal);
    },
  };
}
