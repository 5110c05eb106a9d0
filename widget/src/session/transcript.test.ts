import { describe, expect, it } from 'vitest';
import { defaultStrings } from '../strings.ts';
import { addOutgoingMessage, mergeServerMessages, type ChatMessage } from './messages.ts';
import { addNotice } from './notices.ts';
import { buildTranscript, transcriptFileName } from './transcript.ts';

const t = (h: number, m: number, day = 1) => Date.UTC(2025, 0, day, h, m);

function conversation(): readonly ChatMessage[] {
  let messages = mergeServerMessages([], [
    { sid: 'IM1', index: 0, author: 'agent-1', role: 'agent', authorName: 'Ana', body: 'Hello!\nHow can I help?', createdAt: t(9, 0) },
    {
      sid: 'IM2',
      index: 1,
      author: 'me',
      role: 'visitor',
      body: 'Here is my invoice',
      createdAt: t(9, 1),
      attachments: [{ sid: 'ME1', filename: 'invoice march.pdf', contentType: 'application/pdf', size: 123_456 }],
    },
    { sid: 'IM3', index: 2, author: 'agent-1', role: 'agent', authorName: 'Ana', body: 'Thanks \u0007<b>', createdAt: t(10, 0, 2) },
  ]);
  messages = addNotice(messages, 'Ana left the chat', t(10, 5, 2), { kind: 'left', identity: 'agent-1' });
  // Never sent: not part of the transcript.
  messages = addOutgoingMessage(messages, { clientMessageId: 'c1', author: 'me', authorName: null, body: 'unsent', createdAt: t(10, 6, 2) });
  return messages;
}

const options = {
  strings: defaultStrings,
  locale: 'en-GB',
  timeZone: 'UTC',
  title: 'Acme support',
  authorName: (m: ChatMessage) => (m.role === 'visitor' ? 'You' : (m.authorName ?? 'Agent')),
  formatSize: (bytes: number) => `${Math.round(bytes / 1024)} KB`,
};

// Day headings come from Intl (exact punctuation depends on the ICU data).
const day = (ms: number) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'full', timeZone: 'UTC' }).format(ms);

describe('transcript', () => {
  it('is plain text: title, day headings, times, authors, multi-line bodies, attachments and notices', () => {
    expect(buildTranscript(conversation(), options)).toBe(
      [
        'Chat transcript: Acme support',
        '',
        `— ${day(t(9, 0))} —`,
        '',
        '[09:00] Ana: Hello!',
        '            How can I help?',
        '[09:01] You: Here is my invoice',
        '            Attachment: invoice march.pdf (121 KB)',
        '',
        `— ${day(t(10, 0, 2))} —`,
        '',
        '[10:00] Ana: Thanks <b>',
        '[10:05] * Ana left the chat',
        '',
      ].join('\n'),
    );
  });

  it('leaves out messages that were never sent and strips control characters', () => {
    const text = buildTranscript(conversation(), options);
    expect(text).not.toContain('unsent');
    expect(text).not.toContain('\u0007');
  });

  it('a file sent with a text (two messages, Flex takes one or the other) stays under that text', () => {
    const messages = mergeServerMessages([], [
      { sid: 'IM1', index: 0, author: 'me', role: 'visitor', body: 'Here is my invoice', createdAt: t(9, 1), clientMessageId: 'c1' },
      {
        sid: 'IM2',
        index: 1,
        author: 'me',
        role: 'visitor',
        body: '',
        createdAt: t(9, 2),
        clientMessageId: 'c2',
        partOf: 'c1',
        attachments: [{ sid: 'ME1', filename: 'invoice.pdf', contentType: 'application/pdf', size: 2048 }],
      },
      // A file on its own (no partOf) gets its own head.
      { sid: 'IM3', index: 2, author: 'me', role: 'visitor', body: '', createdAt: t(9, 3), clientMessageId: 'c3', attachments: [{ sid: 'ME2', filename: 'b.png', contentType: 'image/png', size: 1024 }] },
    ]);
    expect(buildTranscript(messages, options).split('\n').slice(4, 8)).toEqual([
      '[09:01] You: Here is my invoice',
      '            Attachment: invoice.pdf (2 KB)',
      '[09:03] You: ',
      '            Attachment: b.png (1 KB)',
    ]);
  });

  it('names attachments without a file name', () => {
    const messages = mergeServerMessages([], [
      { sid: 'IM9', index: 0, author: 'a', role: 'agent', body: '', createdAt: t(9, 0), attachments: [{ sid: 'ME9', filename: null, contentType: 'image/png', size: 2048 }] },
    ]);
    expect(buildTranscript(messages, options)).toContain('Attachment: file (2 KB)');
  });

  it('file names are dated and safe', () => {
    expect(transcriptFileName('chat-transcript', t(9, 0))).toBe('chat-transcript-2025-01-01.txt');
    expect(transcriptFileName('Transcrição / chat', t(9, 0))).toBe('Transcrição-chat-2025-01-01.txt');
    expect(transcriptFileName('///', t(9, 0))).toBe('transcript-2025-01-01.txt');
  });
});
