import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, stubObjectUrls, testConfig, testFile, type Harness } from '../testing/fixtures.ts';
import { TransportError } from '../transport/chat-transport.ts';
import { Composer, useFileDrop } from './Composer.tsx';
import { SessionContext } from './session-context.ts';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
beforeEach(stubObjectUrls);

const file = testFile;

function renderComposer(h: Harness) {
  const view = render(
    <SessionContext.Provider value={h.controller}>
      <Composer />
    </SessionContext.Provider>,
  );
  return { ...view, field: screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement };
}

function type(field: HTMLTextAreaElement, value: string) {
  fireEvent.change(field, { target: { value } });
}

/** Presses a key; true if the component took it over (the browser would not act on it). */
const pressed = (el: HTMLElement, init: Parameters<typeof fireEvent.keyDown>[1]) => !fireEvent.keyDown(el, init);

const visitorMessages = (h: Harness) => h.controller.state.messages.filter((m) => m.role === 'visitor');

describe('the message field', () => {
  it('is a labelled text area with a placeholder, and takes focus when nothing else has it', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    expect(field.tagName).toBe('TEXTAREA');
    expect(field.placeholder).toBe('Type a message…');
    expect(document.activeElement).toBe(field);
  });

  it('does not steal focus from a control the visitor is using', async () => {
    const h = await activeHarness();
    const elsewhere = document.body.appendChild(document.createElement('button'));
    try {
      elsewhere.focus();
      renderComposer(h);
      expect(document.activeElement).toBe(elsewhere);
    } finally {
      elsewhere.remove();
    }
  });

  it('keeps a half-typed message when the composer is shown again', async () => {
    const h = await activeHarness();
    const first = renderComposer(h);
    type(first.field, 'half a thought');
    first.unmount();
    const { field } = renderComposer(h);
    expect(field.value).toBe('half a thought');
  });
});

describe('sending', () => {
  it('Enter sends the message and empties the field', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, 'Where is my parcel?');
    let handled = false;
    await act(async () => {
      handled = pressed(field, { key: 'Enter' });
    });
    expect(handled).toBe(true);
    expect(h.transport.sent.map((m) => m.body)).toEqual(['Where is my parcel?']);
    expect(field.value).toBe('');
  });

  it('Shift+Enter leaves the key to the text area (a new line) and sends nothing', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, 'line one');
    let handled = true;
    await act(async () => {
      handled = pressed(field, { key: 'Enter', shiftKey: true });
    });
    expect(handled).toBe(false);
    expect(h.transport.sent).toHaveLength(0);
    expect(visitorMessages(h)).toHaveLength(0);
    type(field, 'line one\nline two');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(h.transport.sent.map((m) => m.body)).toEqual(['line one\nline two']);
  });

  it('Enter that confirms an input-method composition does not send', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, 'にほん');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter', isComposing: true });
      // Safari reports the confirming Enter with keyCode 229 instead.
      fireEvent.keyDown(field, { key: 'Enter', keyCode: 229 });
    });
    expect(h.transport.sent).toHaveLength(0);
    expect(field.value).toBe('にほん');
  });

  it('the Send button sends and puts focus back in the field', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, 'hello');
    const sendButton = screen.getByRole('button', { name: 'Send' });
    sendButton.focus();
    await act(async () => {
      fireEvent.click(sendButton);
    });
    expect(h.transport.sent.map((m) => m.body)).toEqual(['hello']);
    expect(document.activeElement).toBe(field);
  });

  it('surrounding spaces are trimmed from what is sent', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, '  hi there \n');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(h.transport.sent.map((m) => m.body)).toEqual(['hi there']);
  });

  it('an empty or whitespace-only message is not sent, and Send says it is unavailable', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    const sendButton = screen.getByRole('button', { name: 'Send' });
    expect(sendButton.getAttribute('aria-disabled')).toBe('true');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    type(field, '   \n\t ');
    expect(sendButton.getAttribute('aria-disabled')).toBe('true');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
      fireEvent.click(sendButton);
    });
    expect(h.transport.sent).toHaveLength(0);
    expect(visitorMessages(h)).toHaveLength(0);

    type(field, 'ok');
    expect(sendButton.hasAttribute('aria-disabled')).toBe(false);
  });

  it('a chosen file alone makes Send available and is sent with Enter', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    act(() => h.controller.addFiles([file('invoice.pdf', 'application/pdf')]));
    expect(screen.getByRole('button', { name: 'Send' }).hasAttribute('aria-disabled')).toBe(false);
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(h.transport.sent).toEqual([expect.objectContaining({ body: '', attachment: expect.objectContaining({ filename: 'invoice.pdf' }) })]);
    expect(screen.queryByText('invoice.pdf')).toBeNull();
  });
});

