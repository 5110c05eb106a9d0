// Files through the controller: selection, validation messages, sending
// (with the canonical MIME type), progress, offline queueing and downloads.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { activeHarness, exchanged, fillValidForm, harness, stubObjectUrls, testFile } from '../../testing/fixtures.ts';

beforeEach(stubObjectUrls);

const file = testFile;

describe('attachments', () => {
  it('accepted files join the draft (images with a preview); refused ones explain why', async () => {
    const h = await activeHarness();
    h.controller.addFiles([file('photo.png', 'image/png'), file('virus.exe', 'application/octet-stream')]);
    expect(h.controller.state.draftAttachments).toEqual([
      { id: 'cmid-1', filename: 'photo.png', contentType: 'image/png', size: 2048, previewUrl: 'blob:preview' },
    ]);
    expect(h.controller.state.attachmentErrors).toEqual([
      'virus.exe cannot be sent. Allowed file types: jpg, jpeg, png, amr, mp3, mp4, pdf, heic, txt, gif.',
    ]);
    h.controller.addFiles([file('second.pdf', 'application/pdf')]);
    expect(h.controller.state.attachmentErrors).toEqual(['You can attach up to 1 file(s) per message.']);
    h.controller.addFiles([file('huge.mp4', 'video/mp4', 17 * 1024 * 1024)]);
    expect(h.controller.state.attachmentErrors).toEqual(['huge.mp4 is larger than 16 MB.']);
    h.controller.removeDraftAttachment('cmid-1');
    expect(h.controller.state.draftAttachments).toEqual([]);
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:preview');
  });

  it('sends the draft text, then the file in a message of its own marked as part of it (audio/mpeg for an "mpga" mp3)', async () => {
    const h = await activeHarness();
    h.controller.addFiles([file('voice.mp3', 'audio/mpga')]);
    h.controller.setDraft('Listen to this');
    await h.controller.send();
    expect(h.transport.sent).toEqual([
      { body: 'Listen to this', clientMessageId: 'cmid-2' },
      { body: '', clientMessageId: 'cmid-3', partOf: 'cmid-2', attachment: { filename: 'voice.mp3', contentType: 'audio/mpeg', size: 2048 } },
    ]);
    const [text, media] = exchanged(h);
    expect(text).toMatchObject({ delivery: 'sent', body: 'Listen to this', attachments: [], partOf: null });
    expect(media).toMatchObject({ delivery: 'sent', body: '', partOf: 'cmid-2' });
    expect(media?.attachments).toEqual([{ sid: expect.stringMatching(/^ME/), filename: 'voice.mp3', contentType: 'audio/mpeg', size: 2048, previewUrl: null }]);
    expect(h.controller.state.draftAttachments).toEqual([]);
    expect(h.controller.state.draft).toBe('');
  });

  it('a file alone is a message too; several files go in one message each (Twilio allows one)', async () => {
    const h = await activeHarness({ controller: { options: { attachments: { enabled: true, maxFiles: 3, maxFileSize: 1e6, extensions: ['png', 'pdf'] } } } });
    h.controller.addFiles([file('a.png', 'image/png'), file('b.pdf', 'application/pdf')]);
    h.controller.setDraft('two files');
    await h.controller.send();
    expect(h.transport.sent.map((m) => [m.body, m.attachment?.filename, m.partOf])).toEqual([
      ['two files', undefined, undefined],
      ['', 'a.png', 'cmid-3'],
      ['', 'b.pdf', 'cmid-3'],
    ]);
    h.controller.addFiles([file('c.png', 'image/png')]);
    await h.controller.send();
    expect(h.transport.sent.at(-1)).toMatchObject({ body: '', attachment: { filename: 'c.png' } });
    expect(h.transport.sent.at(-1)?.partOf).toBeUndefined();
  });

  it('text and file from one action: a refused file fails alone with its reason; Retry tries only the file', async () => {
    const h = await activeHarness({ transport: { maxFileSize: 1000 } });
    h.controller.addFiles([file('big.pdf', 'application/pdf')]);
    h.controller.setDraft('my invoice');
    await h.controller.send();
    expect(exchanged(h).map((m) => [m.body || m.attachments[0]?.filename, m.delivery, m.error])).toEqual([
      ['my invoice', 'sent', null],
      ['big.pdf', 'failed', 'file-too-large'],
    ]);
    await h.controller.retryMessage('cmid-3');
    expect(exchanged(h).map((m) => m.delivery)).toEqual(['sent', 'failed']);
    expect(h.transport.sent.map((m) => m.body || m.attachment?.filename)).toEqual(['my invoice']);
  });

  it('text and file from one action across a drop: what made it is not sent again, what is missing is', async () => {
    const h = await activeHarness();
    h.controller.addFiles([file('photo.jpg', 'image/jpeg')]);
    h.controller.setDraft('see photo');
    // The text is stored, then the socket drops before the file goes.
    h.transport.dropDuringNextSend({ accepted: true });
    await h.controller.send();
    expect(exchanged(h).map((m) => m.delivery)).toEqual(['queued', 'queued']);
    h.transport.restore();
    await vi.waitFor(() => expect(exchanged(h).map((m) => m.delivery)).toEqual(['sent', 'sent']));
    expect(h.transport.sent.map((m) => [m.body, m.attachment?.filename, m.partOf])).toEqual([
      ['see photo', undefined, undefined],
      ['', 'photo.jpg', 'cmid-2'],
    ]);
  });

  it('the own image keeps its local preview after upload', async () => {
    const h = await activeHarness();
    h.controller.addFiles([file('photo.jpg', 'image/jpeg')]);
    await h.controller.send();
    expect(exchanged(h)[0]?.attachments[0]).toMatchObject({ sid: expect.stringMatching(/^ME/), previewUrl: 'blob:preview' });
    h.transport.closeConversation();
    expect(URL.revokeObjectURL).not.toHaveBeenCalled(); // still shown on the ended screen
    h.controller.restart();
    expect(URL.revokeObjectURL).toHaveBeenCalledWith('blob:preview'); // freed with the conversation
  });

  it('reports upload progress while sending, when the transport provides it', async () => {
    const h = await activeHarness();
    h.transport.uploadProgress = [0.25, 0.5];
    h.transport.holdSends();
    h.controller.addFiles([file('doc.pdf', 'application/pdf')]);
    const sending = h.controller.send();
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'sending', progress: 0.5 });
    h.transport.releaseSends();
    await sending;
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'sent', progress: null });
  });

  it('a file typed offline waits in the queue and is uploaded once after reconnecting; a failed one retries with its file', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    h.controller.addFiles([file('later.txt', 'text/plain')]);
    await h.controller.send();
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'queued' });
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(h.transport.sent.map((m) => m.attachment?.filename)).toEqual(['later.txt']));

    h.transport.failNextSend(new TransportError('rejected', 'Media refused', undefined, 'file-too-large'));
    h.controller.addFiles([file('again.txt', 'text/plain')]);
    await h.controller.send();
    expect(exchanged(h).at(-1)).toMatchObject({ delivery: 'failed', error: 'file-too-large' });
    await h.controller.retryMessage(exchanged(h).at(-1)!.clientMessageId!);
    expect(h.transport.sent.map((m) => m.attachment?.filename)).toEqual(['later.txt', 'again.txt']);
  });

  it('a disabled policy refuses files with a message', async () => {
    const h = await activeHarness({ controller: { options: { attachments: { enabled: false, maxFiles: 1, maxFileSize: 1, extensions: [] } } } });
    h.controller.addFiles([file('a.png', 'image/png')]);
    expect(h.controller.state.draftAttachments).toEqual([]);
    expect(h.controller.state.attachmentErrors).toEqual(['Files cannot be sent in this chat.']);
  });
});

describe('typing', () => {
  it('typing notifications pass through only while active', async () => {
    const h = harness();
    h.controller.start();
    h.controller.notifyTyping();
    expect(h.transport.typingNotifications).toBe(0);
    fillValidForm(h.controller);
    await h.controller.submitForm();
    h.controller.notifyTyping();
    expect(h.transport.typingNotifications).toBe(1);
  });
});
