// Resume after reload and across tabs, token renewal, and the offline outbox.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../transport/chat-transport.ts';
import { historyMessage } from '../transport/memory-transport.ts';
import { activeHarness, agentAna, exchanged, harness, initOk } from '../testing/fixtures.ts';
import { browserProfile } from '../testing/storage.ts';
import { storageKey } from './persistence.ts';

let profile: ReturnType<typeof browserProfile>;
afterEach(() => profile?.close());

const sid = 'CH00000000000000000000000000000001';
const initWithProof = { body: { ...(initOk.body as object), sessionProof: 'proof-1' } };
const at = (h: number, m = 0) => Date.UTC(2025, 0, 1, h, m);

describe('resume after a reload', () => {
  it('a new page with the stored session rejoins the conversation without a new /webchat/init', async () => {
    profile = browserProfile();
    const first = await activeHarness({ sync: profile.tab(), responses: [initWithProof] });
    await first.controller.send('before reload');
    expect(JSON.parse(profile.storage.getItem(storageKey)!)).toMatchObject({ conversationSid: sid, token: 'token-1', sessionProof: 'proof-1', visitorName: 'Zoë Ångström' });
    first.controller.dispose();

    const reloaded = harness({ sync: profile.tab(), responses: [], transport: { history: first.transport.allMessages.slice() } });
    reloaded.controller.start();
    expect(reloaded.controller.state.phase).toBe('connecting');
    await vi.waitFor(() => expect(reloaded.controller.state.phase).toBe('active'));
    expect(reloaded.http.calls).toEqual([]);
    expect(reloaded.transport.credentials).toMatchObject({ token: 'token-1', conversationSid: sid, identity: 'visitor-identity' });
    expect(reloaded.controller.state.messages.map((m) => [m.role, m.body])).toEqual([['visitor', 'before reload']]);
    expect(reloaded.controller.state.visitorName).toBe('Zoë Ångström');
    expect(reloaded.hostEvents).toContainEqual({ type: 'sessionStart' });
    expect(reloaded.controller.state.canResume).toBe(true);
  });

  it('an expired stored token is renewed with the session proof first (grace period)', async () => {
    profile = browserProfile();
    const first = await activeHarness({ sync: profile.tab(), responses: [initWithProof] });
    first.controller.dispose();
    const later = harness({
      sync: profile.tab(),
      now: () => at(13, 5), // the token expired at 13:00
      responses: [{ body: { token: 'token-2', identity: 'visitor-identity', expiresAt: at(14), sessionProof: 'proof-2' } }],
    });
    later.controller.start();
    await vi.waitFor(() => expect(later.controller.state.phase).toBe('active'));
    expect(later.http.calls).toEqual([
      {
        url: 'http://127.0.0.1:4020/webchat/refresh',
        body: { token: 'token-1', identity: 'visitor-identity', conversationSid: sid, sessionProof: 'proof-1' },
      },
    ]);
    expect(later.transport.credentials?.token).toBe('token-2');
    expect(JSON.parse(profile.storage.getItem(storageKey)!)).toMatchObject({ token: 'token-2', sessionProof: 'proof-2', expiresAt: at(14) });
  });

  it('a session the token service refuses to renew is dropped: the form says the previous chat ended', async () => {
    profile = browserProfile();
    (await activeHarness({ sync: profile.tab(), responses: [initWithProof] })).controller.dispose();
    const later = harness({
      sync: profile.tab(),
      now: () => at(15),
      responses: [{ status: 401, body: { error: { code: 'token_invalid', message: 'expired' } } }],
    });
    later.controller.start();
    await vi.waitFor(() => expect(later.controller.state.phase).toBe('pre-engagement'));
    expect(later.controller.state.notice).toBe('Your previous chat has ended.');
    expect(later.controller.state.error).toBeNull();
    expect(profile.storage.getItem(storageKey)).toBeNull();
    expect(later.transport.connectCalls).toBe(0);
  });

  it.each([
    ['the conversation was closed meanwhile', (t: ReturnType<typeof harness>['transport']) => {
      const connect = t.connect.bind(t);
      t.connect = async (c) => {
        await connect(c);
        t.closeConversation();
      };
    }],
    ['the identity was removed (connect refused)', (t: ReturnType<typeof harness>['transport']) => t.failNextConnect(new TransportError('not-found', 'gone'))],
  ])('a stored session that is over (%s) goes back to the form', async (_, breakIt) => {
    profile = browserProfile();
    (await activeHarness({ sync: profile.tab() })).controller.dispose();
    const later = harness({ sync: profile.tab(), responses: [] });
    breakIt(later.transport);
    later.controller.start();
    await vi.waitFor(() => expect(later.controller.state.phase).toBe('pre-engagement'));
    expect(later.controller.state.notice).toBe('Your previous chat has ended.');
    expect(profile.storage.getItem(storageKey)).toBeNull();
  });

  it('a network failure while resuming can be retried', async () => {
    profile = browserProfile();
    (await activeHarness({ sync: profile.tab() })).controller.dispose();
    const later = harness({ sync: profile.tab(), responses: [] });
    later.transport.failNextConnect(new TransportError('network', 'offline'));
    later.controller.start();
    await vi.waitFor(() => expect(later.controller.state.phase).toBe('error'));
    expect(later.controller.state.error).toMatchObject({ code: 'network', recovery: 'retry-connect' });
    await later.controller.retry();
    expect(later.controller.state.phase).toBe('active');
  });

  it('when storage is blocked the chat still runs; it just cannot be resumed', async () => {
    profile = browserProfile({ storage: 'blocked', channel: false });
    const h = await activeHarness({ sync: profile.tab() });
    expect(h.controller.state.phase).toBe('active');
    expect(h.controller.state.canResume).toBe(false);
    await h.controller.send('still works');
    expect(h.transport.sent.map((m) => m.body)).toEqual(['still works']);
    h.controller.dispose();
    const reloaded = harness({ sync: profile.tab(), responses: [] });
    reloaded.controller.start();
    expect(reloaded.controller.state.phase).toBe('pre-engagement');
  });

  it('an ended chat is not resumed', async () => {
    profile = browserProfile();
    const h = await activeHarness({ sync: profile.tab() });
    h.transport.closeConversation();
    const reloaded = harness({ sync: profile.tab(), responses: [] });
    reloaded.controller.start();
    expect(reloaded.controller.state.phase).toBe('pre-engagement');
    expect(reloaded.controller.state.notice).toBeNull();
  });
});

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

