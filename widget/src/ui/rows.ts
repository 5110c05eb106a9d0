// The message list as rows for the virtualised log: day separators, the "new
// messages" mark, a "load earlier" row, and messages with their grouping. Pure.
import type { ChatMessage } from '../session/messages.ts';

export type Row =
  | { kind: 'older'; key: string }
  | { kind: 'date'; key: string; label: string; dateTime: string }
  | { kind: 'new'; key: string }
  | {
      kind: 'message';
      key: string;
      message: ChatMessage;
      /** First of a run by the same author: show the name (and avatar). */
      groupStart: boolean;
      /** Last of the run: show the time. */
      groupEnd: boolean;
      /** The visitor's newest delivered message: show "Sent" or "Read". */
      showDelivery: boolean;
    };

export interface RowOptions {
  hasOlder: boolean;
  firstUnreadKey: string | null;
  /** Label for a day separator ("Today", "Yesterday", a date). */
  dayLabel: (epochMs: number) => string;
}

/** Messages this close together by the same author form a group. */
export const groupGapMs = 5 * 60_000;

function localDay(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// Messages are immutable objects, so each one's local day is worked out once, not on every
// rebuild: with thousands of messages a rebuild per incoming message stays cheap.
const dayOfMessage = new WeakMap<ChatMessage, string>();
function messageDay(message: ChatMessage): string {
  let day = dayOfMessage.get(message);
  if (day === undefined) {
    day = localDay(message.createdAt);
    dayOfMessage.set(message, day);
  }
  return day;
}

function sameGroup(a: ChatMessage | undefined, b: ChatMessage | undefined, dayA: string | undefined, dayB: string | undefined): boolean {
  if (!a || !b || a.role === 'system' || b.role === 'system') return false;
  // A file sent with a text (two messages: Flex takes one or the other) always stays with it.
  const sentTogether = b.partOf !== null && (b.partOf === a.clientMessageId || b.partOf === a.partOf);
  return a.role === b.role && a.author === b.author && (sentTogether || Math.abs(b.createdAt - a.createdAt) <= groupGapMs) && dayA === dayB;
}

export function buildRows(messages: readonly ChatMessage[], options: RowOptions): Row[] {
  return createRowBuilder()(messages, options);
}

const delivered = (m: ChatMessage) => m.role === 'visitor' && m.delivery === 'sent';

/** The visitor's newest delivered message (shows "Sent"/"Read"), looking from the newest. */
export function lastDelivered(messages: readonly ChatMessage[]): ChatMessage | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (delivered(m)) return m;
  }
  return null;
}

interface Built {
  messages: readonly ChatMessage[];
  options: RowOptions;
  /** Position of lastDelivered(messages), -1 when none. */
  deliveredAt: number;
  rows: Row[];
  /** For each message: where its rows begin (its date or "new" row, else its own). */
  firstRow: number[];
  /** For each message: its own row. */
  ownRow: number[];
}

/** Position of the newest delivered visitor message at or after `from`, else before `to` (downwards), else -1. */
function newestDelivered(messages: readonly ChatMessage[], from: number, to: number): number {
  for (let i = messages.length - 1; i >= from; i--) if (delivered(messages[i]!)) return i;
  for (let i = to - 1; i >= 0; i--) if (delivered(messages[i]!)) return i;
  return -1;
}

export interface RowBuilder {
  (messages: readonly ChatMessage[], options: RowOptions): Row[];
  /** lastDelivered() of the messages last built, without walking them again. */
  lastDelivered(): ChatMessage | null;
}

/**
 * buildRows that remembers its last result. A message's row depends only on its
 * neighbours, so when the new list starts with the same message objects as the last
 * one (a live message appended, a page of history merged below... ) the rows of that
 * unchanged start are kept and only the rest is built: an incoming message costs the
 * same with 10,000 messages as with 100. Same result as building from scratch. The
 * visitor's newest delivered message is found the same way: in the changed end, else
 * the unchanged start's is the last build's (a chat whose only visitor message is the
 * first of thousands does not walk them all per message).
 */
