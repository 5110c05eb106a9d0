// POST /webchat/end: the visitor ends their own chat. Verified like refresh;
// idempotent (already closed or gone answers { state: "closed" }).
import { Hono } from 'hono';
import type { WebChatEndResponse } from '../../../contracts/token-service.ts';
import type { AppContext } from '../app-context.ts';
import { jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { parseSessionBody } from '../session.ts';

export function endRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  return new Hono<TokenServiceEnv>().post('/webchat/end', ctx.browserPost('end'), async (c) => {
    const requestId = c.get('requestId');
    const input = parseSessionBody(c.get('body'), 'end', ctx.flow);
    await ctx.verifySession(input, 'end', requestId);
    const state = await ctx.flow.end(input.conversationSid, requestId);
    ctx.log({ level: 'info', msg: 'chat_ended', requestId, state });
    const body: WebChatEndResponse = { state };
    return jsonResponse(c, 200, body);
  });
}
