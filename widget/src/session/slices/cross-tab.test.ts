// Several tabs share one chat.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, harness, initOk } from '../../testing/fixtures.ts';
import { browserProfile } from '../../testing/storage.ts';
import { storageKey } from '../persistence.ts';

let profile: ReturnType<typeof browserProfile>;

afterEach(() => profile?.close());

const sid = 'CH00000000000000000000000000000001';

const initWithProof = { body: { ...(initOk.body as object), sessionProof: 'proof-1' } };

const at = (h: number, m = 0) => Date.UTC(2025, 0, 1, h, m);

describe('several tabs', () => {
  it('a tab showing the form joins the chat another tab started, and ends with it', async () => {
    profile = browserProfile();
    const b = harness({ sync: profile.tab(), responses: [] });
    b.controller.start();
    expect(b.controller.state.phase).toBe('pre-engagement');

    const a = await activeHarness({ sync: profile.tab() });
    await vi.waitFor(() => expect(b.controller.state.phase).toBe('active'));
    expect(b.controller.state.session?.conversationSid).toBe(sid);
    expect(b.http.calls).toEqual([]); // one conversation for the profile

    a.transport.closeConversation();
    await vi.waitFor(() => expect(b.controller.state.phase).toBe('ended'));
    expect(b.controller.state.endedBy).toBe('agent');
    expect(b.controller.state.messages.at(-1)?.body).toBe('The agent ended the chat.');
  });

  it('a tab in a chat is never switched to another conversation', async () => {
    profile = browserProfile({ channel: false });
    const a = await activeHarness({ sync: profile.tab() });
    // Another tab raced and stored a different conversation.
    const other = { ...JSON.parse(profile.storage.getItem(storageKey)!), conversationSid: 'CH-other', identity: 'visitor-2', savedAt: 99 };
    profile.storageEvent(profile.windows[1] ?? new EventTarget(), storageKey, JSON.stringify(other));
    expect(a.controller.state.session?.conversationSid).toBe(sid);
    expect(a.controller.state.phase).toBe('active');
    expect(a.transport.connectCalls).toBe(1);
  });

  it('a renewed token written by another tab is used for this tab’s next refresh', async () => {
    profile = browserProfile();
    const a = await activeHarness({ sync: profile.tab(), responses: [initWithProof] });
    const b = harness({ sync: profile.tab(), responses: [] });
    b.controller.start();
    await vi.waitFor(() => expect(b.controller.state.phase).toBe('active'));

    a.http.push({ body: { token: 'token-2', expiresAt: at(14), sessionProof: 'proof-2' } });
    a.transport.emit({ type: 'tokenAboutToExpire' });
    await vi.waitFor(() => expect(a.transport.tokenUpdates).toEqual(['token-2']));
    await new Promise((resolve) => setTimeout(resolve, 20));

    b.http.push({ body: { token: 'token-3', expiresAt: at(15), sessionProof: 'proof-3' } });
    b.transport.emit({ type: 'tokenAboutToExpire' });
    await vi.waitFor(() => expect(b.transport.tokenUpdates).toEqual(['token-3']));
    expect(b.http.calls[0]?.body).toMatchObject({ token: 'token-2', sessionProof: 'proof-2' });
  });
});
