// Agents: the names the widget shows (masked as "Agent 2" when configured, kept
// with their messages after the agent leaves), join/leave notices and the queue notice.
import { format } from '../../strings.ts';
import type { TransportMessage, TransportParticipant } from '../../transport/chat-transport.ts';
import { firstIndexBy, nameAuthor, type ChatMessage, type NoticeKind } from '../messages.ts';
import { addNotice, upsertNotice } from '../notices.ts';
import type { ParticipantInfo } from '../session-store.ts';
import type { Session } from './session.ts';

export interface AgentsSlice {
  /**
   * "Alex joined the chat" for every agent already there when the visitor joins (Alex may
   * have accepted before the SDK connected), placed before that agent's first message.
   * Agents announced before (by an event) are not announced again.
   */
  announcePresent(messages: readonly ChatMessage[], participants: Record<string, ParticipantInfo>): readonly ChatMessage[];
  participantMap(participants: readonly TransportParticipant[]): Record<string, ParticipantInfo>;
  toParticipantInfo(p: TransportParticipant): ParticipantInfo;
  /** Agents of the conversation being left: their aliases and names go with it. */
  forgetAgents(): void;
  /**
   * Remembers the name shown for an agent; the first time, it goes onto that agent's
   * earlier messages that have none (they arrived before the name was known).
   */
  learnAgentName(messages: readonly ChatMessage[], identity: string, shown: string | null): readonly ChatMessage[];
  /** The name the widget shows for an agent: masked ("Agent 2") when configured, never the real one then. */
  agentName(identity: string, realName: string | null | undefined): string | null;
  /** A server message with the agent name the widget may show (masked, or remembered when the SDK gave none). */
  withAuthorName(message: TransportMessage): TransportMessage;
  noticeText(kind: NoticeKind, name: string | null | undefined): string;
  displayName(identity: string, fallback?: string | null): string;
  agentPresent(): boolean;
  /** While queued, one notice tells the queue position; it goes once an agent joins. */
  updateQueueNotice(): void;
  /** Who wrote a message, as the widget shows it. */
  authorLabel(message: ChatMessage): string;
}

export function createAgentsSlice(s: Session): AgentsSlice {
  /** identity → number, for masked agent names ("Agent 2"), in order of appearance. */
  const aliases = new Map<string, number>();
  /**
   * identity → the name shown for that agent (masked when configured), kept after the agent
   * leaves: a name belongs to the messages its author sent, also after a transfer.
   */
  const agentNames = new Map<string, string>();

  return {
    announcePresent(messages, participants) {
      let next = messages;
      for (const p of Object.values(participants)) {
        if (p.role !== 'agent' || next.some((m) => m.notice === 'joined' && m.author === p.identity)) continue;
        const first = firstIndexBy(next, p.identity);
        const about = { kind: 'joined' as const, identity: p.identity };
        next = addNotice(next, s.noticeText('joined', p.displayName), s.now(), about, first === null ? undefined : first - 1);
      }
      return next;
    },

    participantMap(participants) {
      const map: Record<string, ParticipantInfo> = {};
      for (const p of participants) map[p.identity] = s.toParticipantInfo(p);
      return map;
    },

    toParticipantInfo(p) {
      return { identity: p.identity, role: p.role, displayName: p.role === 'agent' ? s.agentName(p.identity, p.displayName) : (p.displayName ?? null) };
    },

    forgetAgents() {
      aliases.clear();
      agentNames.clear();
    },

    learnAgentName(messages, identity, shown) {
      if (shown === null || agentNames.get(identity) === shown) return messages;
      agentNames.set(identity, shown);
      return nameAuthor(messages, identity, shown);
    },

    agentName(identity, realName) {
      if (!s.options.maskAgentNames) return realName ?? agentNames.get(identity) ?? null;
      let n = aliases.get(identity);
      if (n === undefined) {
        n = aliases.size + 1;
        aliases.set(identity, n);
      }
      return format(s.strings.agentMasked, { n });
    },

    withAuthorName(message) {
      if (message.role !== 'agent') return message;
      const { authorName: real, ...rest } = message;
      const shown = s.options.maskAgentNames ? s.agentName(message.author, null) : (real ?? s.agentName(message.author, null));
      return shown === null ? rest : { ...rest, authorName: shown };
    },

    noticeText(kind, name) {
      return format(kind === 'joined' ? s.strings.joined : s.strings.left, {
        name: name ?? s.strings.agentFallbackName,
      });
    },

    displayName(identity, fallback) {
      return s.get().participants[identity]?.displayName ?? fallback ?? s.strings.agentFallbackName;
    },

    agentPresent() {
      return Object.values(s.get().participants).some((p) => p.role === 'agent');
    },

    updateQueueNotice() {
      const { phase, queuePosition } = s.get();
      const text =
        phase !== 'queued'
          ? null
          : queuePosition !== null
            ? format(s.strings.queuePosition, { position: queuePosition })
            : s.strings.queueWaiting;
      s.set((state) => ({ messages: upsertNotice(state.messages, 'queue', text, s.now()) }));
    },

    authorLabel(message) {
      if (message.role === 'visitor') return s.strings.you;
      if (message.role === 'system') return '';
      return message.authorName ?? agentNames.get(message.author) ?? s.get().participants[message.author]?.displayName ?? s.strings.agentFallbackName;
    },
  };
}
