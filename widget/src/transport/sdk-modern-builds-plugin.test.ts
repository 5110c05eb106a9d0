import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODERN_BUILD_PACKAGES, takesModernBuild } from './sdk-modern-builds-plugin.ts';

const require = createRequire(import.meta.url);
const root = resolve(dirname(require.resolve('twilsock/package.json')), '..', '..');

describe('the Twilio SDKs from their modern builds (build step)', () => {
  it('every package it redirects ships dist/index.js in the installed version', () => {
    for (const name of MODERN_BUILD_PACKAGES) expect(existsSync(resolve(root, 'node_modules', name, 'dist/index.js')), name).toBe(true);
  });

  it('redirects imports from our code and from the Conversations SDK, never from inside twilio-chat', () => {
    expect(takesModernBuild('@twilio/conversations', resolve(root, 'widget/src/transport/conversations-transport.ts'))).toBe(true);
    expect(takesModernBuild('twilsock', resolve(root, 'node_modules/@twilio/conversations/dist/client.js'))).toBe(true);
    expect(takesModernBuild('twilsock', resolve(root, 'node_modules/twilio-chat/builds/browser.js'))).toBe(false);
    expect(takesModernBuild('twilsock', 'C:\\app\\node_modules\\twilio-chat\\node_modules\\twilio-sync\\builds\\browser.js')).toBe(false);
    expect(takesModernBuild('react', resolve(root, 'widget/src/main.tsx'))).toBe(false);
    expect(takesModernBuild('twilsock/dist/index.js', undefined)).toBe(false);
  });
});
