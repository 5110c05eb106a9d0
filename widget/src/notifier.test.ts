import { describe, expect, it, vi } from 'vitest';
import { createNotifier, type AudioContextLike, type NotificationLike, type NotifierEnv } from './notifier.ts';

function fakes(permission: 'default' | 'granted' | 'denied' = 'default', grant: 'granted' | 'denied' = 'granted') {
  const beeps: number[] = [];
  const shown: Array<{ title: string; body?: string; tag?: string }> = [];
  const instances: Array<{ onclick: (() => void) | null; closed: boolean }> = [];
  let perm = permission;
  let requests = 0;
  class FakeAudio implements AudioContextLike {
    currentTime = 1;
    state = 'suspended';
    destination = {};
    async resume() {
      this.state = 'running';
    }
    createOscillator() {
      return { type: '', frequency: { setValueAtTime() {} }, connect: () => ({}), start: (t?: number) => beeps.push(t ?? 0), stop() {} };
    }
    createGain() {
      return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: () => ({}) };
    }
  }
  const FakeNotification = class {
    static get permission() {
      return perm;
    }
    static async requestPermission() {
      requests++;
      perm = grant;
      return perm;
    }
    onclick: (() => void) | null = null;
    closed = false;
    constructor(title: string, options?: { body?: string; tag?: string }) {
      shown.push({ title, ...options });
      instances.push(this);
    }
    close() {
      this.closed = true;
    }
  } as unknown as NotificationLike;
  const env: NotifierEnv = { AudioContext: FakeAudio, Notification: FakeNotification };
  return { env, beeps, shown, instances, requests: () => requests };
}

const message = { authorName: 'Ana', body: 'Your parcel ships today' };

describe('notifier', () => {
  it('is silent and asks nothing when both options are off (the default)', async () => {
    const f = fakes();
    const n = createNotifier({ sound: false, browserNotifications: false, title: (name) => `New message from ${name}`, pageVisible: () => false, env: f.env });
    await n.prime();
    n.notify(message);
    expect(f.beeps).toEqual([]);
    expect(f.shown).toEqual([]);
    expect(f.requests()).toBe(0);
  });

  it('sound: plays once primed by a user gesture, never before', async () => {
    const f = fakes();
    const n = createNotifier({ sound: true, browserNotifications: false, title: () => '', pageVisible: () => true, env: f.env });
    n.notify(message);
    expect(f.beeps).toHaveLength(0);
    await n.prime();
    n.notify(message);
    expect(f.beeps).toHaveLength(1);
  });

  it('browser notifications: permission asked on prime; shown only while the page is hidden; long bodies cut', async () => {
    const f = fakes();
    let visible = true;
    const n = createNotifier({ sound: false, browserNotifications: true, title: (name) => `New message from ${name}`, pageVisible: () => visible, env: f.env });
    await n.prime();
    expect(f.requests()).toBe(1);
    n.notify(message);
    expect(f.shown).toEqual([]);
    visible = false;
    n.notify(message);
    n.notify({ authorName: 'Ana', body: 'x'.repeat(300) });
    expect(f.shown[0]).toEqual({ title: 'New message from Ana', body: 'Your parcel ships today', tag: 'flexchat', silent: false });
    expect(f.shown[1]?.body).toHaveLength(120);
  });

  it("clicking a notification brings the chat's window forward and closes the notification", async () => {
    const f = fakes('granted');
    const focus = vi.fn();
    vi.stubGlobal('focus', focus);
    try {
      const n = createNotifier({ sound: true, browserNotifications: true, title: () => 'New message', pageVisible: () => false, env: f.env });
      await n.prime();
      n.notify(message);
      expect(f.shown[0]).toMatchObject({ silent: true }); // our own sound plays instead of the system's
      f.instances[0]!.onclick!();
      expect(focus).toHaveBeenCalledTimes(1);
      expect(f.instances[0]!.closed).toBe(true);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('stays quiet without errors when audio cannot start or the browser refuses page notifications', async () => {
    const BrokenAudio = class {
      constructor() {
        throw new Error('AudioContext not allowed');
      }
    } as unknown as NonNullable<NotifierEnv['AudioContext']>;
    const ServiceWorkerOnly = class {
      static permission = 'granted';
      static async requestPermission() {
        return 'granted';
      }
      constructor() {
        throw new TypeError('Illegal constructor: use ServiceWorkerRegistration.showNotification()');
      }
    } as unknown as NotificationLike;
    const n = createNotifier({ sound: true, browserNotifications: true, title: () => 't', pageVisible: () => false, env: { AudioContext: BrokenAudio, Notification: ServiceWorkerOnly } });
    await expect(n.prime()).resolves.toBeUndefined();
    expect(() => n.notify(message)).not.toThrow();
  });

  it('finds the browser APIs itself when no env is given (webkitAudioContext on older Safari)', async () => {
    const f = fakes('granted');
    vi.stubGlobal('AudioContext', undefined);
    vi.stubGlobal('webkitAudioContext', f.env.AudioContext);
    vi.stubGlobal('Notification', f.env.Notification);
    try {
      const n = createNotifier({ sound: true, browserNotifications: true, title: () => 'New message', pageVisible: () => false });
      await n.prime();
      n.notify(message);
      expect(f.beeps).toHaveLength(1);
      expect(f.shown).toHaveLength(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refused permission (or an iframe that may not ask) means no notifications, without errors', async () => {
    const f = fakes('default', 'denied');
    const n = createNotifier({ sound: false, browserNotifications: true, title: () => 't', pageVisible: () => false, env: f.env });
    await n.prime();
    n.notify(message);
    expect(f.shown).toEqual([]);
    const none = createNotifier({ sound: true, browserNotifications: true, title: () => 't', pageVisible: () => false, env: {} });
    await expect(none.prime()).resolves.toBeUndefined();
    expect(() => none.notify(message)).not.toThrow();
  });
});
