// The widget side of the bridge (widget/src/bridge/host-bridge.ts) against forged
// handshakes, plus the whole loop loader <-> widget over a real MessageChannel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectHostBridge, type HostBridge, type HostCommand } from '../widget/src/bridge/host-bridge.ts';
import { MAX_PREVIEW, MAX_TEASER, isHostMessage, isPreviewSettings, isWidgetMessage, toHostCommand, type HostMessage } from '../contracts/bridge-protocol.ts';
import { HOST_ORIGIN, WIDGET_ORIGIN, flexChat, loadIframe, mount, resetPage, tick } from './test-helpers.ts';

/** An iframe whose window plays the widget's window; its parent plays the host page. */
function widgetFrame(): Window {
  const iframe = document.createElement('iframe');
  document.body.append(iframe);
  return iframe.contentWindow!;
}

const hello = (instance = 'i-1', extra: Record<string, unknown> = {}) => ({
  flexchat: 1,
  v: 1,
  type: 'hello',
  instance,
  ...extra,
});

interface Harness {
  win: Window;
  bridge: HostBridge;
  commands: HostCommand[];
  drops: string[];
  deliver: (init: MessageEventInit) => void;
}

function connect(allowed = [HOST_ORIGIN], previewOrigins: string[] = []): Harness {
  const win = widgetFrame();
  const drops: string[] = [];
  const bridge = connectHostBridge(allowed, { window: win, previewOrigins, onDrop: (reason) => drops.push(reason) });
  const commands: HostCommand[] = [];
  bridge.onCommand((c) => commands.push(c));
  const deliver = (init: MessageEventInit) => win.dispatchEvent(new MessageEvent('message', init));
  return { win, bridge, commands, drops, deliver };
}

const opened: MessagePort[] = [];
function channel(): MessageChannel {
  const ch = new MessageChannel();
  opened.push(ch.port1, ch.port2);
  return ch;
}

beforeEach(resetPage);
afterEach(() => {
  opened.splice(0).forEach((p) => p.close());
  resetPage();
});

