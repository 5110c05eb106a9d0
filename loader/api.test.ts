// The API chunk (src/api.ts): host side of the bridge against forged and malformed
// traffic, events, identify / setContext / setLocale / shutdown, the session hint
// and SPA route following. The widget's end is played by the test over the port.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HINT_TTL, install } from './src/api.ts';
import { HINT_RENEW_MS } from './src/api-timings.ts';
import { HINT, type HostWindow } from './src/loader.ts';
import { WIDGET_ORIGIN, config, flexChat, loadIframe, mount, resetPage, tick, type Mounted } from './test-helpers.ts';

beforeEach(resetPage);
afterEach(resetPage);

const fire = (init: MessageEventInit) => window.dispatchEvent(new MessageEvent('message', init));
const stats = () => {
  let dropped = -1;
  flexChat('stats', (s: { dropped: number }) => (dropped = s.dropped));
  return dropped;
};

/** Opens the panel, loads the iframe and plays the widget: ack on the hello's port. */
async function connect(page: Mounted, open = true) {
  if (open) page.button.click();
  else page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
  const hellos = loadIframe(page.iframe()!);
  const hello = hellos.at(-1)!;
  const instance = (hello.data as { instance: string }).instance;
  const widget = hello.port;
  const got: Record<string, unknown>[] = [];
  widget.onmessage = (e) => got.push(e.data);
  const send = (m: Record<string, unknown>) => widget.postMessage({ flexchat: 1, v: 1, instance, ...m });
  send({ type: 'ack' });
  await vi.waitFor(() => expect(got.length).toBeGreaterThan(0));
  const commands = () => got.map(({ flexchat, v, instance: i, ...rest }) => (void flexchat, void v, void i, rest));
  return { hellos, instance, widget, got, send, commands };
}

