import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog.tsx';

afterEach(cleanup);

const texts = {
  title: 'End this chat?',
  body: 'You will not be able to send more messages.',
  confirmLabel: 'End chat',
  cancelLabel: 'Cancel',
};

function renderDialog(props: Partial<ConfirmDialogProps> = {}) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const view = render(<ConfirmDialog {...texts} onConfirm={onConfirm} onCancel={onCancel} {...props} />);
  const dialog = screen.getByRole('alertdialog');
  return {
    ...view,
    dialog,
    onConfirm,
    onCancel,
    cancel: within(dialog).getByRole('button', { name: 'Cancel' }),
    confirm: within(dialog).getByRole('button', { name: 'End chat' }),
  };
}

/** A page that opens the dialog from a button, as the widget header does. */
function Opener({ removeOpenerOnConfirm = false }: { removeOpenerOnConfirm?: boolean }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <>
      {done && removeOpenerOnConfirm ? null : (
        <button type="button" onClick={() => setOpen(true)}>
          Open dialog
        </button>
      )}
      <button type="button">Something else</button>
      {done ? (
        <button type="button" data-autofocus="">
          Start a new chat
        </button>
      ) : null}
      {open ? (
        <ConfirmDialog
          {...texts}
          onCancel={() => setOpen(false)}
          onConfirm={() => {
            setOpen(false);
            setDone(true);
          }}
        />
      ) : null}
    </>
  );
}

describe('ConfirmDialog', () => {
  it('is a modal alert dialog named by its title and described by its body', () => {
    const { dialog } = renderDialog();
    expect(screen.getByRole('alertdialog', { name: 'End this chat?', description: 'You will not be able to send more messages.' })).toBe(dialog);
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(within(dialog).getByRole('heading', { name: 'End this chat?' })).toBeTruthy();
  });

  it('starts with focus on the safe choice, Cancel', () => {
    const { cancel } = renderDialog();
    expect(document.activeElement).toBe(cancel);
  });

  it('Cancel calls onCancel only; the confirm button calls onConfirm only', () => {
    const { cancel, confirm, onCancel, onConfirm } = renderDialog();
    fireEvent.click(cancel);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onConfirm).not.toHaveBeenCalled();
    fireEvent.click(confirm);
    expect(onConfirm).toHaveBeenCalledTimes(1);
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('Esc cancels, and does not reach the widget behind (which would close the whole widget)', () => {
    const onCancel = vi.fn();
    const onWidgetKey = vi.fn();
    render(
      <div onKeyDown={(event) => onWidgetKey(event.key)}>
        <ConfirmDialog {...texts} onConfirm={vi.fn()} onCancel={onCancel} />
      </div>,
    );
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    expect(fireEvent.keyDown(cancel, { key: 'Escape' })).toBe(false);
    expect(onCancel).toHaveBeenCalledTimes(1);
    expect(onWidgetKey).not.toHaveBeenCalled();
    fireEvent.keyDown(cancel, { key: 'a' });
    expect(onWidgetKey).toHaveBeenCalledWith('a');
  });

  it('other keys neither cancel nor confirm', () => {
    const { cancel, onCancel, onConfirm } = renderDialog();
    fireEvent.keyDown(cancel, { key: 'Enter' });
    fireEvent.keyDown(cancel, { key: 'ArrowDown' });
    expect(onCancel).not.toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('Tab from the last button wraps to the first, Shift+Tab from the first wraps to the last', () => {
    const { cancel, confirm } = renderDialog();
    confirm.focus();
    expect(fireEvent.keyDown(confirm, { key: 'Tab' })).toBe(false);
    expect(document.activeElement).toBe(cancel);
    expect(fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true })).toBe(false);
    expect(document.activeElement).toBe(confirm);
  });

  it('Tab between the buttons is left to the browser', () => {
    const { cancel } = renderDialog();
    // Cancel is first: plain Tab moves on to Confirm by itself.
    expect(fireEvent.keyDown(cancel, { key: 'Tab' })).toBe(true);
    expect(document.activeElement).toBe(cancel);
  });

  it('an error is announced inside the dialog and adds no tab stop', () => {
    const { dialog, cancel, confirm } = renderDialog({ error: 'We could not end the chat. Please try again.' });
    expect(within(dialog).getByRole('alert').textContent).toBe('We could not end the chat. Please try again.');
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
  });

  it('shows no alert when there is no error', () => {
    const { dialog } = renderDialog({ error: null });
    expect(within(dialog).queryByRole('alert')).toBeNull();
  });

  it('while busy, the confirm button says so and does nothing, but keeps keyboard focus (a disabled button would drop it to the page body)', () => {
    const { confirm, cancel, onConfirm, onCancel, rerender } = renderDialog();
    confirm.focus();
    rerender(<ConfirmDialog {...texts} onConfirm={onConfirm} onCancel={onCancel} busy />);
    expect(confirm.getAttribute('aria-disabled')).toBe('true');
    expect(confirm.getAttribute('aria-busy')).toBe('true');
    expect((confirm as HTMLButtonElement).disabled).toBe(false);
    expect(document.activeElement).toBe(confirm);
    fireEvent.click(confirm);
    expect(onConfirm).not.toHaveBeenCalled();
    // Still inside the dialog: Tab loops, Esc cancels.
    expect(fireEvent.keyDown(confirm, { key: 'Tab' })).toBe(false);
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('when not busy, the confirm button carries no busy or disabled state', () => {
    const { confirm } = renderDialog({ busy: false });
    expect(confirm.hasAttribute('aria-disabled')).toBe(false);
    expect(confirm.hasAttribute('aria-busy')).toBe(false);
  });

  it('closing returns focus to the button that opened it', () => {
    render(<Opener />);
    const opener = screen.getByRole('button', { name: 'Open dialog' });
    opener.focus();
    fireEvent.click(opener);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel' }));
    fireEvent.keyDown(screen.getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('if the opener is gone when it closes, focus goes to the main control of the view', () => {
    render(<Opener removeOpenerOnConfirm />);
    const opener = screen.getByRole('button', { name: 'Open dialog' });
    opener.focus();
    fireEvent.click(opener);
    fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Open dialog' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Start a new chat' }));
  });
});
