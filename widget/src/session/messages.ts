// The message list as plain data, and the pure functions that change it.
//
// Ordering: messages the server has (they carry an `index`) are ordered by index.
// Local-only entries have no index: a visitor message still on its way (or
// failed) stays at the bottom in the order it was typed; a system notice (e.g.
// "Ana joined") sits after the server message that was newest when it was made.
// Deduplication: a server copy replaces the entry with the same sid, or failing
// that the entry with the same clientMessageId (the optimistic local copy).
import type { MessageAuthorRole, TransportMessage } from '../transport/chat-transport.ts';

export type DeliveryState = 'sending' | 'sent' | 'failed';

/** What a local system notice is about (so its text can follow a late display name). */
export type NoticeKind = 'joined' | 'left';

export interface ChatMessage {
  /** Stable render key: survives the local copy being replaced by the server copy. */
  key: string;
  sid: string | null;
  index: number | null;
  clientMessageId: string | null;
  role: MessageAuthorRole;
  author: string;
  authorName: string | null;
  body: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Visitor messages only. */
  delivery: DeliveryState | null;
  /** Why the last send failed, for failed messages. */
  error: string | null;
  /** Local entries: the newest server index when the entry was made (-1 if none). */
  anchorIndex: number;
  /** Local entries: creation order among local entries. */
  seq: number;
  /** System notices made by the widget: what happened to participant `author`. */
  notice: NoticeKind | null;
}

function keyFor(sid: string, clientMessageId: string | undefined | null): string {
  return clientMessageId ? `c:${clientMessageId}` : `s:${sid}`;
}

export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  const rank = (m: ChatMessage): [number, number, number] =>
    m.index !== null ? [m.index, 0, 0] : m.delivery !== null ? [Infinity, 1, m.seq] : [m.anchorIndex, 1, m.seq];
  const [ai, at, as] = rank(a);
  const [bi, bt, bs] = rank(b);
  if (ai !== bi) return ai < bi ? -1 : 1;
  if (at !== bt) return at - bt;
  return as - bs;
}

export function maxServerIndex(messages: readonly ChatMessage[]): number {
  let max = -1;
  for (const m of messages) if (m.index !== null && m.index > max) max = m.index;
  return max;
}

function nextSeq(messages: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of messages) if (m.seq > max) max = m.seq;
  return max + 1;
}

function fromTransport(message: TransportMessage, existing: ChatMessage | undefined): ChatMessage {
  return {
    key: existing?.key ?? keyFor(message.sid, message.clientMessageId),
    sid: message.sid,
    index: message.index,
    clientMessageId: message.clientMessageId ?? existing?.clientMessageId ?? null,
    role: message.role,
    author: message.author,
    authorName: message.authorName ?? existing?.authorName ?? null,
    body: message.body,
    createdAt: message.createdAt,
    delivery: message.role === 'visitor' ? 'sent' : null,
    error: null,
    anchorIndex: -1,
    seq: 0,
    notice: null,
  };
}

/**
 * Adds or updates server messages (history pages, live events, send results).
 * Returns the same array when nothing changed.
 */
export function mergeServerMessages(
  messages: readonly ChatMessage[],
  incoming: readonly TransportMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return messages;
  const next = [...messages];
  for (const message of incoming) {
    let at = next.findIndex((m) => m.sid === message.sid);
    if (at < 0 && message.clientMessageId) at = next.findIndex((m) => m.clientMessageId === message.clientMessageId);
    if (at >= 0) next[at] = fromTransport(message, next[at]);
    else next.push(fromTransport(message, undefined));
  }
  return next.sort(compareMessages);
}

export interface OutgoingMessage {
  clientMessageId: string;
  author: string;
  authorName: string | null;
  body: string;
  createdAt: number;
}

/** The optimistic local copy of a message the visitor just sent. */
export function addOutgoingMessage(messages: readonly ChatMessage[], outgoing: OutgoingMessage): readonly ChatMessage[] {
  if (messages.some((m) => m.clientMessageId === outgoing.clientMessageId)) return messages;
  const message: ChatMessage = {
    key: keyFor('', outgoing.clientMessageId),
    sid: null,
    index: null,
    clientMessageId: outgoing.clientMessageId,
    role: 'visitor',
    author: outgoing.author,
    authorName: outgoing.authorName,
    body: outgoing.body,
    createdAt: outgoing.createdAt,
    delivery: 'sending',
    error: null,
    anchorIndex: maxServerIndex(messages),
    seq: nextSeq(messages),
    notice: null,
  };
  return [...messages, message].sort(compareMessages);
}

function updateLocal(
  messages: readonly ChatMessage[],
  clientMessageId: string,
  from: DeliveryState,
  change: Partial<ChatMessage>,
): readonly ChatMessage[] {
  const at = messages.findIndex((m) => m.clientMessageId === clientMessageId && m.delivery === from);
  if (at < 0) return messages;
  const next = [...messages];
  next[at] = { ...next[at]!, ...change };
  return next;
}

/** A send failed. Ignored when the server copy has already arrived (then it was sent). */
export function markFailed(messages: readonly ChatMessage[], clientMessageId: string, error: string): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'sending', { delivery: 'failed', error });
}

/** A failed message is being sent again. */
export function markRetrying(messages: readonly ChatMessage[], clientMessageId: string): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'failed', { delivery: 'sending', error: null });
}

/** Every message still on its way becomes failed (e.g. the session ended or broke). */
export function failPending(messages: readonly ChatMessage[], error: string): readonly ChatMessage[] {
  if (!messages.some((m) => m.delivery === 'sending')) return messages;
  return messages.map((m) => (m.delivery === 'sending' ? { ...m, delivery: 'failed' as const, error } : m));
}

/** A local system notice such as "Ana joined the chat", optionally about a participant. */
export function addNotice(
  messages: readonly ChatMessage[],
  body: string,
  createdAt: number,
  about?: { kind: NoticeKind; identity: string },
): readonly ChatMessage[] {
  const seq = nextSeq(messages);
  const notice: ChatMessage = {
    key: `n:${seq}`,
    sid: null,
    index: null,
    clientMessageId: null,
    role: 'system',
    author: about?.identity ?? '',
    authorName: null,
    body,
    createdAt,
    delivery: null,
    error: null,
    anchorIndex: maxServerIndex(messages),
    seq,
    notice: about?.kind ?? null,
  };
  return [...messages, notice].sort(compareMessages);
}

/** Rewrites the notices about `identity`, e.g. once its display name is known. */
export function rewriteNotices(
  messages: readonly ChatMessage[],
  identity: string,
  text: (kind: NoticeKind) => string,
): readonly ChatMessage[] {
  if (!messages.some((m) => m.notice !== null && m.author === identity)) return messages;
  return messages.map((m) => (m.notice !== null && m.author === identity ? { ...m, body: text(m.notice) } : m));
}

export function findByClientMessageId(messages: readonly ChatMessage[], clientMessageId: string): ChatMessage | undefined {
  return messages.find((m) => m.clientMessageId === clientMessageId);
}
