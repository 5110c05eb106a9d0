// Build step (Node only): @twilio/conversations and its Twilio dependencies from the
// modern builds each package ships in `dist/` (Twilio's own TypeScript output: classes,
// async functions, ES2017+), instead of the `builds/browser.js` their package.json names
// (the same source through Babel for ES5: regenerator state machines, helpers, ~60
// core-js imports). Same version, same code paths; about 20 KB gzip and 150 KB of
// script less to parse and run on the way to a connected chat (#18).
//
// twilio-chat (the legacy flow) keeps its own older copies and their browser builds: an
// import made from inside twilio-chat's folder is left alone.
//
// The modern builds read browser globals through Node's `global` (the browser builds were
// given `globalThis` by their bundler), so `global` is defined as `globalThis`.
import type { Plugin } from 'vite';

/** The packages taken from their modern build, by the name they are imported with. */
export const MODERN_BUILD_PACKAGES: readonly string[] = [
  '@twilio/conversations',
  'twilsock',
  'twilio-sync',
  '@twilio/notifications',
  '@twilio/mcs-client',
  '@twilio/operation-retrier',
  '@twilio/replay-event-emitter',
  '@twilio/declarative-type-validator',
  '@twilio/deprecation-decorator',
];

/** Whether `path` is inside twilio-chat's folder (the legacy SDK and its own copies). */
export const isInsideTwilioChat = (path: string): boolean => path.replaceAll('\\', '/').includes('/node_modules/twilio-chat/');

/** Whether an import of `id` made from `importer` takes the package's modern build. */
export function takesModernBuild(id: string, importer: string | undefined): boolean {
  return MODERN_BUILD_PACKAGES.includes(id) && !isInsideTwilioChat(importer ?? '');
}

export function sdkModernBuilds(): Plugin {
  return {
    name: 'flexchat-sdk-modern-builds',
    enforce: 'pre',
    config: () => ({ define: { global: 'globalThis' } }),
    async resolveId(id, importer, options) {
      if (!takesModernBuild(id, importer)) return null;
      const resolved = await this.resolve(`${id}/dist/index.js`, importer, { ...options, skipSelf: true });
      if (!resolved) throw new Error(`sdk-modern-builds: ${id} has no dist/index.js; review widget/src/transport/sdk-modern-builds-plugin.ts`);
      return resolved;
    },
  };
}
