// The loader's core (src/loader.ts): loading, options, launcher, panel, and when
// the API chunk is fetched. The API chunk and the bridge: api.test.ts, bridge.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { install } from './src/api.ts';
import { HINT, boot, type HostWindow } from './src/loader.ts';
import { WIDGET_ORIGIN, captureShadowRoots, config, flexChat, loadApiNow, mount, resetPage } from './test-helpers.ts';

beforeEach(resetPage);
afterEach(resetPage);

const w = () => window as HostWindow;

describe('loading', () => {
  it('does no DOM work before the load event', () => {
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true });
    try {
      const { roots } = captureShadowRoots();
      const load = vi.fn();
      boot(w(), config, { load });
      flexChat('open');
      flexChat('identify', { email: 'a@b.test' });
      expect(typeof w().FlexChat).toBe('function');
      expect(document.body.children).toHaveLength(0);
      expect(load).not.toHaveBeenCalled();
      window.dispatchEvent(new Event('load'));
      expect(roots).toHaveLength(1);
      expect(document.body.querySelector('flex-chat')).not.toBeNull();
      expect(roots[0]!.querySelector('iframe')!.hidden).toBe(false); // the queued open
    } finally {
      delete (document as { readyState?: unknown }).readyState;
    }
  });

  it('replays the inline stub queue after load', () => {
    // The documented stub, verbatim.
    const win = window as HostWindow & { FlexChat?: { q?: unknown[] } };
    win.FlexChat =
      win.FlexChat ||
      function () {
        // eslint-disable-next-line prefer-rest-params
        (win.FlexChat!.q = win.FlexChat!.q || []).push(arguments);
      };
    flexChat('boot', { position: 'right', label: 'Help' });
    flexChat('open');
    const page = mount();
    expect(page.iframe()!.hidden).toBe(false);
    expect(page.button.getAttribute('aria-expanded')).toBe('true');
    expect(page.button.getAttribute('aria-label')).toBe('Help');
    expect(page.css()).toContain('right:12px');
    expect(w().FlexChat!.q).toBeUndefined();
  });

  it('is a no-op when included twice', () => {
    const first = mount();
    const api = w().FlexChat;
    const load = vi.fn();
    boot(w(), { ...config, label: 'Second copy' }, { load });
    expect(w().FlexChat).toBe(api);
    expect(document.querySelectorAll('flex-chat')).toHaveLength(1);
    flexChat('open');
    expect(first.iframe()!.hidden).toBe(false);
    expect(first.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(load).not.toHaveBeenCalled();
  });

  it('adds no global but FlexChat', () => {
    const before = new Set(Object.keys(window));
    const page = mount();
    page.button.click(); // the API chunk is in too
    const added = Object.keys(window).filter((k) => !before.has(k));
    expect(added).toEqual(['FlexChat']);
    expect(Object.keys(w().FlexChat!)).toEqual(['l']); // the hand-over hook is gone
  });
});

