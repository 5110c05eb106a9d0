// Build step (Node only): @twilio/mcs-client, imported by @twilio/conversations (and by
// its stage, sdk-stage-notifications.ts), resolves to mcs-lazy-client.ts: the package with
// its Client loaded on the first media request. mcs-lazy-client.ts itself and the files it
// imports by path take the package as it is. twilio-chat's own copy (the legacy flow) is
// left alone.
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { isInsideTwilioChat } from './sdk-modern-builds-plugin.ts';

export const LAZY_MEDIA_CLIENT = resolve(import.meta.dirname, 'mcs-lazy-client.ts');

/** Whether an import of `id` from `importer` gets the lazy media client. */
export function takesLazyMediaClient(id: string, importer: string | undefined): boolean {
  if (id !== '@twilio/mcs-client' || !importer) return false;
  return !isInsideTwilioChat(importer) && resolve(importer) !== LAZY_MEDIA_CLIENT;
}

export function sdkLazyMediaClient(): Plugin {
  return {
    name: 'flexchat-sdk-lazy-media-client',
    enforce: 'pre',
    resolveId: (id, importer) => (takesLazyMediaClient(id, importer) ? LAZY_MEDIA_CLIENT : null),
  };
}
