// The typed ES module API for single-page apps: dist/widget/flexchat.mjs (+ flexchat.d.mts).
//
//   import { boot, open, on, setContext } from 'https://chat.example.com/flexchat.mjs';
//   boot({ position: 'left' });          // draws the launcher (any call boots)
//   const off = on('unread', (count) => badge(count));
//
// It drives the same `window.FlexChat` as the script tag: if loader.js is on the page
// too (before or after), there is still one launcher, one iframe, one queue.
// Its public types live in types.ts and are re-exported here.
import { installOnce } from './install-once.ts';
import { withLoaderDefaults } from './loader-config.ts';
import { boot as start, type HostWindow, type LoaderConfig } from './loader.ts';
import type { FlexChatEventName, FlexChatFunction, FlexChatListener, LauncherOptions, PreviewConfig } from './types.ts';

export type { FlexChatEventName, FlexChatEvents, FlexChatFunction, FlexChatListener, LauncherOptions, PreviewConfig } from './types.ts';

function baked(): LoaderConfig {
  // Baked in by the build; absent (undefined) under vitest or a raw TS import.
  const cfg = typeof __FLEXCHAT_DEPLOYMENT__ === 'undefined' ? undefined : __FLEXCHAT_DEPLOYMENT__;
  return (cfg as unknown as LoaderConfig | undefined) ?? withLoaderDefaults({ widgetOrigin: new URL(import.meta.url).origin });
}

function call(...args: unknown[]): void {
  const w = window as HostWindow;
  if (!w.FlexChat || !w.FlexChat.l) {
    start(w, baked(), { load: () => w.FlexChat!.x?.(installOnce) });
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
/** Shows the proactive teaser bubble with `text` over the launcher (unless the visitor
 *  dismissed one before, or the chat is open); choosing it opens the chat. */
export function teaser(text: string): void {
  call('teaser', { text });
}
