// POST /webchat/refresh: a fresh token and session proof for a session this
// service started, on the conversation its credentials were issued for only.
import { Hono } from 'hono';
import type { WebChatRefreshResponse } from '../../../contracts/token-service.ts';
import type { AppContext } from '../app-context.ts';
import { HttpError } from '../http-error.ts';
import { jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';
import { parseSessionBody } from '../session.ts';

export function refreshRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  return new Hono<TokenServiceEnv>().post('/webchat/refresh', ctx.browserPost('refresh'), async (c) => {
    const requestId = c.get('requestId');
    const input = parseSessionBody(c.get('body'), 'refresh', ctx.flow);
    if (input.identity === undefined) throw new HttpError('invalid_body', 'identity must be a non-empty string');
    const { identity, nowMs } = await ctx.verifySession(input, 'refresh', requestId);
    await ctx.flow.assertOpen(input.conversationSid, requestId);
    const { token, expiresAt } = ctx.mint(identity);
    const body: WebChatRefreshResponse = {
      token,
      identity,
      expiresAt: expiresAt.toISOString(),
      sessionProof: ctx.proofs.issue({ identity, conversationSid: input.conversationSid }, nowMs),
    };
    return jsonResponse(c, 200, body);
  });
}
