import { describe, expect, it, vi } from 'vitest';
import { TransportError } from '../transport/chat-transport.ts';
import { historyMessage } from '../transport/memory-transport.ts';
import { activeHarness, allFieldsConfig, exchanged, fillValidForm, harness, initOk, testConfig } from '../testing/fixtures.ts';

const waitForMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('form submission', () => {
  it('start() shows the form and preloads the default transport once', async () => {
    const h = harness();
    h.controller.start();
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.loads).toEqual(['conversations']);
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.loads).toEqual(['conversations']); // the preloaded module is reused
  });

  it("preload 'auto' asks the token service for its mode and loads that SDK (legacy: twilio-chat)", async () => {
    const h = harness({ responses: [{ body: { status: 'ok', mode: 'legacy' } }], controller: { preloadMode: 'auto' } });
    h.controller.start();
    await vi.waitFor(() => expect(h.loads).toEqual(['legacy']));
    expect(h.http.calls[0]?.url).toBe('http://127.0.0.1:4020/healthz');
  });

  it("preload 'auto' falls back to Conversations when the service cannot tell", async () => {
    const h = harness({ responses: [{ networkError: true }], controller: { preloadMode: 'auto' } });
    h.controller.start();
    await vi.waitFor(() => expect(h.loads).toEqual(['conversations']));
  });

  it('invalid values never reach the token service', async () => {
    const h = harness();
    h.controller.start();
    h.controller.setFieldValue('email', 'not-an-email');
    await h.controller.submitForm();
    const { phase, form } = h.controller.state;
    expect(phase).toBe('pre-engagement');
    expect(form.errors).toEqual({
      friendlyName: 'Please tell us your name.',
      email: 'Enter a valid email address.',
      question: 'This field is required.',
    });
    expect(form.rejectedSubmits).toBe(1);
    expect(h.http.calls).toHaveLength(0);
  });

  it('a language switch translates the texts already shown: form errors and the error screen, not the custom errorText', async () => {
    const h = harness({ responses: [{ networkError: true }] });
    h.controller.start();
    h.controller.setFieldValue('email', 'not-an-email');
    await h.controller.submitForm();
    h.controller.setLocale('de');
    expect(h.controller.state.form.errors).toEqual({
      friendlyName: 'Please tell us your name.', // the deployment's own errorText, in no locale table
      email: 'Geben Sie eine gültige E-Mail-Adresse ein.',
      question: 'Dieses Feld ist erforderlich.',
    });

    fillValidForm(h.controller);
    await h.controller.submitForm(); // the token service cannot be reached
    expect(h.controller.state.error?.message).toBe('Der Chat-Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.');
    h.controller.setLocale('en');
    expect(h.controller.state.error).toMatchObject({ code: 'network', message: 'We could not reach the chat service. Check your connection and try again.' });
  });

  it('editing a field clears its error', async () => {
    const h = harness();
    h.controller.start();
    await h.controller.submitForm();
    h.controller.setFieldValue('friendlyName', 'Ana');
    expect(h.controller.state.form.errors.friendlyName).toBeUndefined();
    expect(h.controller.state.form.errors.email).toBeDefined();
  });

  it('posts preEngagementData and context to {tokenUrl}/webchat/init', async () => {
    const h = harness();
    h.controller.start();
    h.controller.setContext({ pageUrl: 'http://127.0.0.1:4040/pricing' });
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.http.calls).toEqual([
      {
        url: 'http://127.0.0.1:4020/webchat/init',
        body: {
          preEngagementData: { friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order?' },
          context: { pageUrl: 'http://127.0.0.1:4040/pricing', locale: 'en' },
        },
      },
    ]);
    expect(h.controller.state.visitorName).toBe('Zoë Ångström');
  });

  it('sends every field type, hidden ones included, and host prefill lands in the form', async () => {
    const h = harness({ config: allFieldsConfig });
    h.controller.applyPrefill({ friendlyName: 'Ana', email: 'ana@example.com', consent: 'true', unknown: 'x' });
    h.controller.start();
    h.controller.setFieldValue('question', 'Hi');
    h.controller.setFieldValue('topic', 'tech');
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toMatchObject({
      preEngagementData: {
        friendlyName: 'Ana',
        email: 'ana@example.com',
        question: 'Hi',
        phone: '',
        topic: 'tech',
        contact: 'chat',
        consent: true,
        source: 'pricing-page',
      },
    });
    expect(h.controller.state.form.values).not.toHaveProperty('unknown');
  });

  it('field errors from the token service go back to the form', async () => {
    const h = harness({
      responses: [
        {
          status: 400,
          body: { error: { code: 'invalid_pre_engagement', message: 'Invalid', fields: { email: 'Domain not accepted' } } },
        },
      ],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    const { phase, form } = h.controller.state;
    expect(phase).toBe('pre-engagement');
    expect(form.errors).toEqual({ email: 'Domain not accepted' });
    expect(form.message).toBe('Please correct the highlighted fields.');
    expect(form.rejectedSubmits).toBe(1);
    expect(form.values.email).toBe('zoe@example.com');
  });

  it('field errors given as a list of paths are mapped too, and errorText wins', async () => {
    const h = harness({
      responses: [
        {
          status: 422,
          body: { error: { code: 'x', message: 'y', fields: [{ path: '/preEngagementData/friendlyName', message: 'bad' }] } },
        },
      ],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.form.errors).toEqual({ friendlyName: 'Please tell us your name.' });
  });

  it('field errors about fields the visitor cannot change become an error with a restart', async () => {
    const h = harness({
      responses: [{ status: 400, body: { error: { code: 'unknown_field', message: 'no', fields: { utm: 'unknown' } } } }],
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code: 'rejected', recovery: 'restart' });
  });
});

describe('session start', () => {
  it('success: connects with the credentials, loads history and participants, becomes active', async () => {
    const h = await activeHarness({
      transport: {
        history: [historyMessage(0, 'agent', 'Welcome!'), historyMessage(1, 'visitor', 'Hi')],
        participants: [{ identity: 'agent-1', role: 'agent', displayName: 'Ana' }],
      },
    });
    const state = h.controller.state;
    expect(state.phase).toBe('active');
    expect(state.connection).toBe('connected');
    expect(state.session).toEqual({
      identity: 'visitor-identity',
      conversationSid: 'CH00000000000000000000000000000001',
      mode: 'conversations',
      expiresAt: Date.UTC(2025, 0, 1, 13),
    });
    expect(state.messages.map((m) => [m.role, m.body])).toEqual([
      ['system', 'Ana joined the chat'], // already there: announced before her first message
      ['agent', 'Welcome!'],
      ['visitor', 'Hi'],
    ]);
    expect(state.participants['agent-1']).toEqual({ identity: 'agent-1', role: 'agent', displayName: 'Ana' });
    expect(h.transport.credentials).toEqual({
      token: 'token-1',
      identity: 'visitor-identity',
      conversationSid: 'CH00000000000000000000000000000001',
      twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect',
    });
    expect(h.hostEvents).toEqual([{ type: 'sessionEnd' }, { type: 'sessionStart' }]); // nothing to resume; then started
    expect(JSON.parse(JSON.stringify(state))).toEqual(state); // plain, serialisable data only
    expect(JSON.stringify(state)).not.toContain('token-1'); // the token never enters the store
  });

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

  it('a failed connect is retried with the same credentials', async () => {
    const h = harness();
    h.transport.failNextConnect(new TransportError('network', 'socket closed'));
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code: 'network', recovery: 'retry-connect' });
    expect(h.transport.disconnectCalls).toBe(1);
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.http.calls).toHaveLength(1);
    expect(h.transport.connectCalls).toBe(2);
  });

  it('a rejected token asks the token service for a new session on retry', async () => {
    const h = harness({ responses: [initOk, initOk] });
    h.transport.failNextConnect(new TransportError('auth', 'denied'));
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.error).toMatchObject({ code: 'auth', recovery: 'retry-init' });
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    expect(h.http.calls).toHaveLength(2);
  });

  it('an unsupported chat mode is reported, with a way back to the form', async () => {
    const h = harness({
      responses: [{ body: { ...(initOk.body as object), mode: 'carrier-pigeon' } }],
      // Like the production loader: modes it does not know are refused.
      loadTransport: async (mode) => {
        if (mode === 'conversations') return () => h.transport;
        throw new TransportError('rejected', `Unsupported chat mode "${mode}"`);
      },
    });
    const controller = h.controller;
    controller.start();
    fillValidForm(controller);
    await controller.submitForm();
    expect(controller.state.error).toMatchObject({ code: 'unsupported-mode', recovery: 'restart' });
    await controller.retry();
    expect(controller.state.phase).toBe('pre-engagement');
  });
});

