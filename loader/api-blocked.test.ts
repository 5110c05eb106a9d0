// A blocked embed tells the site owner (issue #12): when the iframe does not
// complete its handshake in time (refused by the widget origin's frame-ancestors,
// a 404, the network), the panel shows a message with a retry, the page hears an
// `error` event with a code and its origin, and the console names the setting.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HANDSHAKE_MS, LOAD_MS } from './src/api.ts';
import { flexChat, loadApiNow, loadIframe, mount, resetPage, type Mounted } from './test-helpers.ts';

let warnings: unknown[][];

beforeEach(() => {
  resetPage();
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  warnings = [];
  vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args));
});
afterEach(resetPage);

function errors(): Array<{ code: string; message: string; origin?: string }> {
  const seen: Array<{ code: string; message: string; origin?: string }> = [];
  flexChat('on', 'error', (e: { code: string; message: string; origin?: string }) => seen.push(e));
  return seen;
}

const notice = (page: Mounted) => page.root.querySelector<HTMLElement>('[role="alert"]');

/** The iframe still holds its initial about:blank (same origin, readable), as before any load. */
function notLoadedYet(iframe: HTMLIFrameElement): void {
  Object.defineProperty(iframe, 'contentWindow', { value: { document, postMessage: () => {} }, configurable: true });
}

/** Creates the iframe (hover) without loading it, then lets the API chunk arrive. */
function mountUnloaded(): Mounted {
  const page = mount(undefined, { load: () => {} });
  page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
  notLoadedYet(page.iframe()!);
  loadApiNow();
  return page;
}

describe('the frame loads but never answers (frame-ancestors refusal, a 404, an error page)', () => {
  it('after the handshake time: an error event with code and origin, one console warning naming the setting, a message with a retry', () => {
    const page = mount();
    const seen = errors();
    page.button.click();
    const hellos = loadIframe(page.iframe()!); // what the browser put there never acks
    vi.advanceTimersByTime(HANDSHAKE_MS - 1);
    expect(seen).toEqual([]);
    expect(notice(page)).toBeNull();

    vi.advanceTimersByTime(1);
    expect(seen).toEqual([{ code: 'frame_blocked', origin: window.location.origin, message: expect.stringContaining(window.location.origin) }]);
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]![0])).toMatch(/frame_blocked/);
    expect(String(warnings[0]![0])).toContain(`Add ${window.location.origin} to allowedDomains in flexchat.config.json (or FLEXCHAT_ALLOWED_DOMAINS)`);

    const box = notice(page)!;
    expect(box.hidden).toBe(false);
    expect(box.querySelector('p')!.textContent).toBe('The chat could not be loaded.');
    const retry = box.querySelector('button')!;
    expect(retry.textContent).toBe('Try again');
    expect(page.root.activeElement).toBe(retry); // the panel was open: focus goes to the way out
    expect(page.iframe()!.style.visibility).toBe('hidden'); // no browser error page
    hellos.forEach((h) => h.port.close());
  });

  it('the message follows the panel: hidden when closed, back when opened again', () => {
    const page = mount();
    page.button.click();
    loadIframe(page.iframe()!).forEach((h) => h.port.close());
    vi.advanceTimersByTime(HANDSHAKE_MS);
    page.button.click(); // close
    expect(notice(page)!.hidden).toBe(true);
    page.button.click(); // open
    expect(notice(page)!.hidden).toBe(false);
  });

  it('Try again loads the frame again; a widget that answers then clears it all, and the console is not repeated', async () => {
    const page = mount();
    const seen = errors();
    page.button.click();
    loadIframe(page.iframe()!).forEach((h) => h.port.close());
    vi.advanceTimersByTime(HANDSHAKE_MS);
    notice(page)!.querySelector('button')!.click();
    expect(notice(page)).toBeNull();
    expect(page.iframe()!.style.visibility).toBe('');

    // Still refused: the message comes back, with another event but no second warning.
    const again = loadIframe(page.iframe()!);
    vi.advanceTimersByTime(HANDSHAKE_MS);
    expect(seen.map((e) => e.code)).toEqual(['frame_blocked', 'frame_blocked']);
    expect(warnings).toHaveLength(1);
    again.forEach((h) => h.port.close());

    // Allowed now: the widget acks, and no deadline fires later.
    notice(page)!.querySelector('button')!.click();
    const hello = loadIframe(page.iframe()!).at(-1)!;
    const ready = vi.fn();
    flexChat('on', 'ready', ready);
    hello.port.postMessage({ flexchat: 1, v: 1, instance: (hello.data as { instance: string }).instance, type: 'ack' });
    await vi.waitFor(() => expect(ready).toHaveBeenCalled());
    vi.advanceTimersByTime(LOAD_MS);
    expect(seen).toHaveLength(2);
    expect(notice(page)).toBeNull();
    hello.port.close();
  });
});

describe('the frame never loads (network)', () => {
  it('after the load time: frame_timeout, with the same warning and message', () => {
    const page = mountUnloaded();
    const seen = errors();
    page.button.click(); // open; no load event ever comes
    vi.advanceTimersByTime(LOAD_MS - 1);
    expect(seen).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(seen).toEqual([{ code: 'frame_timeout', origin: window.location.origin, message: expect.any(String) }]);
    expect(warnings).toHaveLength(1);
    expect(notice(page)).not.toBeNull();
  });

  it('a frame prefetched on hover and never opened shows nothing, but still tells the page and the console', () => {
    const page = mountUnloaded();
    const seen = errors();
    vi.advanceTimersByTime(LOAD_MS);
    expect(seen.map((e) => e.code)).toEqual(['frame_timeout']);
    expect(warnings).toHaveLength(1);
    expect(notice(page)!.hidden).toBe(true);
  });
});

describe('a widget that answers in time', () => {
  it('raises nothing: no event, no warning, no message', async () => {
    const page = mount();
    const seen = errors();
    page.button.click();
    const hello = loadIframe(page.iframe()!).at(-1)!;
    hello.port.postMessage({ flexchat: 1, v: 1, instance: (hello.data as { instance: string }).instance, type: 'ack' });
    const ready = vi.fn();
    flexChat('on', 'ready', ready);
    await vi.waitFor(() => expect(ready).toHaveBeenCalled());
    vi.advanceTimersByTime(LOAD_MS);
    expect(seen).toEqual([]);
    expect(warnings).toEqual([]);
    expect(notice(page)).toBeNull();
    hello.port.close();
  });
});
