// The proactive teaser (src/teaser.ts) as the page triggers it: FlexChat('teaser', {text}).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TEASER_KEY } from './src/teaser.ts';
import { flexChat, mount, resetPage } from './test-helpers.ts';

/** The shadow roots attached since mount() (which spies on attachShadow): [launcher, teasers…]. */
const teaserRoots = () => vi.mocked(Element.prototype.attachShadow).mock.results.slice(1).map((r) => r.value as ShadowRoot);
/** Counts the teasers drawn from now on. */
const watchTeasers = () => {
  const before = teaserRoots().length;
  return { roots: { get length() { return teaserRoots().length - before; } }, at: (i: number) => teaserRoots()[before + i] };
};

beforeEach(resetPage);
afterEach(resetPage);

/** Mounts the loader, then triggers a teaser; returns the bubble's (closed) shadow root. */
function trigger(text: unknown = 'Questions about shipping? We are here.') {
  const page = mount();
  flexChat('teaser', { text });
  const root = teaserRoots()[0];
  const parts = () => ({
    box: root?.querySelector('div'),
    say: root?.querySelector<HTMLButtonElement>('button.t'),
    close: root?.querySelector<HTMLButtonElement>('button.x'),
  });
  return { page, root, parts };
}

describe('FlexChat("teaser", {text})', () => {
  it('shows a polite bubble with the text as text, a named close button, and no iframe', async () => {
    const { page, root, parts } = trigger('<b>Hi</b> there');
    expect(root).toBeDefined();
    const { box, say, close } = parts();
    expect(box!.getAttribute('role')).toBe('status');
    await vi.waitFor(() => expect(say!.textContent).toBe('<b>Hi</b> there'));
    expect(say!.querySelector('b')).toBeNull(); // never HTML
    expect(close!.getAttribute('aria-label')).toBe('Dismiss');
    expect(page.iframe()).toBeNull();
    expect(document.activeElement).toBe(document.body); // focus not taken
  });

  it('a click opens the chat and removes the bubble', async () => {
    const { page, root, parts } = trigger();
    await vi.waitFor(() => expect(parts().say!.textContent).not.toBe(''));
    parts().say!.click();
    expect(page.button.getAttribute('aria-expanded')).toBe('true');
    expect(page.iframe()).not.toBeNull();
    expect(root!.host.isConnected).toBe(false);
  });

  it('the close button and Escape dismiss it, remembered in localStorage: no teaser again', () => {
    const first = trigger();
    first.parts().close!.click();
    expect(first.root!.host.isConnected).toBe(false);
    expect(localStorage.getItem(TEASER_KEY)).not.toBeNull();
    const captured = watchTeasers();
    flexChat('teaser', { text: 'Again?' });
    expect(captured.roots).toHaveLength(0);

    resetPage(); // a new visitor on a new page (storage cleared)
    const again = trigger('Once more');
    again.parts().say!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    expect(again.root!.host.isConnected).toBe(false);
    expect(localStorage.getItem(TEASER_KEY)).not.toBeNull();
  });

  it('with storage blocked, a dismissal holds for the page', () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    const { root, parts } = trigger();
    parts().close!.click();
    expect(root!.host.isConnected).toBe(false);
    const captured = watchTeasers();
    flexChat('teaser', { text: 'Again?' });
    expect(captured.roots).toHaveLength(0);
  });

  it('is not shown while the chat is open, and goes when it opens', () => {
    const { root } = trigger();
    flexChat('open');
    expect(root!.host.isConnected).toBe(false);
    const captured = watchTeasers();
    flexChat('teaser', { text: 'Now?' });
    expect(captured.roots).toHaveLength(0);
  });

  it('refuses a missing, empty or too long text (invalid_argument)', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    mount();
    const errors: string[] = [];
    flexChat('on', 'error', (e: { code: string }) => errors.push(e.code));
    const captured = watchTeasers();
    flexChat('teaser');
    flexChat('teaser', { text: '   ' });
    flexChat('teaser', { text: 'x'.repeat(201) });
    flexChat('teaser', 'hello');
    expect(errors).toEqual(Array(4).fill('invalid_argument'));
    expect(captured.roots).toHaveLength(0);
  });
});
