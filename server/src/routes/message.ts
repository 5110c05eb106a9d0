// POST /webchat/message: a message left outside business hours, handed to the
// webhook (locally: the emulator's inbox). Names no conversation.
import { Hono } from 'hono';
import type { WebChatMessageResponse } from '../../../contracts/token-service.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http-error.ts';
import { jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { DeliveryError, deliveryPayload, parseMessageBody } from '../offline-message.ts';

export function messageRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  const delivery = ctx.messageDelivery;
  if (delivery === null) {
    return new Hono<TokenServiceEnv>().post('/webchat/message', ctx.requireAllowedOrigin, () => {
      throw new HttpError('not_configured', 'Leaving a message is not set up on this token service (FLEXCHAT_MESSAGE_WEBHOOK_URL)');
    });
  }
  return new Hono<TokenServiceEnv>().post('/webchat/message', ctx.browserPost('message'), async (c) => {
    const requestId = c.get('requestId');
    const parsed = parseMessageBody(c.get('body'));
    if (!parsed.ok) throw new HttpError('invalid_body', parsed.problem.message, { field: parsed.problem.field });
    const payload = deliveryPayload(parsed.value, new Date(ctx.now()));
    try {
      await delivery(payload);
    } catch (failure) {
      const detail = failure instanceof DeliveryError ? { reason: failure.reason, status: failure.status } : { reason: 'unknown' };
      ctx.log({ level: 'error', msg: 'message_delivery_failed', requestId, messageId: payload.id, ...detail });
      throw new HttpError('delivery_failed', 'The message could not be delivered right now; try again shortly');
    }
    ctx.log({ level: 'info', msg: 'message_delivered', requestId, messageId: payload.id });
    const body: WebChatMessageResponse = { status: 'delivered', messageId: payload.id };
    return jsonResponse(c, 202, body);
  });
}
