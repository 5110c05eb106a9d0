// Pure mapping from @twilio/conversations objects to transport data. Written
// against structural shapes (the SDK's getters satisfy them) so it is testable
// without loading the SDK, and so this module never pulls the SDK into a chunk.
import { richAnswerAttributes, type RichAnswer } from '../../../contracts/rich-answer.ts';
import {
  TransportError,
  type ConnectionState,
  type MessageAuthorRole,
  type TransportAttachment,
  type RefusalReason,
  type TransportErrorCode,
  type TransportMessage,
  type TransportParticipant,
} from './chat-transport.ts';

export interface SdkMediaLike {
  readonly sid: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
  /** 'media' for attachments; email bodies and histories are other categories. */
  readonly category?: string;
}

export interface SdkMessageLike {
  readonly sid: string;
  readonly index: number;
  readonly author: string | null;
  readonly body: string | null;
  readonly dateCreated: Date | null;
  readonly attributes: unknown;
  readonly attachedMedia?: ReadonlyArray<SdkMediaLike> | null;
}

export interface SdkParticipantLike {
  readonly sid: string;
  readonly identity: string | null;
  readonly attributes?: unknown;
  readonly lastReadMessageIndex?: number | null;
}

/** The attribute key under which the widget stores its clientMessageId. */
export const clientMessageIdAttribute = 'clientMessageId';
/** The clientMessageId of the message this one was sent with (a file after its text). */
export const partOfAttribute = 'partOf';

/** The attributes the widget sets on a message it sends: its clientMessageId, and what it goes with or answers. */
export function sendAttributes(clientMessageId: string, partOf: string | undefined, answer?: RichAnswer): Record<string, string> {
  return {
    [clientMessageIdAttribute]: clientMessageId,
    ...(partOf !== undefined ? { [partOfAttribute]: partOf } : {}),
    ...(answer !== undefined ? richAnswerAttributes(answer) : {}),
  };
}

/** Flex takes text or a file per message: the session splits them, this guards the rule. */
export function assertTextOrFile(body: string, hasFile: boolean): void {
  if (hasFile && body !== '') throw new TransportError('rejected', 'A message carries text or a file, not both');
}

export function clientMessageIdOf(attributes: unknown): string | undefined {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return undefined;
  const value = (attributes as Record<string, unknown>)[clientMessageIdAttribute];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function roleOf(author: string | null, ownIdentity: string): MessageAuthorRole {
  if (author === null || author === '' || author === 'system') return 'system';
  return author === ownIdentity ? 'visitor' : 'agent';
}

export function attributeObject(attributes: unknown): Record<string, unknown> | null {
  return typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)
    ? (attributes as Record<string, unknown>)
    : null;
}

