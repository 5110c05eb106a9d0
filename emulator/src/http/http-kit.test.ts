import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readBody, Router, writeResponse, type HttpResponse } from './http-kit.ts';

const ok = (): HttpResponse => ({ status: 200 });

describe('Router', () => {
  it('matches by method and path, decoding :params', () => {
    const router = new Router().add('GET', '/agent/conversations/:sid', ok).add('POST', '/agent/conversations/:sid/accept', ok);
    const found = router.match('POST', '/agent/conversations/CH%2F1/accept');
    expect(typeof found === 'object' && found.params).toEqual({ sid: 'CH/1' });
    expect(router.match('GET', '/agent/conversations/CH1/accept')).toBe('method-not-allowed');
    expect(router.match('GET', '/agent/conversation/CH1')).toBeUndefined();
    expect(router.match('GET', '/agent/conversations/%E0%A4%A')).toBe('bad-path');
  });

  it('takes the first route added when two match', () => {
    const first = ok;
    const second = ok.bind(null);
    const router = new Router().add('GET', '/v1/Things/:sid', first).add('GET', '/v1/Things/Special', second);
    const found = router.match('GET', '/v1/Things/Special');
    expect(typeof found === 'object' && found.handler).toBe(first);
  });

  it('still matches a path whose pattern text is not all literal (a dot matches any character, as it always has)', () => {
    const router = new Router().add('GET', '/files/report.json', ok);
    expect(typeof router.match('GET', '/files/report.json')).toBe('object');
    expect(typeof router.match('GET', '/files/reportXjson')).toBe('object');
    expect(router.match('GET', '/files/other.json')).toBeUndefined();
  });
});

describe('readBody and writeResponse', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
  });

  /** A server that reads each body with the given limit and reports what it got. */
  async function serve(limitBytes: number, seen: Array<Buffer | 'too-large' | Error>): Promise<number> {
    server = createServer((req: IncomingMessage, res) => {
      readBody(req, limitBytes).then(
        (body) => {
          seen.push(body);
          writeResponse(res, { status: 200, body: { bytes: body === 'too-large' ? -1 : body.length, text: 'Zoë 👋' } });
        },
        (error: Error) => {
          seen.push(error);
          res.destroy();
        },
      );
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  type Answer = { status: number; headers: Record<string, unknown>; text: string } | Error;

  /** Sends `chunks` as a chunked body; `end: false` stops sending and drops the request after 50 ms. */
  function post(port: number, chunks: string[], { end = true } = {}): Promise<Answer> {
    return send(port, { 'Transfer-Encoding': 'chunked' }, (req) => {
      for (const chunk of chunks) req.write(chunk);
      if (end) req.end();
      else setTimeout(() => req.destroy(), 50);
    });
  }

  function send(port: number, headers: Record<string, string>, write: (req: ReturnType<typeof httpRequest>) => void): Promise<Answer> {
    return new Promise((resolve) => {
      const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/', headers: { 'Content-Type': 'text/plain', ...headers } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      });
      req.on('error', (error) => resolve(error));
      write(req);
    });
  }

  it('reads a body sent in several chunks, and answers JSON with its length in bytes', async () => {
    const seen: Array<Buffer | 'too-large' | Error> = [];
    const port = await serve(1024, seen);
    const answer = await post(port, ['{"greet":', 'true}']);
    expect(seen.map((body) => (Buffer.isBuffer(body) ? body.toString('utf8') : body))).toEqual(['{"greet":true}']);
    if (answer instanceof Error) throw answer;
    expect(JSON.parse(answer.text)).toEqual({ bytes: 14, text: 'Zoë 👋' });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(answer.headers['content-length'])).toBe(Buffer.byteLength(answer.text));
    expect(Number(answer.headers['content-length'])).toBeGreaterThan(answer.text.length);
  });

  it('reads an empty body as no bytes', async () => {
    const seen: Array<Buffer | 'too-large' | Error> = [];
    const port = await serve(1024, seen);
    await post(port, []);
    expect(seen).toHaveLength(1);
    expect(Buffer.isBuffer(seen[0]) && seen[0].length).toBe(0);
  });

  it('says too-large for a body over the limit, and the request can still be answered', async () => {
    const seen: Array<Buffer | 'too-large' | Error> = [];
    const port = await serve(8, seen);
    const answer = await send(port, { 'Content-Length': '10' }, (req) => req.end('1234567890'));
    expect(seen).toEqual(['too-large']);
    if (answer instanceof Error) throw answer;
    expect(JSON.parse(answer.text)).toMatchObject({ bytes: -1 });
  });

  it('rejects when the client goes away before the body ends', async () => {
    const seen: Array<Buffer | 'too-large' | Error> = [];
    const port = await serve(1024, seen);
    await post(port, ['half a bo'], { end: false });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toBeInstanceOf(Error);
  });
});
