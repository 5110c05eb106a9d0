import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { boot, type HostWindow } from './src/loader.ts';
import {
  WIDGET_ORIGIN,
  captureShadowRoots,
  config,
  flexChat,
  loadIframe,
  mount,
  resetPage,
  tick,
} from './test-helpers.ts';

beforeEach(resetPage);
afterEach(resetPage);

describe('loading', () => {
  it('does no DOM work before the load event', () => {
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true });
    try {
      const { roots } = captureShadowRoots();
      boot(window as HostWindow, config);
      expect(typeof (window as HostWindow).FlexChat).toBe('function');
      expect(document.body.children).toHaveLength(0);
      window.dispatchEvent(new Event('load'));
      expect(roots).toHaveLength(1);
      expect(document.body.querySelector('flex-chat')).not.toBeNull();
    } finally {
      delete (document as { readyState?: unknown }).readyState;
    }
  });

  it('replays the inline stub queue after load', () => {
    // The documented stub, verbatim.
    const w = window as HostWindow & { FlexChat?: { q?: unknown[] } };
    w.FlexChat =
      w.FlexChat ||
      function () {
        // eslint-disable-next-line prefer-rest-params
        (w.FlexChat!.q = w.FlexChat!.q || []).push(arguments);
      };
    flexChat('open');
    const page = mount();
    expect(page.iframe()).not.toBeNull();
    expect(page.iframe()!.hidden).toBe(false);
    expect(page.button.getAttribute('aria-expanded')).toBe('true');
  });

  it('is a no-op when included twice', () => {
    const first = mount();
    const api = (window as HostWindow).FlexChat;
    boot(window as HostWindow, config);
    expect((window as HostWindow).FlexChat).toBe(api);
    expect(document.querySelectorAll('flex-chat')).toHaveLength(1);
    flexChat('open');
    expect(first.iframe()!.hidden).toBe(false);
  });

  it('adds no global but FlexChat', () => {
    const before = new Set(Object.keys(window));
    mount();
    const added = Object.keys(window).filter((k) => !before.has(k));
    expect(added).toEqual(['FlexChat']);
  });
});

describe('launcher', () => {
  it('is an accessible button in a closed shadow root', () => {
    const page = mount();
    expect(page.mode).toBe('closed');
    expect(page.host.shadowRoot).toBeNull();
    expect(page.host.parentElement).toBe(document.body);
    expect(page.host.getAttribute('style')).toBeNull();
    expect(page.button.type).toBe('button');
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(page.button.getAttribute('aria-expanded')).toBe('false');
    expect(page.root.querySelector('svg')!.getAttribute('aria-hidden')).toBe('true');
  });

  it('takes position, offsets, z-index and colour from config', () => {
    const css = mount().css();
    expect(css).toContain('left:12px');
    expect(css).toContain('bottom:34px');
    expect(css).toContain('z-index:999');
    expect(css).toContain('background:#123456');
    expect(css).toContain('@media(max-width:480px)');
  });

  it('falls back to defaults', () => {
    const page = mount({ widgetOrigin: WIDGET_ORIGIN });
    expect(page.button.getAttribute('aria-label')).toBe('Chat with us');
    expect(page.css()).toContain('right:20px');
  });
});

