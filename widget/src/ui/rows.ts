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
  const rows: Row[] = [];
  if (options.hasOlder) rows.push({ kind: 'older', key: 'older' });
  let lastDelivered: string | null = null;
  for (const m of messages) if (m.role === 'visitor' && m.delivery === 'sent') lastDelivered = m.key;
  const days = messages.map(messageDay);
  let day = '';
  messages.forEach((message, i) => {
    const today = days[i]!;
    if (today !== day) {
      day = today;
      rows.push({ kind: 'date', key: `d:${today}`, label: options.dayLabel(message.createdAt), dateTime: today });
    }
    if (message.key === options.firstUnreadKey) rows.push({ kind: 'new', key: 'new' });
    const previous = messages[i - 1];
    const next = messages[i + 1];
    rows.push({
      kind: 'message',
      key: message.key,
      message,
      groupStart: !sameGroup(previous, message, days[i - 1], today) || previous?.key === undefined || message.key === options.firstUnreadKey,
      groupEnd: !sameGroup(message, next, today, days[i + 1]) || next?.key === options.firstUnreadKey,
      showDelivery: message.key === lastDelivered,
    });
  });
  return rows;
}

/** "Today", "Yesterday" or a date in the locale. */
export function dayLabeller(locale: string, strings: { today: string; yesterday: string }, now: () => number = Date.now) {
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  } catch {
    formatter = new Intl.DateTimeFormat('en', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  }
  return (epochMs: number): string => {
    const day = localDay(epochMs);
    const current = new Date(now());
    if (day === localDay(current.getTime())) return strings.today;
    const yesterday = new Date(current.getFullYear(), current.getMonth(), current.getDate() - 1);
    if (day === localDay(yesterday.getTime())) return strings.yesterday;
    return formatter.format(new Date(epochMs));
  };
}
