// The one thing a site owner does to get the widget: paste the snippet. This
// module builds that snippet for the configured widget origin, shows it on the
// page and embeds the widget with the very same two scripts (DOM APIs only).

/** The optional inline queue stub: FlexChat(...) calls made before loader.js has
 *  loaded are kept in FlexChat.q and replayed by the loader. */
export const QUEUE_STUB =
  'window.FlexChat=window.FlexChat||function(){(window.FlexChat.q=window.FlexChat.q||[]).push(arguments)}';

export function loaderUrl(widgetOrigin: string): string {
  return new URL('/loader.js', widgetOrigin).href;
}

/** The snippet as the site owner pastes it, before </body>. */
export function snippet(widgetOrigin: string): string {
  return `<script>${QUEUE_STUB}</script>\n<script async src="${loaderUrl(widgetOrigin)}"></script>`;
}

/** Inserts exactly the snippet's two scripts at the end of <body>. */
export function embed(doc: Document, widgetOrigin: string): void {
  const stub = doc.createElement('script');
  stub.textContent = QUEUE_STUB;
  const loader = doc.createElement('script');
  loader.setAttribute('async', ''); // as in the snippet (inserted scripts are async anyway)
  loader.src = loaderUrl(widgetOrigin);
  doc.body.append(stub, loader);
}
