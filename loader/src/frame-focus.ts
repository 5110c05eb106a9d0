// Focus that the panel's frame lost while its document was on its way. Part of the API chunk.
//
// The core focuses the frame as it shows the panel. A quick tap or click comes before the
// widget's document has arrived (the frame is created on hover or touchstart): the focus then
// goes to the frame's initial about:blank. In Chromium, when the widget's cross-site document
// replaces it, the page's window gets the focus back, yet the new document believes it is
// focused: it draws its first field focused while every key the visitor types goes to the
// page, until the visitor clicks into the frame (seen in about one tap in six on the
// benchmark's host page, 2026-12-07). So when the page's window gets the focus back while the
// panel is open and the frame still holds the page's focus, and again once the frame has
// loaded, the frame is focused anew. Blur first: focusing the element that already holds the
// page's focus does nothing. (That blur gives the page's window the focus, at once: the guard.)
import type { Core } from './loader.ts';

export function keepFrameFocused(K: Core, frame: HTMLIFrameElement): void {
  let refocusing = false;
  const refocus = () => {
    if (refocusing || !K.o || (frame.getRootNode() as Document | ShadowRoot).activeElement !== frame) return;
    refocusing = true;
    try {
      frame.blur();
      frame.focus();
    } finally {
      refocusing = false;
    }
  };
  K.w.addEventListener('focus', refocus);
  frame.addEventListener('load', refocus);
}
