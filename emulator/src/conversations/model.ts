import { EventEmitter } from 'node:events';
import { newSid } from '../ids.ts';
import type { SyncObject, SyncStore } from '../sync/sync-store.ts';
import { checkFriendlyName, checkIdentity, checkMessageBody, checkUniqueName } from './limits.ts';
import { ModelError } from './model-error.ts';

export { ModelError } from './model-error.ts';

// The Conversations service: conversations, participants, messages and users,
// kept in Sync objects exactly where the client SDK looks for them.

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
}

export interface Conversation {
  sid: string;
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
  identity: string;
  friendlyName: string | null;
  attributes: Record<string, unknown>;
  infoMap: SyncObject;
  myConversations: SyncObject;
}

export interface ModelEvents {
  conversationCreated: [Conversation];
  messageAdded: [Conversation, Message];
  participantAdded: [Conversation, Participant];
  participantRemoved: [Conversation, Participant];
  typing: [Conversation, Participant];
  readHorizon: [Conversation, Participant];
  stateChanged: [Conversation];
  conversationRemoved: [Conversation];
}

export class ConversationsModel extends EventEmitter<ModelEvents> {
  readonly conversations = new Map<string, Conversation>();
  readonly users = new Map<string, User>();

  constructor(
    private readonly sync: SyncStore,
    readonly serviceSid: string,
  ) {
    super();
  }

  /** Forgets all conversations and users (fault API reset). */
  clear(): void {
    this.conversations.clear();
    this.users.clear();
  }

  ensureUser(identity: string, friendlyName?: string): User {
    const existing = this.users.get(identity);
    if (existing) {
      if (friendlyName !== undefined && friendlyName !== existing.friendlyName) {
        existing.friendlyName = friendlyName;
        this.sync.writeItem(existing.infoMap, 'friendlyName', { value: friendlyName });
      }
      return existing;
    }
    const infoMap = this.sync.create('map', `${identity}.userInfo`, 'everyone');
    const myConversations = this.sync.create('map', `${identity}.myConversations`, new Set([identity]));
    const user: User = { identity, friendlyName: friendlyName ?? null, attributes: {}, infoMap, myConversations };
    this.sync.writeItem(infoMap, 'friendlyName', { value: user.friendlyName });
    this.sync.writeItem(infoMap, 'attributes', { value: '{}' });
    this.sync.writeItem(infoMap, 'reachability', { online: false, notifiable: false });
    this.users.set(identity, user);
    return user;
  }

  createConversation(input: { friendlyName?: string; uniqueName?: string; attributes?: Record<string, unknown>; createdBy?: string }): Conversation {
    if (input.friendlyName !== undefined) checkFriendlyName(input.friendlyName);
    if (input.uniqueName) checkUniqueName(input.uniqueName);
    if (input.uniqueName && [...this.conversations.values()].some((c) => c.uniqueName === input.uniqueName)) {
      throw new ModelError(409, 50353, `Conversation with provided unique name already exists`);
    }
    const sid = newSid('CH');
    const readers = new Set<string>();
    const now = new Date().toISOString();
    const messageList = this.sync.create('list', `${sid}.messages`, readers);
    const roster = this.sync.create('map', `${sid}.roster`, readers);
    const document = this.sync.create('document', `${sid}.channel`, readers);
    const conversation: Conversation = {
      sid,
      uniqueName: input.uniqueName ?? null,
      friendlyName: input.friendlyName ?? '',
      attributes: input.attributes ?? {},
      state: 'active',
      stateUpdatedAt: now,
      createdBy: input.createdBy ?? 'system',
      dateCreated: now,
      dateUpdated: now,
      participants: new Map(),
      messages: [],
      document,
      messageList,
      roster,
    };
    this.conversations.set(sid, conversation);
    this.publishDocument(conversation);
    this.emit('conversationCreated', conversation);
    return conversation;
  }

  get(sid: string): Conversation {
    const conversation = this.conversations.get(sid);
    if (!conversation) throw new ModelError(404, 20404, `The requested resource /Conversations/${sid} was not found`);
    return conversation;
  }

  /** Twilio: a closed conversation "can't be used for chatting anymore" and cannot change (50377). */
  private refuseClosed(conversation: Conversation): void {
    if (conversation.state === 'closed') throw new ModelError(409, 50377, "Can't update conversation as it's in final closed state");
  }

  findParticipant(conversation: Conversation, identity: string): Participant | undefined {
    for (const participant of conversation.participants.values()) {
      if (participant.identity === identity) return participant;
    }
    return undefined;
  }

  requireParticipant(conversation: Conversation, identity: string): Participant {
    const participant = this.findParticipant(conversation, identity);
    if (!participant) throw new ModelError(403, 50107, `User ${identity} is not a participant of conversation ${conversation.sid}`);
    return participant;
  }

