// What every browser POST passes before its route runs, in this order: an
// allowed Origin, then the rate limits (so pages on other origins cannot spend
// this deployment's budget), then a JSON content type and the body size limit.
// The parsed body ends up in c.get('body').
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
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

const originRefused = (origin: string | undefined) =>
  new HttpError(
    'origin_not_allowed',
    origin === undefined ? 'Requests must come from an allowed origin (no Origin header)' : 'This origin may not call the token service',
  );

export function requireAllowedOrigin(allowed: ReadonlySet<string>): MiddlewareHandler<TokenServiceEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || !allowed.has(origin)) throw originRefused(origin);
    await next();
  };
}

/** A Content-Length header of digits only: its value; anything else (absent, malformed): undefined. */
function declaredLength(header: string | undefined): number | undefined {
  return header !== undefined && /^\d{1,15}$/.test(header) ? Number(header) : undefined;
}

/**
 * One middleware, not a chain of four (hono/combine's `every` builds a chain per request).
 * The body is read once: with a Content-Length (and no Transfer-Encoding), the declared size
 * is checked before reading and the bytes read are checked again (a Fetch-standard runtime
 * may be handed a Request whose header and body disagree); a body of unknown length goes
 * through Hono's bodyLimit, which stops reading at the limit.
 */
export function browserPost(route: RateLimitedRoute, options: BrowserPostOptions): MiddlewareHandler<TokenServiceEnv> {
  const { allowedOrigins, rateLimiter, maxBodyBytes, log } = options;
  const tooLarge = () => new HttpError('payload_too_large', `Request body must be at most ${maxBodyBytes} bytes`);
  const streamedLimit = bodyLimit({
    maxSize: maxBodyBytes,
    onError: () => {
      throw tooLarge();
    },
  });
  const readBody = async (c: Context<TokenServiceEnv>): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await c.req.arrayBuffer());
    } catch {
      throw new HttpError('invalid_body', 'The request body could not be read');
    }
  };

  return async (c, next) => {
    const origin = c.req.header('origin');
    if (origin === undefined || !allowedOrigins.has(origin)) throw originRefused(origin);

    const ip = clientIp(c.req.raw.headers, { remoteAddress: options.remoteAddress(c) }, options.trustProxyHops);
    const decision = await rateLimiter.check(route, ip);
    if (!decision.allowed) {
      log({ level: 'warn', msg: 'rate_limited', requestId: c.get('requestId'), route, scope: decision.scope });
      const seconds = decision.retryAfterSeconds;
      throw new HttpError('rate_limited', `Too many requests; try again in ${seconds} second${seconds === 1 ? '' : 's'}`, {
        // Retry-After is not a CORS-safelisted response header: expose it to the widget.
        headers: { 'retry-after': String(seconds), 'access-control-expose-headers': 'retry-after' },
      });
    }

    const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') throw new HttpError('unsupported_media_type', 'Content-Type must be application/json');

    const declared = c.req.header('transfer-encoding') === undefined ? declaredLength(c.req.header('content-length')) : undefined;
    let bytes: Uint8Array | undefined;
    if (declared !== undefined) {
      if (declared > maxBodyBytes) throw tooLarge();
      bytes = await readBody(c);
    } else {
      await streamedLimit(c, async () => {
        bytes = await readBody(c);
      });
    }
    if (bytes === undefined || bytes.byteLength > maxBodyBytes) throw tooLarge();
    c.set('body', parseJson(bytes));
    await next();
  };
}