describe('handshake', () => {
  it('posts hello to the widget origin exactly, transferring a port', () => {
    const page = mount();
    page.button.click();
    const hellos = loadIframe(page.iframe()!);
    expect(hellos).toHaveLength(1);
    expect(hellos[0]!.targetOrigin).toBe(WIDGET_ORIGIN);
    expect(hellos[0]!.data).toEqual({ flexchat: 1, v: 1, type: 'hello', instance: expect.stringMatching(/^\d+$/) });
    expect(hellos[0]!.port).toBeInstanceOf(MessagePort);
    hellos[0]!.port.close();
  });

  it("re-sends hello on the widget's ready, only from the iframe window and widget origin; counts forgeries", () => {
    const page = mount();
    page.button.click();
    const iframe = page.iframe()!;
    const hellos = loadIframe(iframe);
    const ready = { flexchat: 1, v: 1, type: 'ready' };
    const sibling = document.createElement('iframe');
    document.body.append(sibling);
    fire({ data: ready, origin: 'https://evil.test', source: iframe.contentWindow }); // other origin
    fire({ data: ready, origin: WIDGET_ORIGIN, source: sibling.contentWindow }); // other frame
    fire({ data: ready, origin: WIDGET_ORIGIN, source: null });
    fire({ data: { ...ready, v: 2 }, origin: WIDGET_ORIGIN, source: iframe.contentWindow }); // other version
    fire({ data: 'ready', origin: WIDGET_ORIGIN, source: iframe.contentWindow }); // not ours: not counted
    fire({ data: { type: 'ready' }, origin: WIDGET_ORIGIN, source: iframe.contentWindow }); // not ours either
    expect(hellos).toHaveLength(1);
    expect(stats()).toBe(4);
    fire({ data: ready, origin: WIDGET_ORIGIN, source: iframe.contentWindow });
    expect(hellos).toHaveLength(2);
    expect(hellos[1]!.targetOrigin).toBe(WIDGET_ORIGIN);
    hellos.forEach((h) => h.port.close());
  });

  it('says hello at once when the widget loaded before the API chunk arrived, not to about:blank', () => {
    let arrive = () => {};
    const load = () => (arrive = () => (window as HostWindow).FlexChat!.x!(install));
    const page = mount(config, { load });
    page.button.click();
    const blank = vi.fn();
    Object.defineProperty(page.iframe()!, 'contentWindow', { value: { document, postMessage: blank }, configurable: true });
    arrive();
    expect(blank).not.toHaveBeenCalled(); // same-origin about:blank: no hello

    resetPage();
    const again = mount(config, { load });
    again.button.click();
    const posted: unknown[] = [];
    const widget = {
      get document(): Document {
        throw new DOMException('Blocked a frame with origin', 'SecurityError');
      },
      postMessage: (data: unknown, origin: string, transfer: MessagePort[]) => {
        posted.push([data, origin]);
        transfer[0]!.close();
      },
    };
    Object.defineProperty(again.iframe()!, 'contentWindow', { value: widget, configurable: true });
    arrive(); // the widget document is there (cross-origin) and said ready long ago
    expect(posted).toEqual([[expect.objectContaining({ type: 'hello' }), WIDGET_ORIGIN]]);
  });

  it('drops and counts port messages with a wrong version, unknown type, wrong instance or bad payload', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount(config, { data: { debug: '' }, load: () => (window as HostWindow).FlexChat!.x!(install) });
    const w = await connect(page);
    const env = { flexchat: 1, v: 1, instance: w.instance };
    w.widget.postMessage({ ...env, v: 2, type: 'requestClose' });
    w.widget.postMessage({ ...env, type: 'navigate', url: 'https://evil.test' });
    w.widget.postMessage({ ...env, instance: 'other', type: 'requestClose' });
    w.widget.postMessage({ ...env, type: 'unread', count: -1 });
    w.widget.postMessage({ ...env, type: 'error', code: 'Free text <img src=x>' });
    w.widget.postMessage({ ...env, type: 'ack' }); // a second ack
    w.widget.postMessage('requestClose');
    await tick();
    expect(page.iframe()!.hidden).toBe(false);
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(stats()).toBe(7);
    expect(warn).toHaveBeenCalledTimes(7);
    expect(warn).toHaveBeenLastCalledWith('[FlexChat]', 'dropped', 7, 'requestClose');
    w.send({ type: 'requestClose' });
    await vi.waitFor(() => expect(page.iframe()!.hidden).toBe(true));
    w.widget.close();
  });

  it('counts drops silently without debug', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const w = await connect(page);
    w.widget.postMessage({ flexchat: 1, v: 1, instance: w.instance, type: 'eval', code: 'alert(1)' });
    await tick();
    expect(stats()).toBe(1);
    expect(warn).not.toHaveBeenCalled();
    w.widget.close();
  });

  it('ignores widget events until the widget acknowledged, and on ports it did not acknowledge', async () => {
    const page = mount();
    page.button.click();
    const hellos = loadIframe(page.iframe()!);
    const instance = (hellos[0]!.data as { instance: string }).instance;
    hellos[0]!.port.postMessage({ flexchat: 1, v: 1, instance, type: 'requestClose' });
    await tick();
    expect(page.iframe()!.hidden).toBe(false);
    // The second hello's port gets the ack; the first port is then not listened to.
    fire({ data: { flexchat: 1, v: 1, type: 'ready' }, origin: WIDGET_ORIGIN, source: page.iframe()!.contentWindow });
    hellos[1]!.port.postMessage({ flexchat: 1, v: 1, instance, type: 'ack' });
    await tick();
    hellos[0]!.port.postMessage({ flexchat: 1, v: 1, instance, type: 'requestClose' });
    await tick();
    expect(page.iframe()!.hidden).toBe(false);
    expect(stats()).toBe(2);
    hellos.forEach((h) => h.port.close());
  });
});

