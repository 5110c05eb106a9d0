// The proactive teaser the visitor chose on the host page, as the chat's first message from
// the agent side: a local entry before every message of the conversation, named as agents
// are when their name is unknown. Never posted: the agent has the text in the chat's context
// (slices/init.ts). Pure.
import type { ChatMessage } from './messages.ts';
import type { TeaserGreeting } from './session-store.ts';

/** The teaser as a message of the list (render key `t:teaser`). */
export function teaserMessage(teaser: TeaserGreeting): ChatMessage {
  return {
    key: 't:teaser',
    sid: null,
    index: null,
    clientMessageId: null,
    role: 'agent',
    author: '',
    authorName: null,
    body: teaser.text,
    createdAt: teaser.at,
    delivery: null,
    error: null,
    anchorIndex: -1,
    seq: 0,
    notice: null,
    attachments: [],
    progress: null,
    partOf: null,
  };
}

/** `messages` with the teaser's message first, when there is one. */
export const withTeaser = (messages: readonly ChatMessage[], teaser: ChatMessage | null): readonly ChatMessage[] =>
  teaser ? [teaser, ...messages] : messages;
