// Headers the local demo origin sends for particular demo pages (used by
// scripts/start.ts). The strict-CSP example is only an example if the browser
// really enforces a strict policy on it, so the policy lives next to the page.

/** A nonce-based policy without 'unsafe-inline' or 'unsafe-eval': what a careful site
 *  owner ships. `{nonce}` is replaced per response by the static server. The widget
 *  needs exactly two additions: its origin in script-src (loader.js and its API chunk,
 *  both loaded with the page's nonce) and in frame-src (the chat iframe). */
export function strictCsp(widgetOrigin: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-{nonce}' ${widgetOrigin}`,
    "style-src 'self' 'nonce-{nonce}'",
    "img-src 'self' data:",
    "connect-src 'self'",
    `frame-src ${widgetOrigin}`,
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Path of each demo page that needs headers of its own -> its headers. */
export function demoPageHeaders(widgetOrigin: string): Record<string, Record<string, string>> {
  return {
    '/examples/strict-csp.html': { 'Content-Security-Policy': strictCsp(widgetOrigin) },
  };
}

/** Client-side routed demo apps: unknown paths under these prefixes get the app's index.html. */
export const demoSpaPrefixes = ['/spa/'] as const;
