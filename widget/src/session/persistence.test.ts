import { afterEach, describe, expect, it, vi } from 'vitest';
import { blockedStorage, browserProfile, MemoryStorage } from '../testing/storage.ts';
import { createBrowserSessionSync, parseStoredSession, storageKey, type StoredSession } from './persistence.ts';

const record = (extra: Partial<StoredSession> = {}): StoredSession => ({
  v: 1,
  identity: 'visitor-1',
  conversationSid: 'CH1',
  token: 'token-1',
  sessionProof: 'proof-1',
  expiresAt: 1_000_000,
  mode: 'local',
  twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect',
  visitorName: 'Zoë',
  teaser: { text: 'Questions about shipping?', at: 1 },
  endedBy: null,
  savedAt: 1,
  ...extra,
});

let profile: ReturnType<typeof browserProfile> | undefined;
afterEach(() => profile?.close());

describe('parseStoredSession', () => {
  it('accepts a record and its JSON text', () => {
    expect(parseStoredSession(record())).toEqual(record());
    expect(parseStoredSession(JSON.stringify(record()))).toEqual(record());
  });

  it('refuses anything else: other versions, missing or mistyped fields, bad JSON', () => {
    expect(parseStoredSession('{oops')).toBeNull();
    expect(parseStoredSession({ ...record(), v: 2 })).toBeNull();
    expect(parseStoredSession({ ...record(), conversationSid: '' })).toBeNull();
    expect(parseStoredSession({ ...record(), expiresAt: 'soon' })).toBeNull();
    expect(parseStoredSession({ ...record(), endedBy: 'cat' })).toBeNull();
    expect(parseStoredSession({ ...record(), sessionProof: 3 })).toBeNull();
    expect(parseStoredSession(null)).toBeNull();
  });

  it('keeps only known fields', () => {
    expect(parseStoredSession({ ...record(), extra: '<script>' })).not.toHaveProperty('extra');
    expect(parseStoredSession(record({ teaser: { text: 'Hi', at: 2, html: '<b>' } as StoredSession['teaser'] }))?.teaser).toEqual({ text: 'Hi', at: 2 });
  });

  it('a record without a teaser (older widgets) or with a broken one resumes without it', () => {
    const { teaser: _, ...older } = record();
    expect(parseStoredSession(older)).toEqual(record({ teaser: null }));
    expect(parseStoredSession({ ...record(), teaser: { text: 3, at: 1 } })).toEqual(record({ teaser: null }));
    expect(parseStoredSession({ ...record(), teaser: 'Hi' })).toEqual(record({ teaser: null }));
  });
});

describe('browser session sync', () => {
  it('saves, loads and clears the session in storage', () => {
    const storage = new MemoryStorage();
    const sync = createBrowserSessionSync({ storage: () => storage, window: new EventTarget() as unknown as Window, channel: () => { throw new Error('none'); } });
    expect(sync.persistent).toBe(true);
    expect(sync.load()).toBeNull();
    sync.save(record());
    expect(JSON.parse(storage.getItem(storageKey)!)).toEqual(record());
    expect(sync.load()).toEqual(record());
    sync.clear('CH-other'); // someone else's session is left alone
    expect(sync.load()).toEqual(record());
    sync.clear('CH1');
    expect(sync.load()).toBeNull();
    sync.close();
  });

  it('an ended session is not offered for resume', () => {
    profile = browserProfile();
    const sync = profile.tab();
    sync.save(record({ endedBy: 'agent' }));
    expect(sync.load()).toBeNull();
  });

  it('garbage in storage is ignored', () => {
    profile = browserProfile();
    profile.storage.setItem(storageKey, '{"v":1,"token":');
    expect(profile.tab().load()).toBeNull();
  });

  it('works without storage (blocked or partitioned): not persistent, nothing loads, nothing throws', () => {
    const sync = createBrowserSessionSync({ storage: blockedStorage, window: new EventTarget() as unknown as Window, channel: () => { throw new Error('none'); } });
    expect(sync.persistent).toBe(false);
    expect(() => sync.save(record())).not.toThrow();
    expect(sync.load()).toBeNull();
    expect(() => sync.clear('CH1')).not.toThrow();
    sync.close();
  });

  it('storage that fails the write probe counts as blocked', () => {
    const readOnly = new MemoryStorage();
    readOnly.setItem = () => {
      throw new DOMException('Quota exceeded', 'QuotaExceededError');
    };
    const sync = createBrowserSessionSync({ storage: () => readOnly, window: new EventTarget() as unknown as Window, channel: () => { throw new Error('none'); } });
    expect(sync.persistent).toBe(false);
    sync.close();
  });

  it('other tabs hear about writes through the storage event, once per write', () => {
    profile = browserProfile({ channel: false });
    const a = profile.tab();
    const b = profile.tab();
    const heard = vi.fn();
    b.subscribe(heard);
    a.save(record());
    const text = profile.storage.getItem(storageKey);
    profile.storageEvent(profile.windows[0]!, storageKey, text);
    profile.storageEvent(profile.windows[0]!, storageKey, text); // duplicate delivery
    profile.storageEvent(profile.windows[0]!, 'unrelated', 'x');
    profile.storageEvent(profile.windows[0]!, storageKey, null); // removals carry no session
    expect(heard.mock.calls).toEqual([[record()]]);
  });

  it('with blocked storage, open tabs still stay in step over the BroadcastChannel', async () => {
    profile = browserProfile({ storage: 'blocked' });
    const a = profile.tab();
    const b = profile.tab();
    const heard = vi.fn();
    b.subscribe(heard);
    a.save(record({ endedBy: 'visitor', savedAt: 5 }));
    await vi.waitFor(() => expect(heard).toHaveBeenCalledWith(record({ endedBy: 'visitor', savedAt: 5 })));
    expect(b.persistent).toBe(false);
  });

  it('a write does not come back to the tab that made it', async () => {
    profile = browserProfile();
    const a = profile.tab();
    const b = profile.tab();
    const heardA = vi.fn();
    const heardB = vi.fn();
    a.subscribe(heardA);
    b.subscribe(heardB);
    a.save(record());
    await vi.waitFor(() => expect(heardB).toHaveBeenCalledTimes(1));
    expect(heardA).not.toHaveBeenCalled();
  });
});
