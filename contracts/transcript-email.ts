// The transcript of a chat sent by e-mail at the visitor's request: the request,
// the record the webhook (locally: the emulator's transcript inbox) receives, and
// how the token service builds it from the conversation's own messages (never
// from text the browser sends). Plain data and functions; imports nothing but a sibling.
import { EMAIL_PATTERN, OFFLINE_MESSAGE_LIMITS } from './offline-message.ts';

/** POST /webchat/transcript body: the session credentials of /webchat/end, plus where to send it. */
export interface WebChatTranscriptRequest {
  token?: string;
  sessionProof?: string;
  identity: string;
  conversationSid: string;
  email: string;
}

/** POST /webchat/transcript 202 body. */
export interface WebChatTranscriptResponse {
  status: 'delivered';
  transcriptId: string;
  /** How many messages it holds. */
  messageCount: number;
}

/** One line of the transcript: who wrote it (the visitor or the team), when, what. */
export interface TranscriptLine {
  from: 'visitor' | 'agent';
  /** ISO 8601. */
  at: string;
  body: string;
  /** File names of attachments (never their content or URLs). */
  files?: string[];
}

/** What the webhook receives for a transcript (same signature header as offline messages). */
export interface TranscriptDelivery {
  type: 'transcript';
  id: string;
  receivedAt: string;
  email: string;
  conversationSid: string;
  lines: TranscriptLine[];
  /** The same as plain text, ready for an e-mail body. */
  text: string;
}

/** Most messages a transcript carries (the newest are kept; the text says so). */
export const MAX_TRANSCRIPT_MESSAGES = 1000;

const emailPattern = new RegExp(EMAIL_PATTERN);

/** The address a transcript may go to: the offline message's rule (same pattern, same length). */
export function isTranscriptEmail(value: unknown): value is string {
  return typeof value === 'string' && value.length <= OFFLINE_MESSAGE_LIMITS.email && emailPattern.test(value);
}

/** A conversation message as the Conversations REST API lists it (the parts a transcript uses). */
export interface TranscriptSourceMessage {
  author: string | null;
  body: string | null;
  dateCreated: string | Date | null;
  media?: ReadonlyArray<{ filename?: string | null }> | null;
}

/**
 * Lines from the conversation's messages, oldest first: the visitor's (author ===
 * identity) and everyone else's as the team's. Empty messages without files are dropped.
 */
export function transcriptLines(messages: readonly TranscriptSourceMessage[], visitorIdentity: string): TranscriptLine[] {
  const lines: TranscriptLine[] = [];
  for (const message of messages.slice(-MAX_TRANSCRIPT_MESSAGES)) {
    const files = (message.media ?? []).map((m) => m.filename ?? 'file').filter((name) => name !== '');
    const body = message.body ?? '';
    if (body === '' && files.length === 0) continue;
    const at = message.dateCreated instanceof Date ? message.dateCreated.toISOString() : (message.dateCreated ?? '');
    const line: TranscriptLine = { from: message.author === visitorIdentity ? 'visitor' : 'agent', at, body };
    if (files.length) line.files = files;
    lines.push(line);
  }
  return lines;
}

/** Plain text of the lines: "[2026-12-05 13:00 UTC] You: …" / "Support: …". */
export function transcriptText(lines: readonly TranscriptLine[], truncated: boolean): string {
  const out = lines.map((line) => {
    const when = line.at ? `[${line.at.slice(0, 16).replace('T', ' ')} UTC] ` : '';
    const who = line.from === 'visitor' ? 'You' : 'Support';
    const files = line.files?.length ? `${line.body ? ' ' : ''}(files: ${line.files.join(', ')})` : '';
    return `${when}${who}: ${line.body}${files}`;
  });
  if (truncated) out.unshift(`(Only the last ${MAX_TRANSCRIPT_MESSAGES} messages.)`);
  return out.join('\n');
}
