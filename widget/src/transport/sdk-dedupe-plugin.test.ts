import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalEventsPolyfill, dedupedEventsPolyfill, isModernEventsPolyfill, sdkDedupe, withoutLicenceHeader } from './sdk-dedupe-plugin.ts';

const require = createRequire(import.meta.url);
const root = resolve(dirname(require.resolve('twilsock/package.json')), '..', '..');
const POLYFILL = 'dist/_virtual/_polyfill-node.events.js';
// The modern-build packages that ship a copy, and the file of each that imports it.
const COPIES = [
  ['@twilio/operation-retrier', 'dist/retrier.js'],
  ['@twilio/replay-event-emitter', 'dist/replay-event-emitter.js'],
  ['@twilio/notifications', 'dist/client.js'],
] as const;
const IMPORT = './_virtual/_polyfill-node.events.js';
const read = (path: string) => readFileSync(path, 'utf8');

type ResolveId = (this: { warn: (message: string) => void }, id: string, importer: string | undefined) => string | null;

/** The plugin's resolveId, with what it warns recorded. */
function resolver(canonical?: string) {
  const warnings: string[] = [];
  const hook = sdkDedupe(canonical).resolveId as unknown as ResolveId;
  return { warnings, resolveId: (id: string, importer: string | undefined) => hook.call({ warn: (message) => void warnings.push(message) }, id, importer) };
}

describe('one events polyfill for the modern SDK builds (build step)', () => {
  const canonical = canonicalEventsPolyfill();

  it("the canonical copy is @twilio/operation-retrier's, the one twilsock (the first stage) imports", () => {
    expect(canonical).toBe(resolve(root, 'node_modules/@twilio/operation-retrier', POLYFILL));
    expect(read(canonical)).toContain('function EventEmitter()');
  });

  it('the installed copies differ only in their licence header, and each resolves to the canonical one', () => {
    for (const [name] of COPIES) {
      const file = resolve(root, 'node_modules', name, POLYFILL);
      expect(isModernEventsPolyfill(file), name).toBe(true);
      expect(dedupedEventsPolyfill(file, canonical, read), name).toBe(canonical);
      expect(withoutLicenceHeader(read(file)).startsWith("'use strict';"), name).toBe(true);
    }
    // The headers are not the same (MIT and ISC), so the files are not.
    expect(read(resolve(root, 'node_modules/@twilio/notifications', POLYFILL))).not.toBe(read(canonical));
  });

  it("leaves twilio-chat's own copies (the legacy flow) and other files alone", () => {
    expect(isModernEventsPolyfill(resolve(root, 'node_modules/twilio-chat/node_modules/@twilio/operation-retrier', POLYFILL))).toBe(false);
    expect(isModernEventsPolyfill(resolve(root, 'node_modules/twilio-chat/node_modules/twilio-sync/node_modules/@twilio/replay-event-emitter', POLYFILL))).toBe(false);
    expect(isModernEventsPolyfill('C:\\app\\node_modules\\twilio-chat\\node_modules\\@twilio\\notifications\\dist\\_virtual\\_polyfill-node.events.js')).toBe(false);
    expect(isModernEventsPolyfill(resolve(root, 'node_modules/@twilio/operation-retrier/dist/retrier.js'))).toBe(false);
    expect(isModernEventsPolyfill(resolve(root, 'node_modules/some-package', POLYFILL))).toBe(false);
  });

  it('the plugin resolves the imports of every other copy to the canonical one, and leaves the rest to Vite', () => {
    const { resolveId, warnings } = resolver();
    for (const [name, importer] of COPIES) {
      const expected = name === '@twilio/operation-retrier' ? null : canonical;
      expect(resolveId(IMPORT, resolve(root, 'node_modules', name, importer)), name).toBe(expected);
    }
    expect(resolveId(IMPORT, resolve(root, 'node_modules/twilio-chat/node_modules/@twilio/operation-retrier/dist/retrier.js'))).toBeNull();
    expect(resolveId('events', resolve(root, 'node_modules/@twilio/notifications/dist/client.js'))).toBeNull();
    expect(resolveId(IMPORT, undefined)).toBeNull();
    expect(warnings).toEqual([]);
  });

  describe('a copy whose code differs (a future package version)', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    /** A node_modules with the canonical copy and a notifications copy of `body` under another header. */
    function install(body: string) {
      dir = mkdtempSync(join(tmpdir(), 'sdk-dedupe-'));
      const place = (name: string, code: string) => {
        const file = join(dir!, 'node_modules', name, POLYFILL);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, code);
        return file;
      };
      const canonicalCode = read(canonical);
      return {
        canonical: place('@twilio/operation-retrier', canonicalCode),
        copy: place('@twilio/notifications', `/*\n@license\nAnother header\n*/\n${body}`),
        importer: join(dir, 'node_modules/@twilio/notifications/dist/client.js'),
        body: withoutLicenceHeader(canonicalCode),
      };
    }

    it('the same code under another header: resolved to the canonical copy', () => {
      const files = install(withoutLicenceHeader(read(canonical)));
      const { resolveId, warnings } = resolver(files.canonical);
      expect(resolveId(IMPORT, files.importer)).toBe(files.canonical);
      expect(warnings).toEqual([]);
    });

    it('other code: stays a copy of its own, with one warning however often it is imported', () => {
      const changed = withoutLicenceHeader(read(canonical)).replace('EventEmitter.defaultMaxListeners = 10', 'EventEmitter.defaultMaxListeners = 11');
      const files = install(changed);
      expect(withoutLicenceHeader(read(files.copy))).not.toBe(files.body);
      const { resolveId, warnings } = resolver(files.canonical);
      expect(resolveId(IMPORT, files.importer)).toBeNull();
      expect(resolveId(IMPORT, join(dir!, 'node_modules/@twilio/notifications/dist/connector.js'))).toBeNull();
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('differs from');
    });
  });
});
