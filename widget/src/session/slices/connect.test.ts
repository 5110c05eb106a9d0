// Connecting: the transport chunk preloaded while the form is filled in, and failed connects.
import { describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { fillValidForm, harness, initOk } from '../../testing/fixtures.ts';

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
