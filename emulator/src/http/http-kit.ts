import type { IncomingMessage, ServerResponse } from 'node:http';

// Just enough HTTP plumbing for the emulator: routing, bounded body reading,
// JSON answers and CORS for the browser-facing routes.

export interface HttpRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  params: Record<string, string>;
  rawBody: Buffer;
}

export interface HttpResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw bytes (media downloads); body is ignored when set. */
  bytes?: Buffer;
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

export interface RouteOptions {
  /** Largest request body this route accepts; the server default applies otherwise. */
  maxBodyBytes?: number;
}

interface Route {
  method: string;
  /** The path's leading literal text: a path without it cannot match the pattern (most routes are ruled out by this alone). */
  prefix: string;
  pattern: RegExp;
  keys: string[];
  handler: HttpHandler;
  options: RouteOptions;
}

export class HttpError extends Error {
  constructor(
    readonly response: HttpResponse,
  ) {
    super(`HTTP ${response.status}`);
  }
}

export class Router {
  private readonly routes: Route[] = [];

  /** Path patterns use :name segments, e.g. /agent/conversations/:sid/messages */
  add(method: string, path: string, handler: HttpHandler, options: RouteOptions = {}): this {
    const keys: string[] = [];
    const source = path.replace(/:([A-Za-z]+)/g, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    const prefix = /^[^:.*+?^${}()|[\]\\]*/.exec(path)?.[0] ?? '';
    this.routes.push({ method, prefix, pattern: new RegExp(`^${source}$`), keys, handler, options });
    return this;
  }

  match(method: string, pathname: string): { handler: HttpHandler; params: Record<string, string>; options: RouteOptions } | 'method-not-allowed' | 'bad-path' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      if (!pathname.startsWith(route.prefix)) continue;
      const match = route.pattern.exec(pathname);
      if (!match) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params: Record<string, string> = {};
      try {
        route.keys.forEach((key, i) => {
          params[key] = decodeURIComponent(match[i + 1] as string);
        });
      } catch {
        return 'bad-path';
      }
      return { handler: route.handler, params, options: route.options };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

/**
 * The request's body, or 'too-large' as soon as it passes the limit (the rest is read
 * and thrown away, so the answer can still reach the client). Listeners rather than an
 * async iterator: the iterator's promise per chunk and its end-of-stream watch cost
 * more than the rest of an agent API request's plumbing together.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        // Still flowing with no listener: what else arrives is dropped.
        finish();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      finish();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    };
    const onError = (error: Error) => {
      finish();
      reject(error);
    };
    const onClose = () => {
      finish();
      reject(Object.assign(new Error('The request closed before its body ended'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  // JSON goes as a string: Node then sends it in one write with the headers (a Buffer goes as a second piece).
  let payload: Buffer | string | undefined = response.bytes;
  if (!payload && response.body !== undefined) {
    payload = JSON.stringify(response.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(response.status, headers);
  res.end(payload);
}

export function jsonBody(request: HttpRequest): unknown {
  if (request.rawBody.length === 0) return undefined;
  try {
    return JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw new HttpError({ status: 400, body: { error: { code: 'invalid_json', message: 'Request body is not valid JSON' } } });
  }
}

export function formBody(request: HttpRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody.toString('utf8'));
}
