// AWS Lambda behind API Gateway (HTTP API, payload format 2.0; REST API and ALB
// events work too) through Hono's adapter. The client address is the one API
// Gateway saw (requestContext.http.sourceIp), not a header the client wrote.
import { Hono } from 'hono';
import { getConnInfo, handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import type { TokenService } from '../app.ts';
import { composeTokenService, type ComposeOptions } from './compose.ts';

type LambdaBindings = { event: LambdaEvent; lambdaContext?: LambdaContext; requestContext: unknown };

/**
 * A named stage (not `$default`) puts `/<stage>` in front of every path of an
 * HTTP API; the routes are stage-agnostic, so it is taken off.
 */
function withoutStagePrefix(request: Request, event: LambdaEvent): Request {
  const stage = 'requestContext' in event && event.requestContext && 'stage' in event.requestContext ? event.requestContext.stage : undefined;
  if (typeof stage !== 'string' || stage === '' || stage === '$default' || !('rawPath' in event)) return request;
  const url = new URL(request.url);
  const prefix = `/${stage}`;
  if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return request;
  url.pathname = url.pathname.slice(prefix.length) || '/';
  return new Request(url, request);
}

/** A Lambda handler for an existing token service. */
export function lambdaHandlerFor(service: Pick<TokenService, 'fetch'>) {
  const app = new Hono<{ Bindings: LambdaBindings }>().all('*', (c) =>
    service.fetch(withoutStagePrefix(c.req.raw, c.env.event), { remoteAddress: getConnInfo(c as never).remote.address }),
  );
  return handle(app);
}

/** Builds the token service from `env` and the deployment, and its Lambda handler. */
export function createLambdaHandler(options: ComposeOptions) {
  const { service } = composeTokenService(options);
  return Object.assign(lambdaHandlerFor(service), { service });
}
