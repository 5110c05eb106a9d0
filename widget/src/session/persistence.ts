// One chat per browser profile: the running session is kept in localStorage of
// the widget origin (so a reload resumes it) and announced to other tabs through
// the `storage` event and a BroadcastChannel (so they join the same chat, and
// end when it ends).
//
// Storage may be blocked or partitioned (private mode, third-party iframe
// rules): every access is guarded. The chat then still runs; it just cannot be
// resumed after a reload. BroadcastChannel still keeps open tabs in step when
// it exists.
import type { TeaserGreeting } from './session-store.ts';

/** What a tab needs to rejoin the conversation. Lives only on the widget origin. */
export interface StoredSession {
  v: 1;
  identity: string;
  conversationSid: string;
  token: string;
  /** From the token service; lets /webchat/refresh renew an expired token within its grace period. */
  sessionProof: string | null;
  /** Epoch ms, or null if unknown. */
  expiresAt: number | null;
  mode: string;
  twilsockUri: string | null;
  visitorName: string | null;
  /** The teaser the chat opened from, shown first again after a reload (older records lack it: null). */
  teaser: TeaserGreeting | null;
  /** Set when the chat ended: other tabs end too; nobody resumes it. */
  endedBy: 'visitor' | 'agent' | null;
  /** Epoch ms of this write. */
  savedAt: number;
}

export interface SessionSync {
  /** Whether a reload can resume (storage works). */
  readonly persistent: boolean;
  /** The stored session, if one exists, parses, and has not ended. */
  load(): StoredSession | null;
  save(record: StoredSession): void;
  /** Forgets the session of `conversationSid` (no-op if another one is stored). */
  clear(conversationSid: string): void;
  /** Records written by other tabs (an ended one included). */
  subscribe(listener: (record: StoredSession) => void): () => void;
  close(): void;
}

export const storageKey = 'flexchat:session';
export const channelName = 'flexchat:session';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const optionalString = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** Validates untrusted JSON (storage is shared with every other version of the widget). */
export function parseStoredSession(raw: unknown): StoredSession | null {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return null;
    }
  }
  if (!isRecord(value) || value.v !== 1) return null;
  const { identity, conversationSid, token, sessionProof, expiresAt, mode, twilsockUri, visitorName, endedBy, savedAt } = value;
  if (typeof identity !== 'string' || identity === '') return null;
  if (typeof conversationSid !== 'string' || conversationSid === '') return null;
  if (typeof token !== 'string' || typeof mode !== 'string') return null;
  if (!optionalString(sessionProof) || !optionalString(twilsockUri) || !optionalString(visitorName)) return null;
  if (expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt))) return null;
  if (endedBy !== null && endedBy !== 'visitor' && endedBy !== 'agent') return null;
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) return null;
  // A teaser that does not parse is dropped; the chat itself still resumes.
  const t = value.teaser;
  const teaser = isRecord(t) && typeof t.text === 'string' && typeof t.at === 'number' ? { text: t.text, at: t.at } : null;
  return { v: 1, identity, conversationSid, token, sessionProof, expiresAt, mode, twilsockUri, visitorName, teaser, endedBy, savedAt };
}

export interface BrowserSessionSyncOptions {
  /** Returns the storage to use; may throw (blocked storage). Default: window.localStorage. */
  storage?: () => Storage;
  /** Creates the cross-tab channel; may throw or be absent. Default: BroadcastChannel. */
  channel?: () => BroadcastChannel;
  /** Window for `storage` events. */
  window?: Window;
}

/** Probes storage with a write and a delete: reads alone succeed in some blocked modes. */
function usableStorage(get: () => Storage): Storage | null {
  try {
    const storage = get();
    const probe = `${storageKey}:probe`;
    storage.setItem(probe, '1');
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
}

export function createBrowserSessionSync(options: BrowserSessionSyncOptions = {}): SessionSync {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  const storage = usableStorage(options.storage ?? (() => win!.localStorage));
  let channel: BroadcastChannel | null = null;
  try {
    channel = options.channel ? options.channel() : typeof BroadcastChannel === 'function' ? new BroadcastChannel(channelName) : null;
  } catch {
    channel = null;
  }
  const listeners = new Set<(record: StoredSession) => void>();
  let lastText = '';

  const deliver = (text: unknown) => {
    // Each write may arrive twice (storage event and channel): deliver it once.
    if (typeof text !== 'string' || text === lastText) return;
    const record = parseStoredSession(text);
    if (!record) return;
    lastText = text;
    for (const listener of [...listeners]) listener(record);
  };
  const onStorage = (event: StorageEvent) => {
    if (event.key === storageKey && event.newValue !== null) deliver(event.newValue);
  };
  const onChannel = (event: MessageEvent) => deliver(event.data);
  win?.addEventListener('storage', onStorage);
  channel?.addEventListener('message', onChannel);

  const read = (): StoredSession | null => {
    if (!storage) return null;
    try {
      return parseStoredSession(storage.getItem(storageKey));
    } catch {
      return null;
    }
  };

  return {
    persistent: storage !== null,
    load() {
      const record = read();
      return record && record.endedBy === null ? record : null;
    },
    save(record) {
      const text = JSON.stringify(record);
      lastText = text;
      try {
        storage?.setItem(storageKey, text);
      } catch {
        // Quota or a revoked permission: this tab keeps working without resume.
      }
      try {
        channel?.postMessage(text);
      } catch {
        // Channel closed.
      }
    },
    clear(conversationSid) {
      const record = read();
      if (!record || record.conversationSid !== conversationSid) return;
      try {
        storage?.removeItem(storageKey);
      } catch {
        // Nothing to do.
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      listeners.clear();
      win?.removeEventListener('storage', onStorage);
      channel?.removeEventListener('message', onChannel);
      channel?.close();
    },
  };
}

/** A sync that keeps nothing (tests, and when the host forbids persistence). */
export function createNoopSessionSync(): SessionSync {
  return {
    persistent: false,
    load: () => null,
    save() {},
    clear() {},
    subscribe: () => () => {},
    close() {},
  };
}
