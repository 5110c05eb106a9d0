import { EventEmitter } from 'node:events';
import { newSid } from '../ids.ts';
import { readerOf, type SyncStore } from '../sync/sync-store.ts';
import { checkFriendlyName, checkIdentity, checkMessageBody, checkTextOrMedia, checkUniqueName } from './limits.ts';
import { ModelError } from './model-error.ts';
import { conversationDocument, membershipDescriptor, membershipItem, messageItem, rosterItem, syncObjectNames } from './sync-shapes.ts';
import type { Conversation, ConversationState, MediaRef, Message, ModelEvents, Participant, ParticipantRole, User } from './types.ts';

export { ModelError } from './model-error.ts';
export type { Conversation, ConversationState, MediaRef, Message, ModelEvents, Participant, ParticipantRole, User } from './types.ts';

// The Conversations service: conversations, participants, messages and users,
// kept in Sync objects exactly where the client SDK looks for them.

export class ConversationsModel extends EventEmitter<ModelEvents> {
  readonly conversations = new Map<string, Conversation>();
  /** By `readerOf(serviceSid, identity)`: each service has its own users. */
  private readonly users = new Map<string, User>();

  /** `serviceSid`: the default service, where REST-created conversations go. */
  constructor(
    private readonly sync: SyncStore,
    readonly serviceSid: string,
  ) {
    super();
  }

  user(serviceSid: string, identity: string): User | undefined {
    return this.users.get(readerOf(serviceSid, identity));
  }

  /** Forgets all conversations and users (fault API reset). */
  clear(): void {
    this.conversations.clear();
    this.users.clear();
  }

  ensureUser(serviceSid: string, identity: string, friendlyName?: string): User {
    const key = readerOf(serviceSid, identity);
    const existing = this.users.get(key);
    if (existing) {
      if (friendlyName !== undefined && friendlyName !== existing.friendlyName) {
        existing.friendlyName = friendlyName;
        this.sync.writeItem(existing.infoMap, 'friendlyName', { value: friendlyName });
      }
      return existing;
    }
    // Objects of the default service keep their plain names; another service's are prefixed with its SID.
    const prefix = serviceSid === this.serviceSid ? identity : `${serviceSid}.${identity}`;
    const infoMap = this.sync.create('map', `${prefix}.userInfo`, { everyoneIn: serviceSid });
    const myConversations = this.sync.create('map', `${prefix}.myConversations`, new Set([key]));
    const user: User = { serviceSid, identity, friendlyName: friendlyName ?? null, attributes: {}, infoMap, myConversations };
    this.sync.writeItem(infoMap, 'friendlyName', { value: user.friendlyName });
    this.sync.writeItem(infoMap, 'attributes', { value: '{}' });
    this.sync.writeItem(infoMap, 'reachability', { online: false, notifiable: false });
    this.users.set(key, user);
    return user;
  }

  createConversation(input: { serviceSid?: string; friendlyName?: string; uniqueName?: string; attributes?: Record<string, unknown>; createdBy?: string }): Conversation {
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
      serviceSid: input.serviceSid ?? this.serviceSid,
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
    const user = this.ensureUser(conversation.serviceSid, input.identity, input.friendlyName);
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
      if (object.readers instanceof Set) object.readers.add(readerOf(conversation.serviceSid, input.identity));
    }
    this.sync.writeItem(conversation.roster, participant.sid, rosterItem(participant, user));
    this.publishMembership(conversation, participant, user);
    this.emit('participantAdded', conversation, participant);
    return participant;
  }

  removeParticipant(conversation: Conversation, participant: Participant): void {
    conversation.participants.delete(participant.sid);
    this.sync.removeItem(conversation.roster, participant.sid);
    const user = this.user(conversation.serviceSid, participant.identity);
    if (user) this.sync.removeItem(user.myConversations, conversation.sid);
    for (const object of [conversation.document, conversation.messageList, conversation.roster]) {
      if (object.readers instanceof Set) object.readers.delete(readerOf(conversation.serviceSid, participant.identity));
    }
    this.emit('participantRemoved', conversation, participant);
  }

  postMessage(conversation: Conversation, input: { author: string; body: string; attributes?: Record<string, unknown>; media?: MediaRef[] }): Message {
    this.refuseClosed(conversation);
    checkMessageBody(input.body);
    checkTextOrMedia(input.body, input.media?.length ?? 0);
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
    this.sync.appendListItem(conversation.messageList, messageItem(message));
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
      const user = this.ensureUser(conversation.serviceSid, participant.identity);
      this.sync.writeItem(conversation.roster, participant.sid, rosterItem(participant, user));
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
      this.publishMembership(conversation, participant, this.ensureUser(conversation.serviceSid, participant.identity));
    }
  }

  /** What GET my-conversations and the my_conversations map say about one membership. */
  membershipDescriptor(conversation: Conversation, participant: Participant): Record<string, unknown> {
    return membershipDescriptor(conversation, participant);
  }

  syncObjectNames(conversation: Conversation): Record<string, string> {
    return syncObjectNames(conversation);
  }

  private publishMembership(conversation: Conversation, participant: Participant, user: User): void {
    this.sync.writeItem(user.myConversations, conversation.sid, membershipItem(conversation, participant));
  }

  private publishDocument(conversation: Conversation): void {
    this.sync.setDocument(conversation.document, conversationDocument(conversation));
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
      this.publishMembership(conversation, participant, this.ensureUser(conversation.serviceSid, participant.identity));
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
