import type { SyncObject } from '../sync/sync-store.ts';

// The Conversations service's records, as the model keeps them.

export type ConversationState = 'active' | 'inactive' | 'closed';
export type ParticipantRole = 'customer' | 'agent' | 'system';

export interface Participant {
  sid: string;
  identity: string;
  role: ParticipantRole;
  attributes: Record<string, unknown>;
  lastReadMessageIndex: number | null;
  lastReadAt: string | null;
  dateCreated: string;
  dateUpdated: string;
}

export interface MediaRef {
  sid: string;
  category: string;
  filename: string | null;
  contentType: string;
  size: number;
}

export interface Message {
  sid: string;
  index: number;
  author: string;
  body: string;
  attributes: Record<string, unknown>;
  participantSid: string | null;
  dateCreated: string;
  dateUpdated: string;
  media: MediaRef[];
  /** HX… when made from a Content template (its rich data is a "body" media). */
  contentSid?: string;
}

export interface Conversation {
  sid: string;
  /** The Conversations service (IS…) it belongs to; only users of that service reach it. */
  serviceSid: string;
  uniqueName: string | null;
  friendlyName: string;
  attributes: Record<string, unknown>;
  state: ConversationState;
  stateUpdatedAt: string;
  createdBy: string;
  dateCreated: string;
  dateUpdated: string;
  participants: Map<string, Participant>;
  messages: Message[];
  document: SyncObject;
  messageList: SyncObject;
  roster: SyncObject;
}

export interface User {
  /** US…, as the REST Users resource names it. */
  sid: string;
  serviceSid: string;
  identity: string;
  friendlyName: string | null;
  attributes: Record<string, unknown>;
  infoMap: SyncObject;
  myConversations: SyncObject;
  dateCreated: string;
  dateUpdated: string;
}

export interface ModelEvents {
  conversationCreated: [Conversation];
  messageAdded: [Conversation, Message];
  messageUpdated: [Conversation, Message];
  messageRemoved: [Conversation, Message];
  participantAdded: [Conversation, Participant];
  participantRemoved: [Conversation, Participant];
  typing: [Conversation, Participant];
  readHorizon: [Conversation, Participant];
  stateChanged: [Conversation];
  conversationRemoved: [Conversation];
}
