// The message list as plain data, and the pure functions that change it.
//
// Ordering: messages the server has (they carry an `index`) are ordered by index.
// Local-only entries have no index: a visitor message still on its way (or
// failed) stays at the bottom in the order it was typed; a system notice (e.g.
// "Ana joined") sits after the server message that was newest when it was made.
// Deduplication: a server copy replaces the entry with the same sid, or failing
// that the entry with the same clientMessageId (the optimistic local copy).
import type { RichAnswer } from '../../../contracts/rich-answer.ts';
import type { RichContent } from '../../../contracts/rich-content.ts';
import type { MessageAuthorRole, TransportAttachment, TransportMessage } from '../transport/chat-transport.ts';

/**
 * Visitor messages: `queued` waits for the connection to come back (sent
 * automatically, once), `sending` is on its way, `failed` needs a Retry.
 * "Read" is not stored per message: it follows from the agents' read horizon.
 */
export type DeliveryState = 'queued' | 'sending' | 'sent' | 'failed';

/**
 * Why a visitor message ended "failed" (a code: the view words it). Only two
 * causes end a message: the service refused it (`refused`, or the specific
 * refusals below), or the chat it belonged to is over (`ended`). A transport
 * error never fails a message: it waits, queued, for the connection.
 */
export type SendFailure = 'refused' | 'too-long' | 'file-too-large' | 'file-type' | 'ended';

/**
 * What a local system notice is about: a participant joining or leaving (so its
 * text can follow a late display name), the queue position, or the end of the chat.
 */
export type NoticeKind = 'joined' | 'left' | 'queue' | 'ended';

/** A file on a message: from the server (`sid`) or still local (`previewUrl` for own images). */
export interface AttachmentInfo {
  sid: string | null;
  filename: string | null;
  contentType: string;
  size: number;
  /** blob: URL of the visitor's own image, for a preview before and after upload. */
  previewUrl: string | null;
}

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
  error: SendFailure | null;
  /** Local entries: the newest server index when the entry was made (-1 if none). */
  anchorIndex: number;
  /** Local entries: creation order among local entries. */
  seq: number;
  /** System notices made by the widget: what happened to participant `author`. */
  notice: NoticeKind | null;
  attachments: readonly AttachmentInfo[];
  /** Upload progress 0..1 while sending a file, when the SDK reports it. */
  progress: number | null;
  /** The clientMessageId of the message this one was sent with (a file after its text): shown together. */
  partOf: string | null;
  /** Server messages made from a Content template the widget draws (quick replies, links, a list, a card). */
  content?: RichContent | undefined;
  /** A visitor's message that answers one: the reply or list item picked, sent in its attributes. */
  answer?: RichAnswer | undefined;
}

function keyFor(sid: string, clientMessageId: string | undefined | null): string {
  return clientMessageId ? `c:${clientMessageId}` : `s:${sid}`;
}

// Sort keys: server messages by index; unsent visitor messages after everything;
// notices right after the server message that was newest when they were made.
// The "chat ended" notice always comes last.
const primary = (m: ChatMessage): number =>
  m.index !== null ? m.index : m.delivery !== null || m.notice === 'ended' ? Infinity : m.anchorIndex;

export function compareMessages(a: ChatMessage, b: ChatMessage): number {
  const ai = primary(a);
  const bi = primary(b);
  if (ai !== bi) return ai < bi ? -1 : 1;
  const at = a.index !== null ? 0 : 1;
  const bt = b.index !== null ? 0 : 1;
  if (at !== bt) return at - bt;
  return a.seq - b.seq;
}

/** Smallest server index in the list (the anchor for loading older history), or null. */
export function minServerIndex(messages: readonly ChatMessage[]): number | null {
  let min: number | null = null;
  for (const m of messages) if (m.index !== null && (min === null || m.index < min)) min = m.index;
  return min;
}

export function maxServerIndex(messages: readonly ChatMessage[]): number {
  let max = -1;
  for (const m of messages) if (m.index !== null && m.index > max) max = m.index;
  return max;
}

export function nextSeq(messages: readonly ChatMessage[]): number {
  let max = 0;
  for (const m of messages) if (m.seq > max) max = m.seq;
  return max + 1;
}

