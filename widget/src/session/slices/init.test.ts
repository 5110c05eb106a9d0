// Starting a session: /webchat/init, its failures, the first message, and resuming a stored session.
import { describe, expect, it, vi, afterEach } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { activeHarness, exchanged, fillValidForm, harness, initOk, testConfig } from '../../testing/fixtures.ts';
import { browserProfile } from '../../testing/storage.ts';
import { storageKey } from '../persistence.ts';

const waitForMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

let profile: ReturnType<typeof browserProfile>;

afterEach(() => profile?.close());

const sid = 'CH00000000000000000000000000000001';

const initWithProof = { body: { ...(initOk.body as object), sessionProof: 'proof-1' } };

const at = (h: number, m = 0) => Date.UTC(2025, 0, 1, h, m);

describe('session start', () => {
  it('a network error shows an error with Retry, which asks the token service again', async () => {
    const h = harness({ responses: [{ networkError: true }] });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.phase).toBe('error');
    expect(h.controller.state.error).toEqual({
      code: 'network',
      recovery: 'retry-init',
      message: 'We could not reach the chat service. Check your connection and try again.',
    });
    h.http.push(initOk);
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.http.calls).toHaveLength(2);
  });

  it.each([
    [429, 'busy'],
    [503, 'server'],
  ] as const)('HTTP %i becomes a %s error that can be retried', async (status, code) => {
    const h = harness({ responses: [{ status, body: { error: { code: 'x', message: 'no' } } }] });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code, recovery: 'retry-init' });
  });

  it('a malformed success response is an error, not a crash', async () => {
    const h = harness({ responses: [{ body: { token: 'x' } }] });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code: 'bad-response', recovery: 'retry-init' });
  });
});

describe('the first message', () => {
  it("posts the form's question as the first message when the token service could not (firstMessageSent: false), once", async () => {
    const left = { body: { ...(initOk.body as object), firstMessageSent: false, firstMessage: 'Where is my order?' } };
    const h = await activeHarness({ responses: [left] });
    await vi.waitFor(() => expect(h.transport.sent).toEqual([{ body: 'Where is my order?', clientMessageId: 'cmid-1' }]));
    expect(exchanged(h).map((m) => [m.role, m.body, m.delivery])).toEqual([['visitor', 'Where is my order?', 'sent']]);
    // A reconnect joins the same conversation: nothing is posted again.
    h.transport.setConnectionState('disconnected');
    h.transport.setConnectionState('connected');
    await waitForMicrotasks();
    expect(h.transport.sent).toHaveLength(1);
  });

  it("posts the question itself when the token service says nothing of a first message (the form's first textarea by default), once", async () => {
    const { firstMessageField: _off, ...byDefault } = testConfig.preEngagement;
    const h = await activeHarness({ config: { ...testConfig, preEngagement: byDefault } }); // initOk: no firstMessageSent
    await vi.waitFor(() => expect(h.transport.sent.map((m) => m.body)).toEqual(['Where is my order?']));
    expect(exchanged(h).map((m) => [m.role, m.body, m.delivery])).toEqual([['visitor', 'Where is my order?', 'sent']]);
    h.transport.setConnectionState('disconnected');
    h.transport.setConnectionState('connected');
    await waitForMicrotasks();
    expect(h.transport.sent).toHaveLength(1);
  });

  it('posts no first message when the form turns it off, or the answer is empty', async () => {
    const h = await activeHarness({ config: { ...testConfig, preEngagement: { ...testConfig.preEngagement, firstMessageField: false } } });
    await waitForMicrotasks();
    expect(h.transport.sent).toEqual([]);

    const pre = testConfig.preEngagement;
    const optional = { ...testConfig, preEngagement: { ...pre, firstMessageField: 'question', fields: pre.fields.map((f) => ({ ...f, required: false })) } };
    const empty = harness({ config: optional });
    empty.controller.start();
    empty.controller.setFieldValue('question', '   ');
    await empty.controller.submitForm();
    await waitForMicrotasks();
    expect(empty.transport.sent).toEqual([]);
  });

  it('posts nothing extra when the token service already posted the question', async () => {
    const h = await activeHarness({ responses: [{ body: { ...(initOk.body as object), firstMessageSent: true, firstMessage: 'ignored' } }] });
    await waitForMicrotasks();
    expect(h.transport.sent).toEqual([]);
  });
});

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

  it('the teaser the chat opened from is shown first again after a reload, and forgotten when the chat ends', async () => {
    profile = browserProfile();
    const first = harness({ sync: profile.tab(), responses: [initWithProof] });
    first.controller.start();
    first.controller.setTeaser('Questions about shipping?');
    fillValidForm(first.controller);
    await first.controller.submitForm();
    const teaser = { text: 'Questions about shipping?', at: at(12, 30) };
    expect(first.controller.state.teaser).toEqual(teaser);
    first.controller.dispose();

    const reloaded = harness({ sync: profile.tab(), responses: [] });
    reloaded.controller.start();
    await vi.waitFor(() => expect(reloaded.controller.state.phase).toBe('active'));
    expect(reloaded.http.calls).toEqual([]);
    expect(reloaded.controller.state.teaser).toEqual(teaser);

    reloaded.transport.closeConversation();
    await vi.waitFor(() => expect(reloaded.controller.state.phase).toBe('ended'));
    expect(JSON.parse(profile.storage.getItem(storageKey)!)).toMatchObject({ endedBy: 'agent', teaser: null });
    reloaded.controller.restart();
    expect(reloaded.controller.state.teaser).toBeNull();
    const another = harness({ sync: profile.tab(), responses: [] });
    another.controller.start();
    expect(another.controller.state).toMatchObject({ phase: 'pre-engagement', teaser: null });
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