describe('events', () => {
  it("fires ready on the widget's ack, and at once for a late listener", async () => {
    const page = mount();
    const early = vi.fn();
    flexChat('on', 'ready', early);
    const w = await connect(page);
    expect(early).toHaveBeenCalledTimes(1);
    const late = vi.fn();
    flexChat('on', 'ready', late);
    await tick(0);
    expect(late).toHaveBeenCalledTimes(1);
    w.widget.close();
  });

  it('fires open and close, and stops after off', () => {
    const page = mount();
    const seen: string[] = [];
    const onOpen = () => seen.push('open');
    flexChat('on', 'open', onOpen);
    flexChat('on', 'close', () => seen.push('close'));
    page.button.click();
    page.button.click();
    flexChat('off', 'open', onOpen);
    flexChat('open');
    expect(seen).toEqual(['open', 'close']);
  });

  it('rejects unknown events and non-function listeners with an error event', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount();
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: unknown) => errors.push(e));
    flexChat('on', 'explode', () => {});
    flexChat('on', 'open', 'not a function');
    flexChat('on', 'toString', () => {});
    expect(errors).toEqual(Array(3).fill({ code: 'invalid_argument', message: expect.stringContaining('on:') }));
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('keeps calling listeners when one throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const page = mount();
    const ok = vi.fn();
    flexChat('on', 'open', () => {
      throw new Error('page bug');
    });
    flexChat('on', 'open', ok);
    page.button.click();
    expect(ok).toHaveBeenCalled();
    expect(error).toHaveBeenCalled();
  });

  it('reports unknown commands', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount();
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: unknown) => errors.push(e));
    flexChat('explode');
    flexChat();
    expect(errors).toEqual([
      { code: 'unknown_command', message: 'unknown command explode' },
      { code: 'unknown_command', message: 'unknown command undefined' },
    ]);
    expect(warn).toHaveBeenCalledWith('[FlexChat]', 'unknown command explode');
  });
});

describe('commands', () => {
  it('validates identify; a valid one reaches the widget, userToken included', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: unknown) => errors.push(e));
    flexChat('identify', 'ada@example.com');
    flexChat('identify', { age: 36 });
    flexChat('identify', { email: 'ada@example.com' }, { token: 'x' });
    flexChat('identify', { email: 'ada@example.com' }, 'x'.repeat(4097));
    expect(errors).toHaveLength(4);
    flexChat('identify', { email: 'ada@example.com' });
    flexChat('identify', { email: 'ada@example.com' }, 'h.p.s');
    const w = await connect(page, false);
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands()).toEqual([
      { type: 'identify', prefill: { email: 'ada@example.com' } },
      { type: 'identify', prefill: { email: 'ada@example.com' }, userToken: 'h.p.s' },
      { type: 'setContext', context: { pageUrl: location.href } },
    ]);
    w.widget.close();
  });

  it('merges setContext and validates the result', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const w = await connect(page, false);
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: unknown) => errors.push(e));
    flexChat('setContext', { plan: 'gold' });
    flexChat('setContext', { cart: '3' });
    flexChat('setContext', { n: 1 });
    flexChat('setContext', ['x']);
    flexChat('setContext', Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']))); // 52 merged
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands().at(-1)).toEqual({ type: 'setContext', context: { pageUrl: location.href, plan: 'gold', cart: '3' } });
    expect(errors).toHaveLength(3);
    w.widget.close();
  });

  it('sets the locale from setLocale or boot, once per change', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const w = await connect(page, false);
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: unknown) => errors.push(e));
    flexChat('setLocale', 'de');
    flexChat('setLocale', 'de');
    flexChat('setLocale', 'not a locale');
    flexChat('boot', { locale: 'fr-CA' });
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands().slice(1)).toEqual([
      { type: 'setLocale', locale: 'de' },
      { type: 'setLocale', locale: 'fr-CA' },
    ]);
    expect(errors).toEqual([{ code: 'invalid_argument', message: 'setLocale: not a locale tag' }]);
    expect(warn).toHaveBeenCalledTimes(1); // the core's warning only
    w.widget.close();
  });

  it('shows and hides the default launcher', () => {
    const page = mount();
    flexChat('hideLauncher');
    expect(page.button.hidden).toBe(true);
    flexChat('showLauncher');
    expect(page.button.hidden).toBe(false);
  });

  it('shutdown forgets the visitor: nothing said before reaches the widget; hint, badge and panel reset', async () => {
    const page = mount();
    page.button.click();
    flexChat('identify', { email: 'ada@example.com' }, 'h.p.s');
    flexChat('setContext', { plan: 'gold' });
    localStorage.setItem(HINT, String(Date.now() + 1000));
    flexChat('shutdown');
    expect(page.iframe()!.hidden).toBe(true);
    expect(localStorage.getItem(HINT)).toBeNull();
    const w = await connect(page, false);
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands()).toEqual([
      { type: 'close' },
      { type: 'shutdown' },
      { type: 'setContext', context: { pageUrl: location.href } },
    ]);
    flexChat('setContext', { cart: '1' });
    await vi.waitFor(() => expect(w.commands()).toHaveLength(4));
    expect(w.commands()[3]).toEqual({ type: 'setContext', context: { pageUrl: location.href, cart: '1' } });
    w.widget.close();
  });
});

