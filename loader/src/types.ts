// The loader's public types: what flexchat.d.mts declares for the ES module
// (src/esm.ts re-exports them) and what the core and the API chunk are typed
// against. Types only; imports nothing, so no module of the loader needs esm.ts.
// The build concatenates this file's declarations with esm.ts's into
// flexchat.d.mts (scripts/loader-declarations.ts).

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
  /** Before intent, when the browser is idle: `cache` (default) fetches the form's files into the
   *  browser's cache and runs nothing; `idle` loads the whole widget, hidden; `intent`: nothing. */
  prefetch?: 'cache' | 'intent' | 'idle';
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
  /** Shows the proactive teaser bubble with `text` (1–200 characters) over the launcher,
   *  unless the visitor dismissed one before or the chat is open. */
  (command: 'teaser', options: { text: string }): void;
}