function attachmentsFrom(message: TransportMessage, existing: ChatMessage | undefined): AttachmentInfo[] {
  const incoming: readonly TransportAttachment[] = message.attachments ?? [];
  if (incoming.length === 0) return existing ? [...existing.attachments] : []; // e.g. a provisional copy
  return incoming.map((a, i) => ({
    sid: a.sid,
    filename: a.filename,
    contentType: a.contentType,
    size: a.size,
    // The visitor's own image keeps its local preview (same file, no download needed).
    previewUrl: existing?.attachments[i]?.previewUrl ?? null,
  }));
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
    attachments: attachmentsFrom(message, existing),
    progress: null,
    partOf: message.partOf ?? existing?.partOf ?? null,
    content: message.content,
  };
}

/** Adds or updates server messages (history pages, live events, send results); same array when nothing changed. */
export function mergeServerMessages(
  messages: readonly ChatMessage[],
  incoming: readonly TransportMessage[],
): readonly ChatMessage[] {
  if (incoming.length === 0) return messages;
  if (incoming.length === 1) return mergeOne(messages, incoming[0]!);
  const older = prependOlder(messages, incoming);
  if (older) return older;
  const next = [...messages];
  // Lookup tables instead of scans: lists may hold many thousands of messages.
  const bySid = new Map<string, number>();
  const byClientId = new Map<string, number>();
  next.forEach((m, i) => {
    if (m.sid !== null) bySid.set(m.sid, i);
    if (m.clientMessageId !== null) byClientId.set(m.clientMessageId, i);
  });
  let changed = false;
  for (const message of incoming) {
    let at = bySid.get(message.sid);
    if (at === undefined && message.clientMessageId) at = byClientId.get(message.clientMessageId);
    if (at !== undefined) {
      next[at] = fromTransport(message, next[at]);
    } else {
      at = next.push(fromTransport(message, undefined)) - 1;
    }
    bySid.set(message.sid, at);
    if (message.clientMessageId) byClientId.set(message.clientMessageId, at);
    changed = true;
  }
  return changed ? next.sort(compareMessages) : messages;
}

/**
 * A page of older history (every message new, all before the first entry): placed in
 * front, which is what merging and sorting would give, without sorting thousands of
 * entries. Null when the page is anything else.
 */
function prependOlder(messages: readonly ChatMessage[], incoming: readonly TransportMessage[]): readonly ChatMessage[] | null {
  const first = messages[0];
  if (first === undefined) return null;
  const before = primary(first);
  const clientIds = new Set<string>();
  for (const message of incoming) {
    if (!(message.index < before)) return null;
    if (message.clientMessageId) clientIds.add(message.clientMessageId);
  }
  // A copy of a local entry (matched by clientMessageId) replaces it: not a plain prepend.
  if (clientIds.size > 0 && messages.some((m) => m.clientMessageId !== null && clientIds.has(m.clientMessageId))) return null;
  const page = incoming.map((message) => fromTransport(message, undefined)).sort(compareMessages);
  for (let i = 1; i < page.length; i++) if (page[i]!.sid === page[i - 1]!.sid) return null; // the page repeats itself
  return [...page, ...messages];
}

/**
 * Position of the entry `message` replaces (same sid, else clientMessageId), or -1. Every
 * copy of it (server, provisional with its index, unsent local copy sorting last) is after
 * the newest server message older than it: a live message costs a step, not the history.
 */
export function indexOfCopy(messages: readonly ChatMessage[], message: TransportMessage): number {
  const clientId = message.clientMessageId;
  let byClientId = -1;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.sid === message.sid) return i;
    if (byClientId < 0 && clientId && m.clientMessageId === clientId) byClientId = i;
    if (m.index !== null && m.index < message.index) break;
  }
  return byClientId;
}

// One live message (the common case): found or placed by a short walk from the newest end.
function mergeOne(messages: readonly ChatMessage[], message: TransportMessage): readonly ChatMessage[] {
  const at = indexOfCopy(messages, message);
  const next = messages.slice();
  if (at >= 0) {
    // A local copy becoming the server's may move (from the bottom to its index).
    next[at] = fromTransport(message, next[at]);
    return next.sort(compareMessages);
  }
  const entry = fromTransport(message, undefined);
  let position = next.length;
  while (position > 0 && compareMessages(next[position - 1]!, entry) > 0) position--;
  next.splice(position, 0, entry);
  return next;
}

