import { isTranscriptEmail, type TranscriptDelivery } from '../../../contracts/transcript-email.ts';
import { HttpError, jsonBody, type Router } from '../http/http-kit.ts';

// Transcripts visitors asked for by e-mail. In local mode the token service
// delivers them here when no webhook is configured (the "e-mail" goes nowhere
// else); the agent console lists them. In memory, newest last, forgotten by
// /faults/reset. Not a Twilio API: it stands in for the site owner's webhook.

export interface TranscriptInbox {
  readonly transcripts: readonly TranscriptDelivery[];
  clear(): void;
}

export const MAX_TRANSCRIPTS = 200;

const refuse = (message: string) => new HttpError({ status: 400, body: { error: { code: 'invalid_body', message } } });

function parseTranscript(input: unknown): TranscriptDelivery {
  const value = (input ?? {}) as Partial<TranscriptDelivery>;
  if (value.type !== 'transcript') throw refuse('type must be "transcript"');
  if (typeof value.id !== 'string' || value.id === '') throw refuse('id is required');
  if (!isTranscriptEmail(value.email)) throw refuse('email must be an e-mail address');
  if (typeof value.conversationSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(value.conversationSid)) throw refuse('conversationSid must be a CH… SID');
  if (!Array.isArray(value.lines) || typeof value.text !== 'string' || typeof value.receivedAt !== 'string') throw refuse('lines, text and receivedAt are required');
  return { type: 'transcript', id: value.id, receivedAt: value.receivedAt, email: value.email, conversationSid: value.conversationSid, lines: value.lines, text: value.text };
}

export function registerTranscriptInbox(router: Router): TranscriptInbox {
  let transcripts: TranscriptDelivery[] = [];
  router.add('GET', '/agent/transcripts', () => ({ status: 200, body: { transcripts } }));
  router.add('POST', '/agent/transcripts', (request) => {
    const transcript = parseTranscript(jsonBody(request));
    transcripts = [...transcripts, transcript].slice(-MAX_TRANSCRIPTS);
    return { status: 201, body: { transcript } };
  });
  return {
    get transcripts() {
      return transcripts;
    },
    clear() {
      transcripts = [];
    },
  };
}
