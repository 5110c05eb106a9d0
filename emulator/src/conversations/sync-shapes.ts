import type { Conversation, Message, Participant, User } from './types.ts';

// What the SDKs read from Sync about a conversation: the conversation document,
// roster items, message list items and my-conversations entries. Pure shapes,
// so the model decides when to write and these decide what.

/** What GET my-conversations and the my_conversations map say about one membership. */
export function membershipDescriptor(conversation: Conversation, participant: Participant): Record<string, unknown> {
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
    sync_objects: syncObjectNames(conversation),
  };
}

export function syncObjectNames(conversation: Conversation): Record<string, string> {
  return {
    conversation: conversation.document.uniqueName,
    messages: conversation.messageList.uniqueName,
    participants: conversation.roster.uniqueName,
  };
}

/** The user's my_conversations map item for one membership. */
export function membershipItem(conversation: Conversation, participant: Participant): Record<string, unknown> {
  return {
    status: 'joined',
    // twilio-chat: Flex chat channels are private (members are added by the backend, never self-joined).
    type: 'private',
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
  };
}

/** The conversation document's body. */
export function conversationDocument(conversation: Conversation): Record<string, unknown> {
  const last = conversation.messages.at(-1);
  return {
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
  };
}

export function rosterItem(participant: Participant, user: User): Record<string, unknown> {
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

export function messageItem(message: Message): Record<string, unknown> {
  // A template's "body" media is not an attachment: such a message is text (guess) and
  // twilio-chat, which knows no templates, gets no "media" (it shows the text).
  const attached = message.media.filter((m) => m.category !== 'body');
  return {
    sid: message.sid,
    author: message.author,
    text: message.body,
    type: attached.length ? 'media' : 'text',
    attributes: JSON.stringify(message.attributes),
    memberSid: message.participantSid,
    timestamp: message.dateCreated,
    dateUpdated: message.dateUpdated,
    // Conversations reads "medias"; twilio-chat reads the single "media".
    ...(message.media.length ? { medias: message.media.map((m) => ({ ...m })) } : {}),
    ...(attached.length ? { media: { ...attached[0] } } : {}),
    // Message.contentSid (Conversations SDK: `data.contentSid` of the message item; `string | null` in its types).
    contentSid: message.contentSid ?? null,
  };
}
