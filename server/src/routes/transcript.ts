// POST /webchat/transcript: the visitor asks for the chat's transcript by e-mail.
// Who may: only the visitor of that conversation, proven as for /webchat/end (the
// session proof, or our token plus Twilio's participant list). The service reads
// the conversation's messages itself (never text the browser sends), then hands
// the transcript to the message webhook (signed), locally to the emulator's
// transcript inbox; not configured: 501.
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import {
  isTranscriptEmail,
  MAX_TRANSCRIPT_MESSAGES,
  transcriptLines,
  transcriptText,
  type TranscriptDelivery,
  type WebChatTranscriptResponse,
} from '../../../contracts/transcript-email.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http-error.ts';
import { isPlainObject, jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { DeliveryError } from '../offline-message.ts';
import { parseSessionBody } from '../session.ts';

export function transcriptRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  const delivery = ctx.transcriptDelivery;
  if (delivery === null) {
    return new Hono<TokenServiceEnv>().post('/webchat/transcript', ctx.requireAllowedOrigin, () => {
      throw new HttpError('not_configured', 'Sending transcripts by e-mail is not set up on this token service (FLEXCHAT_MESSAGE_WEBHOOK_URL)');
    });
  }
  return new Hono<TokenServiceEnv>().post('/webchat/transcript', ctx.browserPost('transcript'), async (c) => {
    const requestId = c.get('requestId');
    const body = c.get('body');
    if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
    const { email: rawEmail, ...session } = body;
    const email = typeof rawEmail === 'string' ? rawEmail.trim() : rawEmail;
    if (!isTranscriptEmail(email)) throw new HttpError('invalid_body', 'email must be an e-mail address', { field: 'email' });
    const input = parseSessionBody(session, 'transcript', ctx.flow);
    const { identity } = await ctx.verifySession(input, 'transcript', requestId);

    // One more than the cap tells whether older messages were left out.
    const source = await ctx.flow.messages(input.conversationSid, MAX_TRANSCRIPT_MESSAGES + 1, requestId);
    const truncated = source.length > MAX_TRANSCRIPT_MESSAGES;
    const lines = transcriptLines(source, identity);
    if (lines.length === 0) throw new HttpError('invalid_body', 'This conversation has no messages to send');
    const payload: TranscriptDelivery = {
      type: 'transcript',
      id: randomUUID(),
      receivedAt: new Date(ctx.now()).toISOString(),
      email,
      conversationSid: input.conversationSid,
      lines,
      text: transcriptText(lines, truncated),
    };
    try {
      await delivery(payload);
    } catch (failure) {
      const detail = failure instanceof DeliveryError ? { reason: failure.reason, status: failure.status } : { reason: 'unknown' };
      ctx.log({ level: 'error', msg: 'transcript_delivery_failed', requestId, transcriptId: payload.id, ...detail });
      throw new HttpError('delivery_failed', 'The transcript could not be sent right now; try again shortly');
    }
    // Never the address or the text in the log.
    ctx.log({ level: 'info', msg: 'transcript_delivered', requestId, transcriptId: payload.id, messages: lines.length });
    const answer: WebChatTranscriptResponse = { status: 'delivered', transcriptId: payload.id, messageCount: lines.length };
    return jsonResponse(c, 202, answer);
  });
}