  addParticipant(conversation: Conversation, input: { identity: string; role: ParticipantRole; friendlyName?: string; attributes?: Record<string, unknown> }): Participant {
    this.refuseClosed(conversation);
    checkIdentity(input.identity);
    if (this.findParticipant(conversation, input.identity)) {
      throw new ModelError(409, 50433, 'Participant already exists');
    }
    const user = this.ensureUser(input.identity, input.friendlyName);
    const now = new Date().toISOString();
    const participant: Participant = {
      sid: newSid('MB'),
      identity: input.identity,
      role: input.role,
      attributes: input.attributes ?? {},
      lastReadMessageIndex: null,
      lastReadAt: null,
      dateCreated: now,
      dateUpdated: now,
    };
    conversation.participants.set(participant.sid, participant);
    for (const object of [conversation.document, conversation.messageList, conversation.roster]) {
      if (object.readers !== 'everyone') object.readers.add(input.identity);
    }
    this.sync.writeItem(conversation.roster, participant.sid, this.rosterItem(participant, user));
    this.publishMembership(conversation, participant, user);
    this.emit('participantAdded', conversation, participant);
    return participant;
  }

  removeParticipant(conversation: Conversation, participant: Participant): void {
    conversation.participants.delete(participant.sid);
    this.sync.removeItem(conversation.roster, participant.sid);
    const user = this.users.get(participant.identity);
    if (user) this.sync.removeItem(user.myConversations, conversation.sid);
    for (const object of [conversation.document, conversation.messageList, conversation.roster]) {
      if (object.readers !== 'everyone') object.readers.delete(participant.identity);
    }
    this.emit('participantRemoved', conversation, participant);
  }

  postMessage(conversation: Conversation, input: { author: string; body: string; attributes?: Record<string, unknown>; media?: MediaRef[] }): Message {
    this.refuseClosed(conversation);
    checkMessageBody(input.body);
    const participant = this.findParticipant(conversation, input.author);
    const now = new Date().toISOString();
    const message: Message = {
      sid: newSid('IM'),
      index: conversation.messageList.nextIndex,
      author: input.author,
      body: input.body,
      attributes: input.attributes ?? {},
      participantSid: participant?.sid ?? null,
      dateCreated: now,
      dateUpdated: now,
      media: input.media ?? [],
    };
    conversation.messages.push(message);
    this.sync.appendListItem(conversation.messageList, this.messageItem(message));
    conversation.dateUpdated = now;
    this.publishDocument(conversation);
    this.emit('messageAdded', conversation, message);
    if (participant) this.setReadHorizon(conversation, participant, message.index);
    return message;
  }

  setReadHorizon(conversation: Conversation, participant: Participant, index: number): number {
    const lastIndex = conversation.messages.length - 1;
    const clamped = Math.max(-1, Math.min(index, lastIndex));
    if (participant.lastReadMessageIndex === null || clamped > participant.lastReadMessageIndex) {
      participant.lastReadMessageIndex = clamped;
      participant.lastReadAt = new Date().toISOString();
      participant.dateUpdated = participant.lastReadAt;
      const user = this.ensureUser(participant.identity);
      this.sync.writeItem(conversation.roster, participant.sid, this.rosterItem(participant, user));
      this.publishMembership(conversation, participant, user);
      this.emit('readHorizon', conversation, participant);
    }
    return this.unreadCount(conversation, participant);
  }

  unreadCount(conversation: Conversation, participant: Participant): number {
    const lastIndex = conversation.messages.length - 1;
    return Math.max(0, lastIndex - (participant.lastReadMessageIndex ?? -1));
  }

  typing(conversation: Conversation, identity: string): void {
    const participant = this.requireParticipant(conversation, identity);
    this.emit('typing', conversation, participant);
  }

  setState(conversation: Conversation, state: ConversationState): void {
    this.refuseClosed(conversation);
    if (conversation.state === state) return;
    conversation.state = state;
    conversation.stateUpdatedAt = new Date().toISOString();
    conversation.dateUpdated = conversation.stateUpdatedAt;
    this.publishDocument(conversation);
    this.emit('stateChanged', conversation);
  }

  updateAttributes(conversation: Conversation, attributes: Record<string, unknown>): void {
    this.refuseClosed(conversation);
    conversation.attributes = attributes;
    conversation.dateUpdated = new Date().toISOString();
    this.publishDocument(conversation);
    for (const participant of conversation.participants.values()) {
      this.publishMembership(conversation, participant, this.ensureUser(participant.identity));
    }
  }

  /** What GET my-conversations and the my_conversations map say about one membership. */
  membershipDescriptor(conversation: Conversation, participant: Participant): Record<string, unknown> {
    return {
      conversation_sid: conversation.sid,
      status: 'joined',
      last_read_message_index: participant.lastReadMessageIndex,
      last_consumed_message_index: participant.lastReadMessageIndex,
      notification_level: 'default',
      unique_name: conversation.uniqueName,
      friendly_name: conversation.friendlyName,
      attributes: JSON.stringify(conversation.attributes),
      date_created: conversation.dateCreated,
      date_updated: conversation.dateUpdated,
      created_by: conversation.createdBy,
      sync_objects: this.syncObjectNames(conversation),
    };
  }

