// The loader's API chunk (loader-api.<hash>.js, <= 6 KB min+gzip): the host side
// of the bridge, events (on/off), identify / setContext / setLocale / shutdown / preview and
// SPA route following. The core (src/loader.ts) fetches it when it creates the
// iframe or when the page calls a command the core does not handle, and hands
// itself over through `FlexChat.x(install)` (src/api-entry.ts); the ESM build
// (src/esm.ts) bundles both. Touches no global but `FlexChat`. The notice shown when
// the frame did not load is frame-notice.ts; unread counts, unread.ts.
import {
  MARKER,
  MAX_TOKEN,
  MAX_VALUE,
  VERSION,
  copyPreview,
  isOurs,
  isPreviewSettings,
  isReady,
  isStringMap,
  isWidgetMessage,
  type HostClose,
  type HostCommand,
  type WidgetMessage,
} from '../../contracts/bridge-protocol.ts';
import { inLanguage } from './language.ts';
import type { ApiOptions, LauncherTexts } from './loader-config.ts';
import { keepFrameFocused } from './frame-focus.ts';
import { showNotice } from './frame-notice.ts';
import { HANDSHAKE_MS, HINT_TTL, LOAD_MS, ROUTE_POLL_MS, hintRenewalDue } from './api-timings.ts';
import { HINT, type Core, type Extras } from './loader.ts';
import type { FlexChatEventName, FlexChatEvents } from './types.ts';
import { TEASER_MAX, teaser } from './teaser.ts';
import { watchRules } from './teaser-rules.ts';
import { unreadView } from './unread.ts';
export { inLanguage, HANDSHAKE_MS, HINT_TTL, LOAD_MS, ROUTE_POLL_MS };

const EVENTS: FlexChatEventName[] = ['ready', 'open', 'close', 'unread', 'message', 'sessionStart', 'sessionEnd', 'error'];

type Listener = (payload?: unknown) => void;
type NavigationLike = EventTarget;

const bakedTexts = () => (typeof __FLEXCHAT_LAUNCHER_TEXTS__ == 'undefined' ? null : __FLEXCHAT_LAUNCHER_TEXTS__);
const bakedOptions = (): ApiOptions => (typeof __FLEXCHAT_API_OPTIONS__ == 'undefined' ? {} : __FLEXCHAT_API_OPTIONS__);

/** `texts`: the launcher's name and chat title per locale; `opts`: the rest of the deployment
 *  the chunk needs (both baked by the build; tests pass their own). */
