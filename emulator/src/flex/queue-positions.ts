// Waiting chats learn their place in the queue through conversation attributes
// ({ queue: { position } }, null once it leaves the queue). This is the stand-in's
// own feature, not Twilio's (Flex tells a web chat nothing about its queue), so the
// figures below are choices, not Twilio's.
//
// A new chat joins at the end: only its own place is written. A chat that leaves
// moves every chat behind it up by one, so keeping every place exact after every
// accept costs N²/2 writes to serve N waiting chats (27 s and 2.4 GB for 2,000 when
// each accept rewrote the queue; still one full pass of the queue per second, and
// per accept on a quiet queue, when passes were throttled). Instead a walk goes
// down the queue from its head writing the places that changed, at most
// QUEUE_WRITES_PER_TICK writes every QUEUE_TICK_MS (≤ 500 writes a second, whatever
// the queue's length or the rate of accepts); a chat that leaves from the part
// already walked sends the walk round once more when it ends. Each tick first
// settles the front of the queue (QUEUE_FRONT places), so the chats next in line
// are exact within one tick; a chat at place p is exact within about
// p / 500 seconds of the last change. A walk's tick visits at most
// QUEUE_VISITS_PER_TICK chats, so a tick's work is bounded too.

/** How often the walk writes places while the queue changes. */
export const QUEUE_TICK_MS = 100;
/** Place writes per tick, front and walk together. */
export const QUEUE_WRITES_PER_TICK = 50;
/** The first places, settled on every tick. */
export const QUEUE_FRONT = 20;
/** Chats a tick looks at (most need no write). */
export const QUEUE_VISITS_PER_TICK = 5000;

export interface QueuedTask {
  sid: string;
  status: string;
}

interface Entry<T> {
  task: T;
  /** The walk that last gave this chat its place. */
  walk: number;
}

export class QueuePositions<T extends QueuedTask> {
  /** Waiting tasks in the order they arrived: a chat's place is its rank here. */
  private readonly waiting = new Map<string, Entry<T>>();
  private walkId = 0;
  /** The walk in progress: where it is, and how many chats it has passed that still wait. */
  private walk: { entries: Iterator<Entry<T>>; rank: number; again: boolean } | undefined;
  private timer: NodeJS.Timeout | undefined;

  /**
   * `write` sets a chat's place (null: it left) and says whether it had to write
   * (false when the chat already shows that place). `safely` runs background work.
   */
  constructor(
    private readonly write: (task: T, position: number | null) => boolean,
    private readonly safely: (what: string, work: () => void) => void,
  ) {}

  get size(): number {
    return this.waiting.size;
  }

  /** A new task waits at the end of the queue. */
  join(task: T): void {
    // A walk in progress reaches it last and finds the place it was given here.
    this.waiting.set(task.sid, { task, walk: -1 });
    this.write(task, this.waiting.size);
  }

  /** A task stops waiting (accepted or canceled): its chat leaves the queue; those behind move up. */
  leave(task: T): void {
    const entry = this.waiting.get(task.sid);
    if (!entry) return;
    this.waiting.delete(task.sid);
    this.write(task, null);
    if (this.walk && entry.walk === this.walkId) {
      // Behind the walk's position nothing is lost; ahead of it, the places walked are one off now.
      this.walk.rank -= 1;
      this.walk.again = true;
    } else if (!this.walk) {
      this.startWalk();
      this.schedule(0);
    }
  }

  clear(): void {
    this.stop();
    this.waiting.clear();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.walk = undefined;
  }

  private startWalk(): void {
    this.walkId += 1;
    this.walk = { entries: this.waiting.values(), rank: 0, again: false };
  }

  private schedule(delayMs: number): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.safely('queue positions', () => this.tick());
    }, delayMs);
    this.timer.unref();
  }

  /** Whether the entry still waits; a task someone else moved on (e.g. a Flex channel deleted) is dropped. */
  private stillWaiting(entry: Entry<T>): boolean {
    if (entry.task.status === 'pending') return true;
    this.waiting.delete(entry.task.sid);
    return false;
  }

  private tick(): void {
    let budget = QUEUE_WRITES_PER_TICK;
    let place = 0;
    for (const entry of this.waiting.values()) {
      if (place >= QUEUE_FRONT || budget === 0) break;
      if (!this.stillWaiting(entry)) continue;
      place += 1;
      if (this.write(entry.task, place)) budget -= 1;
    }
    let visits = 0;
    while (this.walk && budget > 0 && visits < QUEUE_VISITS_PER_TICK) {
      const next = this.walk.entries.next();
      if (next.done) {
        if (this.walk.again) this.startWalk();
        else this.walk = undefined;
        continue;
      }
      visits += 1;
      const entry = next.value;
      if (!this.stillWaiting(entry)) continue;
      this.walk.rank += 1;
      entry.walk = this.walkId;
      if (this.write(entry.task, this.walk.rank)) budget -= 1;
    }
    if (this.walk) this.schedule(QUEUE_TICK_MS);
  }
}
