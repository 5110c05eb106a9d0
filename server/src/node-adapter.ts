// Serves any Fetch API handler on node:http: IncomingMessage → Request (body
// read with a streamed size limit), Response → ServerResponse, an x-request-id
// per request and one structured JSON log line per request (never bodies,
// query strings, tokens or secrets).
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadDeploymentConfig } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import { flowOf, loadTokenServiceConfig, type ChatFlow, type EnvInput, type TokenServiceMode } from './env.ts';
import { createTokenService, type FetchHandler, type TokenServiceDeps } from './handler.ts';

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

export interface ServeOptions {
  port: number;
  host?: string;
  /** Adapter-level body limit (bytes); larger requests get 413 without reaching the handler. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Receives one line per request. Default: JSON on stdout. */
  log?: (line: RequestLogLine) => void;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:4020 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_ADAPTER_MAX_BODY_BYTES = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

class AdapterError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const defaultLog = (line: RequestLogLine) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Reads the body, failing fast (before buffering more) once it exceeds `limit`. */
function readLimited(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () => new AdapterError(413, 'payload_too_large', `Request body must be at most ${limit} bytes`);
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onAbort);
    };
    function onData(chunk: Buffer) {
      total += chunk.byteLength;
      if (total > limit) {
        cleanup();
        reject(tooLarge());
      } else {
        chunks.push(chunk);
      }
    }
    function onEnd() {
      cleanup();
      resolve(Buffer.concat(chunks, total));
    }
    function onAbort() {
      cleanup();
      reject(new AdapterError(400, 'invalid_request', 'The request body could not be read'));
    }
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onAbort);
  });
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    // HTTP/2-style pseudo headers and hop-by-hop headers do not belong in a Request.
    if (name.startsWith(':')) continue;
    headers.append(name, raw[i + 1] ?? '');
  }
  return headers;
}

async function toRequest(req: IncomingMessage, requestId: string, limit: number): Promise<{ request: Request; bytesIn: number }> {
  const method = req.method ?? 'GET';
  const hostHeader = req.headers.host;
  const base = hostHeader && /^[A-Za-z0-9.\-:[\]]+$/.test(hostHeader) ? `http://${hostHeader}` : 'http://localhost';
  let url: URL;
  try {
    url = new URL(req.url ?? '/', base);
  } catch {
    throw new AdapterError(400, 'invalid_request', 'Malformed request target');
  }
  let headers: Headers;
  try {
    headers = toHeaders(req);
  } catch {
    throw new AdapterError(400, 'invalid_request', 'Malformed request headers');
  }
  headers.set('x-request-id', requestId);
  const hasBody = method !== 'GET' && method !== 'HEAD';
  const body = hasBody ? await readLimited(req, limit) : undefined;
  const init: RequestInit = { method, headers };
  if (body && body.byteLength > 0) init.body = new Uint8Array(body);
  return { request: new Request(url, init), bytesIn: body?.byteLength ?? 0 };
}

async function writeResponse(response: Response, res: ServerResponse, requestId: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  headers['x-request-id'] = requestId;
  res.writeHead(response.status, headers);
  if (!response.body) {
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) {
        await reader.cancel();
        return;
      }
      if (!res.write(value)) await once(res, 'drain');
    }
  } finally {
    reader.releaseLock();
  }
  res.end();
}

function sendAdapterError(res: ServerResponse, error: AdapterError, requestId: string): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  res.writeHead(error.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
    // The rest of an oversized body is not read: do not reuse this connection.
    connection: 'close',
  });
  res.end(body);
}

/** A node:http request listener that runs `handler`. */
export function createNodeListener(
  handler: FetchHandler,
  options: Pick<ServeOptions, 'maxBodyBytes' | 'log'> = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  const limit = options.maxBodyBytes ?? DEFAULT_ADAPTER_MAX_BODY_BYTES;
  const log = options.log ?? defaultLog;

  return (req, res) => {
    const started = performance.now();
    const incomingId = req.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    let bytesIn = 0;

    const run = async () => {
      try {
        const converted = await toRequest(req, requestId, limit);
        bytesIn = converted.bytesIn;
        const response = await handler(converted.request, { remoteAddress: req.socket.remoteAddress });
        await writeResponse(response, res, requestId);
      } catch (error) {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof AdapterError) {
          sendAdapterError(res, error, requestId);
          if (error.status === 413) req.resume(); // discard the rest so the client can read the 413
          return;
        }
        sendAdapterError(res, new AdapterError(500, 'internal_error', 'Something went wrong; try again shortly'), requestId);
      }
    };

    res.once('close', () => {
      const status = res.statusCode;
      const line: RequestLogLine = {
        time: new Date().toISOString(),
        level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
        msg: 'request',
        requestId,
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]?.slice(0, 200) ?? '',
        status,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        bytesIn,
      };
      const origin = req.headers.origin;
      if (typeof origin === 'string') line.origin = origin.slice(0, 200);
      if (req.socket.remoteAddress) line.remote = req.socket.remoteAddress;
      log(line);
    });

    void run();
  };
}

function urlOf(server: Server, host: string): string {
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return `http://${shownHost}:${port}`;
}

/** Serves `handler` on host:port (port 0 picks a free port). */
export async function serveFetchHandler(handler: FetchHandler, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer(createNodeListener(handler, options));
  server.listen(options.port, host);
  await once(server, 'listening');
  return {
    url: urlOf(server, host),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

export interface StartTokenServiceOptions {
  port: number;
  host?: string;
  /** Environment to read (default process.env). */
  env?: EnvInput;
  /** Deployment config (default: loadDeploymentConfig()). Supplies the form and the default allowed origin. */
  deployment?: DeploymentConfig;
  /** Test seams, passed to createTokenService. */
  deps?: TokenServiceDeps;
  log?: (line: RequestLogLine) => void;
}

/** Adapter limit; the handler enforces its own, smaller limit with a CORS-readable 413. */
export const TOKEN_SERVICE_ADAPTER_MAX_BODY_BYTES = 64 * 1024;

/** Validates env (throws EnvError listing every problem), then serves the token service. */
export async function startTokenService(options: StartTokenServiceOptions): Promise<RunningServer & { mode: TokenServiceMode; flow: ChatFlow }> {
  const env = options.env ?? process.env;
  const deployment = options.deployment ?? loadDeploymentConfig(env.FLEXCHAT_CONFIG || undefined);
  const config = loadTokenServiceConfig(env, { allowedOrigins: [deployment.widgetOrigin] });
  const service = createTokenService(config, { preEngagement: deployment.preEngagement, ...options.deps });
  const serveOptions: ServeOptions = { port: options.port, host: options.host ?? '127.0.0.1', maxBodyBytes: TOKEN_SERVICE_ADAPTER_MAX_BODY_BYTES };
  if (options.log) serveOptions.log = options.log;
  let server: RunningServer;
  try {
    server = await serveFetchHandler(service, serveOptions);
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    url: server.url,
    mode: config.mode,
    flow: flowOf(config),
    close: async () => {
      try {
        await server.close();
      } finally {
        await service.close();
      }
    },
  };
}