describe('typing notifications', () => {
  it('typing text tells the agent; clearing the field or typing only spaces does not', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    expect(h.transport.typingNotifications).toBe(0);
    type(field, 'H');
    expect(h.transport.typingNotifications).toBe(1);
    type(field, 'He');
    expect(h.transport.typingNotifications).toBe(2);
    type(field, '');
    type(field, '   ');
    expect(h.transport.typingNotifications).toBe(2);
  });

  it('nothing is announced while the connection is down', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    act(() => h.transport.setConnectionState('connecting'));
    type(field, 'still typing');
    expect(h.transport.typingNotifications).toBe(0);
    expect(field.value).toBe('still typing');
  });
});

describe('while the connection is down', () => {
  it('a sent message is kept as waiting (not lost) and goes out once the connection is back', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    act(() => h.transport.setConnectionState('connecting'));
    type(field, 'typed offline');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(h.transport.sent).toHaveLength(0);
    expect(field.value).toBe('');
    expect(visitorMessages(h).map((m) => [m.body, m.delivery])).toEqual([['typed offline', 'queued']]);

    await act(async () => h.transport.setConnectionState('connected'));
    await waitFor(() => expect(h.transport.sent.map((m) => m.body)).toEqual(['typed offline']));
    expect(visitorMessages(h).map((m) => m.delivery)).toEqual(['sent']);
  });

  it('a send cut off by the connection (still reading "connected") waits for it, never "Not sent"', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    h.transport.dropDuringNextSend({ accepted: true });
    type(field, 'cut off');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(visitorMessages(h).map((m) => [m.body, m.delivery])).toEqual([['cut off', 'queued']]);
    expect(screen.queryByText('Not sent')).toBeNull();
    // Back: the history shows it made it, so it is not sent again.
    await act(async () => h.transport.restore());
    await waitFor(() => expect(visitorMessages(h).map((m) => m.delivery)).toEqual(['sent']));
    expect(h.transport.sent.map((m) => m.body)).toEqual(['cut off']);
  });

  it('a message the service refuses stays in the conversation to retry', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    type(field, 'important');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(h.transport.sent).toHaveLength(0);
    expect(visitorMessages(h).map((m) => [m.body, m.delivery])).toEqual([['important', 'failed']]);
  });
});

