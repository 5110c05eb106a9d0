// The proactive teaser: a small bubble over the launcher with the marketer's text, drawn
// by the API chunk without loading the iframe. `FlexChat('teaser', {text})` shows one.
// Its own element with a closed shadow root, built with DOM calls (the text is text, never
// HTML). Announced politely (role=status, focus stays where it is), reachable by Tab, closed
// by its close button or Escape; a dismissal is remembered in the host's localStorage
// (TEASER_KEY), and without storage it holds for this page. Its entrance animates only
// for visitors who have not asked for reduced motion.
import { MAX_TEASER } from '../../contracts/bridge-protocol.ts';
import type { Core } from './loader.ts';
import { wordsFor } from './words.ts';

/** Host-origin localStorage key: set when the visitor dismissed a teaser. */
export const TEASER_KEY = 'flexchat:teaser';
/** Longest teaser text, in characters. */
export const TEASER_MAX = MAX_TEASER;

export interface Teaser {
  /** Shows `text` (unless dismissed before, or the panel is open); false when not shown. */
  show(text: string): boolean;
  /** Removes the bubble (the panel opened, shutdown). */
  hide(): void;
}

/** `open`: the visitor chose the teaser; opens the chat with its text. */
export function teaser(K: Core, tags: () => unknown[], open: (text: string) => void): Teaser {
  const w = K.w;
  const d = w.document;
  let host: HTMLElement | undefined;
  let dismissed = false; // for this page, when storage is blocked

  const remembered = () => {
    try {
      return dismissed || !!w.localStorage.getItem(TEASER_KEY);
    } catch {
      return dismissed;
    }
  };

  const hide = () => {
    host?.remove();
    host = undefined;
  };

  const dismiss = () => {
    dismissed = true;
    try {
      w.localStorage.setItem(TEASER_KEY, '' + Date.now());
    } catch {
      // storage blocked: remembered for this page only
    }
    hide();
  };

  const show = (text: string) => {
    if (remembered() || K.o) return false;
    hide();
    host = d.createElement('flex-chat-teaser');
    const root = host.attachShadow({ mode: 'closed' });
    const s = K.c.position;
    const css =
      `:host{all:initial}div{position:fixed;${s}:${+K.c.offsetX!}px;bottom:${+K.c.offsetY! + 68}px;z-index:${K.c.zIndex};max-width:min(280px,100vw - ${2 * +K.c.offsetX! + 16}px);` +
      `display:flex;align-items:flex-start;gap:4px;padding:4px;background:#fff;color:#1f1f1f;border-radius:12px;box-shadow:0 2px 12px #0006;font:15px/1.4 sans-serif}` +
      `button{font:inherit;color:inherit;background:0;border:0;border-radius:8px;cursor:pointer;text-align:start}` +
      `.t{padding:8px 10px}.x{flex:none;width:32px;height:32px;font-size:22px;line-height:1}.x:before{content:"\\d7"}` +
      `button:focus-visible{outline:2px solid ${K.c.color};outline-offset:1px}` +
      `@media(prefers-reduced-motion:no-preference){div{animation:f .25s ease-out}@keyframes f{from{opacity:0;transform:translateY(8px)}}}`;
    // Constructable stylesheets, as the core's: not subject to the page's style-src CSP.
    if ('adoptedStyleSheets' in root) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = d.createElement('style');
      style.textContent = css;
      (root as ShadowRoot).append(style);
    }
    const box = d.createElement('div');
    box.setAttribute('role', 'status'); // polite: read out when the text arrives, focus stays put
    const say = d.createElement('button');
    say.className = 't';
    const close = d.createElement('button');
    close.className = 'x';
    close.setAttribute('aria-label', wordsFor(tags()).dismiss);
    say.onclick = () => {
      hide();
      open(text);
    };
    close.onclick = dismiss;
    box.onkeydown = (e) => {
      if (e.key == 'Escape') dismiss();
    };
    box.append(say, close);
    root.append(box);
    d.body.append(host);
    // The live region first, its text a moment later: screen readers announce a change.
    setTimeout(() => (say.textContent = text), 50);
    return true;
  };

  return { show, hide };
}
