// Storage doubles for persistence tests: a working in-memory Storage, one that
// throws like blocked/partitioned storage does, and a pair of "tabs" that share
// storage and a channel.
import { createBrowserSessionSync, type SessionSync } from '../session/persistence.ts';

export class MemoryStorage implements Storage {
  private readonly data = new Map<string, string>();
  get length(): number {
    return this.data.size;
  }
  clear(): void {
    this.data.clear();
  }
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.data.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
  setItem(key: string, value: string): void {
    this.data.set(key, String(value));
  }
}

/** Like Safari private mode or a blocked third-party iframe: any access throws. */
export const blockedStorage = (): Storage => {
  throw new DOMException('The operation is insecure.', 'SecurityError');
};

let channels = 0;

/** Syncs for several tabs of one browser profile: shared storage, a shared channel, separate windows. */
export function browserProfile(options: { storage?: 'memory' | 'blocked'; channel?: boolean } = {}) {
  const storage = new MemoryStorage();
  const name = `flexchat-test-${++channels}`;
  const opened: SessionSync[] = [];
  const windows: EventTarget[] = [];
  return {
    storage,
    windows,
    tab(): SessionSync {
      const win = new EventTarget();
      windows.push(win);
      const sync = createBrowserSessionSync({
        storage: options.storage === 'blocked' ? blockedStorage : () => storage,
        channel: () => {
          if (options.channel === false) throw new Error('no BroadcastChannel');
          return new BroadcastChannel(name);
        },
        window: win as unknown as Window,
      });
      opened.push(sync);
      return sync;
    },
    /** What the browser does for every other tab when one tab writes storage. */
    storageEvent(from: EventTarget, key: string, newValue: string | null) {
      for (const win of windows) if (win !== from) win.dispatchEvent(Object.assign(new Event('storage'), { key, newValue }));
    },
    close() {
      for (const sync of opened) sync.close();
    },
  };
}