describe('layout: the full-screen close button', () => {
  /** A viewport of `width` px for the API chunk's media queries (jsdom has none). */
  function viewport(width: number) {
    const size = { width };
    Object.defineProperty(window, 'matchMedia', {
      configurable: true,
      value: (query: string) => ({ matches: size.width <= Number(/max-width:(\d+)px/.exec(query)![1]) }),
    });
    return size;
  }
  afterEach(() => delete (window as { matchMedia?: unknown }).matchMedia);

  it('tells the widget on which side the host draws its close button over the frame, once per change', async () => {
    const size = viewport(390);
    const page = mount(); // position left, breakpoint 480
    const w = await connect(page);
    await vi.waitFor(() => expect(w.commands()).toContainEqual({ type: 'layout', hostClose: 'left' }));
    const seen = w.commands().length;
    const layouts = () => w.commands().slice(seen);

    flexChat('boot', { position: 'right' });
    flexChat('hideLauncher'); // no host button: the widget keeps its own
    flexChat('showLauncher');
    flexChat('close');
    flexChat('open');
    size.width = 800;
    window.dispatchEvent(new Event('resize')); // above the breakpoint: a normal panel
    window.dispatchEvent(new Event('resize'));
    flexChat('boot', { breakpoint: 1024 });
    await vi.waitFor(() => expect(layouts()).toHaveLength(7));
    expect(layouts()).toEqual([
      { type: 'layout', hostClose: 'right' },
      { type: 'layout', hostClose: null },
      { type: 'layout', hostClose: 'right' },
      { type: 'close' },
      { type: 'open' },
      { type: 'layout', hostClose: null },
      { type: 'layout', hostClose: 'right' },
    ]);
    w.widget.close();
  });

  it('says nothing above the breakpoint (the widget keeps its own close button)', async () => {
    viewport(1280);
    const w = await connect(mount());
    flexChat('boot', { position: 'right' });
    flexChat('setContext', { plan: 'gold' });
    await vi.waitFor(() => expect(w.commands()).toContainEqual({ type: 'setContext', context: { pageUrl: location.href, plan: 'gold' } }));
    expect(w.commands().filter((c) => c.type === 'layout')).toEqual([]);
    w.widget.close();
  });

  /** Presses Tab (or Shift+Tab) on the launcher; true if the loader took over the key. */
  const tab = (button: HTMLElement, shiftKey = false) =>
    !button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', shiftKey, bubbles: true, cancelable: true, composed: true }));

  it('full screen, the panel is modal: Tab from the close button enters the widget, its focusHostClose comes back', async () => {
    const size = viewport(390);
    const page = mount();
    const w = await connect(page);
    await vi.waitFor(() => expect(w.commands()).toContainEqual({ type: 'layout', hostClose: 'left' }));
    const focusFirsts = () => w.commands().filter((c) => c.type === 'focusFirst').length;
    page.button.focus();

    expect(tab(page.button)).toBe(true); // not on to the page after <flex-chat>
    expect(page.root.activeElement).toBe(page.iframe());
    await vi.waitFor(() => expect(focusFirsts()).toBe(1)); // the widget focuses its first tab stop

    w.send({ type: 'focusHostClose' }); // Shift+Tab from that stop
    await vi.waitFor(() => expect(page.root.activeElement).toBe(page.button));
    expect(tab(page.button, true)).toBe(false); // backwards the browser enters the frame by itself

    // Closed, or above the breakpoint: the page is visible and reachable again.
    flexChat('close');
    page.button.focus();
    expect(tab(page.button)).toBe(false);
    flexChat('open');
    size.width = 800;
    window.dispatchEvent(new Event('resize'));
    page.button.focus();
    expect(tab(page.button)).toBe(false);
    expect(page.root.activeElement).toBe(page.button);
    page.iframe()!.focus();
    w.send({ type: 'focusHostClose' });
    w.send({ type: 'unread', count: 2 }); // sent after it, handled after it
    await vi.waitFor(() => expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme, 2 unread'));
    expect(page.root.activeElement).toBe(page.iframe()); // not taken from the widget
    expect(focusFirsts()).toBe(1);
    w.widget.close();
  });

  it('full screen before the widget acknowledges: Tab keeps focus on the close button, the only control known to work', async () => {
    viewport(390);
    const page = mount();
    page.button.click();
    page.button.focus();
    expect(tab(page.button)).toBe(true);
    expect(page.root.activeElement).toBe(page.button);
    const w = await connect(page, false);
    expect(w.commands().filter((c) => c.type === 'focusFirst')).toEqual([]); // not queued for later
    w.widget.close();
  });

  it('open full screen, the loader element is a modal dialog for screen readers; closed or above the breakpoint it is not', async () => {
    const size = viewport(390);
    const page = mount();
    const modal = () => ['role', 'aria-modal', 'aria-label'].map((name) => page.host.getAttribute(name));
    const w = await connect(page); // opens the panel
    await vi.waitFor(() => expect(modal()).toEqual(['dialog', 'true', 'Chat with Acme support']));

    flexChat('close');
    await vi.waitFor(() => expect(modal()).toEqual([null, null, null]));
    flexChat('open');
    await vi.waitFor(() => expect(modal()).toEqual(['dialog', 'true', 'Chat with Acme support']));
    flexChat('hideLauncher'); // no host close button, but the panel still covers the page
    expect(modal()).toEqual(['dialog', 'true', 'Chat with Acme support']);
    size.width = 800;
    window.dispatchEvent(new Event('resize')); // a corner panel: the page stays readable
    expect(modal()).toEqual([null, null, null]);
    size.width = 390;
    window.dispatchEvent(new Event('resize'));
    expect(modal()[1]).toBe('true');
    w.widget.close();
  });

  it('a shutdown before the ack does not swallow the layout', async () => {
    viewport(390);
    const page = mount();
    page.button.click();
    flexChat('shutdown');
    const w = await connect(page, false);
    await vi.waitFor(() => expect(w.commands()).toContainEqual({ type: 'layout', hostClose: 'left' }));
    w.widget.close();
  });
});

describe('preview', () => {
  it('shape-checks settings (preview_invalid), keeps only the latest before the ack, sends a copy', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const errors: unknown[] = [];
    flexChat('on', 'error', (e: { code: string }) => errors.push(e.code));
    flexChat('preview', { tokenUrl: 'https://evil.example' });
    flexChat('preview', 'dark');
    flexChat('preview', { texts: { title: 'x'.repeat(70_000) } });
    flexChat('preview');
    expect(errors).toEqual(Array(4).fill('preview_invalid'));
    const settings = { theme: { mode: 'dark' } };
    flexChat('preview', { theme: { mode: 'light' } });
    flexChat('preview', settings);
    settings.theme.mode = 'auto'; // changed after the call: the widget still gets what was passed
    const w = await connect(page, false);
    await vi.waitFor(() => expect(w.commands()).toHaveLength(2));
    expect(w.commands()).toEqual([
      { type: 'preview', settings: { theme: { mode: 'dark' } } },
      { type: 'setContext', context: { pageUrl: location.href } },
    ]);
    flexChat('preview', null);
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands()[2]).toEqual({ type: 'preview', settings: null });
    w.widget.close();
  });
});

