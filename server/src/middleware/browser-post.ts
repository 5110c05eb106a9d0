// What every browser POST passes before its route runs, in this order: an
// allowed Origin, then the rate limits (so pages on other origins cannot spend
// this deployment's budget), then a JSON content type and the body size limit.
// The parsed body ends up in c.var.body.
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { clientIp } from '../client-ip.ts';
import { HttpError } from '../http-error.ts';
import { parseJson } from '../json.ts';
import type { Log } from '../log.ts';
import type { RateLimitedRoute, RateLimiter } from '../rate-limit.ts';
import type { TokenServiceEnv } from './types.ts';

export interface BrowserPostOptions {
  allowedOrigins: ReadonlySet<string>;
  rateLimiter: RateLimiter;
  /** The peer address as the runtime reports it (undefined: unknown). */
  remoteAddress: (c: Context<TokenServiceEnv>) => string | undefined;
  trustProxyHops: number;
  maxBodyBytes: number;
  log: Log;
}

export function requireAllowedOrigin(allowed: ReadonlySet<string>): MiddlewareHandler<TokenServiceEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || !allowed.has(origin)) {
      throw new HttpError(
        'origin_not_allowed',
        origin === undefined ? 'Requests must come from an allowed origin (no Origin header)' : 'This origin may not call the token service',
      );
    }
    await next();
  };
}

export function browserPost(route: RateLimitedRoute, options: BrowserPostOptions): MiddlewareHandler<TokenServiceEnv> {
  const limit: MiddlewareHandler<TokenServiceEnv> = async (c, next) => {
    const ip = clientIp(c.req.raw.headers, { remoteAddress: options.remoteAddress(c) }, options.trustProxyHops);
    const decision = await options.rateLimiter.check(route, ip);
    if (!decision.allowed) {
      options.log({ level: 'warn', msg: 'rate_limited', requestId: c.var.requestId, route, scope: decision.scope });
      const seconds = decision.retryAfterSeconds;
      throw new HttpError('rate_limited', `Too many requests; try again in ${seconds} second${seconds === 1 ? '' : 's'}`, {
        // Retry-After is not a CORS-safelisted response header: expose it to the widget.
        headers: { 'retry-after': String(seconds), 'access-control-expose-headers': 'retry-after' },
      });
    }
    await next();
  };
  const json: MiddlewareHandler<TokenServiceEnv> = async (c, next) => {
    const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') throw new HttpError('unsupported_media_type', 'Content-Type must be application/json');
    await next();
  };
  const size = bodyLimit({
    maxSize: options.maxBodyBytes,
    onError: () => {
      throw new HttpError('payload_too_large', `Request body must be at most ${options.maxBodyBytes} bytes`);
    },
  });
  const parse: MiddlewareHandler<TokenServiceEnv> = async (c, next) => {
    let bytes: ArrayBuffer;
    try {
      bytes = await c.req.arrayBuffer();
    } catch {
      throw new HttpError('invalid_body', 'The request body could not be read');
    }
    c.set('body', parseJson(new Uint8Array(bytes)));
    await next();
  };
  return every(requireAllowedOrigin(options.allowedOrigins), limit, json, size, parse);
}
