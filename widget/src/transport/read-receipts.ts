// The visitor's read receipts (the read horizon the agent sees), for both SDK adapters.
//
// One receipt per interval at most: each is a request, its answer and two or three sync
// updates the SDK handles on the main thread (about half of its work for an incoming
// message), and Twilio counts them among a conversation's participant updates, which it
// rate-limits. The first goes at once; the newest index read during the gap goes at its end.

type Advance = (index: number) => Promise<unknown>;

export interface ReadReceipts {
  /** Advances the read horizon to `index` through `advance`: never backwards, best effort. */
  mark(index: number, advance: Advance): void;
  /** Sends the receipt waiting for the end of the gap now, if there is one (before a teardown). */
  flush(): void;
}

/** Read receipts at most one per `intervalMs`. (Closures, not a class: its private names would stay in the build.) */
export function readReceipts(intervalMs = 2_000): ReadReceipts {
  // The highest index sent as read (or being sent); -1 after a failure, so the next one goes.
  let sent = -1;
  let sentAt = Number.NEGATIVE_INFINITY;
  // A newer index read during the gap (-1: none), and how to send it when the gap ends.
  let waiting = -1;
  let waitingAdvance: Advance | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const send = (index: number, advance: Advance): void => {
    sent = index;
    sentAt = Date.now();
    advance(index).catch(() => (sent = -1));
  };
  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (waiting > sent && waitingAdvance) send(waiting, waitingAdvance);
    waiting = -1;
  };
  return {
    mark(index, advance) {
      if (index <= sent || index <= waiting) return;
      if (timer === undefined && Date.now() - sentAt >= intervalMs) return send(index, advance);
      waiting = index;
      waitingAdvance = advance;
      timer ??= setTimeout(flush, sentAt + intervalMs - Date.now());
    },
    flush,
  };
}
