import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { activeHarness, stubObjectUrls, testFile, type Harness } from '../testing/fixtures.ts';
import { App } from './App.tsx';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});
beforeEach(stubObjectUrls);

const file = testFile;

function renderChat(h: Harness) {
  render(<App controller={h.controller} />);
  return screen.getByRole('log', { name: 'Messages' });
}

describe('choosing files', () => {
  it('the Attach button opens a picker limited to allowed types; the chosen file shows as a removable draft', async () => {
    const h = await activeHarness();
    renderChat(h);
    const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
    expect(input.accept).toContain('.mp3');
    expect(input.accept).toContain('audio/mpga');
    const click = vi.spyOn(input, 'click').mockImplementation(() => {});
    fireEvent.click(screen.getByRole('button', { name: 'Attach a file' }));
    expect(click).toHaveBeenCalled();

    fireEvent.change(input, { target: { files: [file('photo.png', 'image/png')] } });
    const remove = screen.getByRole('button', { name: 'Remove photo.png' });
    expect(screen.getByText('photo.png')).toBeTruthy();
    expect(document.querySelector('.fc-draft-preview')?.getAttribute('src')).toBe('blob:preview');
    fireEvent.click(remove);
    expect(screen.queryByText('photo.png')).toBeNull();
  });

  it('pasting an image attaches it; pasting text does not', async () => {
    const h = await activeHarness();
    renderChat(h);
    const composer = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.paste(composer, { clipboardData: { files: [file('screenshot.png', 'image/png')], types: ['Files'] } });
    expect(h.controller.state.draftAttachments.map((d) => d.filename)).toEqual(['screenshot.png']);
    fireEvent.paste(composer, { clipboardData: { files: [], types: ['text/plain'] } });
    expect(h.controller.state.draftAttachments).toHaveLength(1);
  });

  it('dropping a file on the conversation attaches it, with a drop hint while dragging', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    const dataTransfer = { types: ['Files'], files: [file('report.pdf', 'application/pdf')], dropEffect: 'none' };
    fireEvent.dragEnter(log, { dataTransfer });
    expect(screen.getByText('Drop a file to attach it')).toBeTruthy();
    fireEvent.drop(log, { dataTransfer });
    expect(screen.queryByText('Drop a file to attach it')).toBeNull();
    expect(h.controller.state.draftAttachments.map((d) => d.filename)).toEqual(['report.pdf']);
  });

  it('refused files are announced as an alert', async () => {
    const h = await activeHarness();
    renderChat(h);
    fireEvent.change(document.querySelector('input[type=file]')!, { target: { files: [file('tool.exe', 'application/x-msdownload')] } });
    expect(screen.getByRole('alert').textContent).toContain('tool.exe cannot be sent');
  });

  it('a file can be sent without text, shows upload progress, then the file', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    fireEvent.change(document.querySelector('input[type=file]')!, { target: { files: [file('notes.txt', 'text/plain')] } });
    h.transport.holdSends();
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    });
    const uploading = within(log).getByRole('progressbar', { name: 'Uploading…' });
    expect(uploading.hasAttribute('value')).toBe(false); // indeterminate: the SDK reports no progress
    await act(async () => h.transport.releaseSends());
    expect(within(log).queryByRole('progressbar')).toBeNull();
    const sent = log.querySelector('[data-role="visitor"]')!;
    expect(sent.textContent).toContain('notes.txt');
    expect(sent.querySelector('.fc-bubble')).toBeNull(); // no empty text bubble
  });
});

describe('received files', () => {
  it('images are previewed from a temporary URL; other files download on request', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    const open = vi.spyOn(window, 'open').mockImplementation(() => ({}) as Window);
    await act(async () => {
      h.transport.pushAgentMessage('Here you go', 'agent-1', 'Ana', [{ filename: 'diagram.png', contentType: 'image/png', size: 3000 }]);
      h.transport.pushAgentMessage('', 'agent-1', 'Ana', [{ filename: 'manual.pdf', contentType: 'application/pdf', size: 2_500_000 }]);
    });
    const image = await within(log).findByRole('img', { name: 'diagram.png' });
    expect(image.getAttribute('src')).toMatch(/^https:\/\/media\.example\.test\/ME\d+\/diagram\.png$/);
    expect(within(log).getByText('2.4 MB')).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(log).getByRole('button', { name: 'Download manual.pdf' }));
    });
    expect(open).toHaveBeenCalledWith(expect.stringMatching(/manual\.pdf$/), '_blank', 'noopener,noreferrer');
  });

  it('an image whose temporary URL has expired asks for a fresh URL once, then shows a download button', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    let urls = 0;
    h.controller.mediaUrl = async () => `https://media.example.test/signed-${++urls}/photo.jpg`;
    await act(async () => {
      h.transport.pushAgentMessage('', 'agent-1', 'Ana', [{ filename: 'photo.jpg', contentType: 'image/jpeg', size: 4000 }]);
    });
    const first = await within(log).findByRole('img', { name: 'photo.jpg' });
    expect(first.getAttribute('src')).toBe('https://media.example.test/signed-1/photo.jpg');
    await act(async () => {
      fireEvent.error(first); // the signed URL expired while the chat was open
    });
    const second = await within(log).findByRole('img', { name: 'photo.jpg' });
    await vi.waitFor(() => expect(second.getAttribute('src')).toBe('https://media.example.test/signed-2/photo.jpg'));
    await act(async () => {
      fireEvent.error(second); // broken for good: no loop of refreshes
    });
    expect(urls).toBe(2);
  });

  it('when the browser blocks the new tab, the download falls back to a link click', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    vi.spyOn(window, 'open').mockImplementation(() => null);
    const clicked: Array<{ href: string; target: string; rel: string }> = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, target: this.target, rel: this.rel });
    });
    await act(async () => {
      h.transport.pushAgentMessage('', 'agent-1', 'Ana', [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 900 }]);
    });
    await act(async () => {
      fireEvent.click(within(log).getByRole('button', { name: 'Download invoice.pdf' }));
    });
    expect(clicked).toEqual([{ href: expect.stringMatching(/invoice\.pdf$/), target: '_blank', rel: 'noopener noreferrer' }]);
  });

  it('a file that cannot be fetched says so', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    await act(async () => {
      h.transport.pushAgentMessage('', 'agent-1', 'Ana', [{ filename: 'gone.pdf', contentType: 'application/pdf', size: 10 }]);
    });
    h.controller.mediaUrl = async () => null;
    await act(async () => {
      fireEvent.click(within(log).getByRole('button', { name: 'Download gone.pdf' }));
    });
    expect(within(log).getByRole('alert').textContent).toBe('This file cannot be downloaded right now.');
  });
});
