import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { HostBridge, HostCommand, WidgetEvent } from './bridge/host-bridge.ts';
import type { DeploymentPreview, PreviewParse } from './bridge/preview.ts';
import type { PreviewSettings } from '../../contracts/bridge-protocol.ts';
import { createHostWiring } from './host-wiring.ts';
import { activeHarness, fillValidForm, harness, initOk } from './testing/fixtures.ts';

function fakeBridge() {
  const sent: WidgetEvent[] = [];
  let listener: ((command: HostCommand) => void) | null = null;
  const bridge: HostBridge = {
    send: (event) => sent.push(event),
    onCommand: (l) => {
      listener = l;
      return () => (listener = null);
    },
    close: () => {},
  };
  return { bridge, sent, command: (c: HostCommand) => listener?.(c) };
}

describe('host wiring', () => {
  // The preview chunk generates its validator from the config schema when first
  // imported; on a busy machine that alone can outlast waitFor's default second.
  beforeAll(() => import('./bridge/preview.ts'), 60_000);

  it('forwards events; agent messages while the panel is closed raise unread, opening clears it', async () => {
    const fake = fakeBridge();
    const wiring = createHostWiring(fake.bridge);
    let opened = 0;
    const h = await activeHarness({ notifyHost: wiring.notifyHost });
    wiring.attach(h.controller, () => opened++);
    expect(fake.sent).toEqual([{ type: 'sessionEnd' }, { type: 'sessionStart' }]); // nothing to resume, then a new chat
    fake.sent.length = 0;
    h.transport.pushAgentMessage('one');
    h.transport.pushAgentMessage('two');
    expect(fake.sent).toEqual([
      { type: 'message', fromAgent: true, direction: 'incoming' },
      { type: 'unread', count: 1 },
      { type: 'message', fromAgent: true, direction: 'incoming' },
      { type: 'unread', count: 2 },
    ]);
    fake.command({ type: 'open' });
    expect(fake.sent.at(-1)).toEqual({ type: 'unread', count: 0 });
    expect(opened).toBe(1);
    h.transport.pushAgentMessage('three'); // seen at once: no unread
    expect(fake.sent.at(-1)).toEqual({ type: 'message', fromAgent: true, direction: 'incoming' });
    fake.command({ type: 'close' });
    h.transport.pushAgentMessage('four');
    expect(fake.sent.at(-1)).toEqual({ type: 'unread', count: 1 });
  });

  it('opened directly (not framed) the widget counts as open', async () => {
    const fake = fakeBridge();
    const wiring = createHostWiring(fake.bridge);
    const h = await activeHarness({ notifyHost: wiring.notifyHost });
    wiring.attach(h.controller, undefined, false);
    h.transport.pushAgentMessage('hello');
    expect(fake.sent).toEqual([{ type: 'sessionEnd' }, { type: 'sessionStart' }, { type: 'message', fromAgent: true, direction: 'incoming' }]);
  });

  it('identify prefills the form and setContext reaches the init request', async () => {
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    h.controller.start();
    fake.command({ type: 'identify', prefill: { friendlyName: 'Ana', email: 'ana@example.com' } });
    fake.command({ type: 'setContext', context: { pageUrl: 'http://127.0.0.1:4040/' } });
    h.controller.setFieldValue('question', 'Hi');
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toEqual({
      preEngagementData: { friendlyName: 'Ana', email: 'ana@example.com', question: 'Hi' },
      context: { pageUrl: 'http://127.0.0.1:4040/', locale: 'en' },
    });
  });

  it('teaser: the next chat starts with it (state for the list, context for the agent), then forgets it', async () => {
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    h.controller.start();
    fake.command({ type: 'teaser', text: 'Questions about shipping?' });
    expect(h.controller.state.teaser).toEqual({ text: 'Questions about shipping?', at: Date.UTC(2025, 0, 1, 12, 30) });
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toMatchObject({ context: { locale: 'en', teaser: 'Questions about shipping?' } });
    expect(h.controller.state.phase).toBe('active');
    // Chosen during a chat: that chat began without it.
    fake.command({ type: 'teaser', text: 'Another one' });
    expect(h.controller.state.teaser!.text).toBe('Questions about shipping?');
    h.transport.closeConversation();
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('ended'));
    h.controller.restart(); // a new chat: without the old teaser
    expect(h.controller.state.teaser).toBeNull();
  });

  it('identify with a userToken sends it with /webchat/init', async () => {
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    h.controller.start();
    fake.command({ type: 'identify', prefill: { friendlyName: 'Ana', email: 'ana@example.com' }, userToken: 'signed.jwt.value' });
    h.controller.setFieldValue('question', 'Hi');
    await h.controller.submitForm();
    expect(h.http.calls[0]?.body).toMatchObject({ userToken: 'signed.jwt.value' });
  });

  it('setLocale switches the widget language (once its catalogue is here)', async () => {
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    fake.command({ type: 'setLocale', locale: 'fr-CA' } as unknown as HostCommand);
    await vi.waitFor(() => expect(h.controller.state.locale).toBe('fr'));
    expect(h.controller.strings.sendLabel).toBe('Envoyer');
    fake.command({ type: 'setLocale', locale: 42 } as unknown as HostCommand); // malformed: ignored
    await Promise.resolve();
    expect(h.controller.state.locale).toBe('fr');
  });

  it('shutdown ends the chat and forgets the visitor', async () => {
    const fake = fakeBridge();
    const h = await activeHarness({ responses: [initOk, { body: {} }] });
    createHostWiring(fake.bridge).attach(h.controller);
    fake.command({ type: 'shutdown' } as unknown as HostCommand);
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('pre-engagement'));
    expect(h.http.calls.at(-1)?.url).toBe('http://127.0.0.1:4020/webchat/end');
    expect(h.controller.state.form.values.friendlyName).toBe('');
    expect(h.controller.state.visitorName).toBeNull();
    expect(h.hostEvents.filter((e) => e.type === 'sessionEnd')).toHaveLength(2); // at start (nothing to resume), and the end
  });

  it("layout: follows where the host draws its close button, notifying only on change", () => {
    const fake = fakeBridge();
    const h = harness();
    const wiring = createHostWiring(fake.bridge);
    const changed = vi.fn();
    const stop = wiring.layout.subscribe(changed);
    wiring.attach(h.controller);
    expect(wiring.layout.hostClose()).toBeNull(); // until told: the widget's own close button
    fake.command({ type: 'layout', hostClose: 'left' });
    fake.command({ type: 'layout', hostClose: 'left' });
    expect(wiring.layout.hostClose()).toBe('left');
    expect(changed).toHaveBeenCalledTimes(1);
    fake.command({ type: 'layout', hostClose: null });
    expect(wiring.layout.hostClose()).toBeNull();
    stop();
    fake.command({ type: 'layout', hostClose: 'right' });
    expect(changed).toHaveBeenCalledTimes(2);
    expect(fake.sent).toEqual([]);
  });

  it('focus hand-over: asks the host for its close button only while it has one; relays focusFirst to listeners', () => {
    const fake = fakeBridge();
    const wiring = createHostWiring(fake.bridge);
    wiring.attach(harness().controller);
    const first = vi.fn();
    const stop = wiring.layout.onFocusFirst(first);
    wiring.layout.focusHostClose(); // no host button yet: nothing to ask for
    expect(fake.sent).toEqual([]);
    fake.command({ type: 'layout', hostClose: 'right' });
    wiring.layout.focusHostClose();
    expect(fake.sent).toEqual([{ type: 'focusHostClose' }]);
    fake.command({ type: 'focusFirst' });
    expect(first).toHaveBeenCalledTimes(1);
    stop();
    fake.command({ type: 'focusFirst' });
    expect(first).toHaveBeenCalledTimes(1);
    fake.command({ type: 'layout', hostClose: null });
    wiring.layout.focusHostClose();
    expect(fake.sent).toHaveLength(1);
  });

  it('detaches', () => {
    const fake = fakeBridge();
    const h = harness();
    const detach = createHostWiring(fake.bridge).attach(h.controller);
    detach();
    fake.command({ type: 'identify', prefill: { friendlyName: 'Ana' } });
    expect(h.controller.state.form.values.friendlyName).toBe('');
  });

  it('preview: valid settings reach the controller, invalid ones are ignored and reported, null reverts', async () => {
    const fake = fakeBridge();
    const h = harness();
    createHostWiring(fake.bridge).attach(h.controller);
    h.controller.start();
    fake.command({ type: 'preview', settings: { texts: { title: 'Preview' }, theme: { mode: 'dark' } } });
    await vi.waitFor(() => expect(h.controller.strings.title).toBe('Preview'));
    expect(h.controller.config.theme?.mode).toBe('dark');
    fake.command({ type: 'preview', settings: { theme: { mode: 'sepia' } } });
    await vi.waitFor(() => expect(fake.sent.at(-1)).toEqual({ type: 'error', code: 'preview_invalid' }));
    expect(h.controller.config.theme?.mode).toBe('dark');
    fake.command({ type: 'preview', settings: null });
    expect(h.controller.strings.title).toBe('Chat with Acme support');
  });

  it('preview: only the latest of overlapping previews lands; a validator that fails to load is reported', async () => {
    const fake = fakeBridge();
    const h = harness();
    const pending: Array<() => void> = [];
    const parse = (settings: PreviewSettings) =>
      new Promise<PreviewParse>((done) => pending.push(() => done({ ok: true, preview: settings as DeploymentPreview })));
    createHostWiring(fake.bridge, parse).attach(h.controller);
    fake.command({ type: 'preview', settings: { texts: { title: 'First' } } });
    fake.command({ type: 'preview', settings: { texts: { title: 'Second' } } });
    pending[1]!();
    pending[0]!();
    await vi.waitFor(() => expect(h.controller.strings.title).toBe('Second'));
    await Promise.resolve();
    expect(h.controller.strings.title).toBe('Second');

    const broken = fakeBridge();
    createHostWiring(broken.bridge, () => Promise.reject(new Error('chunk failed'))).attach(h.controller);
    broken.command({ type: 'preview', settings: {} });
    await vi.waitFor(() => expect(broken.sent).toEqual([{ type: 'error', code: 'preview_unavailable' }]));
  });
});
