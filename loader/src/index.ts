// Entry of loader.js (one IIFE). Per-page options: the script tag's data-*
// attributes (`data-debug` logs dropped bridge messages).
import { boot, type LoaderConfig } from './loader.ts';

const cfg = __FLEXCHAT_DEPLOYMENT__ as unknown as LoaderConfig;
const script = document.currentScript as HTMLScriptElement | null;

boot(window, cfg, {
  data: script?.dataset,
  // The API chunk: same origin, content-hashed name (it always matches this core),
  // the loader's own nonce for pages with a nonce-based script-src.
  load() {
    const s = document.createElement('script');
    s.src = cfg.widgetOrigin + '/' + __FLEXCHAT_API__;
    if (script) s.nonce = script.nonce;
    document.head.append(s);
  },
});
