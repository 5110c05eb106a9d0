import { describe, expect, it } from 'vitest';
import type { HostBridge, HostCommand, WidgetEvent } from './bridge/host-bridge.ts';
import { createHostWiring } from './host-wiring.ts';
import { harness } from './testing/fixtures.ts';

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
  it('forwards events and counts unread agent messages while closed', () => {
    const fake = fakeBridge();
    const wiring = createHostWiring(fake.bridge);
    let opened = 0;
    wiring.attach(harness().controller, () => opened++);
    wiring.notifyHost({ type: 'message', fromAgent: true });
    wiring.notifyHost({ type: 'message', fromAgent: true });
    expect(fake.sent).toEqual([
      { type: 'message', fromAgent: true },
      { type: 'unread', count: 1 },
      { type: 'message', fromAgent: true },
      { type: 'unread', count: 2 },
    ]);
    fake.command({ type: 'open' });
    expect(fake.sent.at(-1)).toEqual({ type: 'unread', count: 0 });
    expect(opened).toBe(1);
    wiring.notifyHost({ type: 'message', fromAgent: true });
    expect(fake.sent.at(-1)).toEqual({ type: 'message', fromAgent: true });
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

  it('detaches', () => {
    const fake = fakeBridge();
    const h = harness();
    const detach = createHostWiring(fake.bridge).attach(h.controller);
    detach();
    fake.command({ type: 'identify', prefill: { friendlyName: 'Ana' } });
    expect(h.controller.state.form.values.friendlyName).toBe('');
  });
});