describe('offline outbox', () => {
  it('messages typed while offline wait as queued and are sent once, in order, after reconnecting', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    await h.controller.send('one');
    await h.controller.send('two');
    expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['one', 'queued'], ['two', 'queued']]);
    expect(h.transport.sent).toEqual([]);

    h.transport.setConnectionState('connected');
    h.transport.setConnectionState('connecting'); // flapping must not duplicate anything
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h).every((m) => m.delivery === 'sent')).toBe(true));
    expect(h.transport.sent.map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('a message whose send was cut off but reached the server is not sent again (clientMessageId)', async () => {
    const h = await activeHarness({ transport: { echo: 'none', participants: [agentAna] } });
    h.transport.holdSends();
    h.transport.failNextSend(new TransportError('network', 'socket closed'));
    const sending = h.controller.send('did it arrive?');
    h.transport.setConnectionState('connecting');
    // The server got it, but the answer was lost with the connection.
    h.transport.addSilently({ author: 'visitor-identity', role: 'visitor', body: 'did it arrive?', clientMessageId: 'cmid-1' });
    h.transport.releaseSends();
    await sending;
    expect(exchanged(h)[0]?.delivery).toBe('queued');

    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h)[0]?.delivery).toBe('sent'));
    expect(h.transport.sent).toEqual([]); // never re-sent
    expect(exchanged(h)).toHaveLength(1);
  });

  it('when the catch-up load after a reconnect fails, it is retried with backoff and the queue is sent once', async () => {
    const h = await activeHarness();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      h.transport.setConnectionState('connecting');
      await h.controller.send('typed while offline');
      h.transport.addSilently({ author: 'agent-1', role: 'agent', body: 'Still there?' });
      // The connection is back, but the first two history requests were lost with the old socket.
      h.transport.failNextHistoryLoad();
      h.transport.failNextHistoryLoad();
      const loadsBefore = h.transport.historyLoads.length;
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['typed while offline', 'queued']]);

      await vi.advanceTimersByTimeAsync(999);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      await vi.advanceTimersByTimeAsync(1); // first retry after 1 s fails too
      expect(h.transport.historyLoads.length - loadsBefore).toBe(2);
      await vi.advanceTimersByTimeAsync(1_999);
      expect(h.transport.sent).toEqual([]);
      await vi.advanceTimersByTimeAsync(1); // second retry after 2 s more succeeds
      expect(h.transport.historyLoads.length - loadsBefore).toBe(3);
      expect(h.transport.sent.map((m) => m.body)).toEqual(['typed while offline']);
      expect(exchanged(h).map((m) => m.body)).toEqual(['Still there?', 'typed while offline']); // server order

      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(3); // no retries once caught up
      expect(h.transport.sent).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed catch-up is not retried while the connection is down; the next reconnect catches up', async () => {
    const h = await activeHarness();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      h.transport.setConnectionState('connecting');
      await h.controller.send('later');
      h.transport.failNextHistoryLoad();
      const loadsBefore = h.transport.historyLoads.length;
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      h.transport.setConnectionState('connecting');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      expect(h.transport.sent).toEqual([]);
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      expect(h.transport.sent.map((m) => m.body)).toEqual(['later']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('messages missed while offline appear after reconnecting', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    h.transport.addSilently({ author: 'agent-1', role: 'agent', body: 'Are you still there?' });
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h).map((m) => m.body)).toEqual(['Are you still there?']));
  });

  it('a failed message retried while offline is queued instead', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('x');
    h.transport.setConnectionState('connecting');
    await h.controller.retryMessage('cmid-1');
    expect(exchanged(h)[0]?.delivery).toBe('queued');
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(h.transport.sent.map((m) => m.body)).toEqual(['x']));
  });

  it('queued messages fail visibly when the chat ends before the connection returns', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    await h.controller.send('too late');
    h.transport.closeConversation();
    expect(h.controller.state.messages.find((m) => m.body === 'too late')).toMatchObject({ delivery: 'failed' });
  });
});

describe('history paging', () => {
  it('loads older pages before the oldest message until there are none', async () => {
    const history = Array.from({ length: 120 }, (_, i) => historyMessage(i, i % 2 ? 'visitor' : 'agent', `m${i}`));
    const h = await activeHarness({ transport: { history, participants: [agentAna] } });
    expect(exchanged(h)).toHaveLength(50);
    expect(h.controller.state.hasOlderMessages).toBe(true);
    const loading = h.controller.loadOlder();
    expect(h.controller.state.loadingOlder).toBe(true);
    await h.controller.loadOlder(); // ignored while loading
    await loading;
    expect(exchanged(h)).toHaveLength(100);
    expect(exchanged(h)[0]?.body).toBe('m20');
    await h.controller.loadOlder();
    expect(exchanged(h)).toHaveLength(120);
    expect(h.controller.state.hasOlderMessages).toBe(false);
    await h.controller.loadOlder();
    expect(h.transport.historyLoads).toEqual([
      { beforeIndex: null, pageSize: 50 },
      { beforeIndex: 70, pageSize: 50 },
      { beforeIndex: 20, pageSize: 50 },
    ]);
    expect(exchanged(h).map((m) => m.index)).toEqual(history.map((m) => m.index));
  });
});
