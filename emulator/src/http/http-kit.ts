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
    this.routes.push({ method, pattern: new RegExp(`^${source}$`), keys, handler, options });
    return this;
  }

  match(method: string, pathname: string): { handler: HttpHandler; params: Record<string, string>; options: RouteOptions } | 'method-not-allowed' | 'bad-path' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
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

export async function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function writeResponse(res: ServerResponse, response: HttpResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer | undefined = response.bytes;
  if (!payload && response.body !== undefined) {
    payload = Buffer.from(JSON.stringify(response.body), 'utf8');
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  if (payload) headers['Content-Length'] = String(payload.length);
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