describe('files', () => {
  it('a chosen file shows as a draft and focus returns to the message field', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.getAttribute('aria-hidden')).toBe('true');
    expect(input.tabIndex).toBe(-1);
    screen.getByRole('button', { name: 'Attach a file' }).focus();
    fireEvent.change(input, { target: { files: [file('photo.png', 'image/png')] } });
    expect(screen.getByText('photo.png')).toBeTruthy();
    expect(screen.getByText('2 KB')).toBeTruthy();
    expect(document.activeElement).toBe(field);
  });

  it('the picker allows several files only when the policy does', async () => {
    const single = await activeHarness();
    renderComposer(single);
    expect(document.querySelector<HTMLInputElement>('input[type=file]')!.multiple).toBe(false);
    cleanup();
    const several = await activeHarness({ config: { ...testConfig, attachments: { maxFiles: 3 } } });
    renderComposer(several);
    expect(document.querySelector<HTMLInputElement>('input[type=file]')!.multiple).toBe(true);
  });

  it('a refused file is explained in an alert, which clears when the message is sent', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    fireEvent.change(document.querySelector('input[type=file]')!, { target: { files: [file('tool.exe', 'application/x-msdownload')] } });
    expect(screen.getByRole('alert').textContent).toContain('tool.exe cannot be sent');
    type(field, 'never mind');
    await act(async () => {
      fireEvent.keyDown(field, { key: 'Enter' });
    });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('pasting a file takes over the paste; pasting text is left to the text area', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    expect(fireEvent.paste(field, { clipboardData: { files: [], types: ['text/plain'] } })).toBe(true);
    expect(fireEvent.paste(field, { clipboardData: { files: [file('shot.png', 'image/png')], types: ['Files'] } })).toBe(false);
    expect(screen.getByRole('button', { name: 'Remove shot.png' })).toBeTruthy();
  });

  it('with attachments turned off there is no Attach button and a pasted file is left alone', async () => {
    const h = await activeHarness({ config: { ...testConfig, attachments: { enabled: false } } });
    const { field } = renderComposer(h);
    expect(screen.queryByRole('button', { name: 'Attach a file' })).toBeNull();
    expect(document.querySelector('input[type=file]')).toBeNull();
    expect(fireEvent.paste(field, { clipboardData: { files: [file('shot.png', 'image/png')], types: ['Files'] } })).toBe(true);
    expect(h.controller.state.draftAttachments).toHaveLength(0);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('dropping files (useFileDrop)', () => {
  function DropZone({ onFiles, enabled = true }: { onFiles: (files: File[]) => void; enabled?: boolean }) {
    const drop = useFileDrop(onFiles, enabled);
    return (
      <div data-testid="zone" {...drop.handlers}>
        {drop.over ? <p>Drop here</p> : null}
        <ul data-testid="inner">
          <li data-testid="item">a message</li>
        </ul>
      </div>
    );
  }

  const filesDrag = (files: File[] = [file('report.pdf', 'application/pdf')]) => ({ types: ['Files'], files, dropEffect: 'none' });

  it('dragging files over the area allows the drop, as a copy', () => {
    render(<DropZone onFiles={vi.fn()} />);
    const dataTransfer = filesDrag();
    // Without preventDefault on dragover the browser refuses the drop (or opens the file itself).
    expect(fireEvent.dragOver(screen.getByTestId('zone'), { dataTransfer })).toBe(false);
    expect(dataTransfer.dropEffect).toBe('copy');
  });

  it('dragging text (not files) is left to the browser and shows no hint', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByTestId('zone');
    const dataTransfer = { types: ['text/plain'], files: [], dropEffect: 'none' };
    expect(fireEvent.dragEnter(zone, { dataTransfer })).toBe(true);
    expect(fireEvent.dragOver(zone, { dataTransfer })).toBe(true);
    expect(dataTransfer.dropEffect).toBe('none');
    expect(screen.queryByText('Drop here')).toBeNull();
    expect(fireEvent.drop(zone, { dataTransfer })).toBe(true);
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('the hint stays while the pointer crosses inner elements and goes when it leaves the area', () => {
    render(<DropZone onFiles={vi.fn()} />);
    const zone = screen.getByTestId('zone');
    const dataTransfer = filesDrag();
    // The browser fires dragenter on the element entered before dragleave on the one left.
    fireEvent.dragEnter(zone, { dataTransfer });
    fireEvent.dragEnter(screen.getByTestId('inner'), { dataTransfer });
    fireEvent.dragLeave(zone, { dataTransfer });
    fireEvent.dragEnter(screen.getByTestId('item'), { dataTransfer });
    fireEvent.dragLeave(screen.getByTestId('inner'), { dataTransfer });
    expect(screen.getByText('Drop here')).toBeTruthy();
    fireEvent.dragLeave(screen.getByTestId('item'), { dataTransfer });
    expect(screen.queryByText('Drop here')).toBeNull();
    // A stray extra dragleave must not push the count below zero (the next drag's hint would then never go).
    fireEvent.dragLeave(zone, { dataTransfer });
    fireEvent.dragEnter(zone, { dataTransfer });
    expect(screen.getByText('Drop here')).toBeTruthy();
    fireEvent.dragLeave(zone, { dataTransfer });
    expect(screen.queryByText('Drop here')).toBeNull();
  });

  it('dropping hands over the files and removes the hint', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} />);
    const zone = screen.getByTestId('zone');
    const dropped = [file('a.pdf', 'application/pdf'), file('b.txt', 'text/plain')];
    const dataTransfer = filesDrag(dropped);
    fireEvent.dragEnter(zone, { dataTransfer });
    fireEvent.dragEnter(screen.getByTestId('item'), { dataTransfer });
    expect(fireEvent.drop(screen.getByTestId('item'), { dataTransfer })).toBe(false);
    expect(onFiles).toHaveBeenCalledWith(dropped);
    expect(screen.queryByText('Drop here')).toBeNull();
    // The count was reset by the drop: the next drag shows the hint and its leave hides it.
    fireEvent.dragEnter(zone, { dataTransfer });
    fireEvent.dragLeave(zone, { dataTransfer });
    expect(screen.queryByText('Drop here')).toBeNull();
  });

  it('when dropping is turned off, a dragged file shows no hint and the drop is not taken', () => {
    const onFiles = vi.fn();
    render(<DropZone onFiles={onFiles} enabled={false} />);
    const zone = screen.getByTestId('zone');
    const dataTransfer = filesDrag();
    expect(fireEvent.dragEnter(zone, { dataTransfer })).toBe(true);
    expect(fireEvent.dragOver(zone, { dataTransfer })).toBe(true);
    expect(screen.queryByText('Drop here')).toBeNull();
    expect(fireEvent.drop(zone, { dataTransfer })).toBe(true);
    expect(onFiles).not.toHaveBeenCalled();
  });

  it('turning dropping off in the middle of a drag hides the hint', () => {
    const { rerender } = render(<DropZone onFiles={vi.fn()} />);
    fireEvent.dragEnter(screen.getByTestId('zone'), { dataTransfer: filesDrag() });
    expect(screen.getByText('Drop here')).toBeTruthy();
    rerender(<DropZone onFiles={vi.fn()} enabled={false} />);
    expect(screen.queryByText('Drop here')).toBeNull();
  });
});

