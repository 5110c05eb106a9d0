// Build step (Node only): one copy of Node's `events` module for the Conversations SDK's
// dependencies. Their modern builds (sdk-modern-builds-plugin.ts) each bundle their own
// copy of rollup-plugin-polyfill-node's EventEmitter, dist/_virtual/_polyfill-node.events.js:
// @twilio/operation-retrier, @twilio/replay-event-emitter and @twilio/notifications, the
// same code under each package's licence header, about 1.8 KB gzip each (two in the
// sdk-twilsock chunk, one in sdk-notifications). Each import of one of them from those
// packages resolves to @twilio/operation-retrier's (twilsock's dependency, so in the first
// stage's chunk, which the later ones import anyway), but only if its code is the same
// as that one's, checked when built: a copy that differs after an update stays its own.
//
// The EventEmitter is a class the SDKs extend, not shared state: one copy for all is what
// a bundle of their sources with one `events` would have. twilio-chat's own copies (the
// legacy flow's browser builds) are left alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { MODERN_BUILD_PACKAGES, isInsideTwilioChat } from './sdk-modern-builds-plugin.ts';

const EVENTS_POLYFILL = '_polyfill-node.events.js';

/** The copy every other one becomes: @twilio/operation-retrier's, as the project resolves it. */
export function canonicalEventsPolyfill(): string {
  const require = createRequire(import.meta.url);
  return resolve(dirname(require.resolve('@twilio/operation-retrier/package.json')), 'dist/_virtual', EVENTS_POLYFILL);
}

/** Whether `file` is a modern-build package's events polyfill (not one of twilio-chat's copies). */
export function isModernEventsPolyfill(file: string): boolean {
  if (isInsideTwilioChat(file)) return false;
  const path = file.replaceAll('\\', '/');
  return MODERN_BUILD_PACKAGES.some((name) => path.endsWith(`/node_modules/${name}/dist/_virtual/${EVENTS_POLYFILL}`));
}

/** The code after a file's leading licence comment (each package puts its own there). */
export function withoutLicenceHeader(code: string): string {
  return code.replace(/^\s*\/\*[\s\S]*?\*\/\s*/, '');
}

/**
 * What `file` (an events polyfill) should resolve to: `canonical` if their code is the same
 * after the licence header, else `file` itself. `read` is cached per path by the caller.
 */
export function dedupedEventsPolyfill(file: string, canonical: string, read: (path: string) => string): string {
  if (file === canonical) return file;
  return withoutLicenceHeader(read(file)) === withoutLicenceHeader(read(canonical)) ? canonical : file;
}

export function sdkDedupe(canonical = canonicalEventsPolyfill()): Plugin {
  const code = new Map<string, string>();
  const warned = new Set<string>();
  const read = (path: string) => {
    let text = code.get(path);
    if (text === undefined) code.set(path, (text = readFileSync(path, 'utf8')));
    return text;
  };
  return {
    name: 'flexchat-sdk-dedupe',
    enforce: 'pre',
    resolveId(id, importer) {
      if (!importer || !id.endsWith(`/${EVENTS_POLYFILL}`) || !id.startsWith('.')) return null;
      const file = resolve(dirname(importer), id);
      if (!isModernEventsPolyfill(file) || file === canonical) return null;
      if (dedupedEventsPolyfill(file, canonical, read) === canonical) return canonical;
      if (!warned.has(file)) {
        warned.add(file);
        this.warn(`sdk-dedupe: ${file} differs from ${canonical}, so it stays a copy of its own; review widget/src/transport/sdk-dedupe-plugin.ts`);
      }
      return null;
    },
  };
}
