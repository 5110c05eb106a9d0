import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { activeHarness, type Harness } from '../../testing/fixtures.ts';
import { Composer } from '../Composer.tsx';
import { SessionContext } from '../session-context.ts';

afterEach(cleanup);

function renderComposer(h: Harness) {
  render(
    <SessionContext.Provider value={h.controller}>
      <Composer />
    </SessionContext.Provider>,
  );
  return screen.getByRole('textbox') as HTMLTextAreaElement;
}

async function openPicker(h: Harness) {
  const field = renderComposer(h);
  const button = screen.getByRole('button', { name: 'Insert emoji' });
  fireEvent.click(button);
  const dialog = await screen.findByRole('dialog', { name: 'Emoji' });
  return { field, button, dialog };
}

const cells = (dialog: HTMLElement) => within(within(dialog).getByRole('grid')).getAllByRole('button');
const key = (el: Element, k: string, init: Record<string, unknown> = {}) => fireEvent.keyDown(el, { key: k, ...init });

describe('the emoji picker', () => {
  it('opens from the composer button as a named dialog, focus in its search field', async () => {
    const h = await activeHarness();
    const { button, dialog } = await openPicker(h);
    expect(button.getAttribute('aria-haspopup')).toBe('dialog');
    expect(button.getAttribute('aria-expanded')).toBe('true');
    expect(document.activeElement).toBe(within(dialog).getByRole('searchbox', { name: 'Search emoji' }));
    const tabs = within(dialog).getAllByRole('tab');
    expect(tabs.map((t) => t.getAttribute('aria-label'))).toEqual([
      'Smileys & emotion',
      'People & gestures',
      'Animals & nature',
      'Food & drink',
      'Travel & places',
      'Activities',
      'Objects',
      'Symbols',
    ]);
    expect(tabs[0]!.getAttribute('aria-selected')).toBe('true');
    expect(within(dialog).getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tabs[0]!.id);
    expect(within(dialog).getByRole('grid', { name: 'Smileys & emotion' })).toBeTruthy();
    // Rows of 8 gridcells, each a button named after its emoji; one tab stop.
    const grid = within(dialog).getByRole('grid');
    expect(within(within(grid).getAllByRole('row')[0]!).getAllByRole('gridcell')).toHaveLength(8);
    expect(cells(dialog)[0]!.getAttribute('aria-label')).toBe('grinning');
    expect(cells(dialog).filter((c) => c.tabIndex === 0)).toHaveLength(1);
  });

  it('with the keyboard only: arrows into and across the grid, Enter inserts at the caret, focus back, said', async () => {
    const h = await activeHarness();
    const field = renderComposer(h);
    fireEvent.change(field, { target: { value: 'Hi  there' } });
    field.setSelectionRange(3, 3);
    fireEvent.click(screen.getByRole('button', { name: 'Insert emoji' }));
    const dialog = await screen.findByRole('dialog', { name: 'Emoji' });
    key(document.activeElement!, 'ArrowDown'); // search → grid
    expect(document.activeElement).toBe(cells(dialog)[0]);
    key(document.activeElement!, 'ArrowRight');
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement).toBe(cells(dialog)[9]);
    expect(cells(dialog)[9]!.tabIndex).toBe(0);
    expect(cells(dialog)[0]!.tabIndex).toBe(-1);
    const chosen = cells(dialog)[9]!;
    const char = chosen.textContent!;
    const name = chosen.getAttribute('aria-label')!;
    fireEvent.click(chosen); // Enter or Space on a button is a click
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(h.controller.state.draft).toBe(`Hi ${char} there`);
    expect(document.activeElement).toBe(field);
    expect(field.selectionStart).toBe(3 + char.length);
    expect(screen.getByRole('status').textContent).toBe(`${name} inserted`);
    expect(screen.getByRole('button', { name: 'Insert emoji' }).getAttribute('aria-expanded')).toBe('false');
  });

  it('category tabs: arrows choose a category (roving focus), the grid follows', async () => {
    const h = await activeHarness();
    const { dialog } = await openPicker(h);
    const tabs = within(dialog).getAllByRole('tab');
    tabs[0]!.focus();
    key(tabs[0]!, 'ArrowRight');
    expect(document.activeElement).toBe(within(dialog).getAllByRole('tab')[1]);
    expect(within(dialog).getAllByRole('tab')[1]!.getAttribute('aria-selected')).toBe('true');
    expect(within(dialog).getByRole('grid', { name: 'People & gestures' })).toBeTruthy();
    key(document.activeElement!, 'End');
    expect(within(dialog).getByRole('grid', { name: 'Symbols' })).toBeTruthy();
    fireEvent.click(within(dialog).getAllByRole('tab')[3]!);
    expect(within(dialog).getByRole('grid', { name: 'Food & drink' })).toBeTruthy();
    expect(cells(dialog).map((c) => c.textContent)).toContain('🍕');
  });

  it('search: results with their count said, Enter inserts the first; none found is said', async () => {
    const h = await activeHarness();
    const { dialog, field } = await openPicker(h);
    const before = h.controller.state.messages.length;
    const search = within(dialog).getByRole('searchbox');
    fireEvent.change(search, { target: { value: 'pizza' } });
    expect(within(dialog).queryByRole('tablist')).toBeNull();
    expect(within(dialog).getByRole('grid', { name: 'Search results' })).toBeTruthy();
    expect(cells(dialog).map((c) => c.textContent)).toEqual(['🍕']);
    expect(within(dialog).getByRole('status').textContent).toBe('Emoji found: 1');
    fireEvent.change(search, { target: { value: 'qqqq' } });
    expect(within(dialog).getByRole('status').textContent).toBe('No emoji found');
    expect(key(search, 'Enter')).toBe(false); // never submits the message
    expect(screen.getByRole('dialog')).toBe(dialog); // nothing to insert: still open
    fireEvent.change(search, { target: { value: 'thumbs up' } });
    key(search, 'Enter');
    expect(h.controller.state.draft).toBe('👍');
    expect(document.activeElement).toBe(field);
    expect(h.controller.state.messages).toHaveLength(before); // Enter inserted, sent nothing
  });

  it('Escape closes it (not the widget) and gives the composer focus; the button toggles it', async () => {
    const h = await activeHarness();
    const { dialog, field, button } = await openPicker(h);
    expect(key(dialog, 'Escape')).toBe(false); // default prevented: the widget stays open
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(field);
    fireEvent.click(button);
    expect(screen.getByRole('dialog')).toBeTruthy();
    fireEvent.click(button);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('focus leaving it closes it, without taking focus back; focus moving to its button does not', async () => {
    const h = await activeHarness();
    const { dialog, button } = await openPicker(h);
    const search = within(dialog).getByRole('searchbox');
    fireEvent.blur(search, { relatedTarget: button });
    expect(screen.getByRole('dialog')).toBeTruthy();
    const send = screen.getByRole('button', { name: 'Send' });
    act(() => send.focus());
    fireEvent.blur(search, { relatedTarget: send });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(send);
  });

  it('right to left (Arabic): its texts, and ArrowLeft goes to the next emoji', async () => {
    const h = await activeHarness();
    act(() => h.controller.setLocale('ar'));
    renderComposer(h);
    fireEvent.click(screen.getByRole('button', { name: 'إدراج رمز تعبيري' }));
    const dialog = await screen.findByRole('dialog', { name: 'الرموز التعبيرية' });
    expect(within(dialog).getByRole('searchbox', { name: 'ابحث عن رمز تعبيري' })).toBeTruthy();
    key(document.activeElement!, 'ArrowDown');
    key(document.activeElement!, 'ArrowLeft');
    expect(document.activeElement).toBe(cells(dialog)[1]);
  });

  it('is not there when composer.emoji is false (also in a preview)', async () => {
    const h = await activeHarness();
    const field = renderComposer(h);
    act(() => h.controller.applyPreview({ composer: { emoji: false } }));
    expect(screen.queryByRole('button', { name: 'Insert emoji' })).toBeNull();
    fireEvent.change(field, { target: { value: ':smile:' } });
    expect(h.controller.state.draft).toBe(':smile:');
    expect(screen.queryByRole('listbox')).toBeNull();
    act(() => h.controller.applyPreview(null));
    expect(screen.getByRole('button', { name: 'Insert emoji' })).toBeTruthy();
  });
});