describe('sending', () => {
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

  it('shows the message at once as sending, clears the draft, then marks it sent', async () => {
    const h = await activeHarness();
    h.transport.holdSends();
    h.controller.setDraft('  Where is my parcel?  ');
    const sending = h.controller.send();
    expect(h.controller.state.draft).toBe('');
    expect(exchanged(h)).toHaveLength(1);
    expect(exchanged(h)[0]).toMatchObject({
      body: 'Where is my parcel?',
      delivery: 'sending',
      role: 'visitor',
      clientMessageId: 'cmid-1',
      authorName: 'Zoë Ångström',
    });
    h.transport.releaseSends();
    await sending;
    expect(exchanged(h)).toHaveLength(1);
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'sent', sid: expect.stringMatching(/^IM/) });
    expect(h.transport.sent).toEqual([{ body: 'Where is my parcel?', clientMessageId: 'cmid-1' }]);
  });

  it.each(['before-resolve', 'after-resolve', 'none'] as const)(
    'the server echo (%s) and the send result make one message',
    async (echo) => {
      const h = await activeHarness({ transport: { echo } });
      await h.controller.send('hello');
      await waitForMicrotasks();
      expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['hello', 'sent']]);
    },
  );

  it('blank drafts are not sent', async () => {
    const h = await activeHarness();
    h.controller.setDraft(' \n ');
    await h.controller.send();
    expect(h.transport.sent).toHaveLength(0);
    expect(exchanged(h)).toHaveLength(0);
  });

  it('a send the service refuses keeps the text as a failed message with the reason; Retry re-sends it exactly once', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('do not lose me');
    expect(exchanged(h)[0]).toMatchObject({ body: 'do not lose me', delivery: 'failed', error: 'refused' });
    expect(h.transport.sent).toHaveLength(0);

    const retry = h.controller.retryMessage('cmid-1');
    await h.controller.retryMessage('cmid-1'); // a double click while the first retry is in flight
    await retry;
    expect(h.transport.sent).toEqual([{ body: 'do not lose me', clientMessageId: 'cmid-1' }]);
    expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['do not lose me', 'sent']]);

    await h.controller.retryMessage('cmid-1'); // already sent: nothing happens
    expect(h.transport.sent).toHaveLength(1);
  });

  it('typing notifications pass through only while active', async () => {
    const h = harness();
    h.controller.start();
    h.controller.notifyTyping();
    expect(h.transport.typingNotifications).toBe(0);
    fillValidForm(h.controller);
    await h.controller.submitForm();
    h.controller.notifyTyping();
    expect(h.transport.typingNotifications).toBe(1);
  });
});

