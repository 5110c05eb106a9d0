// Local system notices in the message list ("Ana joined the chat", queue position,
// chat ended): added after the newest server message, replaced in place, rewritten
// once a name is known. Pure functions over the list, like messages.ts.
import { compareMessages, maxServerIndex, nextSeq, type ChatMessage, type NoticeKind } from './messages.ts';

/**
 * A local system notice such as "Ana joined the chat", optionally about a participant.
 * It sits after the newest server message, or after `afterIndex` when given (e.g. just
 * before the first message of an agent who joined before the history was loaded).
 */
export function addNotice(
  messages: readonly ChatMessage[],
  body: string,
  createdAt: number,
  about?: { kind: NoticeKind; identity: string },
  afterIndex?: number,
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
    anchorIndex: afterIndex ?? maxServerIndex(messages),
    seq,
    notice: about?.kind ?? null,
    attachments: [],
    progress: null,
    partOf: null,
  };
  return [...messages, notice].sort(compareMessages);
}

/** The one notice of `kind` (e.g. queue position): its text replaced in place, else added; `null` removes it. */
export function upsertNotice(
  messages: readonly ChatMessage[],
  kind: NoticeKind,
  body: string | null,
  createdAt: number,
): readonly ChatMessage[] {
  const at = messages.findIndex((m) => m.role === 'system' && m.notice === kind);
  if (body === null) return at < 0 ? messages : messages.filter((_, i) => i !== at);
  if (at < 0) return addNotice(messages, body, createdAt, { kind, identity: '' });
  if (messages[at]!.body === body) return messages;
  const next = [...messages];
  next[at] = { ...next[at]!, body };
  return next;
}

/** Rewrites the notices about `identity`, e.g. once its display name is known. */
export function rewriteNotices(
  messages: readonly ChatMessage[],
  identity: string,
  text: (kind: NoticeKind) => string,
): readonly ChatMessage[] {
  const about = (m: ChatMessage) => (m.notice === 'joined' || m.notice === 'left') && m.author === identity;
  if (!messages.some(about)) return messages;
  return messages.map((m) => (about(m) ? { ...m, body: text(m.notice!) } : m));
}