describe('session hint and badge', () => {
  it('writes the hint on sessionStart, renews it on messages, removes it on sessionEnd', async () => {
    const page = mount();
    const w = await connect(page);
    const before = Date.now();
    w.send({ type: 'sessionStart' });
    await vi.waitFor(() => expect(localStorage.getItem(HINT)).not.toBeNull());
    expect(Number(localStorage.getItem(HINT))).toBeGreaterThanOrEqual(before + HINT_TTL);
    // Renewed less than an hour ago: a message leaves it (and the site's other tabs) alone.
    const fresh = String(Date.now() + HINT_TTL - HINT_RENEW_MS + 60_000);
    localStorage.setItem(HINT, fresh);
    w.send({ type: 'message', fromAgent: true });
    await tick();
    expect(localStorage.getItem(HINT)).toBe(fresh);
    localStorage.setItem(HINT, '1');
    w.send({ type: 'message', fromAgent: true });
    await vi.waitFor(() => expect(Number(localStorage.getItem(HINT))).toBeGreaterThan(before));
    w.send({ type: 'sessionEnd' });
    await vi.waitFor(() => expect(localStorage.getItem(HINT)).toBeNull());
    w.send({ type: 'message', fromAgent: true }); // no session: no hint
    await tick();
    expect(localStorage.getItem(HINT)).toBeNull();
    w.widget.close();
  });

  it('shows the unread count on the badge and in the label, as a word of its own (WCAG 2.5.3)', async () => {
    const page = mount();
    const w = await connect(page, false);
    const badge = page.button.querySelector('b')!;
    w.send({ type: 'unread', count: 3 });
    await vi.waitFor(() => expect(badge.textContent).toBe('3'));
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme, 3 unread');
    expect(badge.getAttribute('style')).toBeNull();
    w.send({ type: 'unread', count: 0 });
    await vi.waitFor(() => expect(badge.textContent).toBe(''));
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    w.widget.close();
  });
});