describe('message length', () => {
  // The deployment's limit (config messages.maxLength), from the deployment config as the widget reads it.
  const limited = () => activeHarness({ config: { ...testConfig, messages: { maxLength: 100 } } });

  it('counts down from 90 % of the limit; the count is read with the field', async () => {
    const h = await limited();
    const { field } = renderComposer(h);
    type(field, 'x'.repeat(89));
    expect(field.hasAttribute('aria-describedby')).toBe(false);
    type(field, 'x'.repeat(95));
    const counter = document.getElementById(field.getAttribute('aria-describedby')!);
    expect(counter?.textContent).toBe('5 characters left');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('past the limit: one alert says why, Send and Enter do nothing, and the text stays to be shortened', async () => {
    const h = await limited();
    const { field } = renderComposer(h);
    const long = `${'y'.repeat(103)}  `; // trailing spaces are not sent, so they do not count
    type(field, long);
    expect(screen.getByRole('alert').textContent).toBe('Messages can be at most 100 characters long. Shorten this one or send it in parts.');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)?.textContent).toBe('3 characters too many');
    const sendButton = screen.getByRole('button', { name: 'Send' });
    expect(sendButton.getAttribute('aria-disabled')).toBe('true');

    await act(async () => {
      pressed(field, { key: 'Enter' });
      fireEvent.click(sendButton);
    });
    expect(h.transport.sent).toEqual([]);
    expect(visitorMessages(h)).toEqual([]);
    expect(field.value).toBe(long);

    type(field, 'y'.repeat(100));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(field.hasAttribute('aria-invalid')).toBe(false);
    await act(async () => {
      pressed(field, { key: 'Enter' });
    });
    expect(h.transport.sent.map((m) => m.body)).toEqual(['y'.repeat(100)]);
  });

  it('Twilio’s documented 1,600 characters is the default limit', async () => {
    const h = await activeHarness();
    const { field } = renderComposer(h);
    type(field, 'z'.repeat(1601));
    expect(screen.getByRole('alert').textContent).toContain('1600');
    type(field, 'z'.repeat(1600));
    await act(async () => {
      pressed(field, { key: 'Enter' });
    });
    expect(h.transport.sent).toHaveLength(1);
  });
});
