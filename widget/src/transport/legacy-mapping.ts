// Pure mapping from twilio-chat (legacy Flex Programmable Chat) objects to
// transport data, written against structural shapes so it is testable without
// the SDK and never pulls the SDK into another chunk.
import type { TransportAttachment, TransportMessage, TransportParticipant } from './chat-transport.ts';
import {
  attributeObject,
  buildTransportMessage,
  buildTransportParticipant,
  type SdkMediaLike,
  type SdkMessageLike,
  type SdkParticipantLike,
} from './conversations-mapping.ts';

export type LegacyMediaLike = Omit<SdkMediaLike, 'category'>;

export interface LegacyMessageLike extends Omit<SdkMessageLike, 'attachedMedia'> {
  /** 'text' or 'media': legacy messages carry one file and no text. */
  readonly type?: string;
  readonly media?: LegacyMediaLike | null;
}

export interface LegacyMemberLike extends Omit<SdkParticipantLike, 'lastReadMessageIndex'> {
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
  return buildTransportParticipant(member, member.lastConsumedMessageIndex, ownIdentity, names);
}

/**
 * Legacy Flex ends a web chat by marking the channel INACTIVE in its attributes
 * (`{ status: 'INACTIVE' }`) when the agent wraps up; newer services also move
 * the channel state. Either one means the chat is over for the visitor.
 */
export function legacyChannelEnded(channel: LegacyChannelLike): boolean {
  const status = attributeObject(channel.attributes)?.status;
  if (typeof status === 'string' && status.toUpperCase() === 'INACTIVE') return true;
  const state = channel.state?.current;
  return state === 'inactive' || state === 'closed';
}
