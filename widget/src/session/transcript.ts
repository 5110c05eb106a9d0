// The conversation as plain text (the ended screen's "Download transcript").
// Pure: the UI wraps the string in a text/plain Blob; nothing here is HTML.
// Only the ended panel uses it, so it lives in the chat view's chunk.
import { format, type Strings } from '../strings.ts';
import { formatBytes } from './attachments.ts';
import type { ChatMessage } from './messages.ts';
import type { SessionController } from './session-controller.ts';

export interface TranscriptOptions {
  strings: Strings;
  locale: string;
  /** First line of the file. */
  title: string;
  authorName: (message: ChatMessage) => string;
  formatSize: (bytes: number) => string;
  /** Time zone for times and dates (default: the browser's). */
  timeZone?: string;
}

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(locale, options);
  } catch {
    return new Intl.DateTimeFormat('en', options);
  }
}

/** Control characters other than line breaks and tabs could garble a text viewer: drop them. */
function clean(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
}

/** Messages that were actually exchanged: no failed or unsent ones. */
function delivered(message: ChatMessage): boolean {
  return message.delivery === null || message.delivery === 'sent';
}

export function buildTranscript(messages: readonly ChatMessage[], options: TranscriptOptions): string {
  const zone = options.timeZone !== undefined ? { timeZone: options.timeZone } : {};
  const day = formatter(options.locale, { dateStyle: 'full', ...zone });
  const time = formatter(options.locale, { hour: '2-digit', minute: '2-digit', ...zone });
  const lines: string[] = [`${options.strings.transcriptTitle}: ${clean(options.title)}`];
  let lastDay = '';
  /** The clientMessageId of the last message written with its head, and that head's indent. */
  let group: { id: string | null; indent: string } = { id: null, indent: '' };
  for (const message of messages) {
    if (!delivered(message)) continue;
    const date = new Date(message.createdAt);
    const dayText = day.format(date);
    if (dayText !== lastDay) {
      lines.push('', `— ${dayText} —`, '');
      lastDay = dayText;
    }
    const stamp = `[${time.format(date)}]`;
    if (message.role === 'system') {
      lines.push(`${stamp} * ${clean(message.body)}`);
      group = { id: null, indent: '' };
      continue;
    }
    const body = clean(message.body).split(/\r\n|\r|\n/);
    let indent: string;
    if (message.partOf !== null && message.partOf === group.id) {
      // A file sent with the text above: it goes under that text, without a head of its own.
      indent = group.indent;
      for (const line of message.body === '' ? [] : body) lines.push(indent + line);
    } else {
      const head = `${stamp} ${clean(options.authorName(message))}: `;
      lines.push(head + (body[0] ?? ''));
      indent = ' '.repeat(Math.min(head.length, 12));
      for (const line of body.slice(1)) lines.push(indent + line);
      group = { id: message.clientMessageId, indent };
    }
    for (const attachment of message.attachments) {
      const name = clean(attachment.filename ?? options.strings.attachmentFallbackName);
      lines.push(indent + format(options.strings.transcriptAttachment, { name, size: options.formatSize(attachment.size) }));
    }
  }
  return lines.join('\n') + '\n';
}

/** The session's conversation as `buildTranscript` writes it: its names, language and texts. */
export function sessionTranscript(session: Pick<SessionController, 'state' | 'strings' | 'authorLabel'>): string {
  const { messages, locale } = session.state;
  return buildTranscript(messages, {
    strings: session.strings,
    locale,
    title: session.strings.title,
    authorName: (m) => session.authorLabel(m),
    formatSize: (bytes) => formatBytes(bytes, locale),
  });
}

/** A file name such as "chat-transcript-2025-01-01.txt" (dates in UTC, filename-safe). */
export function transcriptFileName(base: string, nowMs: number): string {
  const safe = base.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '') || 'transcript';
  return `${safe}-${new Date(nowMs).toISOString().slice(0, 10)}.txt`;
}