describe('per-page options', () => {
  it("take the script tag's data-* attributes over the baked config", () => {
    const script = document.createElement('script');
    Object.assign(script.dataset, { position: 'right', offsetX: '7', zIndex: '5', label: 'Besoin d’aide ?', color: '#abc' });
    script.setAttribute('data-hide-launcher', '');
    script.setAttribute('data-unrelated', 'x'); // not ours: ignored silently
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount(config, { data: script.dataset });
    const css = page.css();
    expect(css).toContain('right:7px');
    expect(css).toContain('z-index:5');
    expect(css).toContain('background:#abc');
    expect(page.button.getAttribute('aria-label')).toBe('Besoin d’aide ?');
    expect(page.button.hidden).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });

  it('ignore invalid data-* values with a warning, keeping the baked value', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount(config, { data: { position: 'center', offsetY: '-3', color: 'red;}*{x:y' } });
    expect(page.css()).toContain('left:12px');
    expect(page.css()).toContain('bottom:34px');
    expect(page.css()).not.toContain('red');
    expect(warn.mock.calls.map((c) => c.slice(0, 2))).toEqual([
      ['[FlexChat] invalid', 'position'],
      ['[FlexChat] invalid', 'offsetY'],
      ['[FlexChat] invalid', 'color'],
    ]);
  });

  it("FlexChat('boot') validates every option and applies the valid ones", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    flexChat('boot', {
      position: 'right',
      offsetX: 401, // out of range
      offsetY: 0,
      zIndex: 1.5, // not an integer
      label: '', // empty
      color: '#12345', // not #rgb / #rrggbb
      selector: 'a[', // not a selector
      prefetch: 'always',
      breakpoint: 600,
      locale: 'EN_us',
      postion: 'left', // typo: unknown
      __proto__: 'x',
      toString: 'x',
    });
    const invalid = warn.mock.calls.map((c) => c[1]);
    expect(invalid).toEqual(['offsetX', 'zIndex', 'label', 'color', 'selector', 'prefetch', 'locale', 'postion', 'toString']);
    const css = page.css();
    expect(css).toContain('right:12px');
    expect(css).toContain('bottom:0px');
    expect(css).toContain('z-index:999');
    expect(css).toContain('@media(max-width:600px)');
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  it("FlexChat('boot') with nothing or a non-object changes nothing", () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const page = mount();
    const css = page.css();
    flexChat('boot');
    flexChat('boot', null);
    flexChat('boot', 42);
    expect(page.css()).toBe(css);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('launcher', () => {
  it('is an accessible button in a closed shadow root', () => {
    const page = mount();
    expect(page.mode).toBe('closed');
    expect(page.host.shadowRoot).toBeNull();
    expect(page.host.parentElement).toBe(document.body);
    expect(page.host.getAttribute('style')).toBeNull();
    expect(page.button.tagName).toBe('BUTTON');
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    expect(page.button.getAttribute('aria-expanded')).toBe('false');
    expect(page.root.querySelectorAll('[style]')).toHaveLength(0);
  });

  it('takes position, offsets, z-index, colour and breakpoint from config', () => {
    const css = mount({ ...config, breakpoint: 700 }).css();
    expect(css).toContain('left:12px');
    expect(css).toContain('bottom:34px');
    expect(css).toContain('z-index:999');
    expect(css).toContain('background:#123456');
    expect(css).toContain('bottom:102px'); // the panel sits above the launcher
    expect(css).toContain('@media(max-width:700px)');
  });

  it('hides the default launcher when configured, and follows show/hideLauncher', () => {
    const page = mount({ ...config, hideLauncher: true });
    expect(page.button.hidden).toBe(true);
    expect(page.css()).toContain('button[hidden]{display:none}');
    flexChat('showLauncher');
    expect(page.button.hidden).toBe(false);
    flexChat('hideLauncher');
    expect(page.button.hidden).toBe(true);
    flexChat('open'); // the panel still opens
    expect(page.iframe()!.hidden).toBe(false);
  });

  it('makes elements matching the custom selector launchers, now or added later', () => {
    const early = document.createElement('button');
    early.className = 'help-custom';
    document.body.append(early);
    const page = mount({ ...config, selector: '.help-custom', hideLauncher: true });
    const late = document.createElement('a');
    late.className = 'help-custom';
    late.href = '#help';
    late.innerHTML = '<span>Help</span>';
    document.body.append(late);

    late.firstElementChild!.dispatchEvent(new Event('pointerover', { bubbles: true }));
    expect(page.iframe()!.hidden).toBe(true); // intent: created, not shown

    const click = new MouseEvent('click', { bubbles: true, cancelable: true });
    late.firstElementChild!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    expect(page.iframe()!.hidden).toBe(false);
    expect(early.getAttribute('aria-expanded')).toBe('true');
    expect(late.getAttribute('aria-expanded')).toBe('true');

    // Closing while focus is in the panel returns it to the launcher that opened the panel.
    const focus = vi.spyOn(late, 'focus');
    flexChat('close');
    expect(late.getAttribute('aria-expanded')).toBe('false');
    expect(focus).toHaveBeenCalledTimes(1);
    early.click();
    expect(page.iframe()!.hidden).toBe(false);
    early.click();
    expect(page.iframe()!.hidden).toBe(true);
    expect(focus).toHaveBeenCalledTimes(1);
  });
});

describe('panel', () => {
  it('creates the iframe only on intent, not at load', () => {
    const page = mount();
    expect(page.iframe()).toBeNull();
    page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
    const iframe = page.iframe()!;
    expect(iframe).not.toBeNull();
    expect(iframe.hidden).toBe(true); // prefetched, not shown
    expect(iframe.src).toBe(`${WIDGET_ORIGIN}/`);
    expect(iframe.title).toBe('Chat with Acme support');
    expect(iframe.getAttribute('sandbox')).toBe(
      'allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox allow-downloads',
    );
    expect(iframe.hasAttribute('allow')).toBe(false); // no permission-policy features
    expect(iframe.getAttribute('style')).toBeNull();
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

  it('closes on Escape at the launcher, focus staying there', () => {
    const page = mount();
    page.button.focus();
    page.button.click();
    page.button.focus();
    page.button.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(page.iframe()!.hidden).toBe(true);
    expect(page.root.activeElement).toBe(page.button);
  });

  it('is full screen on narrow viewports without touching the host page', () => {
    const page = mount();
    page.button.click();
    expect(page.css()).toMatch(/@media\(max-width:480px\)\{iframe\{inset:0;width:100%;height:100%/);
    expect(document.body.getAttribute('style')).toBeNull();
    expect(document.documentElement.getAttribute('style')).toBeNull();
  });
});

describe('eager iframe', () => {
  it('prefetches on idle when configured', async () => {
    vi.useFakeTimers();
    const page = mount({ ...config, prefetch: 'idle' });
    expect(page.iframe()).toBeNull();
    await vi.runOnlyPendingTimersAsync();
    expect(page.iframe()!.hidden).toBe(true);
  });

  it('creates it for a returning visitor with an active session, not for an expired hint', async () => {
    vi.useFakeTimers();
    localStorage.setItem(HINT, String(Date.now() + 60_000));
    const page = mount();
    await vi.runOnlyPendingTimersAsync();
    expect(page.iframe()).not.toBeNull();
    resetPage();
    vi.useFakeTimers();
    localStorage.setItem(HINT, String(Date.now() - 1));
    const again = mount();
    await vi.runOnlyPendingTimersAsync();
    expect(again.iframe()).toBeNull();
  });

  it('survives blocked storage', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('denied', 'SecurityError');
    });
    expect(() => mount()).not.toThrow();
  });
});

describe('idle prefetch of the form files (prefetch "cache", the default)', () => {
  const prefetchFrames = (page: ReturnType<typeof mount>) => [...page.root.querySelectorAll<HTMLIFrameElement>('iframe[src$="/prefetch.html"]')];

  it('frames prefetch.html at idle, unseen, running nothing on the page', async () => {
    vi.useFakeTimers();
    const load = vi.fn();
    const page = mount(config, { load });
    expect(prefetchFrames(page)).toEqual([]); // not at load
    await vi.runOnlyPendingTimersAsync();
    const frames = prefetchFrames(page);
    expect(frames.map((f) => f.src)).toEqual([`${WIDGET_ORIGIN}/prefetch.html`]);
    expect(frames[0]!.hidden).toBe(true);
    expect(page.host.children).toHaveLength(0); // in the closed shadow root: not one of the page's window.frames
    // No sandbox: an opaque origin would cache the files in a partition of its own.
    expect(frames[0]!.hasAttribute('sandbox')).toBe(false);
    expect(page.root.querySelectorAll('iframe')).toHaveLength(1); // no chat frame
    expect(load).not.toHaveBeenCalled(); // no API chunk
    // Intent still brings the chat frame itself, beside it (first: the launcher paints above it).
    page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
    expect(page.iframe()!.src).toBe(`${WIDGET_ORIGIN}/`);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('is the same with prefetch "cache" set by the page', async () => {
    vi.useFakeTimers();
    const page = mount({ ...config, prefetch: 'idle' }, { data: { prefetch: 'cache' } });
    await vi.runOnlyPendingTimersAsync();
    expect(prefetchFrames(page).map((f) => f.src)).toEqual([`${WIDGET_ORIGIN}/prefetch.html`]);
    expect(page.root.querySelectorAll('iframe')).toHaveLength(1);
  });

  it('does nothing before intent with prefetch "intent"', async () => {
    vi.useFakeTimers();
    const load = vi.fn();
    const page = mount({ ...config, prefetch: 'intent' }, { load });
    await vi.runOnlyPendingTimersAsync();
    expect(prefetchFrames(page)).toEqual([]);
    expect(page.iframe()).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it('gives way to the chat frame for a returning visitor', async () => {
    vi.useFakeTimers();
    localStorage.setItem(HINT, String(Date.now() + 60_000));
    const page = mount();
    await vi.runOnlyPendingTimersAsync();
    expect(prefetchFrames(page)).toEqual([]);
    expect(page.iframe()).not.toBeNull();
  });
});

describe('API chunk', () => {
  it('is not fetched at load, nor for core commands', () => {
    const load = vi.fn();
    mount(config, { load });
    flexChat('boot', { position: 'right' });
    flexChat('close');
    expect(load).not.toHaveBeenCalled();
  });

  it('is fetched once, on intent', () => {
    const load = vi.fn();
    const page = mount(config, { load });
    page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
    page.button.click();
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('is fetched for a command the core does not handle; commands wait for it, in order', async () => {
    const load = vi.fn();
    const page = mount(config, { load });
    const seen: unknown[] = [];
    flexChat('on', 'open', () => seen.push('open'));
    flexChat('on', 'close', () => seen.push('close'));
    flexChat('setContext', { plan: 'gold' });
    expect(load).toHaveBeenCalledTimes(1);
    flexChat('open'); // core command: the panel opens at once
    expect(page.iframe()!.hidden).toBe(false);
    expect(seen).toEqual([]);
    await Promise.resolve(); // "network"
    w().FlexChat!.x!(install);
    expect(seen).toEqual(['open']); // state synced on arrival
    flexChat('close');
    expect(seen).toEqual(['open', 'close']);
    expect(w().FlexChat!.x).toBeUndefined();
  });

  it('ignores a stray API chunk when no core waits for it', () => {
    mount(config, { load: loadApiNow });
    expect(() => loadApiNow()).not.toThrow();
  });
});