describe('live events', () => {
  it('agent messages are added, clear that agent typing, and are reported to the host', async () => {
    const h = await activeHarness();
    h.transport.setTyping('agent-1', true);
    h.transport.setTyping('visitor-identity', true); // own typing echo is ignored
    expect(h.controller.state.typing).toEqual(['agent-1']);
    h.transport.pushAgentMessage('How can I help?', 'agent-1', 'Ana');
    expect(h.controller.state.messages.at(-1)).toMatchObject({ role: 'agent', body: 'How can I help?', authorName: 'Ana' });
    expect(h.controller.state.typing).toEqual([]);
    expect(h.hostEvents).toContainEqual({ type: 'message', fromAgent: true, direction: 'incoming' });
  });

  it("the visitor's own messages are reported to the host once the service has them (outgoing), never their text", async () => {
    const h = await activeHarness();
    const outgoing = () => h.hostEvents.filter((e) => e.type === 'message' && !e.fromAgent);
    await h.controller.send('hello');
    expect(outgoing()).toEqual([{ type: 'message', fromAgent: false, direction: 'outgoing' }]);

    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('lost for now');
    expect(outgoing()).toHaveLength(1); // a failed send is no message (yet)
    await h.controller.retryMessage('cmid-2');
    expect(outgoing()).toHaveLength(2);

    h.transport.setConnectionState('connecting');
    await h.controller.send('typed offline');
    expect(outgoing()).toHaveLength(2); // queued
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(outgoing()).toHaveLength(3)); // once, when it goes out
    await waitForMicrotasks();
    expect(outgoing()).toHaveLength(3);
    expect(JSON.stringify(h.hostEvents)).not.toMatch(/hello|typed offline/);
  });

  it('agent messages the visitor cannot see are handed to onUnseenMessage (sound, notifications)', async () => {
    const unseen: Array<{ authorName: string; body: string }> = [];
    const h = await activeHarness({ controller: { onUnseenMessage: (m) => unseen.push(m) } });
    h.transport.pushAgentMessage('seen', 'agent-1');
    h.controller.setPageVisible(false);
    h.transport.pushAgentMessage('while hidden', 'agent-1');
    h.controller.setPageVisible(true);
    h.controller.setHostOpen(false);
    h.transport.pushAgentMessage('while closed', 'agent-1');
    await h.controller.send('mine');
    expect(unseen).toEqual([
      { authorName: 'Ana', body: 'while hidden' },
      { authorName: 'Ana', body: 'while closed' },
    ]);
    expect(h.controller.state.unread).toBe(1);
    expect(h.hostEvents.filter((e) => e.type === 'unread')).toEqual([
      { type: 'unread', count: 1 },
      { type: 'unread', count: 0 },
      { type: 'unread', count: 1 },
    ]);
  });

  it('typing start and end', async () => {
    const h = await activeHarness();
    h.transport.setTyping('agent-1', true);
    h.transport.setTyping('agent-2', true);
    h.transport.setTyping('agent-1', false);
    expect(h.controller.state.typing).toEqual(['agent-2']);
  });

  it('a notice written before the agent name was known is updated when it arrives', async () => {
    const h = await activeHarness();
    h.transport.addParticipant({ identity: 'agent-7', role: 'agent' });
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Agent joined the chat']);
    h.transport.emit({ type: 'participantUpdated', participant: { identity: 'agent-7', role: 'agent', displayName: 'Bo' } });
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Bo joined the chat']);
  });

  it('agents joining and leaving add notices and update participants', async () => {
    const h = await activeHarness();
    h.transport.addParticipant({ identity: 'agent-7', role: 'agent', displayName: 'Ana' });
    h.transport.emit({ type: 'participantUpdated', participant: { identity: 'agent-7', role: 'agent', displayName: 'Ana B.' } });
    h.transport.removeParticipant('agent-7');
    expect(h.controller.state.messages.map((m) => [m.role, m.body])).toEqual([
      ['system', 'Ana joined the chat'], // agent-1, there from the start
      ['system', 'Ana B. joined the chat'],
      ['system', 'Ana B. left the chat'],
    ]);
    expect(h.controller.state.participants['agent-7']).toBeUndefined();
  });

  it('connection drops are reflected without leaving the conversation', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    expect(h.controller.state).toMatchObject({ phase: 'active', connection: 'connecting' });
    h.transport.setConnectionState('connected');
    expect(h.controller.state.connection).toBe('connected');
  });

  it('a closed conversation ends the session; a new chat keeps unsent text in the composer', async () => {
    const h = await activeHarness();
    h.transport.failNextSend();
    await h.controller.send('unsent words');
    h.controller.setDraft('half typed');
    h.transport.closeConversation();
    expect(h.controller.state.phase).toBe('ended');
    expect(h.hostEvents.at(-1)).toEqual({ type: 'sessionEnd' });
    expect(h.transport.listenerCount).toBe(0);

    h.controller.restart();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.messages).toEqual([]);
    expect(h.controller.state.draft).toBe('unsent words\n\nhalf typed');
    expect(h.controller.state.form.values.friendlyName).toBe('  Zoë Ångström ');
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

  it('an expired token that cannot be refreshed ends in an error with a restart', async () => {
    const h = await activeHarness({ responses: [initOk, { status: 500, body: {} }] });
    h.transport.emit({ type: 'tokenExpired' });
    await waitForMicrotasks();
    expect(h.controller.state.error).toMatchObject({ code: 'session-expired', recovery: 'restart' });
  });

  it('events from a transport that was replaced are ignored', async () => {
    const h = await activeHarness();
    const stale = h.transport;
    h.controller.restart();
    stale.emit({ type: 'messageAdded', message: historyMessage(9, 'agent', 'late') });
    expect(h.controller.state.messages).toEqual([]);
  });
});
