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

export interface EmbedOptions {
  /** The page's CSP nonce, for pages with a nonce-based script-src. */
  nonce?: string;
  /** Per-page loader options as data-* attributes, e.g. { position: 'left' } -> data-position="left". */
  data?: Record<string, string>;
}

/** The loader's script tag with per-page options (data-* attributes), as a site owner writes it. */
export function loaderTag(widgetOrigin: string, options: EmbedOptions = {}): string {
  const data = Object.entries(options.data ?? {}).map(([key, value]) => ` data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}="${value}"`);
  const nonce = options.nonce === undefined ? '' : ` nonce="${options.nonce}"`;
  return `<script async${nonce} src="${loaderUrl(widgetOrigin)}"${data.join('')}></script>`;
}

/** Inserts exactly the snippet's two scripts at the end of <body>. */
export function embed(doc: Document, widgetOrigin: string, options: EmbedOptions = {}): void {
  const stub = doc.createElement('script');
  stub.textContent = QUEUE_STUB;
  const loader = doc.createElement('script');
  loader.setAttribute('async', ''); // as in the snippet (inserted scripts are async anyway)
  loader.src = loaderUrl(widgetOrigin);
  for (const [key, value] of Object.entries(options.data ?? {})) loader.dataset[key] = value;
  if (options.nonce !== undefined) {
    stub.nonce = options.nonce;
    loader.nonce = options.nonce;
  }
  doc.body.append(stub, loader);
}

/** The nonce Vite put on this page's own scripts (html.cspNonce), if the page has one. */
export function pageNonce(doc: Document): string | undefined {
  const meta = doc.querySelector<HTMLMetaElement>('meta[property="csp-nonce"]');
  return meta?.nonce || meta?.getAttribute('nonce') || undefined;
}
