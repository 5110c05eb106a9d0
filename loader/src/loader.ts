// The loader's core (loader.js, <= 2 KB min+gzip, loader/size-budget.test.ts):
// the FlexChat() global and its queue, per-page options, the launcher in a closed
// shadow root, intent detection and the lazy sandboxed iframe. Everything else
// (the bridge, events, identify/context/locale, shutdown, SPA route following)
// lives in the API chunk (src/api.ts), loaded when the iframe is created or the
// page calls a command the core does not handle; those commands wait for it.
// Framework-free and terse on purpose. Touches no global but `FlexChat`.
import type { LauncherOptions } from './types.ts';

/** What the loader runs on: the deployment's widget origin plus launcher options
 *  (baked in at build time by loaderConfigOf, then data-* and boot overrides). */
export interface LoaderConfig extends LauncherOptions {
  widgetOrigin: string;
  /** The launcher's name per locale (launcher.label given per locale), by canonical tag,
   *  each language's name also under its bare language tag (loader-config.ts labelsOf): the
   *  core names the launcher in the visitor's language itself, without the API chunk. */
  L?: Record<string, string>;
  /** The deployment's pinned language (config `locale`), which wins over the browser's. */
  T?: string;
  /** The deployment has teaser rules: fetch the API chunk (which checks them) when idle. */
  R?: 1;
}

/** The effective config. Overrides are kept as the validated strings they came as. */
export type Config = { [K in keyof LoaderConfig]: LoaderConfig[K] | string };

/** The core's side of the hand-over to the API chunk (internal, same build). */
export interface Core {
  /** Effective config. */
  c: Config;
  /** Host window. */
  w: HostWindow;
  /** The iframe, once created (kept current by the core). */
  f?: HTMLIFrameElement;
  /** Is the panel open? (kept current by the core) */
  o?: boolean;
  /** Redraws the launcher from `c`. */
  a(): void;
  /** Show or hide the panel; `refocus`: return focus to the launcher used last. */
  s(open: boolean, refocus?: boolean): void;
  /** Validates and sets one option (console warning when invalid). */
  v(key: string, value: unknown): boolean;
  /** The API chunk's command handler, once installed (set by the chunk). */
  e?: Extras;
}

/** The API chunk's entry: called once with the core; returns its command handler.
 *  Called with a command's arguments, or with nothing when the core's state changed. */
export type Extras = (command?: ArrayLike<unknown>) => void;
export type Install = (core: Core) => Extras;

/** `window.FlexChat`: a function; `q` is the inline stub's queue, `l` marks a loaded
 *  loader, `x` exists only while the API chunk is awaited (its hand-over). */
