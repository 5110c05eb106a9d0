import { beforeEach, describe, expect, it } from 'vitest';
import type { OfflineMessage } from './agent-api.ts';
import { offlineSummary, renderOfflineMessages } from './offline-messages.ts';

const message = (id: string, over: Partial<OfflineMessage> = {}): OfflineMessage => ({
  id,
  receivedAt: '2030-01-01T22:00:00.000Z',
  name: `Visitor ${id}`,
  email: `${id}@example.com`,
  message: `Hello from ${id}`,
  ...over,
});

let list: HTMLUListElement;
let summary: HTMLParagraphElement;
beforeEach(() => {
  document.body.innerHTML = '';
  list = document.createElement('ul');
  summary = document.createElement('p');
  document.body.append(summary, list);
});

describe('messages left outside hours (agent console)', () => {
  it('counts them', () => {
    expect([0, 1, 3].map(offlineSummary)).toEqual(['No messages yet.', '1 message', '3 messages']);
  });

  it('lists them newest first as text (never markup), with a mailto link, the time and the page', () => {
    renderOfflineMessages(list, summary, [
      message('a'),
      message('b', { name: '<img src=x onerror=alert(1)>', message: 'Line 1\nLine 2', context: { pageUrl: 'https://shop.example.com/cart', locale: 'fr' } }),
    ]);
    const items = [...list.querySelectorAll('li')];
    expect(items.map((li) => li.dataset.id)).toEqual(['b', 'a']);
    expect(list.querySelector('img')).toBeNull();
    const newest = items[0]!;
    expect(newest.querySelector('article')?.getAttribute('aria-label')).toBe('Message from <img src=x onerror=alert(1)>');
    expect(newest.querySelector('.offline-body')?.textContent).toBe('Line 1\nLine 2');
    expect(newest.querySelector('a')?.getAttribute('href')).toBe('mailto:b@example.com');
    expect(newest.querySelector('time')?.getAttribute('datetime')).toBe('2030-01-01T22:00:00.000Z');
    expect(newest.querySelector('.offline-context')?.textContent).toBe('Left on https://shop.example.com/cart (fr)');
    expect(summary.textContent).toBe('2 messages');
  });

  it('keeps + in mailto links and encodes what could add mail headers', () => {
    renderOfflineMessages(list, summary, [message('a', { email: 'zoe+tag@example.com' }), message('b', { email: 'x?cc=evil@example.com' })]);
    expect(list.querySelector('[data-id="a"] a')?.getAttribute('href')).toBe('mailto:zoe+tag@example.com');
    expect(list.querySelector('[data-id="b"] a')?.getAttribute('href')).toBe('mailto:x%3Fcc%3Devil@example.com');
  });

  it('adds only what is new (nodes already shown stay the same) and drops what the emulator forgot', () => {
    renderOfflineMessages(list, summary, [message('a')]);
    const first = list.querySelector('li');
    renderOfflineMessages(list, summary, [message('a'), message('c')]);
    expect(list.querySelector('[data-id="a"]')).toBe(first);
    expect([...list.querySelectorAll('li')].map((li) => li.dataset.id)).toEqual(['c', 'a']);
    renderOfflineMessages(list, summary, []);
    expect(list.children).toHaveLength(0);
    expect(summary.textContent).toBe('No messages yet.');
  });
});
