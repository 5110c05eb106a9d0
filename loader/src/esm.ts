// The typed ES module API for single-page apps: dist/widget/flexchat.mjs (+ flexchat.d.mts).
//
//   import { boot, open, on, setContext } from 'https://chat.example.com/flexchat.mjs';
//   boot({ position: 'left' });          // draws the launcher (any call boots)
//   const off = on('unread', (count) => badge(count));
//
// It drives the same `window.FlexChat` as the script tag: if loader.js is on the page
// too (before or after), there is still one launcher, one iframe, one queue.
// This file is also the home of the public types (the loader's code imports them).
import { install } from './api.ts';
import { withLoaderDefaults } from './loader-config.ts';
import { boot as start, type HostWindow, type LoaderConfig } from './loader.ts';

/** Per-page options: `FlexChat('boot', options)` or the script tag's data-* attributes
 *  (`data-offset-x="12"` is `offsetX`). Invalid values are ignored with a console warning. */
export interface LauncherOptions {
  /** Corner of the launcher and panel (`launcher.position`). */
  position?: 'left' | 'right';
  /** Distance in px from the side, 0–400 (`launcher.offsetX`). */
  offsetX?: number;
  /** Distance in px from the bottom, 0–400 (`launcher.offsetY`). */
  offsetY?: number;
  /** CSS z-index of launcher and panel (`launcher.zIndex`). */
  zIndex?: number;
  /** Accessible name of the launcher, 1–60 chars (`launcher.label`). */
  label?: string;
  /** Launcher colour, #rgb or #rrggbb (`theme.primaryColor`). */
  color?: string;
  /** Title of the chat iframe (`texts.title`). */
  title?: string;
  /** CSS selector of host-page elements that open the chat too (`launcher.selector`). */
  selector?: string;
  /** Hide the default round launcher (`launcher.hideDefaultLauncher`). */
  hideLauncher?: boolean;
  /** When the iframe loads: on first intent (default) or when the browser is idle (`prefetch`). */
  prefetch?: 'intent' | 'idle';
  /** Viewport width in px up to which the panel is full screen (`launcher.mobileBreakpoint`). */
  breakpoint?: number;
  /** Widget language, a BCP 47 tag such as `de` or `pt-BR` (`locale`). */
  locale?: string;
  /** Log dropped bridge messages and their running count to the console. */
  debug?: boolean;
}

/** Unsaved deployment settings for `preview` (same shapes as in flexchat.config.json),
 *  validated by the widget against the config schema. Only for pages whose origin is
 *  listed in the deployment's `previewOrigins`; the widget ignores previews from others. */
export interface PreviewConfig {
  locale?: string;
  theme?: { primaryColor?: string; mode?: 'light' | 'dark' | 'auto' };
  texts?: Record<string, string>;
  textsByLocale?: Record<string, Record<string, string>>;
  preEngagement?: { fields: object[]; [setting: string]: unknown };
  messages?: Record<string, unknown>;
  attachments?: Record<string, unknown>;
  businessHours?: { timezone: string; weekly: Record<string, [string, string][]>; closedDates?: string[] };
  offline?: { mode?: 'leaveMessage' | 'closedMessage' };
}

/** Payload of each event, as passed to `on(event, listener)`. */
export interface FlexChatEvents {
  /** The widget is connected; commands now reach it. A late listener is called at once. */
  ready: undefined;
  open: undefined;
  close: undefined;
  /** Agent messages the visitor has not seen (0 when the panel opens). */
  unread: number;
  /** `incoming`: from an agent; `outgoing`: the visitor's own, accepted by the chat service. Never the text. */
  message: { fromAgent: boolean; direction: 'incoming' | 'outgoing' };
  sessionStart: undefined;
  sessionEnd: undefined;
  /** `invalid_argument`, `unknown_command`, `preview_invalid`, or a widget code such as `token_service_unavailable`. */
  /**
   * Something failed. `frame_blocked` (the frame loaded a page that is not the
   * widget: refused by the widget origin's frame-ancestors, a 404, an error page)
   * and `frame_timeout` (nothing loaded in time) also carry the page's `origin`,
   * the one to add to allowedDomains.
   */
  error: { code: string; message: string; origin?: string };
}

