// GET /healthz (liveness): no upstream call, from any origin. Names the SDK
// mode init answers, so the widget preloads the right SDK while the form is filled in.
import { Hono } from 'hono';
import type { HealthResponse } from '../../../contracts/token-service.ts';
import type { AppContext } from '../app-context.ts';
import { jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';

export function healthzRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  const body: HealthResponse = { status: 'ok', mode: ctx.flow.responseMode };
  return new Hono<TokenServiceEnv>().get('/healthz', (c) => jsonResponse(c, 200, body));
}
