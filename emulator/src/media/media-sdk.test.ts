import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { Message } from '@twilio/conversations';
import { connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';

// Attachments through the real SDK: upload to MCS, message with media, temporary download URL.

const it = emulatorTest();

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('media through the real SDK', () => {
  it('uploads a file, sends it in a message and downloads it through the temporary URL', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Fay' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await conversation.getMessages();
      const added = waitFor<Message>((resolve) => conversation.on('messageAdded', resolve), 'media message');
      await conversation.sendMessage({ contentType: 'image/png', filename: 'receipt.png', media: PNG });
      const message = await added;
      const [media] = message.attachedMedia ?? [];
      expect(media?.filename).toBe('receipt.png');
      expect(media?.contentType).toBe('image/png');
      expect(media?.size).toBe(PNG.length);
      const url = await media!.getContentTemporaryUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcs\/v1\/Services\/IS\w+\/Media\/ME\w+\/Content\?Expires=\d+&Signature=/);
      const download = await fetch(url as string);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
      const tampered = await fetch((url as string).replace(/Signature=.*/, 'Signature=forged'));
      expect(tampered.status).toBe(403);
    } finally {
      await client.shutdown();
    }
  });

  it('accepts mp3 under every MIME name and rejects what Flex web chat does not allow', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Gus' });
    const token = mintToken(emulator, chat.identity);
    const upload = (contentType: string, filename: string, bytes: Buffer) =>
      fetch(`${emulator.url}/mcs/v1/Services/${emulator.credentials.conversationsServiceSid}/Media?Filename=${encodeURIComponent(filename)}`, {
        method: 'POST',
        headers: { 'X-Twilio-Token': token, 'Content-Type': contentType },
        body: new Uint8Array(bytes),
      });
    for (const type of ['audio/mpeg', 'audio/mp3', 'audio/mpga']) {
      expect((await upload(type, 'voice.mp3', Buffer.from('ID3'))).status).toBe(201);
    }
    const exe = await upload('application/octet-stream', 'tool.exe', Buffer.from('MZ'));
    expect(exe.status).toBe(415);
    expect(await exe.json()).toMatchObject({ code: 50511, status: 415 });
    const mismatch = await upload('application/pdf', 'photo.png', Buffer.from('%PDF'));
    expect([mismatch.status, (await mismatch.json()).code]).toEqual([415, 50511]);
    // Flex documents 16,777,216 bytes for a web attachment: one byte more is refused.
    const tooBig = await upload('text/plain', 'big.txt', Buffer.alloc(16 * 1024 * 1024 + 1, 97));
    expect([tooBig.status, (await tooBig.json()).code]).toEqual([413, 50512]);
    const form = (parts: Array<[string, Blob, string]>) => {
      const body = new FormData();
      for (const [field, blob, filename] of parts) body.append(field, blob, filename);
      return fetch(`${emulator.url}/mcs/v1/Services/${emulator.credentials.conversationsServiceSid}/Media`, { method: 'POST', headers: { 'X-Twilio-Token': token }, body });
    };
    // twilio-chat's FormData upload: the part names the file and its type.
    const multipart = await form([['file', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), 'receipt.pdf']]);
    expect(multipart.status).toBe(201);
    expect(await multipart.json()).toMatchObject({ filename: 'receipt.pdf', content_type: 'application/pdf', size: 8, author: chat.identity });
    expect((await form([['file', new Blob(['MZ'], { type: 'application/octet-stream' }), 'tool.exe']])).status).toBe(415);
    const two = await form([
      ['file', new Blob(['a'], { type: 'text/plain' }), 'a.txt'],
      ['file', new Blob(['b'], { type: 'text/plain' }), 'b.txt'],
    ]);
    expect(two.status).toBe(400);
    const noToken = await fetch(`${emulator.url}/mcs/v1/Services/${emulator.credentials.conversationsServiceSid}/Media`, { method: 'POST', body: 'x' });
    expect(noToken.status).toBe(401);
    const preflight = await fetch(`${emulator.url}/mcs/v1/Services/${emulator.credentials.conversationsServiceSid}/Media`, { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('X-Twilio-Token');
  });

  it('refuses text and a file in one message (Flex: text or a file), and takes them as two', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Hal' });
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      const before = (await conversation.getMessages()).items.length;
      const both = conversation.prepareMessage().setBody('Here is the receipt').addMedia({ contentType: 'image/png', filename: 'receipt.png', media: PNG }).build().send();
      // Twilsock's upstream error: the HTTP status and Twilio's error body.
      await expect(both).rejects.toMatchObject({ status: 400, body: { code: 20001 } });
      const added: Message[] = [];
      conversation.on('messageAdded', (message: Message) => added.push(message));
      await conversation.sendMessage('Here is the receipt');
      await conversation.sendMessage({ contentType: 'image/png', filename: 'receipt.png', media: PNG });
      await expect.poll(() => added.length).toBe(2);
      expect(added.map((m) => [m.body || '', m.attachedMedia?.map((media) => media.filename) ?? []])).toEqual([
        ['Here is the receipt', []],
        ['', ['receipt.png']],
      ]);
      expect((await conversation.getMessages()).items.length).toBe(before + 2);
    } finally {
      await client.shutdown();
    }
  });
});
