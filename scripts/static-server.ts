import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { headersForPath, type HeaderRule } from '../contracts/static-headers.ts';

// A small static file server for the local widget and demo origins.

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

export interface StaticServerOptions {
  root: string;
  port: number;
  host: string;
  /** Extra headers for HTML documents (CSP and friends). */
  documentHeaders?: Record<string, string>;
  /** Extra headers for the HTML document at one exact path (e.g. a strict CSP for one demo
   *  page); they win over documentHeaders. A `{nonce}` in a value is the response's nonce. */
  pageHeaders?: Record<string, Record<string, string>>;
  /** Client-side routed apps: a GET under one of these path prefixes (ending in "/") that
   *  matches no file is answered with that prefix's index.html. */
  spaPrefixes?: readonly string[];
  /** Per-path rules as a deployment serves them (caching, CORP): merged over the defaults,
   *  so the local origin caches what production caches (scripts/widget-origin-headers.ts). */
  headerRules?: readonly HeaderRule[];
}

/** HTML documents may carry this placeholder (in nonce="" attributes): each response
 *  replaces it with a fresh random nonce, the one `{nonce}` stands for in pageHeaders. */
export const NONCE_PLACEHOLDER = 'FLEXCHAT_CSP_NONCE';

/** Sets each header, replacing one of the same name in any letter case. */
function setHeaders(headers: Record<string, string | number>, extra: Record<string, string | number>): void {
  for (const [name, value] of Object.entries(extra)) {
    for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
    headers[name] = value;
  }
}

export async function startStaticServer(options: StaticServerOptions): Promise<{ url: string; server: Server }> {
  const root = resolve(options.root);
  // One failed request (a file removed while read, a client gone) is logged and answered, never thrown:
  // under `npm start` this process also runs the emulator and the token service.
  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      console.error(`static server: ${req.method} ${req.url} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal error');
    });
  });
  server.on('error', (error) => console.error(`static server error: ${error.message}`));

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      res.writeHead(400).end('Bad request');
      return;
    }
    const requested = pathname;
    if (pathname.endsWith('/')) pathname += 'index.html';
    let file = normalize(join(root, pathname));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    let info = await stat(file).catch(() => undefined);
    const spaPrefix = options.spaPrefixes?.find((prefix) => requested.startsWith(prefix));
    if (!info?.isFile() && spaPrefix !== undefined && extname(requested) === '') {
      pathname = `${spaPrefix}index.html`;
      file = normalize(join(root, pathname));
      info = await stat(file).catch(() => undefined);
    }
    if (!info?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string | number> = {
      'Content-Type': type,
      'Content-Length': info.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    };
    if (options.headerRules) setHeaders(headers, headersForPath(options.headerRules, requested));
    if (type.startsWith('text/html')) {
      // Documents are small: read them whole to give each response its own nonce.
      const nonce = randomBytes(16).toString('base64');
      const body = Buffer.from((await readFile(file, 'utf8')).replaceAll(NONCE_PLACEHOLDER, nonce));
      const forPage = options.pageHeaders?.[pathname] ?? options.pageHeaders?.[requested] ?? {};
      setHeaders(headers, { ...options.documentHeaders, ...forPage, 'Content-Length': body.length });
      for (const [name, value] of Object.entries(forPage)) headers[name] = value.replaceAll('{nonce}', nonce);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else {
      pipeline(createReadStream(file), res, (error) => {
        if (error && error.code !== 'ERR_STREAM_PREMATURE_CLOSE') console.error(`static server: reading ${file} failed: ${error.message}`);
      });
    }
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${options.host}:${port}`, server };
}
