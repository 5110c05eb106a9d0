// Ending: the chat closed by the agent, by the visitor (/webchat/end) or in
// another tab; and what the ended screen may ask of the token service. (The
// transcript to download: session/transcript.ts, in the chat view's chunk.)
import { failPending } from '../messages.ts';
import { upsertNotice } from '../notices.ts';
import { holdsSession } from '../state-machine.ts';
import { TokenServiceError, type AfterEndRoute } from '../token-service.ts';
import type { Session } from './session.ts';

export interface EndingSlice {
  /**
   * The chat is over: closed by the agent, by the visitor (after /webchat/end),
   * or in another tab (`broadcast` false: the other tabs know already).
   */
  end(endedBy: 'visitor' | 'agent', broadcast: boolean): void;
  /** The visitor ends the chat (after confirming in the UI). */
  endChat(): Promise<void>;
  /** Whether the token service can be asked about the ended chat (a token service, credentials kept). */
  canPostAfterEnd(): boolean;
  /** POST /webchat/{route} for the ended chat with its credentials plus `extra` (throws TokenServiceError). */
  postAfterEnd(route: AfterEndRoute, extra: Record<string, unknown>): Promise<void>;
}

export function createEndingSlice(s: Session): EndingSlice {
  return {
    end(endedBy, broadcast) {
      const phase = s.get().phase;
      if (s.resuming && phase === 'connecting') {
        s.abandon();
        return;
      }
      if (!holdsSession(phase)) return;
      const record = s.record(endedBy);
      s.teardown();
      const text = endedBy === 'visitor' ? s.strings.endedByVisitor : s.strings.endedByAgent;
      s.dispatch({ type: 'closed' }, (state) => ({
        typing: [],
        connection: 'idle',
        endedBy,
        ending: false,
        endError: null,
        queuePosition: null,
        messages: upsertNotice(upsertNotice(failPending(state.messages, 'ended'), 'queue', null, 0), 'ended', text, s.now()),
      }));
      s.outgoingFiles.clear();
      if (broadcast && record) s.sync.save(record);
      if (s.sessionStarted) s.notifyHost({ type: 'sessionEnd' });
      s.sessionStarted = false;
    },

    async endChat() {
      const credentials = s.credentials;
      const state = s.get();
      if (!credentials || !holdsSession(state.phase) || state.ending) return;
      const { signal } = s.scope;
      s.set({ ending: true, endError: null });
      try {
        await s.tokens.end({
          token: credentials.token,
          identity: credentials.identity,
          conversationSid: credentials.conversationSid,
          ...(credentials.sessionProof !== undefined ? { sessionProof: credentials.sessionProof } : {}),
        });
      } catch (error) {
        if (signal.aborted) return;
        // 404: a token service without /webchat/end; 410: already closed. Either way the visitor is done here.
        const gone = error instanceof TokenServiceError && (error.status === 404 || error.status === 410);
        if (!gone) {
          s.set({ ending: false, endError: s.strings.endFailed });
          return;
        }
      }
      if (signal.aborted) return; // ended meanwhile (the close event came first)
      s.end('visitor', true);
    },

    canPostAfterEnd() {
      return s.tokens.afterEnd !== undefined && s.credentials !== null && s.get().phase === 'ended';
    },

    async postAfterEnd(route, extra) {
      const c = s.credentials;
      if (!c || !s.tokens.afterEnd || s.get().phase !== 'ended') throw new TokenServiceError('rejected', 'No ended chat to send');
      await s.tokens.afterEnd(route, {
        ...extra,
        token: c.token,
        identity: c.identity,
        conversationSid: c.conversationSid,
        ...(c.sessionProof !== undefined ? { sessionProof: c.sessionProof } : {}),
      });
    },
  };
}