describe('panel', () => {
  it('creates the iframe only on intent, not at load', () => {
    const page = mount();
    expect(page.iframe()).toBeNull();
    page.button.dispatchEvent(new Event('pointerenter'));
    const iframe = page.iframe()!;
    expect(iframe).not.toBeNull();
    expect(iframe.hidden).toBe(true); // prefetched, not shown
    expect(iframe.src).toBe(`${WIDGET_ORIGIN}/`);
    expect(iframe.title).toBe('Chat with Acme support');
    expect(iframe.getAttribute('sandbox')).toBe(
      'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads',
    );
    page.button.dispatchEvent(new Event('focus'));
    expect(page.root.querySelectorAll('iframe')).toHaveLength(1);
  });

  it('creates the iframe on focus too', () => {
    const page = mount();
    page.button.focus();
    expect(page.iframe()).not.toBeNull();
  });

  it('toggles on click, with aria-expanded', () => {
    const page = mount();
    page.button.click();
    expect(page.iframe()!.hidden).toBe(false);
    expect(page.button.getAttribute('aria-expanded')).toBe('true');
    page.button.click();
    expect(page.iframe()!.hidden).toBe(true);
    expect(page.button.getAttribute('aria-expanded')).toBe('false');
  });

  it('follows FlexChat open / close / toggle', () => {
    const page = mount();
    flexChat('close');
    expect(page.iframe()).toBeNull(); // closing what was never opened creates nothing
    flexChat('open');
    expect(page.iframe()!.hidden).toBe(false);
    flexChat('toggle');
    expect(page.iframe()!.hidden).toBe(true);
    flexChat('toggle');
    expect(page.iframe()!.hidden).toBe(false);
    flexChat('close');
    expect(page.iframe()!.hidden).toBe(true);
  });

  it('closes on Escape at the launcher', () => {
    const page = mount();
    page.button.click();
    page.button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(page.iframe()!.hidden).toBe(true);
  });

  it('ignores unknown commands, warning only in debug', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount();
    flexChat('explode');
    expect(warn).not.toHaveBeenCalled();
    resetPage();
    const warn2 = vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount(config, true);
    flexChat('explode');
    expect(warn2).toHaveBeenCalledWith(expect.stringContaining('unknown'), 'explode');
  });
});

describe('handshake (host side)', () => {
  it('posts hello to the widget origin exactly, transferring a port', () => {
    const page = mount();
    page.button.click();
    const hellos = loadIframe(page.iframe()!);
    expect(hellos).toHaveLength(1);
    const [hello] = hellos;
    expect(hello!.targetOrigin).toBe(WIDGET_ORIGIN);
    expect(hello!.data).toEqual({ flexchat: 1, v: 1, type: 'hello', instance: expect.stringMatching(/^\d+$/) });
    expect(hello!.port).toBeDefined();
    hello!.port.close();
  });

  it("re-sends hello on the widget's ready, only from the iframe window and widget origin", () => {
    const page = mount();
    page.button.click();
    const iframe = page.iframe()!;
    const hellos = loadIframe(iframe);
    const ready = { flexchat: 1, v: 1, type: 'ready' };
    const fire = (init: MessageEventInit) => window.dispatchEvent(new MessageEvent('message', init));
    fire({ data: ready, origin: 'https://evil.test', source: iframe.contentWindow });
    fire({ data: ready, origin: WIDGET_ORIGIN, source: null });
    fire({ data: { ...ready, v: 2 }, origin: WIDGET_ORIGIN, source: iframe.contentWindow });
    expect(hellos).toHaveLength(1);
    fire({ data: ready, origin: WIDGET_ORIGIN, source: iframe.contentWindow });
    expect(hellos).toHaveLength(2);
    hellos.forEach((h) => h.port.close());
  });

  it('drops port messages with a wrong version, unknown type or wrong instance', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount(config, true);
    page.button.click();
    const [hello] = loadIframe(page.iframe()!);
    const instance = (hello!.data as { instance: string }).instance;
    const port = hello!.port;
    const envelope = { flexchat: 1, v: 1, instance };
    port.postMessage({ ...envelope, type: 'ack' });
    await tick();
    port.postMessage({ ...envelope, v: 2, type: 'requestClose' });
    port.postMessage({ ...envelope, type: 'navigate', url: 'https://evil.test' });
    port.postMessage({ ...envelope, instance: 'other', type: 'requestClose' });
    port.postMessage({ ...envelope, type: 'unread', count: -1 });
    port.postMessage('requestClose');
    await tick();
    expect(page.iframe()!.hidden).toBe(false);
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(warn).toHaveBeenCalledTimes(5);
    port.postMessage({ ...envelope, type: 'requestClose' });
    await vi.waitFor(() => expect(page.iframe()!.hidden).toBe(true));
    port.close();
  });

  it('ignores widget events until the widget acknowledged', async () => {
    const page = mount();
    page.button.click();
    const [hello] = loadIframe(page.iframe()!);
    const instance = (hello!.data as { instance: string }).instance;
    hello!.port.postMessage({ flexchat: 1, v: 1, instance, type: 'requestClose' });
    await tick();
    expect(page.iframe()!.hidden).toBe(false);
    hello!.port.close();
  });
});
