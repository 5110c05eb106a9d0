// The unread count in the host page's title: "(2) Original title" while agent messages
// wait (the chat closed or its page hidden), the page's own title back once they are
// read. Part of the API chunk, on only with `launcher.unreadInTitle`. The page may
// retitle itself meanwhile (an SPA's route change): that title becomes the one shown
// after the count, and the one left when the count goes.

/** Returns the counter: call it with each unread count (0: read). */
export function titleCounter(d: Document): (count: number) => void {
  let own = ''; // the page's title, without our count
  let shown: string | undefined; // the title we set, while a count shows
  let watch: MutationObserver | undefined;

  const show = (n: number) => {
    if (shown === undefined || d.title !== shown) own = d.title; // first count, or the page retitled itself
    d.title = shown = `(${n}) ${own}`;
  };

  let count = 0;
  return (n) => {
    count = n;
    if (n > 0) {
      show(n);
      // A page that retitles itself drops the count: put it back in front of the new title.
      watch ??= new MutationObserver(() => shown !== undefined && d.title !== shown && show(count));
      watch.observe(d.head, { subtree: true, childList: true, characterData: true });
    } else if (shown !== undefined) {
      watch?.disconnect();
      if (d.title === shown) d.title = own;
      shown = undefined;
    }
  };
}
