// What the launcher shows of unread agent messages (the widget counts them): the badge,
// the launcher's name, and with `launcher.unreadInTitle` the host page's title
// (title.ts). Part of the API chunk.
import type { Core } from './loader.ts';
import { titleCounter } from './title.ts';
import { wordsFor } from './words.ts';

export interface UnreadView {
  /** A new count from the widget (0: all read). */
  set(count: number): void;
  /** Names the launcher again (the core has just drawn it with its plain name). */
  name(): void;
}

/** `button`: the core's launcher, once the API chunk has found it; `tags`: the visitor's languages. */
export function unreadView(K: Core, button: () => HTMLElement | undefined, tags: () => unknown[], inTitle?: boolean): UnreadView {
  let unread = 0;
  const title = inTitle ? titleCounter(K.w.document) : undefined;
  const name = () => {
    // The name holds the badge's visible number as a word of its own, not in parentheses:
    // "Chat with us, 2 unread" (WCAG 2.5.3, label in name; axe label-content-name-mismatch).
    const b = button();
    if (b) b.setAttribute('aria-label', unread ? `${K.c.label}, ${wordsFor(tags()).unread.replace('#', '' + unread)}` : (K.c.label as string));
  };
  return {
    set(n) {
      unread = n;
      const b = button();
      if (b) b.firstElementChild!.textContent = (n || '') as string;
      name();
      title?.(n);
    },
    name,
  };
}