export interface OutgoingMessage {
  clientMessageId: string;
  author: string;
  authorName: string | null;
  body: string;
  createdAt: number;
  /** `queued` when it is typed while offline. Default `sending`. */
  delivery?: 'sending' | 'queued';
  attachments?: readonly AttachmentInfo[];
  partOf?: string;
  answer?: RichAnswer;
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
    delivery: outgoing.delivery ?? 'sending',
    error: null,
    anchorIndex: maxServerIndex(messages),
    seq: nextSeq(messages),
    notice: null,
    attachments: outgoing.attachments ?? [],
    progress: null,
    partOf: outgoing.partOf ?? null,
    answer: outgoing.answer,
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

/** The service refused a send. Ignored when the server copy has already arrived (then it was sent). */
export function markFailed(messages: readonly ChatMessage[], clientMessageId: string, error: SendFailure): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'sending', { delivery: 'failed', error });
}

/** A failed message is being sent again. */
export function markRetrying(messages: readonly ChatMessage[], clientMessageId: string): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'failed', { delivery: 'sending', error: null });
}

/** A queued message is now being sent. */
export function markDequeued(messages: readonly ChatMessage[], clientMessageId: string): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'queued', { delivery: 'sending', error: null });
}

/** A message on its way (or failed) waits for the connection instead. */
export function markQueued(messages: readonly ChatMessage[], clientMessageId: string): readonly ChatMessage[] {
  const sending = updateLocal(messages, clientMessageId, 'sending', { delivery: 'queued', error: null, progress: null });
  return sending !== messages ? sending : updateLocal(messages, clientMessageId, 'failed', { delivery: 'queued', error: null });
}

/** Upload progress of a message being sent. */
export function setProgress(messages: readonly ChatMessage[], clientMessageId: string, progress: number): readonly ChatMessage[] {
  return updateLocal(messages, clientMessageId, 'sending', { progress: Math.max(0, Math.min(1, progress)) });
}

const pending = (m: ChatMessage) => m.delivery === 'sending' || m.delivery === 'queued';

/** clientMessageIds of the messages not sent yet (sending or queued), in the order they were typed: the outbox. */
export function pendingIds(messages: readonly ChatMessage[]): string[] {
  return messages
    .filter((m) => pending(m) && m.clientMessageId !== null)
    .sort((a, b) => a.seq - b.seq)
    .map((m) => m.clientMessageId!);
}

/** Every message shown as "sending" waits for the connection instead, except `inFlight` (its own answer decides). */
export function queueUnsent(messages: readonly ChatMessage[], inFlight: string | null = null): readonly ChatMessage[] {
  const waiting = (m: ChatMessage) => m.delivery === 'sending' && m.clientMessageId !== inFlight;
  if (!messages.some(waiting)) return messages;
  return messages.map((m) => (waiting(m) ? { ...m, delivery: 'queued' as const, error: null, progress: null } : m));
}

/**
 * The lowest server index any unsent message may have landed at: the newest
 * index known when the oldest of them was typed (-1: none). A catch-up that
 * reads history down to here sees every copy the server may already have.
 */
export function unsentAnchor(messages: readonly ChatMessage[]): number | null {
  let anchor: number | null = null;
  for (const m of messages) if (pending(m) && (anchor === null || m.anchorIndex < anchor)) anchor = m.anchorIndex;
  return anchor;
}

/** Every message still on its way (or queued) becomes failed (the chat it belonged to is over). */
export function failPending(messages: readonly ChatMessage[], error: SendFailure): readonly ChatMessage[] {
  if (!messages.some(pending)) return messages;
  return messages.map((m) => (pending(m) ? { ...m, delivery: 'failed' as const, error, progress: null } : m));
}

/**
 * Puts `name` on the messages `identity` sent that carry none yet: a name belongs to
 * the messages its author sent, also once the author has left. Same array when none changed.
 */
export function nameAuthor(messages: readonly ChatMessage[], identity: string, name: string): readonly ChatMessage[] {
  const unnamed = (m: ChatMessage) => m.role === 'agent' && m.author === identity && m.authorName === null;
  if (!messages.some(unnamed)) return messages;
  return messages.map((m) => (unnamed(m) ? { ...m, authorName: name } : m));
}

/** Server index of the first message `identity` sent, or null. */
export function firstIndexBy(messages: readonly ChatMessage[], identity: string): number | null {
  for (const m of messages) if (m.index !== null && m.author === identity && m.role !== 'system') return m.index;
  return null;
}

export function findByClientMessageId(messages: readonly ChatMessage[], clientMessageId: string): ChatMessage | undefined {
  return messages.find((m) => m.clientMessageId === clientMessageId);
}
