// Catching up after a drop: the history read back to where an unsent message
// could have landed tells which sends made it, before the outbox sends again.
// A send in doubt (its answer lost) holds the outbox until its copy shows up or a
// read begun after a grace period does not show it.
import type { ChatTransport, TransportMessage } from '../../transport/chat-transport.ts';
import { findByClientMessageId, mergeServerMessages, unsentAnchor } from '../messages.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

/**
 * Backoff for a catch-up that failed although the connection is up, and for the
 * catch-up after a send that failed without the connection noticing.
 */
const resyncRetryBaseMs = 1_000;
const resyncRetryMaxMs = 30_000;
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
/**
 * The SDKs answer history reads from their Sync cache, which lacks what landed
 * while the socket was down until the subscription has caught up (a moment
 * after 'connected'). A read that would send a message in doubt again is only
 * trusted once the service's own count agrees with it; a lagging one is read
 * again on the catch-up backoff (1, 2, 4, 8, 16 s), this many times at most. After
 * that the read is trusted: a message that cannot be told sent or not is sent
 * again rather than never.
 */
const maxLaggingReads = 5;

export interface CatchUpSlice {
  /** Messages wait after a (re)connect: nothing is sent before a catch-up has read the history (it tells what made it). */
  catchUpNeeded: boolean;
  /**
   * The message whose send failed without a refusal: it may have reached the
   * service. Nothing is sent until its copy shows up, or a history read begun
   * after the grace period does not show it.
   */
  inDoubt: string | null;
  /**
   * Reloads the newest history (what arrived while offline, and our own sends
   * that made it), back to where an unsent message could have landed; then sends
   * what is still waiting.
   */
  resync(): Promise<void>;
  /** `clientMessageId` may or may not have reached the service: the outbox waits for its copy or the grace read. */
  doubt(clientMessageId: string): void;
  clearDoubt(): void;
  /** The message in doubt showed up (live or in a history page): it was sent; the outbox goes on. */
  settleDoubtIfSeen(): void;
  /** The connection is torn down: no catch-up is due for it any more. */
  stopCatchUp(): void;
}

export function createCatchUpSlice(s: Session): CatchUpSlice {
  let doubtGrace: ReturnType<typeof setTimeout> | null = null;
  /** Counts doubts: a read settles nothing if a new doubt arose while it was out. */
  let doubts = 0;
  let resyncing: Promise<void> | null = null;
  /** A failed catch-up load is retried on a timer of the connection's scope while it stays up. */
  let cancelRetry: (() => void) | null = null;
  let resyncFailures = 0;

  const cancelResyncRetry = () => {
    cancelRetry?.();
    cancelRetry = null;
  };

  /** A catch-up is due while the connection is up: after a failed read. */
  const scheduleResyncRetry = () => {
    cancelResyncRetry();
    if (s.get().connection !== 'connected' || !isInChat(s.get().phase)) return; // the next 'connected' resyncs
    const delay = Math.min(resyncRetryBaseMs * 2 ** resyncFailures, resyncRetryMaxMs);
    resyncFailures++;
    cancelRetry = s.later(() => {
      cancelRetry = null;
      if (s.get().connection === 'connected' && isInChat(s.get().phase)) void s.resync();
    }, delay);
  };

  /** The newest history page, and older ones until the page reaches index `anchor` (bounded). */
  const readBackTo = async (transport: ChatTransport, anchor: number | null): Promise<TransportMessage[]> => {
    let page = await transport.loadHistory(s.historyPageSize);
    const messages = [...page.messages];
    for (let read = 1; read < maxCatchUpPages && anchor !== null && page.hasOlder; read++) {
      const oldest = page.messages[0]?.index;
      if (oldest === undefined || oldest <= anchor + 1) break;
      page = await transport.loadOlder(oldest, s.historyPageSize);
      messages.unshift(...page.messages);
    }
    return messages;
  };

  return {
    catchUpNeeded: false,
    inDoubt: null,

    resync() {
      if (resyncing) return resyncing;
      const transport = s.transport;
      if (!transport) return Promise.resolve();
      cancelResyncRetry();
      const { signal } = s.scope;
      const doubtsBefore = doubts;
      const graceOver = doubtGrace === null;
      const run = async () => {
        let lagging = false;
        try {
          const pages = await readBackTo(transport, unsentAnchor(s.get().messages));
          if (signal.aborted) return;
          // Only a read that may send the message in doubt again is checked (one that shows its
          // copy settles it all the same). Indexes only grow, so a newest index below the
          // service's count means messages not read yet (deleted messages make the count
          // smaller: such a read is taken as current).
          lagging =
            graceOver &&
            s.inDoubt !== null &&
            resyncFailures < maxLaggingReads &&
            (await transport.countMessages()) > (pages.at(-1)?.index ?? -1) + 1;
          if (signal.aborted) return;
          if (!lagging) resyncFailures = 0;
          s.set((state) => ({ messages: mergeServerMessages(state.messages, pages.map((m) => s.withAuthorName(m))) }));
          // A send that failed while this read was out may land after it: that one needs another read.
          if (doubts === doubtsBefore && !lagging) {
            s.catchUpNeeded = false;
            if (graceOver) s.clearDoubt();
          }
          s.settleDoubtIfSeen();
        } catch {
          // The outbox waits for the catch-up: it is what tells which cut-off sends reached the server.
          // A load that failed while the connection is back (a request lost with the old socket)
          // would otherwise leave the queue stuck until the next drop, so try again on a backoff.
          if (!signal.aborted) scheduleResyncRetry();
          return;
        } finally {
          if (!signal.aborted) resyncing = null;
        }
        // A lagging read is read again on the backoff, until it is current.
        if (s.catchUpNeeded || lagging) scheduleResyncRetry();
        else await s.pump(); // (a doubt still in its grace period holds it until the grace read)
      };
      resyncing = run();
      return resyncing;
    },

    doubt(clientMessageId) {
      s.inDoubt = clientMessageId;
      doubts++;
      if (doubtGrace !== null) clearTimeout(doubtGrace);
      doubtGrace = setTimeout(() => {
        doubtGrace = null;
        // Down: the next 'connected' reads, after the grace now.
        if (s.get().connection === 'connected' && isInChat(s.get().phase)) void s.resync();
      }, doubtGraceMs);
    },

    clearDoubt() {
      s.inDoubt = null;
      if (doubtGrace !== null) clearTimeout(doubtGrace);
      doubtGrace = null;
    },

    settleDoubtIfSeen() {
      const id = s.inDoubt;
      if (id === null) return;
      const message = findByClientMessageId(s.get().messages, id);
      if (message && message.delivery !== 'sent') return;
      s.clearDoubt();
      if (!s.catchUpNeeded) void s.pump();
    },

    stopCatchUp() {
      resyncing = null;
      cancelResyncRetry();
      resyncFailures = 0;
      s.catchUpNeeded = false;
    },
  };
}
