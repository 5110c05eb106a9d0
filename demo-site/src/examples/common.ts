// Shared by the example host pages: show the exact snippet each page runs.
import { QUEUE_STUB, loaderTag, type EmbedOptions } from '../embed.ts';

/** The snippet as this page's site owner would paste it (nonce shown as a placeholder). */
export function pageSnippet(widgetOrigin: string, options: EmbedOptions = {}): string {
  const nonce = options.nonce === undefined ? '' : ' nonce="{per-response nonce}"';
  return `<script${nonce}>${QUEUE_STUB}</script>\n${loaderTag(widgetOrigin, { ...options, ...(options.nonce === undefined ? {} : { nonce: '{per-response nonce}' }) })}`;
}

export function showSnippet(text: string): void {
  for (const el of document.querySelectorAll('[data-snippet]')) el.textContent = text;
}
