// Optional alerts for agent messages the visitor has not seen: a short sound
// and a browser notification. Both are off by default (WidgetOptions.sound,
// .browserNotifications). The host page gets the unread count either way.
//
// Browsers only let a page play audio and ask for notification permission
// after a user gesture, so prime() is called from one (starting the chat).
// Chromium refuses notification permission to cross-origin iframes: then
// notifications simply stay off; sound and the host's unread badge remain.
import type { IncomingNotice } from './session/session-controller.ts';

export interface NotifierOptions {
  sound: boolean;
  browserNotifications: boolean;
  /** Notification title for a message from `name`. */
  title: (name: string) => string;
  /** Whether the visitor would see a notification's content anyway (the page is visible). */
  pageVisible: () => boolean;
  /** Where the sound and notification APIs come from (tests pass fakes). */
  env?: NotifierEnv;
}

export interface NotifierEnv {
  AudioContext?: new () => AudioContextLike;
  Notification?: NotificationLike;
}

export interface AudioContextLike {
  readonly currentTime: number;
  readonly state: string;
  readonly destination: unknown;
  resume(): Promise<void>;
  createOscillator(): {
    type: string;
    frequency: { setValueAtTime(value: number, time: number): void };
    connect(node: unknown): unknown;
    start(time?: number): void;
    stop(time?: number): void;
  };
  createGain(): {
    gain: { setValueAtTime(value: number, time: number): void; exponentialRampToValueAtTime(value: number, time: number): void };
    connect(node: unknown): unknown;
  };
}

export interface NotificationLike {
  readonly permission: 'default' | 'granted' | 'denied';
  requestPermission(): Promise<'default' | 'granted' | 'denied'>;
  new (title: string, options?: { body?: string; tag?: string; silent?: boolean }): { close(): void; onclick: (() => void) | null };
}

export interface Notifier {
  /** Call from a user gesture: unlocks audio and asks for notification permission if enabled. */
  prime(): Promise<void>;
  /** An agent message arrived that the visitor has not seen. */
  notify(message: IncomingNotice): void;
}

function defaultEnv(): NotifierEnv {
  const g = globalThis as unknown as { AudioContext?: NotifierEnv['AudioContext']; webkitAudioContext?: NotifierEnv['AudioContext']; Notification?: NotificationLike };
  const env: NotifierEnv = {};
  const Audio = g.AudioContext ?? g.webkitAudioContext;
  if (Audio) env.AudioContext = Audio;
  if (g.Notification) env.Notification = g.Notification;
  return env;
}

/** Bodies in notifications are cut short: they may show on a lock screen. */
const previewLength = 120;

export function createNotifier(options: NotifierOptions): Notifier {
  const env = options.env ?? defaultEnv();
  let audio: AudioContextLike | null = null;

  const beep = () => {
    if (!audio || audio.state !== 'running') return;
    const t = audio.currentTime;
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.setValueAtTime(880, t);
    oscillator.frequency.setValueAtTime(1320, t + 0.09);
    gain.gain.setValueAtTime(0.12, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + 0.25);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(t);
    oscillator.stop(t + 0.26);
  };

  return {
    async prime() {
      if (options.sound && env.AudioContext) {
        try {
          audio ??= new env.AudioContext();
          if (audio.state !== 'running') await audio.resume();
        } catch {
          audio = null; // No audio here: stay silent.
        }
      }
      const N = env.Notification;
      if (options.browserNotifications && N && N.permission === 'default') {
        try {
          await N.requestPermission();
        } catch {
          // Refused in this context (e.g. cross-origin iframe): notifications stay off.
        }
      }
    },
    notify(message) {
      if (options.sound) beep();
      const N = env.Notification;
      if (!options.browserNotifications || !N || N.permission !== 'granted' || options.pageVisible()) return;
      const body = message.body.length > previewLength ? `${message.body.slice(0, previewLength - 1)}…` : message.body;
      try {
        const notification = new N(options.title(message.authorName), { body, tag: 'flexchat', silent: options.sound });
        notification.onclick = () => {
          globalThis.focus?.();
          notification.close();
        };
      } catch {
        // Some browsers only allow notifications from a service worker: skip.
      }
    },
  };
}