  syncObjectNames(conversation: Conversation): Record<string, string> {
    return {
      conversation: conversation.document.uniqueName,
      messages: conversation.messageList.uniqueName,
      participants: conversation.roster.uniqueName,
    };
  }

  private publishMembership(conversation: Conversation, participant: Participant, user: User): void {
    this.sync.writeItem(user.myConversations, conversation.sid, {
      status: 'joined',
      channel: conversation.document.uniqueName,
      messages: conversation.messageList.uniqueName,
      roster: conversation.roster.uniqueName,
      lastConsumedMessageIndex: participant.lastReadMessageIndex,
      notificationLevel: 'default',
      friendlyName: conversation.friendlyName,
      uniqueName: conversation.uniqueName,
      attributes: conversation.attributes,
      dateCreated: conversation.dateCreated,
      dateUpdated: conversation.dateUpdated,
      createdBy: conversation.createdBy,
    });
  }

  private publishDocument(conversation: Conversation): void {
    const last = conversation.messages.at(-1);
    this.sync.setDocument(conversation.document, {
      messages: conversation.messageList.uniqueName,
      roster: conversation.roster.uniqueName,
      friendlyName: conversation.friendlyName,
      uniqueName: conversation.uniqueName,
      attributes: conversation.attributes,
      createdBy: conversation.createdBy,
      dateCreated: conversation.dateCreated,
      dateUpdated: conversation.dateUpdated,
      state: { current: conversation.state, dateUpdated: conversation.stateUpdatedAt },
      ...(last ? { lastMessage: { index: last.index, timestamp: last.dateCreated } } : {}),
    });
  }

  private rosterItem(participant: Participant, user: User): Record<string, unknown> {
    return {
      identity: participant.identity,
      roleSid: null,
      type: 'chat',
      attributes: JSON.stringify(participant.attributes),
      userInfo: user.infoMap.uniqueName,
      lastConsumedMessageIndex: participant.lastReadMessageIndex,
      lastConsumptionTimestamp: participant.lastReadAt,
      dateCreated: participant.dateCreated,
      dateUpdated: participant.dateUpdated,
    };
  }

  private messageItem(message: Message): Record<string, unknown> {
    return {
      sid: message.sid,
      author: message.author,
      text: message.body,
      type: message.media.length ? 'media' : 'text',
      attributes: JSON.stringify(message.attributes),
      memberSid: message.participantSid,
      timestamp: message.dateCreated,
      dateUpdated: message.dateUpdated,
      // Conversations reads "medias"; twilio-chat reads the single "media".
      ...(message.media.length ? { medias: message.media.map((m) => ({ ...m })), media: { ...message.media[0] } } : {}),
    };
  }

  // ---------------------------------------------------------------------------
  // Added for the Twilio REST surface (src/rest/conversations-v1.ts and the Flex
  // channel resources in src/flex/): rename and delete a conversation.
  // ---------------------------------------------------------------------------

  /** Finds a conversation by SID or unique name, as Twilio's REST paths allow. */
  findConversation(sidOrUniqueName: string): Conversation | undefined {
    const bySid = this.conversations.get(sidOrUniqueName);
    if (bySid) return bySid;
    for (const conversation of this.conversations.values()) {
      if (conversation.uniqueName !== null && conversation.uniqueName === sidOrUniqueName) return conversation;
    }
    return undefined;
  }

  /** Changes the friendly and/or unique name; members' SDKs see the conversation document update. */
  renameConversation(conversation: Conversation, input: { friendlyName?: string; uniqueName?: string | null }): void {
    this.refuseClosed(conversation);
    if (input.friendlyName !== undefined) checkFriendlyName(input.friendlyName);
    if (input.uniqueName) checkUniqueName(input.uniqueName);
    if (input.uniqueName) {
      for (const other of this.conversations.values()) {
        if (other !== conversation && other.uniqueName === input.uniqueName) {
          throw new ModelError(409, 50353, 'Conversation with provided unique name already exists');
        }
      }
    }
    if (input.friendlyName !== undefined) conversation.friendlyName = input.friendlyName;
    if (input.uniqueName !== undefined) conversation.uniqueName = input.uniqueName || null;
    conversation.dateUpdated = new Date().toISOString();
    this.publishDocument(conversation);
    for (const participant of conversation.participants.values()) {
      this.publishMembership(conversation, participant, this.ensureUser(participant.identity));
    }
  }

  /**
   * Deletes a conversation: every participant is removed first (their SDKs get
   * participantLeft / conversationLeft), then the conversation is forgotten.
   */
  deleteConversation(conversation: Conversation): void {
    for (const participant of [...conversation.participants.values()]) this.removeParticipant(conversation, participant);
    this.conversations.delete(conversation.sid);
    this.emit('conversationRemoved', conversation);
  }
}
