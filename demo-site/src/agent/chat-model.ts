// Pure helpers of the agent console: what to show for a conversation. No DOM.
import { richAnswerOf } from '../../../contracts/rich-answer.ts';
import { readSurveyRecord } from '../../../contracts/survey.ts';
import type { AgentContentTemplate, AgentConversation, AgentMessage, AgentRef } from './agent-api.ts';

/** Agents a chat can be transferred to (the emulator accepts any identity). */
export const KNOWN_AGENTS: readonly AgentRef[] = [
  { identity: 'agent.alex', name: 'Alex' },
  { identity: 'agent.sam', name: 'Sam' },
  { identity: 'agent.kim', name: 'Kim' },
];

export function visitorOf(conversation: AgentConversation) {
  return conversation.participants.find((p) => p.role === 'customer');
}

/** The visitor's name: Flex's friendly name, else the pre-engagement name, else "Visitor". */
export function visitorName(conversation: AgentConversation): string {
  const data = conversation.attributes.pre_engagement_data ?? {};
  const fromForm = typeof data.friendlyName === 'string' ? data.friendlyName : typeof data.name === 'string' ? data.name : undefined;
  return visitorOf(conversation)?.friendlyName || fromForm || conversation.attributes.from || 'Visitor';
}

export type ChatStatus = 'waiting' | 'assigned' | 'ended';

export function chatStatus(conversation: AgentConversation): ChatStatus {
  if (conversation.state !== 'active' || conversation.task?.status === 'completed' || conversation.task?.status === 'canceled') return 'ended';
  if (!conversation.task || conversation.task.status === 'pending') return 'waiting';
  return 'assigned';
}

export function agentName(identity: string | null | undefined, conversation?: AgentConversation): string {
  if (!identity) return 'nobody';
  const participant = conversation?.participants.find((p) => p.identity === identity);
  return participant?.friendlyName || KNOWN_AGENTS.find((a) => a.identity === identity)?.name || identity;
}

export function statusText(conversation: AgentConversation): string {
  switch (chatStatus(conversation)) {
    case 'waiting': {
      const position = conversation.attributes.queue?.position;
      return position ? `Waiting in queue (position ${position})` : 'Waiting in queue';
    }
    case 'assigned':
      return `With ${agentName(conversation.task?.agentIdentity, conversation)}`;
    case 'ended':
      return 'Ended';
  }
}

/** Pre-engagement data as label/value rows, in the order the visitor filled it in. */
export function preEngagementRows(conversation: AgentConversation): Array<[string, string]> {
  const data = conversation.attributes.pre_engagement_data ?? {};
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(data)) {
    // Objects (e.g. the widget's _context: pageUrl, locale) one level flat: "context pageUrl".
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [sub, inner] of Object.entries(value)) rows.push([`${key.replace(/^_/, '')} ${sub}`, typeof inner === 'string' ? inner : JSON.stringify(inner)]);
    } else rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return rows;
}

/**
 * The visitor's post-chat survey, as one line, from the chat's task (where the token
 * service records it: contracts/survey.ts); '' when there is none.
 */
export function surveySummary(conversation: AgentConversation): string {
  const survey = readSurveyRecord(conversation.task?.attributes?.survey);
  if (!survey) return '';
  const rating = survey.scale === 'stars' ? `${survey.rating} of 5 stars` : survey.rating === 'up' ? 'thumbs up' : 'thumbs down';
  return `Visitor's rating: ${rating}${survey.comment ? ` — “${survey.comment}”` : ''}`;
}

/** Is the message from the visitor (anyone with the customer role, present or gone)? */
export function isFromVisitor(message: AgentMessage, conversation: AgentConversation, knownVisitors: ReadonlySet<string>): boolean {
  const participant = conversation.participants.find((p) => p.identity === message.author);
  if (participant) return participant.role === 'customer';
  return knownVisitors.has(message.author);
}

