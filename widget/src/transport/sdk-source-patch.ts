// Build steps (Node only) that rewrite Twilio SDK source by exact text: each anchor must
// appear exactly once, or the build fails, so an SDK update that changes the text gets
// the rewrite reviewed instead of silently skipped or applied twice.

/** `code` with `replacement` in place of the one occurrence of `anchor`; throws naming `plugin` and `id` otherwise. */
export function replaceExactlyOnce(code: string, anchor: string, replacement: string, plugin: string, id: string): string {
  const at = code.indexOf(anchor);
  if (at < 0 || code.indexOf(anchor, at + 1) >= 0) {
    throw new Error(`${plugin}: expected one "${anchor}" in ${id}; the SDK changed, review widget/src/transport/${plugin}-plugin.ts`);
  }
  return `${code.slice(0, at)}${replacement}${code.slice(at + anchor.length)}`;
}
