// Cross-tab and reload: the session record kept in storage, and what another
// tab writes there (a renewed token, an ended chat, a chat started elsewhere).
import type { StoredSession } from '../persistence.ts';
import { transition } from '../state-machine.ts';
import type { Session } from './session.ts';

export interface CrossTabSlice {
  /** What another tab wrote. */
  onSyncRecord(record: StoredSession): void;
  /** The record of the current session, for storage. */
  record(endedBy?: 'visitor' | 'agent' | null): StoredSession | null;
  persist(): void;
}

export function createCrossTabSlice(s: Session): CrossTabSlice {
  return {
    onSyncRecord(record) {
      const mine = s.credentials?.conversationSid === record.conversationSid;
      if (record.endedBy !== null) {
        if (mine) s.end(record.endedBy, false);
        return;
      }
      if (mine) {
        // Another tab renewed the token: keep the newest credentials for our own next refresh.
        const current = s.credentials!;
        if ((record.expiresAt ?? 0) > (current.expiresAt ?? 0)) {
          s.credentials = {
            ...current,
            token: record.token,
            expiresAt: record.expiresAt,
            ...(record.sessionProof !== null ? { sessionProof: record.sessionProof } : {}),
          };
        }
        return;
      }
      if (transition(s.get().phase, { type: 'resume' }) !== null) void s.resume(record);
    },

    record(endedBy = null) {
      const c = s.credentials;
      if (!c) return null;
      return {
        v: 1,
        identity: c.identity,
        conversationSid: c.conversationSid,
        token: c.token,
        sessionProof: c.sessionProof ?? null,
        expiresAt: c.expiresAt,
        mode: c.mode,
        twilsockUri: c.twilsockUri ?? null,
        visitorName: s.get().visitorName,
        // The teaser belongs to this chat only: an ended record does not carry it.
        teaser: endedBy ? null : s.get().teaser,
        endedBy,
        savedAt: s.now(),
      };
    },

    persist() {
      const record = s.record();
      if (record) s.sync.save(record);
    },
  };
}