function attribute(message: AgentMessage | undefined, name: string): string | null {
  const attributes = message?.attributes;
  if (typeof attributes !== 'object' || attributes === null) return null;
  const value = (attributes as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * Whether `message` was sent with `previous` by one visitor action: a file after
 * its text (Flex takes text or a file per message, so the widget sends two, the
 * file marked `partOf` the text). The console shows them as one.
 */
export function sentWith(message: AgentMessage, previous: AgentMessage | undefined): boolean {
  const partOf = attribute(message, 'partOf');
  if (partOf === null || previous === undefined || previous.author !== message.author) return false;
  return partOf === attribute(previous, 'clientMessageId') || partOf === attribute(previous, 'partOf');
}

/** Index of the newest agent message the visitor has read, or null. */
export function lastSeenAgentMessage(messages: readonly AgentMessage[], conversation: AgentConversation, knownVisitors: ReadonlySet<string>): number | null {
  const horizon = visitorOf(conversation)?.lastReadMessageIndex;
  if (horizon === null || horizon === undefined) return null;
  let seen: number | null = null;
  for (const message of messages) {
    if (message.index <= horizon && !isFromVisitor(message, conversation, knownVisitors)) seen = message.index;
  }
  return seen;
}

/** Is the visitor typing? (Only if the emulator reports it: `typing` or a participant's `isTyping`.) */
export function visitorTyping(conversation: AgentConversation): boolean {
  const visitor = visitorOf(conversation);
  if (!visitor) return false;
  return visitor.isTyping === true || (conversation.typing ?? []).includes(visitor.identity);
}

/** Who replies for the console: the agent holding the chat, else the console's own agent. */
export function actingAgent(conversation: AgentConversation, me: AgentRef): AgentRef {
  const holder = conversation.task?.status === 'assigned' ? conversation.task.agentIdentity : null;
  if (!holder || holder === me.identity) return me;
  return { identity: holder, name: agentName(holder, conversation) };
}

/** Queue order: waiting first (oldest first), then assigned (newest activity first), then ended. */
export function queueOrder(conversations: readonly AgentConversation[]): AgentConversation[] {
  const rank: Record<ChatStatus, number> = { waiting: 0, assigned: 1, ended: 2 };
  const time = (c: AgentConversation) => Date.parse(c.lastMessage?.dateCreated ?? c.dateUpdated ?? c.dateCreated ?? '') || 0;
  return [...conversations].sort((a, b) => {
    const byRank = rank[chatStatus(a)] - rank[chatStatus(b)];
    if (byRank !== 0) return byRank;
    return chatStatus(a) === 'waiting' ? time(a) - time(b) : time(b) - time(a);
  });
}

/** "report.pdf, 12 KB". */
export function describeFile(name: string | null, size: number): string {
  const kb = size < 1024 ? `${size} B` : size < 1024 * 1024 ? `${Math.round(size / 1024)} KB` : `${(size / 1024 / 1024).toFixed(1)} MB`;
  return `${name ?? 'file'}, ${kb}`;
}

/** What a visitor's message says it answered (a rich message's reply or list item, by id), or ''. */
export function answerNote(message: AgentMessage): string {
  const answer = richAnswerOf(message.attributes);
  if (answer === null) return '';
  return answer.kind === 'reply' ? `Answered with reply ${answer.id}` : `Answered with list item ${answer.id}`;
}

/** The attachment limits of Flex web chat, as the emulator enforces them. */
export const ATTACHMENT_TYPES = '.jpg,.jpeg,.png,.gif,.heic,.pdf,.txt,.mp3,.mp4,.amr';
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

/** "Quick reply: topic (quick-reply)": a Content template's name and its rich type, for the picker. */
export function templateLabel(template: AgentContentTemplate): string {
  const rich = template.types.find((t) => t !== 'twilio/text') ?? template.types[0] ?? 'content';
  return `${template.friendlyName ?? template.sid} (${rich.replace(/^twilio\//, '')})`;
}