describe('SPA route following', () => {
  const start = location.href;
  afterEach(() => history.replaceState(null, '', start));

  it('sends the new pageUrl on popstate and hashchange, wrapping nothing', async () => {
    const pushState = history.pushState;
    const page = mount();
    const w = await connect(page, false);
    history.pushState(null, '', '/products/tent');
    window.dispatchEvent(new PopStateEvent('popstate'));
    location.hash = '#reviews';
    await vi.waitFor(() => expect(w.commands()).toHaveLength(3));
    expect(w.commands().map((c) => (c.context as { pageUrl: string }).pageUrl)).toEqual([
      start,
      new URL('/products/tent', start).href,
      new URL('/products/tent#reviews', start).href,
    ]);
    expect(history.pushState).toBe(pushState);
    w.widget.close();
  });

  it('polls location.href while the loader is on the page when there is no Navigation API', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const page = mount();
    const w = await connect(page, false);
    history.pushState(null, '', '/checkout'); // no event at all
    vi.advanceTimersByTime(1000);
    await vi.waitFor(() => expect(w.commands()).toHaveLength(2));
    expect(w.commands()[1]).toEqual({ type: 'setContext', context: { pageUrl: new URL('/checkout', start).href } });
    page.host.remove();
    vi.advanceTimersByTime(1000);
    expect(vi.getTimerCount()).toBe(0);
    w.widget.close();
  });

  it('uses the Navigation API when there is one, and does not poll', async () => {
    const navigation = new EventTarget();
    Object.defineProperty(window, 'navigation', { value: navigation, configurable: true });
    try {
      vi.useFakeTimers({ toFake: ['setInterval'] });
      const page = mount();
      const w = await connect(page, false);
      expect(vi.getTimerCount()).toBe(0);
      history.pushState(null, '', '/account');
      navigation.dispatchEvent(new Event('currententrychange'));
      await vi.waitFor(() => expect(w.commands()).toHaveLength(2));
      expect(w.commands()[1]).toEqual({ type: 'setContext', context: { pageUrl: new URL('/account', start).href } });
      w.widget.close();
    } finally {
      delete (window as { navigation?: unknown }).navigation;
    }
  });
});
