// Reading: whether the visitor can see new messages (panel open, page visible,
// list at the bottom), unread counts and read receipts, older history pages and media URLs.
import { maxServerIndex, mergeServerMessages, minServerIndex } from '../messages.ts';
import { isInChat } from '../state-machine.ts';
import type { Session } from './session.ts';

export interface ReadingSlice {
  /** Whether the visitor can see new messages right now. */
  viewing(): boolean;
  /** The host page opened or closed the panel. */
  setHostOpen(open: boolean): void;
  /** Whether the panel is open (a widget opened directly, not in the host's frame, always is). */
  isHostOpen(): boolean;
  /** The iframe's document became visible or hidden (tab switch, minimised window). */
  setPageVisible(visible: boolean): void;
  /** The message list is (or is no longer) scrolled to the newest message. */
  setAtBottom(atBottom: boolean): void;
  /** When the visitor can see the newest message: unread goes to zero and the agent sees "read". */
  markSeen(): void;
  /** Loads the page of history before the oldest message shown. */
  loadOlder(): Promise<void>;
  /** A short-lived download URL for an attachment of a message. */
  mediaUrl(messageSid: string, mediaSid: string): Promise<string | null>;
}

export function createReadingSlice(s: Session): ReadingSlice {
  let hostOpen = true;
  let pageVisible = true;
  let atBottom = true;
  return {
    viewing: () => hostOpen && pageVisible && atBottom,

    setHostOpen(open) {
      hostOpen = open;
      if (open) s.panelOpened();
      s.markSeen();
    },

    isHostOpen: () => hostOpen,

    setPageVisible(visible) {
      pageVisible = visible;
      s.markSeen();
    },

    setAtBottom(value) {
      atBottom = value;
      s.markSeen();
    },

    markSeen() {
      if (!s.viewing()) return;
      const state = s.get();
      if (state.unread !== 0) {
        s.set({ unread: 0 });
        s.notifyHost({ type: 'unread', count: 0 });
      }
      if (isInChat(state.phase)) {
        const newest = maxServerIndex(state.messages);
        if (newest >= 0) s.transport?.markRead(newest);
      }
    },

    async loadOlder() {
      const state = s.get();
      const transport = s.transport;
      const oldest = minServerIndex(state.messages);
      if (!transport || !state.hasOlderMessages || state.loadingOlder || oldest === null) return;
      const { signal } = s.scope;
      s.set({ loadingOlder: true });
      try {
        const page = await transport.loadOlder(oldest, s.historyPageSize);
        if (signal.aborted) return;
        s.set((current) => ({
          messages: mergeServerMessages(current.messages, page.messages.map((m) => s.withAuthorName(m))),
          hasOlderMessages: page.hasOlder,
          loadingOlder: false,
        }));
      } catch {
        if (!signal.aborted) s.set({ loadingOlder: false });
      }
    },

    async mediaUrl(messageSid, mediaSid) {
      const transport = s.transport;
      if (!transport) return null;
      try {
        return await transport.getMediaUrl(messageSid, mediaSid);
      } catch {
        return null;
      }
    },
  };
}
