// Credentials: renewal before and after expiry.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, exchanged, initOk } from '../../testing/fixtures.ts';
import { browserProfile } from '../../testing/storage.ts';
import { storageKey } from '../persistence.ts';

let profile: ReturnType<typeof browserProfile>;

afterEach(() => profile?.close());

const sid = 'CH00000000000000000000000000000001';

const initWithProof = { body: { ...(initOk.body as object), sessionProof: 'proof-1' } };

const at = (h: number, m = 0) => Date.UTC(2025, 0, 1, h, m);

const waitForMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('token lifecycle', () => {
  it('refreshes before expiry with the session proof and keeps the new proof', async () => {
    profile = browserProfile();
    const h = await activeHarness({
      sync: profile.tab(),
      responses: [initWithProof, { body: { token: 'token-2', expiresAt: at(14), sessionProof: 'proof-2' } }, { body: { token: 'token-3', expiresAt: at(15) } }],
    });
    h.transport.emit({ type: 'tokenAboutToExpire' });
    await vi.waitFor(() => expect(h.transport.tokenUpdates).toEqual(['token-2']));
    expect(h.http.calls[1]?.body).toEqual({ token: 'token-1', identity: 'visitor-identity', conversationSid: sid, sessionProof: 'proof-1' });
    h.transport.emit({ type: 'tokenAboutToExpire' });
    await vi.waitFor(() => expect(h.transport.tokenUpdates).toEqual(['token-2', 'token-3']));
    expect(h.http.calls[2]?.body).toMatchObject({ token: 'token-2', sessionProof: 'proof-2' });
    expect(JSON.parse(profile.storage.getItem(storageKey)!)).toMatchObject({ token: 'token-3', sessionProof: 'proof-2' });
  });

  it('after expiry, when the client will not take the new token, reconnects with it and keeps the chat', async () => {
    const h = await activeHarness({ responses: [initWithProof, { body: { token: 'token-2', expiresAt: at(14), sessionProof: 'proof-2' } }] });
    await h.controller.send('first');
    h.transport.failNextTokenUpdate();
    h.transport.setConnectionState('denied');
    h.transport.emit({ type: 'tokenExpired' });
    await vi.waitFor(() => expect(h.transport.connectCalls).toBe(2));
    await vi.waitFor(() => expect(h.controller.state.connection).toBe('connected'));
    expect(h.transport.credentials?.token).toBe('token-2');
    expect(h.controller.state.phase).toBe('active');
    expect(exchanged(h).map((m) => m.body)).toEqual(['first']);
    expect(h.http.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(1); // denied + expired: one refresh
  });

  it('an expired token the service will not renew ends in "session expired" with a restart', async () => {
    const h = await activeHarness({ responses: [initOk, { status: 401, body: { error: { code: 'token_invalid', message: 'no' } } }] });
    h.transport.emit({ type: 'tokenExpired' });
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('error'));
    expect(h.controller.state.error).toMatchObject({ code: 'session-expired', recovery: 'restart' });
  });

  it('an expired token and an unreachable service can be retried (renewal first, then connect)', async () => {
    const h = await activeHarness({ now: () => at(13, 10), responses: [initWithProof, { networkError: true }] });
    h.transport.emit({ type: 'tokenExpired' });
    await vi.waitFor(() => expect(h.controller.state.error).toMatchObject({ code: 'network', recovery: 'retry-connect' }));
    h.http.push({ body: { token: 'token-2', expiresAt: at(14) } });
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.transport.credentials?.token).toBe('token-2');
    expect(h.http.calls.at(-1)?.body).toMatchObject({ sessionProof: 'proof-1' });
  });
});

describe('token events', () => {
  it('a renewal answered with the very token held (minted in the same second) asks again once that second is over', async () => {
    let clock = at(13, 10) + 300;
    const h = await activeHarness({
      now: () => clock,
      responses: [initOk, { body: { token: 'token-1', expiresAt: at(13) } }, { body: { token: 'token-2', expiresAt: at(14) } }],
    });
    vi.useFakeTimers();
    try {
      h.transport.emit({ type: 'tokenAboutToExpire' });
      await vi.advanceTimersByTimeAsync(0);
      expect(h.http.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(1);
      expect(h.transport.tokenUpdates).toEqual([]); // the same token would change nothing
      await vi.advanceTimersByTimeAsync(749); // 700 ms to the next second, plus 50 of slack
      expect(h.http.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(1);
      clock += 750;
      await vi.advanceTimersByTimeAsync(1);
      expect(h.http.calls.filter((c) => c.url.endsWith('/refresh'))).toHaveLength(2);
      expect(h.transport.tokenUpdates).toEqual(['token-2']);
    } finally {
      vi.useRealTimers();
    }
  });


  it('refreshes the token before it expires', async () => {
    const h = await activeHarness({
      responses: [initOk, { body: { token: 'token-2', expiresAt: Date.UTC(2025, 0, 1, 14) } }],
    });
    h.transport.emit({ type: 'tokenAboutToExpire' });
    await waitForMicrotasks();
    expect(h.http.calls[1]).toEqual({
      url: 'http://127.0.0.1:4020/webchat/refresh',
      body: { token: 'token-1', identity: 'visitor-identity', conversationSid: 'CH00000000000000000000000000000001' },
    });
    expect(h.transport.tokenUpdates).toEqual(['token-2']);
    expect(h.controller.state.session?.expiresAt).toBe(Date.UTC(2025, 0, 1, 14));
  });

  it.each([
    [500, 'server'],
    [503, 'server'],
    [429, 'busy'],
  ] as const)('an expired token the service cannot renew now (HTTP %i) keeps the conversation: %s, Retry renews then connects', async (status, code) => {
    const h = await activeHarness({ now: () => at(13, 10), responses: [initWithProof, { status, body: {} }] });
    h.transport.emit({ type: 'tokenExpired' });
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('error'));
    expect(h.controller.state.error).toMatchObject({ code, recovery: 'retry-connect' });
    h.http.push({ body: { token: 'token-2', expiresAt: at(14) } });
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.transport.credentials?.token).toBe('token-2');
    expect(h.transport.credentials?.conversationSid).toBe(sid); // the same conversation
    expect(h.http.calls.at(-1)?.body).toMatchObject({ sessionProof: 'proof-1' });
  });
});
