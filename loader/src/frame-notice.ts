// The panel's stand-in when the frame did not complete the handshake in time (api.ts
// `blocked`): a short message with a retry, in the panel's place, instead of the
// browser's error page. Part of the API chunk.
import type { Core } from './loader.ts';

/** Hides `frame` (it keeps its place) and shows the message over it. `reload`: the retry,
 *  called once the message is gone and the frame visible again (then focused). Returns `place`, which the
 *  API calls on every state change: the message follows the panel, shown while it is open,
 *  where the frame is (`focus`: on its retry button). */
export const showNotice = (K: Core, frame: HTMLIFrameElement, reload: () => void): ((focus?: boolean) => void) => {
  const root = frame.getRootNode() as ShadowRoot;
  const d = K.w.document;
  const el = (tag: string, text: string) => {
    const e = d.createElement(tag);
    e.textContent = text;
    return e;
  };
  const retry = el('button', 'Try again');
  let notice: HTMLElement | undefined = el('div', '');
  notice.className = 'n';
  notice.setAttribute('role', 'alert');
  notice.append(el('p', 'The chat could not be loaded.'), retry);
  const css =
    `.n{position:fixed;z-index:${K.c.zIndex};box-sizing:border-box;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:12px;padding:24px;` +
    `background:#fff;color:#222;font:15px/1.4 sans-serif;text-align:center;border-radius:12px;box-shadow:0 2px 12px #0006}.n[hidden]{display:none}` +
    `.n button{position:static;width:auto;height:auto;padding:8px 16px;border-radius:6px;background:${K.c.color};color:#fff;font:inherit;box-shadow:none}.n button:before{content:none}`;
  if ('adoptedStyleSheets' in root) {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } else notice.append(el('style', css));

  // The message sits where the panel is, shown while it is open.
  const place = (focus?: boolean) => {
    if (!notice) return;
    notice.hidden = !K.o;
    const r = frame.getBoundingClientRect();
    Object.assign(notice.style, { left: r.left + 'px', top: r.top + 'px', width: r.width + 'px', height: r.height + 'px' });
    if (focus && K.o) notice.querySelector('button')!.focus();
  };

  retry.onclick = () => {
    notice!.remove();
    notice = undefined;
    frame.style.visibility = '';
    reload();
    frame.focus();
  };
  frame.style.visibility = 'hidden'; // keeps its place: the message takes it
  root.append(notice);
  place(true);
  return place;
};