export function install(K: Core, texts: LauncherTexts | null = bakedTexts(), opts: ApiOptions = bakedOptions()): Extras {
  const w = K.w;
  const origin = K.c.widgetOrigin;
  const instance = w.crypto.getRandomValues(new Uint32Array(2)).join('');
  const listeners = new Map<string, Set<Listener>>(EVENTS.map((e) => [e, new Set()]));
  const pending: HostCommand[] = []; // commands sent before the widget's ack
  let port: MessagePort | undefined;
  let frame: HTMLIFrameElement | undefined;
  let btn: HTMLElement | undefined; // the core's launcher, the close button when full screen
  let wasOpen = false;
  let locale: unknown;
  let hostClose: HostClose = null; // as last told to the widget (which starts from null)
  let context: Record<string, string> = {};
  let href = '';
  let dropped = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let guard: ReturnType<typeof setTimeout> | undefined; // the handshake's deadline
  let place: ((focus?: boolean) => void) | undefined; // the frame notice follows the panel, once shown
  let warned = false;

  // What this chunk last set (at first, what the core baked in): any other value is the page's.
  const ours: { label?: unknown; title?: unknown } = { ...texts?.base };
  // The core already named the launcher in the visitor's language (its `L`): that is ours too.
  if (texts && Object.values(texts.label).includes(K.c.label as string)) ours.label = K.c.label;

  /** The launcher's name and the iframe's title in the visitor's language: the page's
   *  setLocale, else the deployment's fixed locale, else the browser's languages. */
  const relabel = () => {
    if (!texts) return;
    const tags = lang();
    let changed = false;
    for (const k of ['label', 'title'] as const) {
      if (K.c[k] !== ours[k]) continue; // set by the page
      const v = inLanguage(texts[k], tags) || texts.base[k];
      if (v !== K.c[k]) {
        K.c[k] = ours[k] = v;
        changed = true;
      }
    }
    if (K.f) K.f.title = K.c.title as string;
    if (changed) K.a(); // redraws the launcher (and calls sync again: nothing changes then)
  };

  /** The visitor's language: the page's, else the deployment's pinned one, else the browser's
   *  first (as the core picks the launcher's name: loader.ts). */
  const lang = () => [K.c.locale || opts.locale || texts?.locale || w.navigator.language];

  const warn = (...a: unknown[]) => console.warn('[FlexChat]', ...a);

  const emit = <E extends FlexChatEventName>(name: E, payload?: FlexChatEvents[E]) => {
    for (const fn of [...listeners.get(name)!]) {
      try {
        fn(payload);
      } catch (error) {
        console.error('[FlexChat] listener failed', error);
      }
    }
  };

  /** An API misuse: warn and report it as an `error` event. */
  const fail = (code: string, message: string, quiet?: boolean) => {
    if (!quiet) warn(message);
    emit('error', { code, message });
  };

  const drop = (data: unknown) => {
    dropped++;
    if (/^(true|)$/.test(K.c.debug as string)) warn('dropped', dropped, data);
  };

  const send = (c: HostCommand) => {
    if (port) port.postMessage({ flexchat: MARKER, v: VERSION, instance, ...c });
    else pending.push(c);
  };

  const hint = (on: boolean) => {
    try {
      if (on) w.localStorage.setItem(HINT, '' + (Date.now() + HINT_TTL));
      else w.localStorage.removeItem(HINT);
    } catch {
      // storage blocked: no eager iframe next time, that is all
    }
  };

  const onWidget = (p: MessagePort, m: unknown) => {
    if (!isWidgetMessage(m, instance)) return drop(m);
    if (m.type === 'ack') {
      if (port) return drop(m);
      clearTimeout(guard);
      port = p;
      pending.splice(0).forEach(send);
      emit('ready');
      return;
    }
    if (p !== port) return drop(m); // a port the widget did not acknowledge
    handle(m);
  };

  const handle = (m: WidgetMessage) => {
    switch (m.type) {
      case 'requestClose':
        K.s(false, true);
        return;
      case 'unread':
        unread.set(m.count);
        emit('unread', m.count);
        return;
      case 'sessionStart':
        hint(true);
        emit('sessionStart');
        return;
      case 'sessionEnd':
        hint(false);
        emit('sessionEnd');
        return;
      case 'message':
        try {
          if (hintRenewalDue(+w.localStorage.getItem(HINT)!, Date.now())) hint(true);
        } catch {
          // no storage
        }
        emit('message', { fromAgent: m.fromAgent, direction: m.fromAgent ? 'incoming' : 'outgoing' });
        return;
      case 'error':
        emit('error', { code: m.code, message: `widget: ${m.code}` });
        return;
      case 'focusHostClose':
        if (K.o && layout()) btn!.focus();
        return;
    }
  };

  const hello = () => {
    const target = frame && frame.contentWindow;
    if (port || !target) return;
    const ch = new MessageChannel();
    const p = ch.port1;
    p.onmessage = (e) => onWidget(p, e.data);
    // Pinned: delivered only if the iframe holds a document of the widget origin.
    target.postMessage({ flexchat: MARKER, v: VERSION, type: 'hello', instance }, origin, [ch.port2]);
  };

  const sendContext = () => send({ type: 'setContext', context: { ...context } });

  // The frame must complete the handshake in time. When it does not (the widget
  // origin refused this page with frame-ancestors, a 404, the network), the panel
  // shows a short message with a retry instead of the browser's error page, the
  // page hears an `error`, and the console says which setting lets this origin in.
  const watch = (loaded: boolean) => {
    clearTimeout(guard);
    if (!port) guard = setTimeout(() => blocked(loaded ? 'frame_blocked' : 'frame_timeout'), loaded ? HANDSHAKE_MS : LOAD_MS);
  };

  const blocked = (code: string) => {
    if (!frame!.isConnected) return; // the loader was removed
    const page = w.location.origin;
    // Framed itself, every page above must be allowed too (frame-ancestors checks them all).
    const above = w !== w.top ? [...(w.location.ancestorOrigins || [])].filter((a) => a !== page) : [];
    const message = `the chat (${origin}) did not load on ${page}${above.length ? `, framed by ${above.join(', ')}` : ''}`;
    if (!warned) {
      warned = true;
      console.warn(`[FlexChat] ${code}: ${message}. Add ${[page, ...above].join(' and ')} to allowedDomains in flexchat.config.json (or FLEXCHAT_ALLOWED_DOMAINS) of the widget deployment.`);
    }
    emit('error', { code, message, origin: page });
    // A message in the panel's place; its retry loads the frame again (hello on load, as the first time).
    place = showNotice(K, frame!, () => {
      frame!.src = origin + '/';
      watch(false);
    });
  };

  // SPA route changes: popstate/hashchange, plus the Navigation API where there is
  // one (it sees pushState too), else a cheap poll of location.href. Runs only
  // once the iframe exists. Patches nothing.
  const route = () => {
    if (!frame!.isConnected) return clearInterval(timer); // the loader was removed
    const now = w.location.href.slice(0, MAX_VALUE);
    if (now !== href) {
      href = context.pageUrl = now;
      sendContext();
    }
  };

  const wire = (f: HTMLIFrameElement) => {
    frame = f;
    // Full screen the panel hides the page, so it is modal: its tab stops are the widget's and
    // this button, nothing of the page. Tab from the button would go on to the page (the frame
    // comes before it): into the widget instead, at its first stop. Shift+Tab from that stop
    // comes back here (focusHostClose); the browser itself leaves the widget's last stop for this
    // button, and enters the frame from it backwards. Without the widget's ack, focus stays here.
    btn = (f.getRootNode() as ShadowRoot).querySelector('button')!;
    btn.addEventListener('keydown', (e) => {
      if (e.key == 'Escape' && K.o) K.s(false); // (Esc: not in the 2 KB core, no panel before this chunk is asked for)
      else if (e.key == 'Tab' && !e.shiftKey && K.o && layout()) {
        e.preventDefault();
        if (port) {
          f.focus();
          send({ type: 'focusFirst' });
        }
      }
    });
    f.addEventListener('load', () => {
      hello();
      watch(true);
    });
    keepFrameFocused(K, f);
    w.addEventListener('message', (e) => {
      if (e.source !== f.contentWindow || e.origin !== origin || !isReady(e.data)) {
        if (isOurs(e.data)) drop(e.data); // forged or stale: other origin, other frame, wrong version
      } else hello();
    });
    w.addEventListener('resize', sync); // crossing the breakpoint
    w.addEventListener('popstate', route);
    w.addEventListener('hashchange', route);
    const nav = (w as { navigation?: NavigationLike }).navigation;
    if (nav) nav.addEventListener('currententrychange', route);
    else timer = setInterval(route, ROUTE_POLL_MS);
    route();
    // The widget may have loaded and said 'ready' before this chunk arrived. Only
    // then: a hello to the initial about:blank would be refused (with a console error).
    try {
      void f.contentWindow!.document; // readable: still about:blank (same origin)
      watch(false);
    } catch {
      hello(); // cross-origin: the widget document (or an error page) is there
      watch(true);
    }
  };

  // Below the breakpoint the core shows the panel full screen and turns its launcher
  // into a close button over the frame's top corner on the launcher's side (unless
  // the launcher is hidden). The widget must then leave that corner empty and drop
  // its own close button (WCAG 2.4.11); the core's button stays the way out even
  // when the widget document never loads.
  const narrow = () => typeof w.matchMedia == 'function' && w.matchMedia(`(max-width:${K.c.breakpoint}px)`).matches;
  const layout = (full = narrow()): HostClose => (!/^(true|)$/.test(K.c.hideLauncher as string) && full ? (K.c.position as 'left' | 'right') : null);

  /** The unread count: the launcher's badge and name, the page's title if configured. */
  const unread = unreadView(K, () => btn, lang, opts.unreadInTitle);
  /** The proactive teaser: the visitor's click opens the chat, which shows its text first. */
  const bubble = teaser(K, lang, (text) => {
    send({ type: 'teaser', text });
    K.s(true);
  });
  if ((typeof __FLEXCHAT_TEASER_RULES__ == 'undefined' || __FLEXCHAT_TEASER_RULES__) && opts.teaser) watchRules(w, opts.teaser, () => [...lang(), opts.locale || 'en'], bubble.show);

  // The core's state changed: follow it.
  const sync = () => {
    relabel();
    unread.name(); // (the core has just set the plain name)
    // Custom launchers say whether the panel is open.
    if (K.c.selector) w.document.querySelectorAll(K.c.selector as string).forEach((e) => e.setAttribute('aria-expanded', '' + !!K.o));
    if (!frame && K.f) wire(K.f);
    if (K.o) bubble.hide();
    if (!!K.o !== wasOpen) {
      wasOpen = !!K.o;
      send({ type: wasOpen ? 'open' : 'close' });
      emit(wasOpen ? 'open' : 'close');
      place?.(true);
    } else place?.();
    if (K.c.locale && K.c.locale !== locale) {
      locale = K.c.locale;
      send({ type: 'setLocale', locale: locale as string });
    }
    const full = narrow(); // one media query per state change or resize
    const side = layout(full);
    if (side !== hostClose) send({ type: 'layout', hostClose: (hostClose = side) });
    // Open full screen, the page under the panel is hidden for screen readers too: their
    // browse mode and swipe gestures stay in the chat (aria-modal on the loader's element).
    if (frame) {
      const shell = (frame.getRootNode() as ShadowRoot).host;
      const a = (n: string, v: string) => (wasOpen && full ? shell.setAttribute(n, v) : shell.removeAttribute(n));
      a('role', 'dialog');
      a('aria-modal', 'true');
      a('aria-label', K.c.title as string);
    }
  };

  const command = (a: ArrayLike<unknown>) => {
    const c = a[0];
    const x = a[1];
    const y = a[2];
    switch (c) {
      case 'on':
      case 'off': {
        const set = listeners.get(x as string);
        if (!set || typeof y !== 'function') return fail('invalid_argument', `${c}: unknown event or no listener`);
        if (c === 'off') set.delete(y as Listener);
        else {
          set.add(y as Listener);
          if (x === 'ready' && port) queueMicrotask(() => set.has(y as Listener) && (y as Listener)());
        }
        return;
      }
      case 'identify':
        if (!isStringMap(x) || (y !== undefined && (typeof y !== 'string' || y.length > MAX_TOKEN))) {
          return fail('invalid_argument', 'identify: expects (prefill: {string: string}, userToken?: string)');
        }
        send(y === undefined ? { type: 'identify', prefill: { ...x } } : { type: 'identify', prefill: { ...x }, userToken: y });
        return;
      case 'setContext': {
        const next = { ...context, ...(x as object) };
        if (!isStringMap(x) || !isStringMap(next)) {
          return fail('invalid_argument', 'setContext: expects {string: string}, at most 50 keys of 2000 chars');
        }
        context = next;
        sendContext();
        return;
      }
      case 'setLocale':
        // The core validates (and warns); only report it here.
        if (!K.v('locale', x)) return fail('invalid_argument', 'setLocale: not a locale tag', true);
        sync();
        return;
      case 'showLauncher':
      case 'hideLauncher':
        K.c.hideLauncher = c === 'hideLauncher';
        K.a();
        return;
      case 'shutdown':
        pending.length = 0; // nothing said before the shutdown may reach the next visitor
        if (!port) hostClose = null; // but the layout is the page's: say it again
        context = href ? { pageUrl: href } : {};
        hint(false);
        unread.set(0);
        bubble.hide();
        K.s(false);
        send({ type: 'shutdown' });
        if (href) sendContext();
        return;
      case 'preview':
        if (x !== null && !isPreviewSettings(x)) {
          return fail('preview_invalid', 'preview: expects null or {locale, theme, texts, textsByLocale, preEngagement, messages, attachments, businessHours, offline}, at most 64 KB as JSON');
        }
        // Only the latest preview matters: one waiting for the widget replaces another.
        for (let i = pending.length; i--; ) if (pending[i]!.type === 'preview') pending.splice(i, 1);
        send({ type: 'preview', settings: x === null ? null : copyPreview(x) });
        return;
      case 'teaser': {
        const text = (x as { text?: unknown } | null)?.text;
        if (typeof text !== 'string' || !text.trim() || text.length > TEASER_MAX) {
          return fail('invalid_argument', `teaser: expects {text: string}, 1-${TEASER_MAX} characters`);
        }
        bubble.show(text.trim());
        return;
      }
      case 'stats':
        if (typeof x === 'function') x({ dropped });
        return;
      default:
        fail('unknown_command', `unknown command ${String(c)}`);
    }
  };

  return (a) => (a ? command(a) : sync());
}
