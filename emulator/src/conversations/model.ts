import { EventEmitter } from 'node:events';
import { isoNow, newSid } from '../ids.ts';
import { readerOf, type SyncStore } from '../sync/sync-store.ts';
import { UserDirectory } from './users.ts';
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
  /** Each service has its own users. */
  readonly users: UserDirectory;

  /** `serviceSid`: the default service, where REST-created conversations go. */
  constructor(
    private readonly sync: SyncStore,
    readonly serviceSid: string,
  ) {
    super();
    this.users = new UserDirectory(sync, serviceSid);
  }

  user(serviceSid: string, identity: string): User | undefined {
    return this.users.get(serviceSid, identity);
  }

  /** Forgets all conversations and users (fault API reset). */
  clear(): void {
    this.conversations.clear();
    this.users.clear();
  }

  ensureUser(serviceSid: string, identity: string, friendlyName?: string): User {
    return this.users.ensure(serviceSid, identity, friendlyName);
  }

  createConversation(input: { serviceSid?: string; friendlyName?: string; uniqueName?: string; attributes?: Record<string, unknown>; createdBy?: string }): Conversation {
    if (input.friendlyName !== undefined) checkFriendlyName(input.friendlyName);
    if (input.uniqueName) checkUniqueName(input.uniqueName);
    if (input.uniqueName && [...this.conversations.values()].some((c) => c.uniqueName === input.uniqueName)) {
      throw new ModelError(409, 50353, `Conversation with provided unique name already exists`);
    }
    const sid = newSid('CH');
    const readers = new Set<string>();
    const now = isoNow();
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
    const now = isoNow();
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

  postMessage(conversation: Conversation, input: { author: string; body: string; attributes?: Record<string, unknown>; media?: MediaRef[]; contentSid?: string }): Message {
    this.refuseClosed(conversation);
    checkMessageBody(input.body);
    // A template's rich data travels as a "body" media next to its text (content/content-store.ts).
    if (input.contentSid === undefined) checkTextOrMedia(input.body, input.media?.length ?? 0);
    const participant = this.findParticipant(conversation, input.author);
    const now = isoNow();
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
      ...(input.contentSid !== undefined ? { contentSid: input.contentSid } : {}),
    };
    conversation.messages.push(message);
    this.sync.appendListItem(conversation.messageList, messageItem(message));
    conversation.dateUpdated = now;
    this.publishDocument(conversation);
    this.emit('messageAdded', conversation, message);
    if (participant) this.setReadHorizon(conversation, participant, message.index);
    return message;
  }

  /**
   * A REST edit of a message: its SDKs get messageUpdated. A media message's
   * body cannot change (50509); closed conversations do not change (50377).
   */
  updateMessage(conversation: Conversation, message: Message, input: { author?: string; body?: string; attributes?: Record<string, unknown> }): void {
    this.refuseClosed(conversation);
    if (input.body !== undefined) {
      checkMessageBody(input.body);
      if (message.media.length > 0 && input.body !== '') throw new ModelError(400, 50509, 'Media message body update not allowed');
    }
    if (input.author !== undefined) {
      message.author = input.author;
      message.participantSid = this.findParticipant(conversation, input.author)?.sid ?? null;
    }
    if (input.body !== undefined) message.body = input.body;
    if (input.attributes !== undefined) message.attributes = input.attributes;
    message.dateUpdated = isoNow();
    this.sync.writeItem(conversation.messageList, String(message.index), messageItem(message));
    this.emit('messageUpdated', conversation, message);
  }

  /** Deletes a message; the indexes of the others stay as they are, as on Twilio. */
  removeMessage(conversation: Conversation, message: Message): void {
    this.refuseClosed(conversation);
    conversation.messages = conversation.messages.filter((m) => m !== message);
    this.sync.removeItem(conversation.messageList, String(message.index));
    conversation.dateUpdated = isoNow();
    this.publishDocument(conversation);
    this.emit('messageRemoved', conversation, message);
  }

  /** A REST edit of a participant: attributes and read horizon (set as given, up or down). */
  updateParticipant(conversation: Conversation, participant: Participant, input: { attributes?: Record<string, unknown>; lastReadMessageIndex?: number | null; lastReadAt?: string }): void {
    this.refuseClosed(conversation);
    const now = isoNow();
    if (input.attributes !== undefined) participant.attributes = input.attributes;
    if (input.lastReadMessageIndex !== undefined) {
      participant.lastReadMessageIndex = input.lastReadMessageIndex;
      participant.lastReadAt = input.lastReadMessageIndex === null ? null : (input.lastReadAt ?? now);
    } else if (input.lastReadAt !== undefined) {
      participant.lastReadAt = input.lastReadAt;
    }
    participant.dateUpdated = now;
    const user = this.ensureUser(conversation.serviceSid, participant.identity);
    this.sync.writeItem(conversation.roster, participant.sid, rosterItem(participant, user));
    this.publishMembership(conversation, participant, user);
    if (input.lastReadMessageIndex !== undefined) this.emit('readHorizon', conversation, participant);
  }

  setReadHorizon(conversation: Conversation, participant: Participant, index: number): number {
    const lastIndex = conversation.messageList.nextIndex - 1;
    const clamped = Math.max(-1, Math.min(index, lastIndex));
    if (participant.lastReadMessageIndex === null || clamped > participant.lastReadMessageIndex) {
      participant.lastReadMessageIndex = clamped;
      participant.lastReadAt = isoNow();
      participant.dateUpdated = participant.lastReadAt;
      const user = this.ensureUser(conversation.serviceSid, participant.identity);
      this.sync.writeItem(conversation.roster, participant.sid, rosterItem(participant, user));
      this.publishMembership(conversation, participant, user);
      this.emit('readHorizon', conversation, participant);
    }
    return this.unreadCount(conversation, participant);
  }

  /** Messages after the participant's read horizon (deleted ones do not count). */
  unreadCount(conversation: Conversation, participant: Participant): number {
    const horizon = participant.lastReadMessageIndex ?? -1;
    let unread = 0;
    for (let i = conversation.messages.length - 1; i >= 0 && (conversation.messages[i] as Message).index > horizon; i -= 1) unread += 1;
    return unread;
  }

  typing(conversation: Conversation, identity: string): void {
    const participant = this.requireParticipant(conversation, identity);
    this.emit('typing', conversation, participant);
  }

  setState(conversation: Conversation, state: ConversationState): void {
    this.refuseClosed(conversation);
    if (conversation.state === state) return;
    conversation.state = state;
    conversation.stateUpdatedAt = isoNow();
    conversation.dateUpdated = conversation.stateUpdatedAt;
    this.publishDocument(conversation);
    this.emit('stateChanged', conversation);
  }

  updateAttributes(conversation: Conversation, attributes: Record<string, unknown>): void {
    this.refuseClosed(conversation);
    conversation.attributes = attributes;
    conversation.dateUpdated = isoNow();
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
    conversation.dateUpdated = isoNow();
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
