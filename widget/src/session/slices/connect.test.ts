// Connecting: the transport chunk preloaded while the form is filled in, and failed connects.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { historyMessage } from '../../testing/history-message.ts';
import { fillValidForm, harness, initOk } from '../../testing/fixtures.ts';
import { browserProfile } from '../../testing/storage.ts';

describe('preloading the transport', () => {
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
});

describe('the first history page', () => {
  afterEach(() => vi.restoreAllMocks());

  it("is drawn a task after the SDK delivered it, not in the SDK's own task", async () => {
    const scheduler = (globalThis as unknown as { scheduler: { yield: () => Promise<void> } }).scheduler;
    let release = () => {};
    const yielded = vi.spyOn(scheduler, 'yield').mockImplementation(() => new Promise<void>((resolve) => (release = resolve)));
    const h = harness({ transport: { history: [historyMessage(0, 'agent', 'Welcome back')] } });
    h.controller.start();
    fillValidForm(h.controller);
    const submitted = h.controller.submitForm();
    await vi.waitFor(() => expect(h.transport.historyLoads).toHaveLength(1));
    await vi.waitFor(() => expect(yielded).toHaveBeenCalled());
    // The page is in hand; the state (and so React) has not seen it yet.
    expect(h.controller.state.phase).toBe('connecting');
    expect(h.controller.state.messages.map((m) => m.body)).not.toContain('Welcome back');
    release();
    await submitted;
    expect(h.controller.state.phase).not.toBe('connecting');
    expect(h.controller.state.messages.map((m) => m.body)).toContain('Welcome back');
  });
});

describe('connect failures', () => {
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

describe('preloading waits for the panel', () => {
  let profile: ReturnType<typeof browserProfile> | undefined;
  afterEach(() => profile?.close());

  it('in a closed panel nothing is loaded until the host opens it, then at the next quiet moment', () => {
    const quiet: Array<() => void> = [];
    const h = harness({ controller: { whenIdle: (run) => quiet.push(run) } });
    h.controller.setHostOpen(false); // framed: closed until the host says 'open'
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(quiet).toHaveLength(0);
    h.controller.setHostOpen(true);
    expect(h.loads).toEqual([]); // not while the form is being drawn
    expect(quiet).toHaveLength(1);
    quiet.shift()!();
    expect(h.loads).toEqual(['conversations']);
    h.controller.setHostOpen(false);
    h.controller.setHostOpen(true);
    expect(quiet).toHaveLength(0); // once
  });

  it('a visitor who submits before the quiet moment still connects (the connect loads the SDK itself)', async () => {
    const quiet: Array<() => void> = [];
    const h = harness({ controller: { whenIdle: (run) => quiet.push(run) } });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.phase).toBe('active');
    expect(h.loads).toEqual(['conversations']);
    quiet.shift()!(); // the late preload reuses the loaded module
    expect(h.loads).toEqual(['conversations']);
  });

  it('a chat to resume loads its SDK at once, open or not', async () => {
    const quiet: Array<() => void> = [];
    profile = browserProfile();
    const first = harness({ sync: profile.tab() });
    first.controller.start();
    fillValidForm(first.controller);
    await first.controller.submitForm();
    const second = harness({ sync: profile.tab(), controller: { whenIdle: (run) => quiet.push(run) } });
    second.controller.setHostOpen(false);
    second.controller.start();
    expect(second.loads).toEqual(['conversations']);
    expect(quiet).toHaveLength(0);
  });
});