export interface FlexChatFn {
  (command?: unknown, ...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  l?: 1;
  x?: (install: Install) => void;
}

export type HostWindow = Window & { FlexChat?: FlexChatFn };

export interface BootHooks {
  /** Per-page overrides: the script tag's dataset (data-offset-x -> offsetX). */
  data?: Record<string, string | undefined>;
  /** Fetches the API chunk, which then calls `FlexChat.x(install)`. */
  load: () => void;
}

/** Host-origin localStorage key: expiry (ms) of the widget's active session, written
 *  by the API chunk on sessionStart/message, removed on sessionEnd/shutdown. */
export const HINT = 'flexchat:session';

/** Per-page options and their checks, on the value as a string. The bounds of
 *  config/schema.json, except that zIndex and breakpoint only check the digit count. */
const RULES: Record<string, RegExp> = {
  position: /^(left|right)$/,
  offsetX: /^([1-3]?\d?\d|400)$/,
  offsetY: /^([1-3]?\d?\d|400)$/,
  zIndex: /^\d{1,10}$/,
  breakpoint: /^\d{1,4}$/,
  label: /^.{1,60}$/,
  title: /^.{1,200}$/,
  color: /^#([\da-f]{3}){1,2}$/i,
  selector: /^.{1,200}$/,
  hideLauncher: /^(true|false|)$/,
  prefetch: /^(cache|intent|idle)$/,
  debug: /^(true|false|)$/,
  locale: /^[a-z]{2,3}(-[A-Za-z\d]{2,8})*$/,
};

// Why each sandbox token (everything else stays blocked, notably top navigation,
// modals, pointer lock and presentation):
//   allow-scripts          the widget is a script app.
//   allow-same-origin      keep the widget's real origin (not opaque "null"): it needs its
//                          own storage to resume a chat, CORS requests to the token service
//                          and a pinnable origin for the bridge. Safe only because the widget
//                          origin differs from the host page's origin.
//   allow-forms            the pre-engagement form; without it browsers drop submit events.
//   allow-popups           links sent by agents open in a new tab.
//   allow-popups-to-escape-sandbox  those tabs are ordinary pages, not sandboxed copies.
//   allow-downloads        attachments and transcripts.
// No `allow` attribute: an empty permissions-policy set (no camera, microphone,
// geolocation, payment, clipboard...); the widget needs none of them.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads';

export function boot(w: HostWindow, cfg: LoaderConfig, o: BootHooks): void {
  const prev = w.FlexChat;
  if (prev?.l) return; // a second copy of loader.js: no-op
  const queue: ArrayLike<unknown>[] = prev?.q || [];
  const wait: ArrayLike<unknown>[] = []; // commands for the API chunk, until it arrives
  const C: Config = { ...cfg };
  let run: ((args: ArrayLike<unknown>) => void) | undefined;
  let ext: Extras | undefined;
  const api: FlexChatFn = function () {
    // eslint-disable-next-line prefer-rest-params
    run ? run(arguments) : queue.push(arguments);
  };
  api.l = 1;
  w.FlexChat = api;

  const d = w.document;
  const set = (k: string, v: unknown): boolean => {
    const r = RULES[k];
    const s = '' + v;
    try {
      // An unknown key has no rule (or an inherited non-RegExp one): r.test throws.
      if (!r!.test(s)) throw 0;
      if (k == 'selector') d.querySelector(s); // throws on a bad selector
      (C as Record<string, unknown>)[k] = s;
      return true;
    } catch {
      console.warn('[FlexChat] invalid', k, v);
      return false;
    }
  };

  const need = () => {
    if (!api.x) {
      api.x = (install) => {
        delete api.x;
        ext = install(K);
        wait.splice(0).forEach(ext);
        ext();
      };
      o.load();
    }
  };

  let K: Core;

  const start = () => {
    let f: HTMLIFrameElement | undefined;
    let open: boolean | undefined;
    const host = d.createElement('flex-chat');
    const root = host.attachShadow({ mode: 'closed' });
    const btn = d.createElement('button');
    const attr = (e: Element, n: string, v: unknown) => e.setAttribute(n, v as string); // (coerced)
    let last: HTMLElement = btn; // the launcher that opened the panel gets focus back
    // Constructable stylesheets: not subject to the host page's style-src CSP.
    // Older browsers get a <style> element (DOM APIs only).
    let sheet: CSSStyleSheet | HTMLStyleElement;
    if (root.adoptedStyleSheets) root.adoptedStyleSheets = [(sheet = new CSSStyleSheet())];
    else (root as ShadowRoot).append((sheet = d.createElement('style')));

    // The launcher's name in the visitor's language: the page's locale, else the deployment's
    // pinned one, else the browser's (as the API chunk's relabel picks it), without the API
    // chunk. A name the page set itself (data-label, boot) is kept.
    let named = cfg.label;

    // (Re)draws from C. Values are validated (integers, #hex, left|right): safe in CSS.
    const apply = () => {
      if (cfg.L && C.label == named) {
        const k = (C.locale || cfg.T || navigator.language) as string; // (canonical case)
        C.label = named = cfg.L[k] || cfg.L[k.split('-')[0]!] || cfg.label;
      }
      const s = C.position;
      const x = +C.offsetX!;
      const y = +C.offsetY!;
      const c = C.color;
      const css =
        `:host{all:initial}button,iframe{position:fixed;${s}:${x}px;z-index:${C.zIndex};border:0;box-shadow:0 2px 12px #0006}` +
        `button{bottom:${y}px;width:56px;height:56px;border-radius:50%;background:${c};cursor:pointer;display:grid;place-items:center}` +
        `button[hidden]{display:none}` + // (focus: the browser's own focus ring)
        `button:before{content:"";width:24px;height:20px;background:#fff;border-radius:10px 10px 10px 0}` + // a speech bubble
        `[aria-expanded=true]:before{content:"\\d7";background:0;width:auto;color:#fff;font:32px/20px sans-serif}` +
        `b{position:absolute;top:-4px;right:-4px;padding:0 6px;border-radius:9px;background:#c00;color:#fff;font:700 12px/18px sans-serif}b:empty{display:none}` +
        `iframe{bottom:${y + 68}px;width:min(400px,100vw - ${2 * x}px);height:min(640px,100vh - ${y + 88}px);border-radius:12px;background:#fff}` +
        `@media(max-width:${C.breakpoint}px){iframe{inset:0;width:100%;height:100%;border-radius:0}[aria-expanded=true]{top:8px;${s}:8px;width:40px;height:40px}}`;
      if ((sheet as CSSStyleSheet).replaceSync) (sheet as CSSStyleSheet).replaceSync(css);
      else (sheet as HTMLStyleElement).textContent = css;
      btn.hidden = /^(true|)$/.test(C.hideLauncher as string);
      attr(btn, 'aria-expanded', !!open);
      attr(btn, 'aria-label', C.label); // (the API chunk adds the unread count)
      if (ext) ext();
    };

    // Created on intent (or idle prefetch, or for a returning visitor) only.
    const panel = () => {
      if (!f) {
        f = K.f = d.createElement('iframe');
        f.hidden = true;
        f.title = C.title!;
        attr(f, 'sandbox', SANDBOX);
        f.src = C.widgetOrigin + '/';
        btn.before(f); // same z-index: the launcher paints above the panel
        if (ext) ext();
        else need(); // the bridge lives in the API chunk
      }
      return f;
    };

    const show: Core['s'] = (v, r) => {
      if (!v && !f) return; // closing something never opened creates nothing
      const p = panel();
      if (!v && (r || root.activeElement == p)) last.focus();
      K.o = open = v;
      p.hidden = !v;
      attr(btn, 'aria-expanded', v); // (custom launchers: the API chunk, which the frame brings)
      if (v) p.focus();
      if (ext) ext();
    };

    K = {
      c: C,
      w,
      a: apply,
      s: show,
      v: set,
    };

    // (No type=button: there is no form in the shadow root. The aria-label names the
    // button; its content, the badge, is presentational.)
    btn.append(d.createElement('b')); // the unread badge (the API chunk counts)
    root.append(btn);
    // Intent: a pointer over the launcher (a mouse's hover; a finger's touchstart, before
    // the tap ends), or keyboard focus.
    btn.onpointerover = btn.onfocus = panel;
    btn.onclick = () => {
      last = btn;
      show(!open);
    };
    // Custom launchers: any element matching `selector`, now or added later.
    const mine = (e: Event) => {
      const t = C.selector && (e.target as Element).closest?.(C.selector);
      if (t) {
        if (e.type == 'click') {
          e.preventDefault();
          last = t as HTMLElement;
          show(!open);
        } else panel();
      }
    };
    d.addEventListener('click', mine, true);
    d.addEventListener('pointerover', mine, true);

    for (const k in RULES) if (o.data?.[k] != null) set(k, o.data[k]);
    run = (a) => {
      const c = a[0];
      const x = a[1] as Record<string, unknown>;
      if (c == 'boot') {
        for (const k in x) set(k, x[k]);
        apply();
      } else if (c == 'open' || c == 'close' || c == 'toggle') show(c == 'toggle' ? !open : c == 'open');
      else if (ext) ext(a);
      else {
        wait.push(a);
        need();
      }
    };
    queue.splice(0).forEach(run);
    apply();
    d.body.append(host);
    // When the browser is idle after load: with prefetch "idle", and for a returning visitor
    // with an active chat (unread badge), the iframe. Else (prefetch "cache", the default)
    // the widget origin's prefetch.html, hidden in the shadow root (so not one of the page's
    // window.frames): a static page, no script, of low-priority prefetches of the form's files. They
    // land in the widget frame's cache partition (the page's own would not serve the frame:
    // browsers key the HTTP cache by top-level and frame site), and the widget origin's
    // process is up by the click. No sandbox: it would make the page's origin opaque, with a
    // cache partition of its own. With teaser rules (R), also the API chunk, which checks them.
    const warm = () => {
      if (cfg.R) need();
      if (C.prefetch != 'intent') {
        const p = d.createElement('iframe');
        p.src = C.widgetOrigin + '/prefetch.html';
        p.hidden = true;
        root.append(p);
      }
    };
    try {
      (w.requestIdleCallback || setTimeout)(C.prefetch == 'idle' || +w.localStorage.getItem(HINT)! > Date.now() ? panel : warm);
    } catch {
      // storage blocked: no hint, no prefetch
    }
  };

  // No DOM work before the page's load event.
  if (d.readyState == 'complete') start();
  else w.addEventListener('load', start);
}
