// The session's phases and the only ways between them, as a pure function.
//
//   idle ──open──▶ pre-engagement ──submit──▶ connecting ──joined──▶ queued ──agentJoined──▶ active
//     │                ▲   │                     │  ▲                  │                      │
//     │ (closed hours) │   │ hoursChanged        │  └──retry── error ◀─┴──────failed──────────┤
//     └──────────────▶ offline                   │                                            │
//                                                └──────────────closed──────────▶ ended ◀─────┘
//
// Every phase has a way out: offline reopens with the business hours (or when a
// chat started in another tab is resumed), error retries or restarts, ended
// restarts, and a session found in storage or in another tab is resumed from
// any phase that is not already in a chat.
export type SessionPhase =
  | 'idle'
  | 'pre-engagement'
  | 'connecting'
  | 'queued'
  | 'active'
  | 'ended'
  | 'offline'
  | 'error';

export type SessionEvent =
  /** The widget starts. `resumable`: a stored session exists; `businessOpen`: inside business hours. */
  | { type: 'open'; businessOpen: boolean; resumable: boolean }
  /** Business hours opened or closed while no chat is running. */
  | { type: 'hoursChanged'; businessOpen: boolean }
  /** A valid form was submitted (or the form is skipped). */
  | { type: 'submit' }
  /** The token service rejected fields the visitor can correct. */
  | { type: 'formRejected' }
  /** A session from storage or another tab is taken up. */
  | { type: 'resume' }
  /** Connected and history loaded; `agentPresent`: an agent is already a participant. */
  | { type: 'joined'; agentPresent: boolean }
  /** An agent joined the conversation. */
  | { type: 'agentJoined' }
  /** The conversation is waiting in a queue again (e.g. after a transfer that left no agent). */
  | { type: 'requeued' }
  /** The conversation was closed (by the agent, the visitor, or in another tab). */
  | { type: 'closed' }
  /** Something broke; the store's `error` says how to recover. */
  | { type: 'failed' }
  /** The error view's Retry. */
  | { type: 'retry' }
  /** Back to the start for a new chat. */
  | { type: 'restart'; businessOpen: boolean };

/** Phases in which the visitor is in a conversation (messages can be sent). */
export const inChatPhases: readonly SessionPhase[] = ['queued', 'active'];

export function isInChat(phase: SessionPhase): boolean {
  return phase === 'queued' || phase === 'active';
}

/** Phases that hold (or are getting) a conversation: a resume from elsewhere must not replace it. */
export function holdsSession(phase: SessionPhase): boolean {
  return phase === 'connecting' || phase === 'queued' || phase === 'active';
}

const startPhase = (businessOpen: boolean): SessionPhase => (businessOpen ? 'pre-engagement' : 'offline');

/**
 * The next phase, or `null` when the event means nothing in this phase (the
 * caller then ignores it). Never throws.
 */
export function transition(phase: SessionPhase, event: SessionEvent): SessionPhase | null {
  switch (event.type) {
    case 'open':
      if (phase !== 'idle') return null;
      return event.resumable ? 'connecting' : startPhase(event.businessOpen);
    case 'hoursChanged':
      if (phase === 'pre-engagement' && !event.businessOpen) return 'offline';
      if (phase === 'offline' && event.businessOpen) return 'pre-engagement';
      return null;
    case 'submit':
      return phase === 'pre-engagement' ? 'connecting' : null;
    case 'formRejected':
      return phase === 'connecting' ? 'pre-engagement' : null;
    case 'resume':
      return holdsSession(phase) ? null : 'connecting';
    case 'joined':
      if (phase !== 'connecting') return null;
      return event.agentPresent ? 'active' : 'queued';
    case 'agentJoined':
      return phase === 'queued' ? 'active' : null;
    case 'requeued':
      return phase === 'active' ? 'queued' : null;
    case 'closed':
      return holdsSession(phase) ? 'ended' : null;
    case 'failed':
      return holdsSession(phase) ? 'error' : null;
    case 'retry':
      return phase === 'error' ? 'connecting' : null;
    case 'restart':
      return phase === 'idle' ? null : startPhase(event.businessOpen);
  }
}