export function createRowBuilder(): RowBuilder {
  let last: Built | null = null;
  const build = (messages: readonly ChatMessage[], options: RowOptions): Row[] => {
    const prev = last;
    let same = 0;
    if (prev !== null) {
      const max = Math.min(prev.messages.length, messages.length);
      while (same < max && prev.messages[same] === messages[same]) same++;
    }
    // The unchanged start holds the last build's newest delivered message, if that was in it.
    const kept = prev !== null && prev.deliveredAt < same;
    const deliveredAt = newestDelivered(messages, same, kept ? 0 : same);
    const found = kept && deliveredAt < same ? prev.deliveredAt : deliveredAt;
    const lastDelivered = found >= 0 ? messages[found]!.key : null;
    let from = 0;
    if (
      prev !== null &&
      prev.options.hasOlder === options.hasOlder &&
      prev.options.firstUnreadKey === options.firstUnreadKey &&
      prev.options.dayLabel === options.dayLabel
    ) {
      // The last unchanged message's grouping depends on the message after it.
      from = Math.max(0, same - 1);
    }
    let rows: Row[];
    let firstRow: number[];
    let ownRow: number[];
    if (prev !== null && from > 0) {
      rows = prev.rows.slice(0, prev.firstRow[from]);
      firstRow = prev.firstRow.slice(0, from);
      ownRow = prev.ownRow.slice(0, from);
      // "Sent"/"Read" moved from a kept row to another message.
      const prevDelivered = prev.deliveredAt >= 0 ? prev.messages[prev.deliveredAt]!.key : null;
      if (prevDelivered !== lastDelivered) {
        for (let i = 0; i < from; i++) {
          const row = rows[ownRow[i]!] as Extract<Row, { kind: 'message' }>;
          const show = row.key === lastDelivered;
          if (row.showDelivery !== show) rows[ownRow[i]!] = { ...row, showDelivery: show };
        }
      }
    } else {
      from = 0;
      rows = options.hasOlder ? [{ kind: 'older', key: 'older' }] : [];
      firstRow = [];
      ownRow = [];
    }
    let day = from > 0 ? messageDay(messages[from - 1]!) : '';
    for (let i = from; i < messages.length; i++) {
      const message = messages[i]!;
      const today = messageDay(message);
      firstRow.push(rows.length);
      if (today !== day) {
        day = today;
        rows.push({ kind: 'date', key: `d:${today}`, label: options.dayLabel(message.createdAt), dateTime: today });
      }
      if (message.key === options.firstUnreadKey) rows.push({ kind: 'new', key: 'new' });
      const previous = messages[i - 1];
      const next = messages[i + 1];
      ownRow.push(rows.length);
      rows.push({
        kind: 'message',
        key: message.key,
        message,
        groupStart:
          !sameGroup(previous, message, previous && messageDay(previous), today) ||
          previous?.key === undefined ||
          message.key === options.firstUnreadKey,
        groupEnd: !sameGroup(message, next, today, next && messageDay(next)) || next?.key === options.firstUnreadKey,
        showDelivery: message.key === lastDelivered,
      });
    }
    last = { messages, options, deliveredAt: found, rows, firstRow, ownRow };
    return rows;
  };
  return Object.assign(build, { lastDelivered: () => (last !== null && last.deliveredAt >= 0 ? last.messages[last.deliveredAt]! : null) });
}

/** "Today", "Yesterday" or a date in the locale. */
export function dayLabeller(locale: string, strings: { today: string; yesterday: string }, now: () => number = Date.now) {
  // Made on first use: a date formatter costs milliseconds to create, and a chat of
  // today needs none (it would otherwise lengthen the task that first draws a resumed chat).
  let formatter: Intl.DateTimeFormat | null = null;
  const dateFormatter = (): Intl.DateTimeFormat => {
    if (formatter) return formatter;
    try {
      formatter = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    } catch {
      formatter = new Intl.DateTimeFormat('en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
    }
    return formatter;
  };
  return (epochMs: number): string => {
    const day = localDay(epochMs);
    const current = new Date(now());
    if (day === localDay(current.getTime())) return strings.today;
    const yesterday = new Date(current.getFullYear(), current.getMonth(), current.getDate() - 1);
    if (day === localDay(yesterday.getTime())) return strings.yesterday;
    return dateFormatter().format(new Date(epochMs));
  };
}
