// GET /readyz (readiness): configuration and upstream checks, cached; 503 until
// the service has warmed up, or while a required check fails; `degraded`
// (still 200) while only Redis is down.
import { Hono } from 'hono';
import type { ReadinessResponse } from '../../../contracts/token-service.ts';
import type { AppContext } from '../app-context.ts';
import { jsonResponse } from '../json.ts';
import type { TokenServiceEnv } from '../middleware/types.ts';

export function readyzRoute(ctx: AppContext): Hono<TokenServiceEnv> {
  return new Hono<TokenServiceEnv>().get('/readyz', async (c) => {
    const { ready, degraded, checks } = await ctx.readiness();
    const body: ReadinessResponse = { status: !ready ? 'not_ready' : degraded ? 'degraded' : 'ready', mode: ctx.config.mode, checks };
    return jsonResponse(c, ready ? 200 : 503, body);
  });
}
