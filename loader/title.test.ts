// The unread count in the host page's title (src/title.ts) and in the launcher's name
// (src/unread.ts), with launcher.unreadInTitle: the API chunk as the widget drives it.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { install } from './src/api.ts';
import type { HostWindow } from './src/loader.ts';
import { titleCounter } from './src/title.ts';
import { wordsFor, WORDS } from './src/words.ts';
import { config, flexChat, loadIframe, mount, resetPage, type Mounted } from './test-helpers.ts';

const reset = () => {
  resetPage();
  document.title = 'Acme shop';
};
beforeEach(reset);
afterEach(reset);

describe('titleCounter', () => {
  it('puts the count in front of the title and restores the title when read', () => {
    const count = titleCounter(document);
    count(0);
    expect(document.title).toBe('Acme shop'); // nothing unread: untouched
    count(1);
    expect(document.title).toBe('(1) Acme shop');
    count(2);
    expect(document.title).toBe('(2) Acme shop'); // not "(2) (1) Acme shop"
    count(0);
    expect(document.title).toBe('Acme shop');
    count(0);
    expect(document.title).toBe('Acme shop');
  });

  it('follows a page that retitles itself while a count shows, and leaves its new title at the end', async () => {
    const count = titleCounter(document);
    count(3);
    document.title = 'Checkout'; // an SPA route change
    await vi.waitFor(() => expect(document.title).toBe('(3) Checkout'));
    count(4);
    expect(document.title).toBe('(4) Checkout');
    count(0);
    expect(document.title).toBe('Checkout');
    document.title = 'Thanks'; // no count: nobody watches any more
    await new Promise((r) => setTimeout(r, 20));
    expect(document.title).toBe('Thanks');
  });
});

describe('words', () => {
  it('has the unread words in the six languages, English for any other', () => {
    expect(Object.keys(WORDS)).toEqual(['en', 'es', 'fr', 'de', 'pt-BR', 'ar']);
    for (const w of Object.values(WORDS)) expect(w.unread).toMatch(/#/);
    expect(wordsFor(['pt-br']).unread).toBe('# não lidas');
    expect(wordsFor(['pt']).unread).toBe('# não lidas');
    expect(wordsFor(['es-MX']).unread).toBe('# sin leer');
    expect(wordsFor(['ja']).unread).toBe('# unread');
  });
});

/** Loads the API chunk with unreadInTitle on, opens the iframe and plays the widget's ack. */
async function connect(page: Mounted) {
  page.button.dispatchEvent(new Event('pointerover', { bubbles: true }));
  const hello = loadIframe(page.iframe()!).at(-1)!;
  const instance = (hello.data as { instance: string }).instance;
  const got: unknown[] = [];
  hello.port.onmessage = (e) => got.push(e.data);
  const send = (m: Record<string, unknown>) => hello.port.postMessage({ flexchat: 1, v: 1, instance, ...m });
  send({ type: 'ack' });
  await vi.waitFor(() => expect(got.length).toBeGreaterThan(0));
  return { send, close: () => hello.port.close() };
}

const withTitle = (unreadInTitle: boolean, locale?: string) => ({
  load: () => (window as HostWindow).FlexChat!.x?.((K) => install(K, null, locale ? { unreadInTitle, locale } : { unreadInTitle })),
});

describe('the API chunk with launcher.unreadInTitle', () => {
  it('counts in the title, the badge and the name (the number as a word, not in parentheses), then restores all three', async () => {
    const page = mount(config, withTitle(true));
    const w = await connect(page);
    const badge = page.button.querySelector('b')!;
    w.send({ type: 'unread', count: 2 });
    await vi.waitFor(() => expect(document.title).toBe('(2) Acme shop'));
    expect(badge.textContent).toBe('2');
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme, 2 unread');
    w.send({ type: 'unread', count: 0 });
    await vi.waitFor(() => expect(document.title).toBe('Acme shop'));
    expect(badge.textContent).toBe('');
    expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme');
    w.close();
  });

  it("names the count in the visitor's language and clears the title on shutdown", async () => {
    const page = mount(config, withTitle(true, 'de'));
    const w = await connect(page);
    w.send({ type: 'unread', count: 5 });
    await vi.waitFor(() => expect(page.button.getAttribute('aria-label')).toBe('Talk to Acme, 5 ungelesen'));
    expect(document.title).toBe('(5) Acme shop');
    flexChat('shutdown');
    expect(document.title).toBe('Acme shop');
    w.close();
  });

  it('leaves the title alone when off (the default), the badge still counts', async () => {
    const page = mount(config, withTitle(false));
    const w = await connect(page);
    w.send({ type: 'unread', count: 2 });
    await vi.waitFor(() => expect(page.button.querySelector('b')!.textContent).toBe('2'));
    expect(document.title).toBe('Acme shop');
    w.close();
  });
});