/** Flex marks participants with `attributes.member_type` ('agent', 'guest', …). */
export function memberTypeOf(attributes: unknown): string | undefined {
  const value = attributeObject(attributes)?.member_type;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Queue position from conversation attributes `{ queue: { position } }`: a
 * positive integer while waiting, null when absent (routed, or not reported).
 */
export function queuePositionOf(attributes: unknown): number | null {
  const queue = attributeObject(attributeObject(attributes)?.queue);
  const position = queue?.position;
  return typeof position === 'number' && Number.isInteger(position) && position > 0 ? position : null;
}

export function toTransportAttachments(media: ReadonlyArray<SdkMediaLike> | null | undefined): TransportAttachment[] {
  return (media ?? [])
    .filter((m) => m.category === undefined || m.category === 'media')
    .map((m) => ({ sid: m.sid, filename: m.filename, contentType: m.contentType, size: m.size }));
}

export function toTransportMessage(
  message: SdkMessageLike,
  ownIdentity: string,
  names: ReadonlyMap<string, string>,
  fallbackNow: () => number = Date.now,
): TransportMessage {
  return buildTransportMessage(message, toTransportAttachments(message.attachedMedia), ownIdentity, names, fallbackNow);
}

/** The message fields both SDKs share, mapped once; each SDK brings its own attachments. */
export function buildTransportMessage(
  message: Omit<SdkMessageLike, 'attachedMedia'>,
  attachments: TransportAttachment[],
  ownIdentity: string,
  names: ReadonlyMap<string, string>,
  fallbackNow: () => number = Date.now,
): TransportMessage {
  const author = message.author ?? '';
  const mapped: TransportMessage = {
    sid: message.sid,
    index: message.index,
    author,
    role: roleOf(message.author, ownIdentity),
    body: message.body ?? '',
    createdAt: message.dateCreated?.getTime() ?? fallbackNow(),
  };
  const name = names.get(author);
  if (name !== undefined) mapped.authorName = name;
  const clientMessageId = clientMessageIdOf(message.attributes);
  if (clientMessageId !== undefined) mapped.clientMessageId = clientMessageId;
  const partOf = attributeObject(message.attributes)?.[partOfAttribute];
  if (typeof partOf === 'string' && partOf !== '') mapped.partOf = partOf;
  if (attachments.length > 0) mapped.attachments = attachments;
  return mapped;
}

export function toTransportParticipant(
  participant: SdkParticipantLike,
  ownIdentity: string,
  names: ReadonlyMap<string, string>,
): TransportParticipant {
  return buildTransportParticipant(participant, participant.lastReadMessageIndex, ownIdentity, names);
}

/** The participant fields both SDKs share, mapped once; each SDK names its read horizon differently. */
export function buildTransportParticipant(
  participant: Omit<SdkParticipantLike, 'lastReadMessageIndex'>,
  lastReadIndex: number | null | undefined,
  ownIdentity: string,
  names: ReadonlyMap<string, string>,
): TransportParticipant {
  // Non-chat participants (SMS, WhatsApp) have no identity; their sid stands in.
  const identity = participant.identity ?? participant.sid;
  const memberType = memberTypeOf(participant.attributes);
  // Own identity is the visitor; Flex's `member_type` tells agents from other guests; unknown others count as agents.
  const role: MessageAuthorRole = identity === ownIdentity ? 'visitor' : memberType === 'guest' ? 'visitor' : 'agent';
  const mapped: TransportParticipant = { identity, role };
  const name = names.get(identity);
  if (name !== undefined) mapped.displayName = name;
  if (lastReadIndex !== undefined) mapped.lastReadIndex = lastReadIndex;
  return mapped;
}

/** Twilsock's connection states folded onto the transport's. */
export function toConnectionState(state: string): ConnectionState {
  switch (state) {
    case 'connected':
      return 'connected';
    case 'disconnecting':
      return 'disconnecting';
    case 'disconnected':
    case 'error':
      return 'disconnected';
    case 'denied':
      return 'denied';
    default: // 'connecting', 'retrying', 'unknown'
      return 'connecting';
  }
}

// Twilio's error dictionary: 50504 message body too long, 50512 media too large,
// 50511 invalid media content type. HTTP 413/415 say the same where no code comes.
const refusalByTwilioCode: Readonly<Record<number, RefusalReason>> = { 50504: 'too-long', 50512: 'file-too-large', 50511: 'file-type' };
const refusalByStatus: Readonly<Record<number, RefusalReason>> = { 413: 'file-too-large', 415: 'file-type' };

/**
 * SDK errors carry an HTTP-like `status` (and sometimes a Twilio `code`).
 * 408 (timeout) and 429 (too many requests) are passing troubles, not refusals.
 */
export function toTransportError(error: unknown, fallback: TransportErrorCode, context: string): TransportError {
  if (error instanceof TransportError) return error;
  const fields = typeof error === 'object' && error !== null ? (error as { status?: unknown; code?: unknown }) : {};
  const status = fields.status;
  const message = error instanceof Error ? error.message : String(error);
  let code = fallback;
  if (status === 401 || status === 403) code = 'auth';
  else if (status === 404) code = 'not-found';
  else if (status === 408 || status === 429) code = 'network';
  else if (typeof status === 'number' && status >= 400 && status < 500) code = 'rejected';
  else if (typeof status === 'number' && status >= 500) code = 'network';
  const reason =
    code !== 'rejected'
      ? undefined
      : ((typeof fields.code === 'number' ? refusalByTwilioCode[fields.code] : undefined) ?? (typeof status === 'number' ? refusalByStatus[status] : undefined));
  return new TransportError(code, `${context}: ${message}`, error, reason);
}
