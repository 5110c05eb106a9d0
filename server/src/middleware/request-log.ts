// One structured line per request: method, path (never the query), status,
// duration, request id, origin and peer. Never bodies, tokens or secrets.
import type { Context, MiddlewareHandler } from 'hono';
import type { TokenServiceEnv } from './types.ts';

export interface RequestLogLine {
  time: string;
  level: 'info' | 'warn' | 'error';
  msg: 'request';
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytesIn: number;
  origin?: string;
  remote?: string;
}

export function requestLog(
  write: (line: RequestLogLine) => void,
  remoteAddress: (c: Context<TokenServiceEnv>) => string | undefined,
): MiddlewareHandler<TokenServiceEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const declared = Number(c.req.header('content-length'));
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      msg: 'request',
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path.slice(0, 200),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      bytesIn: Number.isSafeInteger(declared) && declared > 0 ? declared : 0,
    };
    const origin = c.req.header('origin');
    if (origin !== undefined) line.origin = origin.slice(0, 200);
    const remote = remoteAddress(c);
    if (remote !== undefined) line.remote = remote;
    write(line);
  };
}
