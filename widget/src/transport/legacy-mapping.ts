// Pure mapping from twilio-chat (legacy Flex Programmable Chat) objects to
// transport data, written against structural shapes so it is testable without
// the SDK and never pulls the SDK into another chunk.
import type { MessageAuthorRole, TransportAttachment, TransportMessage, TransportParticipant } from './chat-transport.ts';
import { buildTransportMessage, memberTypeOf } from './conversations-mapping.ts';

export interface LegacyMediaLike {
  readonly sid: string;
  readonly filename: string | null;
  readonly contentType: string;
  readonly size: number;
}

export interface LegacyMessageLike {
  readonly sid: string;
  readonly index: number;
  readonly author: string | null;
  readonly body: string | null;
  readonly dateCreated: Date | null;
  readonly attributes: unknown;
  /** 'text' or 'media': legacy messages carry one file and no text. */
  readonly type?: string;
  readonly media?: LegacyMediaLike | null;
}

export interface LegacyMemberLike {
  readonly sid: string;
  readonly identity: string | null;
  readonly attributes?: unknown;
  readonly lastConsumedMessageIndex?: number | null;
}

export interface LegacyChannelLike {
  readonly attributes: unknown;
  readonly state?: { current: 'active' | 'inactive' | 'closed' } | undefined;
}

export function toLegacyAttachments(message: LegacyMessageLike): TransportAttachment[] {
  const media = message.type === 'media' ? message.media : null;
  return media ? [{ sid: media.sid, filename: media.filename ?? null, contentType: media.contentType, size: media.size }] : [];
}

export function toLegacyMessage(
  message: LegacyMessageLike,
  ownIdentity: string,
  names: ReadonlyMap<string, string>,
  fallbackNow: () => number = Date.now,
): TransportMessage {
  return buildTransportMessage(message, toLegacyAttachments(message), ownIdentity, names, fallbackNow);
}

export function toLegacyParticipant(member: LegacyMemberLike, ownIdentity: string, names: ReadonlyMap<string, string>): TransportParticipant {
  const identity = member.identity ?? member.sid;
  const role: MessageAuthorRole = identity === ownIdentity || memberTypeOf(member.attributes) === 'guest' ? 'visitor' : 'agent';
  const mapped: TransportParticipant = { identity, role };
  const name = names.get(identity);
  if (name !== undefined) mapped.displayName = name;
  if (member.lastConsumedMessageIndex !== undefined) mapped.lastReadIndex = member.lastConsumedMessageIndex;
  return mapped;
}

/**
 * Legacy Flex ends a web chat by marking the channel INACTIVE in its attributes
 * (`{ status: 'INACTIVE' }`) when the agent wraps up; newer services also move
 * the channel state. Either one means the chat is over for the visitor.
 */
export function legacyChannelEnded(channel: LegacyChannelLike): boolean {
  const attributes = channel.attributes;
  const status =
    typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes)
      ? (attributes as Record<string, unknown>).status
      : undefined;
  if (typeof status === 'string' && status.toUpperCase() === 'INACTIVE') return true;
  const state = channel.state?.current;
  return state === 'inactive' || state === 'closed';
}
