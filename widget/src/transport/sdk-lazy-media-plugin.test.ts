import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAZY_MEDIA_CLIENT, takesLazyMediaClient } from './sdk-lazy-media-plugin.ts';

describe('which imports get the lazy media client (sdk-lazy-media-plugin.ts, build step)', () => {
  const root = resolve(import.meta.dirname, '../../..');
  it('the Conversations SDK’s and its stage’s imports of @twilio/mcs-client; not its own, not twilio-chat’s', () => {
    expect(takesLazyMediaClient('@twilio/mcs-client', resolve(root, 'node_modules/@twilio/conversations/dist/client.js'))).toBe(true);
    expect(takesLazyMediaClient('@twilio/mcs-client', resolve(root, 'widget/src/transport/sdk-stage-notifications.ts'))).toBe(true);
    expect(takesLazyMediaClient('@twilio/mcs-client', LAZY_MEDIA_CLIENT)).toBe(false);
    expect(takesLazyMediaClient('@twilio/mcs-client', resolve(root, 'node_modules/twilio-chat/builds/browser.js'))).toBe(false);
    expect(takesLazyMediaClient('@twilio/mcs-client/dist/media.js', LAZY_MEDIA_CLIENT)).toBe(false);
    expect(takesLazyMediaClient('@twilio/mcs-client', undefined)).toBe(false);
  });
});