export type FlexChatEventName = keyof FlexChatEvents;
export type FlexChatListener<E extends FlexChatEventName> = (payload: FlexChatEvents[E]) => void;

/** The `window.FlexChat` function, typed. */
export interface FlexChatFunction {
  (command: 'boot', options?: LauncherOptions): void;
  (command: 'open' | 'close' | 'toggle' | 'showLauncher' | 'hideLauncher' | 'shutdown'): void;
  (command: 'identify', prefill: Record<string, string>, userToken?: string): void;
  (command: 'setContext', context: Record<string, string>): void;
  (command: 'setLocale', locale: string): void;
  (command: 'preview', settings: PreviewConfig | null): void;
  <E extends FlexChatEventName>(command: 'on' | 'off', event: E, listener: FlexChatListener<E>): void;
  (command: 'stats', callback: (stats: { dropped: number }) => void): void;
}

function baked(): LoaderConfig {
  // Baked in by the build; absent (undefined) under vitest or a raw TS import.
  const cfg = typeof __FLEXCHAT_DEPLOYMENT__ === 'undefined' ? undefined : __FLEXCHAT_DEPLOYMENT__;
  return (cfg as unknown as LoaderConfig | undefined) ?? withLoaderDefaults({ widgetOrigin: new URL(import.meta.url).origin });
}

function call(...args: unknown[]): void {
  const w = window as HostWindow;
  if (!w.FlexChat || !w.FlexChat.l) {
    start(w, baked(), { load: () => w.FlexChat!.x?.(install) });
  }
  w.FlexChat!(...args);
}

/** Calls `window.FlexChat` (booting the loader first if needed), fully typed. */
export const FlexChat: FlexChatFunction = call;

/** Draws the launcher (once) and applies per-page options (again on each call). */
export function boot(options: LauncherOptions = {}): void {
  call('boot', options);
}
/** Creates the panel if needed, shows and focuses it. */
export function open(): void {
  call('open');
}
/** Hides the panel. */
export function close(): void {
  call('close');
}
/** Opens if closed, closes if open. */
export function toggle(): void {
  call('toggle');
}
/** Shows the default launcher. */
export function showLauncher(): void {
  call('showLauncher');
}
/** Hides the default launcher (custom launchers keep working). */
export function hideLauncher(): void {
  call('hideLauncher');
}
/** Prefills the pre-engagement form; `userToken` is the signed JWT from your backend
 *  that the token service turns into a stable, non-PII identity. */
export function identify(prefill: Record<string, string>, userToken?: string): void {
  if (userToken === undefined) call('identify', prefill);
  else call('identify', prefill, userToken);
}
/** Merges into the context sent to the widget (`pageUrl` follows route changes by itself). */
export function setContext(context: Record<string, string>): void {
  call('setContext', context);
}
/** Switches the widget's language. */
export function setLocale(locale: string): void {
  call('setLocale', locale);
}
/** Shows unsaved settings in the widget (form builders); `null` goes back to the deployment's. */
export function preview(settings: PreviewConfig | null): void {
  call('preview', settings);
}
/** Forgets the visitor: ends the chat, clears the stored session, closes the panel. */
export function shutdown(): void {
  call('shutdown');
}
/** Listens to an event; returns a function that stops listening. */
export function on<E extends FlexChatEventName>(event: E, listener: FlexChatListener<E>): () => void {
  call('on', event, listener);
  return () => call('off', event, listener);
}
/** Stops listening. */
export function off<E extends FlexChatEventName>(event: E, listener: FlexChatListener<E>): void {
  call('off', event, listener);
}