describe('widget side: handshake', () => {
  it('accepts a hello from the parent window at an allowed origin and acks on the port', async () => {
    const h = connect();
    const ch = channel();
    const received: unknown[] = [];
    ch.port1.onmessage = (e) => received.push(e.data);
    h.deliver({ data: hello(), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    await vi.waitFor(() => expect(received).toEqual([{ flexchat: 1, v: 1, instance: 'i-1', type: 'ack' }]));
    expect(h.drops).toEqual([]);
    h.bridge.close();
  });

  it('rejects a forged hello from another origin', async () => {
    const h = connect();
    const ch = channel();
    const received: unknown[] = [];
    ch.port1.onmessage = (e) => received.push(e.data);
    h.deliver({ data: hello(), origin: 'https://evil.test', source: h.win.parent, ports: [ch.port2] });
    await tick();
    expect(received).toEqual([]);
    expect(h.drops).toEqual(['origin https://evil.test not allowed']);
    h.bridge.close();
  });

  it('rejects a hello from another window, even at an allowed origin', async () => {
    const h = connect();
    const other = widgetFrame(); // e.g. a sibling frame on the page
    for (const source of [other, h.win, null]) {
      const ch = channel();
      h.deliver({ data: hello(), origin: HOST_ORIGIN, source, ports: [ch.port2] });
    }
    await tick();
    expect(h.drops).toEqual(Array(3).fill('not from the parent window'));
    // Still open for the genuine hello afterwards.
    const ch = channel();
    h.deliver({ data: hello(), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    expect(h.drops).toHaveLength(3);
    h.bridge.close();
  });

  it('rejects a wrong version, a bad shape or a missing port', () => {
    const h = connect();
    const bad = [
      { data: hello('i-1', { v: 2 }), ports: [channel().port2] },
      { data: hello('i-1', { flexchat: 2 }), ports: [channel().port2] },
      { data: { ...hello(), type: 'helo' }, ports: [channel().port2] },
      { data: hello(''), ports: [channel().port2] },
      { data: hello('x'.repeat(65)), ports: [channel().port2] },
      { data: 'hello', ports: [channel().port2] },
      { data: hello(), ports: [] },
      { data: hello(), ports: [channel().port2, channel().port2] },
    ];
    for (const b of bad) h.deliver({ ...b, origin: HOST_ORIGIN, source: h.win.parent });
    expect(h.drops).toEqual(Array(bad.length).fill('not a valid hello'));
    h.bridge.close();
  });

  it('keeps the first hello; later ones are dropped', async () => {
    const h = connect();
    const first = channel();
    const second = channel();
    h.deliver({ data: hello('a'), origin: HOST_ORIGIN, source: h.win.parent, ports: [first.port2] });
    h.deliver({ data: hello('b'), origin: HOST_ORIGIN, source: h.win.parent, ports: [second.port2] });
    expect(h.drops).toEqual(['already connected']);
    const got: unknown[] = [];
    first.port1.onmessage = (e) => got.push(e.data);
    h.bridge.send({ type: 'sessionStart' });
    await vi.waitFor(() => expect(got).toContainEqual({ flexchat: 1, v: 1, instance: 'a', type: 'sessionStart' }));
    h.bridge.close();
  });

  it('announces ready to the parent, pinned to each allowed origin when the parent origin is unknown', () => {
    const win = widgetFrame();
    Object.defineProperty(win.document, 'referrer', { value: '' }); // e.g. Referrer-Policy: no-referrer
    const post = vi.spyOn(win.parent, 'postMessage').mockImplementation(() => {});
    const bridge = connectHostBridge([HOST_ORIGIN, 'https://Other.test:443'], { window: win });
    expect(post.mock.calls).toEqual([
      [{ flexchat: 1, v: 1, type: 'ready' }, HOST_ORIGIN],
      [{ flexchat: 1, v: 1, type: 'ready' }, 'https://other.test'],
    ]);
    bridge.close();
  });

  it('announces ready only to a known, allowed parent origin', () => {
    const ready = { flexchat: 1, v: 1, type: 'ready' };
    for (const [referrer, expected] of [
      [`${HOST_ORIGIN}/products/tent?x=1`, [[ready, HOST_ORIGIN]]],
      ['https://evil.test/', []],
    ] as const) {
      const win = widgetFrame();
      Object.defineProperty(win.document, 'referrer', { value: referrer });
      const post = vi.spyOn(win.parent, 'postMessage').mockImplementation(() => {});
      const bridge = connectHostBridge([HOST_ORIGIN, 'https://other.test'], { window: win });
      expect(post.mock.calls).toEqual(expected);
      bridge.close();
      post.mockRestore();
    }
  });

  it('is a no-op when not framed', () => {
    const top = widgetFrame().parent; // a window that is its own parent
    const add = vi.spyOn(top, 'addEventListener');
    const bridge = connectHostBridge([HOST_ORIGIN], { window: top });
    bridge.send({ type: 'unread', count: 1 });
    bridge.onCommand(() => {})();
    bridge.close();
    expect(add).not.toHaveBeenCalled();
  });
});

describe('widget side: port traffic', () => {
  async function connected(previewOrigins: string[] = []) {
    const h = connect([HOST_ORIGIN], previewOrigins);
    const ch = channel();
    const fromWidget: unknown[] = [];
    ch.port1.onmessage = (e) => fromWidget.push(e.data);
    h.deliver({ data: hello('inst'), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    await vi.waitFor(() => expect(fromWidget).toHaveLength(1));
    return { ...h, host: ch.port1, fromWidget };
  }
  const env = { flexchat: 1, v: 1, instance: 'inst' };

  it('delivers allowlisted commands, stripped of the envelope and extra fields', async () => {
    const h = await connected();
    h.host.postMessage({ ...env, type: 'open', extra: 'x' });
    h.host.postMessage({ ...env, type: 'setContext', context: { page: '/tents', plan: 'gold' } });
    h.host.postMessage({ ...env, type: 'identify', prefill: { friendlyName: 'Ada' }, userToken: 'jwt' });
    h.host.postMessage({ ...env, type: 'setLocale', locale: 'fr', extra: 1 });
    h.host.postMessage({ ...env, type: 'shutdown', reason: 'logout' });
    h.host.postMessage({ ...env, type: 'layout', hostClose: 'left', extra: 1 });
    h.host.postMessage({ ...env, type: 'layout', hostClose: null });
    h.host.postMessage({ ...env, type: 'focusFirst', selector: 'input' });
    await vi.waitFor(() => expect(h.commands).toHaveLength(8));
    expect(h.commands).toEqual([
      { type: 'open' },
      { type: 'setContext', context: { page: '/tents', plan: 'gold' } },
      { type: 'identify', prefill: { friendlyName: 'Ada' }, userToken: 'jwt' },
      { type: 'setLocale', locale: 'fr' },
      { type: 'shutdown' },
      { type: 'layout', hostClose: 'left' },
      { type: 'layout', hostClose: null },
      { type: 'focusFirst' },
    ]);
    h.bridge.close();
  });

  it('drops wrong version, unknown type, wrong instance and bad payloads', async () => {
    const h = await connected();
    h.host.postMessage({ ...env, v: 2, type: 'open' });
    h.host.postMessage({ ...env, type: 'eval', code: 'alert(1)' });
    h.host.postMessage({ ...env, instance: 'other', type: 'open' });
    h.host.postMessage({ ...env, type: 'setContext', context: { n: 1 } });
    h.host.postMessage({ ...env, type: 'setContext', context: ['a'] });
    h.host.postMessage({ ...env, type: 'identify', prefill: {}, userToken: 42 });
    h.host.postMessage(null);
    h.host.postMessage({ ...env, type: 'close' });
    await vi.waitFor(() => expect(h.commands).toEqual([{ type: 'close' }]));
    expect(h.drops).toEqual(Array(7).fill('invalid command'));
    expect(h.bridge.dropped).toBe(7);
    h.bridge.close();
  });

  it('sends only allowlisted event fields; queues events until connected', async () => {
    const h = connect();
    h.bridge.send({ type: 'sessionStart' });
    h.bridge.send({ type: 'message', fromAgent: true, direction: 'incoming', token: 'secret', body: 'hi' } as never);
    h.bridge.send({ type: 'unread', count: Number.NaN });
    h.bridge.send({ type: 'focusHostClose', selector: 'a' } as never);
    const ch = channel();
    const got: unknown[] = [];
    ch.port1.onmessage = (e) => got.push(e.data);
    h.deliver({ data: hello('q'), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    await vi.waitFor(() => expect(got).toHaveLength(4));
    const e = { flexchat: 1, v: 1, instance: 'q' };
    expect(got).toEqual([
      { ...e, type: 'ack' },
      { ...e, type: 'sessionStart' },
      { ...e, type: 'message', fromAgent: true, direction: 'incoming' },
      { ...e, type: 'focusHostClose' },
    ]);
    expect(h.drops).toEqual(['invalid outgoing event']);
  });

  it('never lets a free-text error, a token or an SDK object out', async () => {
    const h = connect();
    const ch = channel();
    const got: unknown[] = [];
    ch.port1.onmessage = (e) => got.push(e.data);
    h.deliver({ data: hello('t'), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    h.bridge.send({ type: 'error', code: 'Bearer eyJhbGciOi...' });
    h.bridge.send({ type: 'error', code: 'token_expired', token: 'eyJ', client: {} } as never);
    h.bridge.send({ type: 'sessionStart', accessToken: 'eyJ', identity: 'visitor-1' } as never);
    await vi.waitFor(() => expect(got).toHaveLength(3));
    const e = { flexchat: 1, v: 1, instance: 't' };
    expect(got).toEqual([
      { ...e, type: 'ack' },
      { ...e, type: 'error', code: 'token_expired' },
      { ...e, type: 'sessionStart' },
    ]);
    expect(h.drops).toEqual(['invalid outgoing event']);
    h.bridge.close();
    h.bridge.close();
  });

  it('delivers a preview from a preview origin, copied and limited to the allowlisted keys', async () => {
    const h = await connected([HOST_ORIGIN]);
    const settings = { theme: { mode: 'dark' }, preEngagement: { fields: [{ name: 'a', type: 'text', label: 'A' }] } };
    h.host.postMessage({ ...env, type: 'preview', settings, extra: 1 });
    h.host.postMessage({ ...env, type: 'preview', settings: null });
    await vi.waitFor(() => expect(h.commands).toHaveLength(2));
    expect(h.commands).toEqual([
      { type: 'preview', settings },
      { type: 'preview', settings: null },
    ]);
    h.bridge.close();
  });

  it('drops a preview from an embedding origin that is not a preview origin, and malformed previews', async () => {
    const h = await connected([]);
    h.host.postMessage({ ...env, type: 'preview', settings: { theme: { mode: 'dark' } } });
    h.host.postMessage({ ...env, type: 'close' });
    await vi.waitFor(() => expect(h.commands).toEqual([{ type: 'close' }]));
    expect(h.drops).toEqual([`preview from ${HOST_ORIGIN}, not a preview origin`]);

    const p = await connected([HOST_ORIGIN]);
    p.host.postMessage({ ...env, type: 'preview', settings: { tokenUrl: 'https://evil.example' } });
    p.host.postMessage({ ...env, type: 'preview', settings: ['theme'] });
    p.host.postMessage({ ...env, type: 'preview' });
    p.host.postMessage({ ...env, type: 'preview', settings: { texts: { title: 'x'.repeat(70_000) } } });
    p.host.postMessage({ ...env, type: 'open' });
    await vi.waitFor(() => expect(p.commands).toEqual([{ type: 'open' }]));
    expect(p.drops).toEqual(Array(4).fill('invalid command'));
    h.bridge.close();
    p.bridge.close();
  });

  it('ignores preview origins that may not embed the widget at all', async () => {
    const h = connect([HOST_ORIGIN], ['http://elsewhere.example']);
    const ch = channel();
    ch.port1.onmessage = () => {};
    h.deliver({ data: hello('inst'), origin: HOST_ORIGIN, source: h.win.parent, ports: [ch.port2] });
    ch.port1.postMessage({ ...env, type: 'preview', settings: {} });
    await vi.waitFor(() => expect(h.drops).toEqual([`preview from ${HOST_ORIGIN}, not a preview origin`]));
    h.bridge.close();
  });

  it('stops delivering after close', async () => {
    const h = await connected();
    h.bridge.close();
    h.host.postMessage({ ...env, type: 'open' });
    await tick();
    expect(h.commands).toEqual([]);
  });
});

describe('protocol validators', () => {
  it('allowlist host commands, new ones included', () => {
    const e = { flexchat: 1, v: 1, instance: 'i' };
    expect(isHostMessage({ ...e, type: 'shutdown' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, type: 'setLocale', locale: 'pt-BR' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, type: 'setLocale', locale: 'pt_BR' }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, type: 'setLocale', locale: 42 }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, type: 'identify', prefill: {}, userToken: 'x'.repeat(4097) }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, type: 'identify', prefill: {}, userToken: 'x'.repeat(4096) }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, type: 'hasOwnProperty' }, 'i')).toBe(false);
  });

  it('allowlist teaser: its text, 1-200 characters, copied alone', () => {
    const e = { flexchat: 1, v: 1, instance: 'i', type: 'teaser' };
    expect(isHostMessage({ ...e, text: 'Questions about shipping?' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, text: 'x'.repeat(MAX_TEASER) }, 'i')).toBe(true);
    for (const text of [undefined, '', '  ', 'x'.repeat(MAX_TEASER + 1), 5, { toString: () => 'x' }]) expect(isHostMessage({ ...e, text }, 'i'), String(text)).toBe(false);
    const m = { ...e, text: 'Hi', html: '<b>x</b>' } as unknown as HostMessage;
    expect(toHostCommand(m)).toEqual({ type: 'teaser', text: 'Hi' });
  });

  it('allowlist layout: the host close button on the left, on the right, or none', () => {
    const e = { flexchat: 1, v: 1, instance: 'i', type: 'layout' };
    expect(isHostMessage({ ...e, hostClose: 'left' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, hostClose: 'right' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, hostClose: null }, 'i')).toBe(true);
    for (const hostClose of [undefined, 'top', true, 0, {}]) expect(isHostMessage({ ...e, hostClose }, 'i'), String(hostClose)).toBe(false);
  });

  it('allowlist focus hand-over: focusFirst to the widget, focusHostClose to the host, each one way only', () => {
    const e = { flexchat: 1, v: 1, instance: 'i' };
    expect(isHostMessage({ ...e, type: 'focusFirst' }, 'i')).toBe(true);
    expect(isWidgetMessage({ ...e, type: 'focusHostClose' }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, type: 'focusHostClose' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'focusFirst' }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, type: 'focusFirst' }, 'j')).toBe(false);
    expect(isWidgetMessage({ ...e, v: 2, type: 'focusHostClose' }, 'i')).toBe(false);
  });

  it('allowlist widget events', () => {
    const e = { flexchat: 1, v: 1, instance: 'i' };
    expect(isWidgetMessage({ ...e, type: 'error', code: 'token_expired' }, 'i')).toBe(true);
    expect(isWidgetMessage({ ...e, type: 'error', code: 'Token expired for ada@example.com' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'error' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'unread', count: 3 }, 'i')).toBe(true);
    expect(isWidgetMessage({ ...e, type: 'unread', count: 1.5 }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: 'yes' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: false, direction: 'outgoing' }, 'i')).toBe(true);
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: true, direction: 'incoming' }, 'i')).toBe(true);
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: true }, 'i')).toBe(true); // a widget from before `direction`
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: true, direction: 'outgoing' }, 'i')).toBe(false); // contradicts itself
    expect(isWidgetMessage({ ...e, type: 'message', fromAgent: false, direction: 'sideways' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'toString' }, 'i')).toBe(false);
    expect(isWidgetMessage({ ...e, type: 'sessionEnd' }, 'j')).toBe(false);
  });

  it('shape-check previews: allowlisted keys, plain data, a size cap', () => {
    const e = { flexchat: 1, v: 1, instance: 'i', type: 'preview' };
    expect(isHostMessage({ ...e, settings: null }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, settings: {} }, 'i')).toBe(true);
    expect(isHostMessage({ ...e, settings: { locale: 'de', offline: { mode: 'closedMessage' } } }, 'i')).toBe(true);
    for (const key of ['widgetOrigin', 'tokenUrl', 'allowedDomains', 'previewOrigins', 'launcher', '__proto__']) {
      expect(isHostMessage({ ...e, settings: JSON.parse(`{"${key}": "x"}`) }, 'i'), key).toBe(false);
    }
    expect(isHostMessage({ ...e }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, settings: 'theme' }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, settings: [] }, 'i')).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(isHostMessage({ ...e, settings: { theme: cyclic } }, 'i')).toBe(false);
    const overhead = JSON.stringify({ texts: { title: '' } }).length;
    expect(isPreviewSettings({ texts: { title: 'x'.repeat(MAX_PREVIEW - overhead) } })).toBe(true);
    expect(isPreviewSettings({ texts: { title: 'x'.repeat(MAX_PREVIEW - overhead + 1) } })).toBe(false);
  });

  it('bound string maps', () => {
    const e = { flexchat: 1, v: 1, instance: 'i', type: 'setContext' };
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    expect(isHostMessage({ ...e, context: many }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, context: { k: 'x'.repeat(2001) } }, 'i')).toBe(false);
    expect(isHostMessage({ ...e, context: { k: 'x' } }, 'i')).toBe(true);
  });
});

