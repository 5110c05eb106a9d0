// The loader proper: launcher in a closed shadow root, lazy sandboxed iframe,
// the FlexChat() command API and the host side of the bridge.
// Budget: loader.js <= 2 KB min+gzip (loader/size-budget.test.ts), so this file
// stays framework-free and terse. Touches no global but `FlexChat`.
import type { DeploymentConfig } from '../../config/types.ts';
import { MARKER, VERSION, isReady, isWidgetMessage, type HostCommand } from './bridge-protocol.ts';

/** The slice of the deployment config the loader needs (the rest stays out of loader.js). */
export type LoaderConfig = Pick<DeploymentConfig, 'widgetOrigin' | 'launcher' | 'theme' | 'texts'>;

/** `window.FlexChat`: a function; `q` is the inline stub's queue, `l` marks a loaded loader. */
export interface FlexChatFn {
  (command?: unknown, ...args: unknown[]): void;
  q?: ArrayLike<unknown>[];
  l?: 1;
}

export type HostWindow = Window & { FlexChat?: FlexChatFn };

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
// No `allow` attribute: the widget needs no permission-policy features yet.
const SANDBOX =
  'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads';

export function boot(w: HostWindow, cfg: LoaderConfig, debug?: boolean): void {
  const prev = w.FlexChat;
  if (prev && prev.l) return; // a second copy of loader.js: no-op
  const queue: ArrayLike<unknown>[] = (prev && prev.q) || [];
  let run: ((args: ArrayLike<unknown>) => void) | undefined;
  const api: FlexChatFn = function () {
    // eslint-disable-next-line prefer-rest-params
    run ? run(arguments) : queue.push(arguments);
  };
  api.l = 1;
  w.FlexChat = api;

  const start = () => {
    const d = w.document;
    const origin = cfg.widgetOrigin;
    const L = cfg.launcher || {};
    const label = L.label || 'Chat with us';
    const side = L.position === 'left' ? 'left' : 'right';
    const x = L.offsetX ?? 20;
    const y = L.offsetY ?? 20;
    const color = (cfg.theme && cfg.theme.primaryColor) || '#0b57d0';
    const instance = w.crypto.getRandomValues(new Uint32Array(2)).join('');
    const pending: HostCommand[] = [];
    let frame: HTMLIFrameElement | undefined;
    let port: MessagePort | undefined;
    let open = false;

    const host = d.createElement('flex-chat');
    const root = host.attachShadow({ mode: 'closed' });
    const btn = d.createElement('button');
    const attr = (n: string, v: string) => btn.setAttribute(n, v);
    const NS = 'http://www.w3.org/2000/svg';
    const svg = d.createElementNS(NS, 'svg');
    const path = d.createElementNS(NS, 'path');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    path.setAttribute('d', 'M3 4h18v12H9l-5 4v-4H3z'); // speech bubble; a cross (CSS) while open
    svg.append(path);
    // Config values are schema-validated (integers, #hex colour, left|right): safe in CSS.
    const css =
      `:host{all:initial}button,iframe{position:fixed;${side}:${x}px;z-index:${L.zIndex ?? 2147483000};border:0}` +
      `button{bottom:${y}px;width:56px;height:56px;border-radius:50%;background:${color};cursor:pointer;box-shadow:0 2px 9px #0006;display:grid;place-items:center;padding:0}` +
      `button:focus-visible{outline:3px solid ${color};outline-offset:3px}svg{width:28px;fill:#fff}` +
      `[aria-expanded=true] svg{display:none}[aria-expanded=true]:after{content:"\\d7";color:#fff;font:32px/1 sans-serif}` +
      `iframe{bottom:${y + 68}px;width:min(400px,100vw - ${2 * x}px);height:min(640px,100vh - ${y + 88}px);border-radius:12px;background:#fff;box-shadow:0 6px 30px #0006}` +
      `@media(max-width:480px){iframe{inset:0;width:100%;height:100%;border-radius:0}[aria-expanded=true]{top:8px;${side}:8px;width:40px;height:40px}}`;
    // Constructable stylesheets are not blocked by a host page's strict style-src CSP;
    // older browsers get a <style> element (still built with DOM APIs only).
    if (root.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = d.createElement('style');
      style.textContent = css;
      root.append(style);
    }
    btn.type = 'button';
    attr('aria-label', label);
    attr('aria-expanded', 'false');
    btn.append(svg);
    root.append(btn);

    const send = (c: HostCommand) => {
      if (port) port.postMessage({ flexchat: MARKER, v: VERSION, instance, ...c });
      else pending.push(c);
    };

    const onPort = (p: MessagePort, m: unknown) => {
      if (!isWidgetMessage(m, instance)) {
        if (debug) console.warn('[FlexChat] dropped', m);
      } else if (m.type === 'ack') {
        if (!port) {
          port = p;
          pending.splice(0).forEach(send);
        }
      } else if (p === port) {
        if (m.type === 'requestClose') {
          show(false);
          btn.focus();
        } else if (m.type === 'unread') {
          attr('aria-label', m.count ? `${label} (${m.count})` : label);
        }
      }
    };

    const hello = () => {
      if (port || !frame || !frame.contentWindow) return;
      const ch = new MessageChannel();
      const p = ch.port1;
      p.onmessage = (e) => onPort(p, e.data);
      frame.contentWindow.postMessage({ flexchat: MARKER, v: VERSION, type: 'hello', instance }, origin, [ch.port2]);
    };

    // Created on first intent only: nothing of the widget loads before.
    const panel = () => {
      if (!frame) {
        const f = (frame = d.createElement('iframe'));
        f.hidden = true;
        f.title = (cfg.texts && cfg.texts.title) || 'Chat window';
        f.setAttribute('sandbox', SANDBOX);
        f.src = origin + '/';
        f.addEventListener('load', hello);
        // The widget says 'ready' when its listener is up (it may be after load).
        w.addEventListener('message', (e) => {
          if (e.source === f.contentWindow && e.origin === origin && isReady(e.data)) hello();
        });
        root.insertBefore(f, btn); // same z-index: the launcher paints above the panel
      }
      return frame;
    };

    const show = (o: boolean) => {
      if (!o && !frame) return; // closing something never opened creates nothing
      const f = panel();
      if (!o && root.activeElement === f) btn.focus();
      open = o;
      f.hidden = !o;
      attr('aria-expanded', '' + o);
      send({ type: o ? 'open' : 'close' });
      if (o) f.focus();
    };

    btn.addEventListener('pointerenter', panel);
    btn.addEventListener('focus', panel);
    btn.addEventListener('click', () => show(!open));
    btn.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && open) show(false);
    });
    d.body.append(host);

    run = (a) => {
      const c = a[0];
      if (c === 'open' || c === 'close' || c === 'toggle') show(c === 'toggle' ? !open : c === 'open');
      else if (debug) console.warn('[FlexChat] unknown', c);
    };
    queue.splice(0).forEach(run);
  };

  // No DOM work before the page's load event.
  if (w.document.readyState === 'complete') start();
  else w.addEventListener('load', start, { once: true });
}
