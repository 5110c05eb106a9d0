import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { activeHarness, type Harness } from '../../testing/fixtures.ts';
import { Composer } from '../Composer.tsx';
import { SessionContext } from '../session-context.ts';

// `:shortcode:` completion in the composer (EmojiLayer.tsx), through the real composer.

afterEach(cleanup);
// The composer loads the emoji chunk on the first ":" (a dynamic import). Its first
// transform here can outlast findByRole's second on a busy machine (seen once, in the
// file's first test); loaded beforehand, the tests wait only for the import to resolve.
beforeAll(() => import('./EmojiLayer.tsx'));

function renderComposer(h: Harness) {
  render(
    <SessionContext.Provider value={h.controller}>
      <Composer />
    </SessionContext.Provider>,
  );
  const field = screen.getByRole('textbox') as HTMLTextAreaElement;
  act(() => field.focus());
  return field;
}

/** Types `value` as the field's whole text, caret at the end (as typing does). */
const type = (field: HTMLTextAreaElement, value: string) => fireEvent.change(field, { target: { value } });
const key = (el: Element, k: string, init: Record<string, unknown> = {}) => fireEvent.keyDown(el, { key: k, ...init });
const options = () => within(screen.getByRole('listbox', { name: 'Emoji suggestions' })).getAllByRole('option');
const status = () => screen.getAllByRole('status').find((s) => s.closest('form'))!;

async function suggesting(h: Harness, text: string) {
  const field = renderComposer(h);
  type(field, text);
  await screen.findByRole('listbox', { name: 'Emoji suggestions' });
  return field;
}

describe('shortcode completion', () => {
  it('":smi" offers a listbox of matches; the textarea points at the active one', async () => {
    const h = await activeHarness();
    const field = await suggesting(h, 'Hello :smi');
    const list = screen.getByRole('listbox');
    expect(options()[0]!.textContent).toBe('😄 :smile:');
    expect(options().length).toBeGreaterThan(1);
    expect(options().length).toBeLessThanOrEqual(8);
    expect(options()[0]!.getAttribute('aria-selected')).toBe('true');
    expect(field.getAttribute('aria-autocomplete')).toBe('list');
    expect(field.getAttribute('aria-controls')).toBe(list.id);
    expect(field.getAttribute('aria-activedescendant')).toBe(options()[0]!.id);
    expect(status().textContent).toMatch(/^Emoji suggestions: \d\. Up and down arrows to choose/);
    expect(document.activeElement).toBe(field);
  });

  it('Up and Down move (wrapping), Enter inserts the active one instead of sending', async () => {
    const h = await activeHarness();
    const field = await suggesting(h, 'Hello :smi');
    const before = h.controller.state.messages.length;
    expect(key(field, 'ArrowDown')).toBe(false);
    expect(field.getAttribute('aria-activedescendant')).toBe(options()[1]!.id);
    key(field, 'ArrowUp');
    key(field, 'ArrowUp');
    const last = options().at(-1)!;
    expect(last.getAttribute('aria-selected')).toBe('true');
    const char = last.textContent!.split(' ')[0]!;
    key(field, 'Enter');
    expect(h.controller.state.draft).toBe(`Hello ${char}`);
    expect(h.controller.state.messages).toHaveLength(before);
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(field.hasAttribute('aria-activedescendant')).toBe(false);
    expect(field.hasAttribute('aria-controls')).toBe(false);
    expect(status().textContent).toMatch(/ inserted$/);
  });

  it('Tab inserts too, mid-text, with the caret after the emoji', async () => {
    const h = await activeHarness();
    const field = renderComposer(h);
    // Typing ":thumbsu" between "a " and " b": the text changes with the caret after the "u".
    const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
    setValue.call(field, 'a :thumbsu b');
    field.setSelectionRange(10, 10);
    fireEvent.input(field);
    expect((await screen.findByRole('listbox')).textContent).toBe('👍 :thumbsup:');
    expect(key(field, 'Tab')).toBe(false);
    expect(h.controller.state.draft).toBe('a 👍 b');
    expect(field.selectionStart).toBe(4);
    expect(document.activeElement).toBe(field);
  });

  it('Escape dismisses the list (not the widget) until the next shortcode; typing on keeps it dismissed', async () => {
    const h = await activeHarness();
    const field = await suggesting(h, ':hea');
    expect(key(field, 'Escape')).toBe(false); // default prevented
    expect(screen.queryByRole('listbox')).toBeNull();
    type(field, ':hear');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(key(field, 'Enter')).toBe(false); // Enter sends again
    expect(h.controller.state.draft).toBe('');
    type(field, 'x :hea');
    expect(screen.getByRole('listbox')).toBeTruthy();
  });

  it('a pointer can pick a suggestion; leaving the field closes the list', async () => {
    const h = await activeHarness();
    const field = await suggesting(h, ':pizz');
    expect(fireEvent.mouseDown(options()[0]!)).toBe(false); // focus stays in the field
    fireEvent.click(options()[0]!);
    expect(h.controller.state.draft).toBe('🍕');
    type(field, '🍕 :piz');
    expect(screen.getByRole('listbox')).toBeTruthy();
    fireEvent.blur(field);
    expect(screen.queryByRole('listbox')).toBeNull();
  });

  it('a complete known ":smile:" becomes 😄 as it is typed; unknown names and times stay text', async () => {
    const h = await activeHarness();
    const field = await suggesting(h, 'ok :smil');
    type(field, 'ok :smile');
    type(field, 'ok :smile:');
    expect(h.controller.state.draft).toBe('ok 😄');
    expect(field.value).toBe('ok 😄');
    expect(field.selectionStart).toBe('ok 😄'.length);
    expect(status().textContent).toBe('smile inserted');
    type(field, 'ok 😄 :nope:');
    expect(h.controller.state.draft).toBe('ok 😄 :nope:');
    type(field, 'ok 😄 :nope: at 10:30:');
    expect(h.controller.state.draft).toBe('ok 😄 :nope: at 10:30:');
  });

  it('no list for a lone colon, one letter, or no match', async () => {
    const h = await activeHarness();
    const field = renderComposer(h);
    type(field, 'see: this');
    type(field, ':s');
    type(field, ':qqqq');
    await act(async () => {
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(field.getAttribute('aria-autocomplete')).toBe('list'); // the chunk is here, completion is on
  });

  it('in Spanish the list and what is said are Spanish (names stay English shortcodes)', async () => {
    const h = await activeHarness();
    act(() => h.controller.setLocale('es'));
    const field = renderComposer(h);
    type(field, ':tad');
    await screen.findByRole('listbox', { name: 'Sugerencias de emojis' });
    key(field, 'Enter');
    expect(h.controller.state.draft).toBe('🎉');
    expect(status().textContent).toBe('party popper insertado');
  });
});