describe('loader <-> widget, end to end over a MessageChannel', () => {
  it('connects, flushes the pending open, closes on requestClose and shows unread', async () => {
    const page = mount();
    page.button.click(); // intent: iframe created and shown before the bridge is up
    const iframe = page.iframe()!;
    const hellos = loadIframe(iframe);
    const [h] = hellos;
    expect(h!.targetOrigin).toBe(WIDGET_ORIGIN);

    // The widget runs in the iframe's window and receives that hello from its parent.
    const win = hellos.win;
    const bridge = connectHostBridge([HOST_ORIGIN], { window: win });
    const commands: HostCommand[] = [];
    bridge.onCommand((c) => commands.push(c));
    win.dispatchEvent(
      new MessageEvent('message', { data: h!.data, origin: HOST_ORIGIN, source: win.parent, ports: [h!.port] }),
    );

    // The page URL (route following), then the open that was pending.
    await vi.waitFor(() => expect(commands).toHaveLength(2));
    expect(commands).toEqual([{ type: 'setContext', context: { pageUrl: location.href } }, { type: 'open' }]);
    commands.length = 0;
    flexChat('close');
    flexChat('identify', { friendlyName: 'Ada' }, 'header.payload.sig');
    flexChat('setLocale', 'de-CH');
    flexChat('setContext', { plan: 'gold' });
    flexChat('shutdown');
    await vi.waitFor(() => expect(commands).toHaveLength(6));
    expect(commands).toEqual([
      { type: 'close' },
      { type: 'identify', prefill: { friendlyName: 'Ada' }, userToken: 'header.payload.sig' },
      { type: 'setLocale', locale: 'de-CH' },
      { type: 'setContext', context: { pageUrl: location.href, plan: 'gold' } },
      { type: 'shutdown' },
      { type: 'setContext', context: { pageUrl: location.href } },
    ]);
    flexChat('open');

    const events: unknown[] = [];
    for (const name of ['unread', 'message', 'sessionStart', 'sessionEnd', 'error']) {
      flexChat('on', name, (payload: unknown) => events.push([name, payload]));
    }
    bridge.send({ type: 'sessionStart' });
    bridge.send({ type: 'message', fromAgent: true, direction: 'incoming' });
    bridge.send({ type: 'message', fromAgent: false, direction: 'outgoing' });
    bridge.send({ type: 'unread', count: 2 });
    // In the page's language (setLocale de-CH above).
    await vi.waitFor(() => expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme, 2 ungelesen'));
    expect(page.button.querySelector('b')!.textContent).toBe('2');
    bridge.send({ type: 'error', code: 'token_service_unavailable' });
    bridge.send({ type: 'sessionEnd' });
    bridge.send({ type: 'requestClose' });
    await vi.waitFor(() => expect(iframe.hidden).toBe(true));
    expect(events).toEqual([
      ['sessionStart', undefined],
      ['message', { fromAgent: true, direction: 'incoming' }],
      ['message', { fromAgent: false, direction: 'outgoing' }],
      ['unread', 2],
      ['error', { code: 'token_service_unavailable', message: 'widget: token_service_unavailable' }],
      ['sessionEnd', undefined],
    ]);
    expect(page.button.getAttribute('aria-expanded')).toBe('false');
    expect(page.root.activeElement).toBe(page.button);
    expect(bridge.dropped).toBe(0);
    bridge.close();
  });
});
