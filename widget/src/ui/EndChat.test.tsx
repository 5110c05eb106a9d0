import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, initOk, type Harness } from '../testing/fixtures.ts';
import { App } from './App.tsx';

afterEach(cleanup);

/** jsdom's Blob has no text(); FileReader it is. */
function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

let blobs: Blob[];
beforeEach(() => {
  blobs = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return `blob:test/${blobs.length}`;
  });
  URL.revokeObjectURL = vi.fn();
});

async function renderActive(h: Harness, onClose = vi.fn()) {
  render(<App controller={h.controller} onRequestClose={onClose} />);
  return onClose;
}

describe('ending the chat', () => {
  it('End chat asks for confirmation in a modal dialog that starts on Cancel', async () => {
    const h = await activeHarness();
    await renderActive(h);
    const endButton = screen.getByRole('button', { name: 'End chat' });
    fireEvent.click(endButton);
    const dialog = screen.getByRole('alertdialog', { name: 'End this chat?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('You will not be able to send more messages');
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    // Everything behind the dialog is inert.
    expect(document.querySelector('main')!.hasAttribute('inert')).toBe(true);
    expect(document.querySelector('header')!.hasAttribute('inert')).toBe(true);
  });

  it('Tab and Shift+Tab stay inside the dialog', async () => {
    const h = await activeHarness();
    await renderActive(h);
    fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
    const dialog = screen.getByRole('alertdialog');
    const cancel = within(dialog).getByRole('button', { name: 'Cancel' });
    const confirm = within(dialog).getByRole('button', { name: 'End chat' });
    confirm.focus();
    fireEvent.keyDown(confirm, { key: 'Tab' });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(confirm);
  });

  it('Esc cancels the dialog (not the widget) and focus returns to End chat', async () => {
    const h = await activeHarness();
    const onClose = await renderActive(h);
    const endButton = screen.getByRole('button', { name: 'End chat' });
    endButton.focus();
    fireEvent.click(endButton);
    fireEvent.keyDown(screen.getByRole('button', { name: 'Cancel' }), { key: 'Escape' });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(document.activeElement).toBe(endButton);
    expect(onClose).not.toHaveBeenCalled();
    expect(h.controller.state.phase).toBe('active');
    // Without a dialog, Esc asks the host to close the widget.
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Message' }), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('confirming ends the chat; the ended screen offers the transcript and a new chat', async () => {
    const h = await activeHarness({ responses: [initOk, { body: {} }] });
    await renderActive(h);
    act(() => {
      h.transport.pushAgentMessage('Glad I could help.', 'agent-1', 'Ana');
    });
    fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
    await act(async () => {
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End chat' }));
    });
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(screen.queryByRole('textbox', { name: 'Message' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'End chat' })).toBeNull();
    const log = screen.getByRole('log', { name: 'Messages' });
    expect(within(log).getByText('You ended the chat.')).toBeTruthy();
    expect(screen.getByText('This chat has ended.')).toBeTruthy();
    const startNew = screen.getByRole('button', { name: 'Start a new chat' });
    expect(document.activeElement).toBe(startNew);

    const anchorClicks: HTMLAnchorElement[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      anchorClicks.push(this);
    });
    fireEvent.click(screen.getByRole('button', { name: 'Download transcript' }));
    click.mockRestore();
    expect(anchorClicks).toHaveLength(1);
    expect(anchorClicks[0]!.download).toMatch(/^chat-transcript-\d{4}-\d{2}-\d{2}\.txt$/);
    expect(anchorClicks[0]!.href).toBe('blob:test/1');
    expect(blobs[0]!.type).toBe('text/plain;charset=utf-8');
    const text = await readText(blobs[0]!);
    expect(text).toContain('Ana: Glad I could help.');
    expect(text).toContain('* You ended the chat.');

    fireEvent.click(startNew);
    expect(screen.getByRole('form', { name: 'Pre-chat form' })).toBeTruthy();
  });

  it('a failure to end is shown inside the dialog, which stays open', async () => {
    const h = await activeHarness({ responses: [initOk, { networkError: true }] });
    await renderActive(h);
    fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
    await act(async () => {
      fireEvent.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: 'End chat' }));
    });
    const dialog = screen.getByRole('alertdialog');
    expect(within(dialog).getByRole('alert').textContent).toBe('We could not end the chat. Please try again.');
    expect(h.controller.state.phase).toBe('active');
  });

  it('the agent ending the chat while the dialog is open closes the dialog', async () => {
    const h = await activeHarness();
    await renderActive(h);
    fireEvent.click(screen.getByRole('button', { name: 'End chat' }));
    act(() => h.transport.closeConversation());
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(within(screen.getByRole('log', { name: 'Messages' })).getByText('The agent ended the chat.')).toBeTruthy();
  });
});
