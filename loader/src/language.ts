// Picking a text for the visitor's language (the API chunk; the core's `L` lookup in
// loader.ts and loader-config.ts labelsOf follow the same rule).

/** The value of `texts` for the first of `tags` it has: exact tag, else the bare language's,
 *  else the first of the same language (what the core's `L` lookup picks, labelsOf). */
export function inLanguage<T>(texts: Record<string, T>, tags: readonly unknown[]): T | undefined {
  for (const t of tags) {
    const tag = ('' + t).toLowerCase();
    const keys = Object.keys(texts);
    const lang = tag.split('-')[0];
    const key = keys.find((k) => k.toLowerCase() == tag) || keys.find((k) => k.toLowerCase() == lang) || keys.find((k) => k.toLowerCase().split('-')[0] == lang);
    if (key) return texts[key];
  }
}
