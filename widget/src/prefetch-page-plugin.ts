// Build step (Node only): writes prefetch.html next to index.html, the document the
// loader frames, hidden, when the host page is idle (`prefetch: "cache"`, the default;
// loader/src/loader.ts). It lists the files the pre-chat form needs (the form shell's boot
// script, the entry chunk, the chunks it imports statically, its stylesheets) as low-priority
// `<link rel=prefetch>`: the browser caches them for the widget origin's frame and runs
// nothing. Fetched from the host page itself they would not help: browsers key their
// HTTP cache by the top-level site and the frame's, so the widget frame could not reuse
// them. No script in it, and the loader frames it without allow-scripts.
import type { Plugin, Rolldown } from 'vite';

export const PREFETCH_PAGE = 'prefetch.html';

/** The form shell's boot script (shell-plugin.ts), when the build has one: what shows the form. */
const SHELL_BOOT = /^assets\/shell-boot-[\w-]+\.js$/;

/** The form shell's boot script if any, then the entry's static import closure and its CSS,
 *  in load order, as paths relative to the page. */
export function formPathFiles(bundle: Record<string, Rolldown.OutputChunk | Rolldown.OutputAsset>): string[] {
  const entry = Object.values(bundle).find((file): file is Rolldown.OutputChunk => file.type === 'chunk' && file.isEntry);
  if (!entry) throw new Error('prefetch page: the widget build has no entry chunk');
  const files: string[] = Object.values(bundle)
    .filter((file) => file.type === 'asset' && SHELL_BOOT.test(file.fileName))
    .map((file) => file.fileName);
  const visit = (chunk: Rolldown.OutputChunk) => {
    if (files.includes(chunk.fileName)) return;
    files.push(chunk.fileName);
    for (const css of chunk.viteMetadata?.importedCss ?? []) if (!files.includes(css)) files.push(css);
    for (const name of chunk.imports) {
      const imported = bundle[name];
      if (imported?.type === 'chunk') visit(imported);
    }
  };
  visit(entry);
  return files;
}

/** The page: one `<link rel=prefetch>` per file, as the widget's document requests it
 *  (CORS mode, same origin: `crossorigin`), so the cached responses match. */
export function prefetchPage(files: readonly string[]): string {
  for (const file of files) if (!/^[\w./-]+$/.test(file)) throw new Error(`prefetch page: unexpected file name ${file}`);
  const links = files.map((file) => `<link rel="prefetch" href="./${file}" crossorigin>`).join('\n');
  return `<!doctype html>\n<meta charset="utf-8">\n<title>Chat files</title>\n${links}\n`;
}

export function prefetchPagePlugin(): Plugin {
  return {
    name: 'flexchat-prefetch-page',
    apply: 'build',
    // After the form shell's plugin has emitted its boot script (listed after it in the config).
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        this.emitFile({ type: 'asset', fileName: PREFETCH_PAGE, source: prefetchPage(formPathFiles(bundle)) });
      },
    },
  };
}
