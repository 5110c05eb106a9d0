import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Agent as HttpAgent, createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeForm, LeanRequestClient, leanTarget } from './lean-request-client.ts';
import { describeUpstreamError } from './twilio-client.ts';

// The lean client against twilio's own RequestClient (axios): the same calls
// through the real helper library must reach the server identically and come
// back as the same results and errors.

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[];
let reply: (req: Seen) => { status: number; body: string; delayMs?: number };

beforeEach(async () => {
  seen = [];
  reply = () => ({ status: 200, body: '{}' });
  server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const entry: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
    seen.push(entry);
    const { status, body, delayMs } = reply(entry);
    const send = () => res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (delayMs) setTimeout(send, delayMs);
    else send();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  server.close();
  await once(server, 'close');
});

/** Sends twilio.com URLs to the test server (as EmulatorRequestClient does), through either client. */
class AxiosToServer extends twilio.RequestClient {
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: toServer(opts.uri) });
  }
}
class LeanToServer extends LeanRequestClient {
  override request<T>(opts: RequestClient.RequestOptions<T>) {
    return super.request<T>({ ...opts, uri: toServer(opts.uri) });
  }
}
const toServer = (uri: string) => {
  const url = new URL(uri);
  return `${base}${url.pathname}${url.search}`;
};

/** Both clients, through the helper library's own `client.request` (auth, User-Agent, Accept…). */
const clients = () => ({
  lean: twilio('AC' + '1'.repeat(32), 'the-auth-token', { httpClient: new LeanToServer({ timeout: 500 }) }),
  axios: twilio('AC' + '1'.repeat(32), 'the-auth-token', { httpClient: new AxiosToServer({ timeout: 500 }) }),
});

/** What reached the server, minus what differs by design: the connection, and axios asking for gzip. */
const comparable = (entry: Seen) => {
  const { host: _host, connection: _connection, 'accept-encoding': _encoding, ...headers } = entry.headers;
  return { method: entry.method, url: entry.url, headers, body: entry.body };
};

// The library's own form encoder (axios path): qs, as twilio resolves it.
const require = createRequire(import.meta.url);
const qs = require(require.resolve('qs', { paths: [require.resolve('twilio')] })) as { stringify(value: unknown, options: { arrayFormat: 'repeat' }): string };

describe('encodeForm', () => {
  it('writes forms byte for byte as the library (qs, arrayFormat repeat) does', () => {
    const forms: Array<Record<string, unknown>> = [
      { Body: 'Hello * ~ (there) + you! \'quoted\' 100% & more = #hash ?q /slash\\', Author: 'visitor-5f0c' },
      { PreEngagementData: JSON.stringify({ question: 'Où est ma commande ? 😀 李小龍', email: 'ada@example.com' }), 'Key With Space*': 'a\r\nb\tc' },
      { Lone: 'x\ud800y\udfffz', Pair: '\ud83d\ude00', Controls: '\u0000\u001f\u007f\u0080', Reserved: "-._~!$&'()*+,;=:@[]" },
      { Count: 3, Flag: true, Off: false, Zero: 0, Repeated: ['a b', 'c*d', 2, true], Empty: [] },
    ];
    for (const form of forms) expect(encodeForm(form)).toBe(qs.stringify(form, { arrayFormat: 'repeat' }));
  });

  it('leaves out undefined and null values, and refuses nested ones (the library path then takes the call)', () => {
    expect(encodeForm({ A: undefined, B: null, C: 'c' })).toBe('C=c');
    expect(encodeForm({ A: { nested: 1 } })).toBeUndefined();
    expect(encodeForm({ A: [1, { nested: 1 }] })).toBeUndefined();
    expect(encodeForm('not an object')).toBeUndefined();
    expect(encodeForm({})).toBe('');
  });
});

describe('LeanRequestClient', () => {
  it('sends a form POST exactly as the library does (repeated arrays, Basic auth, headers) and returns the parsed result', async () => {
    reply = () => ({ status: 201, body: JSON.stringify({ sid: 'IM1', body: 'héllo' }) });
    const results = [];
    for (const client of Object.values(clients())) {
      results.push(
        await client.request({
          method: 'post',
          uri: 'https://conversations.twilio.com/v1/Things',
          data: { Body: 'héllo & <ok>', Tags: ['a', 'b c'], Count: 3, Flag: false, Missing: undefined },
          params: { PageSize: 5, Status: ['x', 'y'] },
          headers: { 'X-Twilio-Webhook-Enabled': 'true' },
        }),
      );
    }
    const [lean, axios] = seen.map(comparable);
    expect(lean).toEqual(axios);
    expect(lean?.url).toBe('/v1/Things?PageSize=5&Status=x&Status=y');
    expect(new URLSearchParams(lean?.body).getAll('Tags')).toEqual(['a', 'b c']);
    expect(lean?.headers.authorization).toBe(`Basic ${Buffer.from(`AC${'1'.repeat(32)}:the-auth-token`).toString('base64')}`);
    expect(results.map((r) => r.statusCode)).toEqual([201, 201]);
    // The library parses text itself: both end up the same object.
    expect(results.map((r) => (typeof r.body === 'string' ? JSON.parse(r.body) : r.body))).toEqual([
      { sid: 'IM1', body: 'héllo' },
      { sid: 'IM1', body: 'héllo' },
    ]);
  });

  it('behaves like the library through its generated API: a fetch, a create, and a Twilio error as RestException', async () => {
    reply = (req) =>
      req.url.endsWith('/Services/IS404')
        ? { status: 404, body: JSON.stringify({ code: 20404, message: 'The requested resource was not found', status: 404 }) }
        : { status: req.method === 'POST' ? 201 : 200, body: JSON.stringify({ sid: 'IS' + '2'.repeat(32), friendly_name: 'svc' }) };
    const outcomes = [];
    for (const client of Object.values(clients())) {
      const fetched = await client.conversations.v1.services('IS' + '2'.repeat(32)).fetch();
      const created = await client.conversations.v1.services.create({ friendlyName: 'svc' });
      const failed = await client.conversations.v1
        .services('IS404')
        .fetch()
        .then(
          () => undefined,
          (error: unknown) => error,
        );
      outcomes.push({ fetched: [fetched.sid, fetched.friendlyName], created: created.sid, error: failed instanceof twilio.RestException ? [failed.status, failed.code, failed.message] : failed });
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]?.error).toEqual([404, 20404, 'The requested resource was not found']);
    const [lean, axios] = [seen.slice(0, 3).map(comparable), seen.slice(3).map(comparable)];
    expect(lean).toEqual(axios);
  });

  it('gives up after the timeout as axios does (ECONNABORTED), and reports a refused connection by its code', async () => {
    reply = () => ({ status: 200, body: '{}', delayMs: 2000 });
    const client = new LeanRequestClient({ timeout: 100 });
    const late = await client.request({ method: 'get', uri: `${base}/slow` }).catch((error: unknown) => error);
    expect(describeUpstreamError(late)).toEqual({ kind: 'network:ECONNABORTED' });
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const refused = await client.request({ method: 'get', uri: `http://127.0.0.1:${port}/x` }).catch((error: unknown) => error);
    expect(describeUpstreamError(refused)).toEqual({ kind: 'network:ECONNREFUSED' });
  });

  it('sends the header block node:http builds from a header object, Host included, in the same order', async () => {
    const raw: string[][] = [];
    server.on('request', (req: { rawHeaders: string[] }) => raw.push(req.rawHeaders));
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Connection: 'keep-alive', 'Content-Length': '3' };
    const client = new LeanRequestClient({ timeout: 500 });
    const target = leanTarget(new URL(base));
    await client.send(target, 'POST', '/x?y=1', headers, 'a=b');
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(`${base}/x?y=1`, { method: 'POST', headers, agent: new HttpAgent({ keepAlive: true }) }, (res) => res.resume().on('end', resolve));
      req.on('error', reject);
      req.end('a=b');
    });
    expect(raw).toHaveLength(2);
    expect(raw[0]).toEqual(raw[1]);
    expect(raw[0]?.slice(-2)).toEqual(['Host', `127.0.0.1:${target.port}`]);
    expect(seen.map((entry) => [entry.method, entry.url, entry.body])).toEqual([
      ['POST', '/x?y=1', 'a=b'],
      ['POST', '/x?y=1', 'a=b'],
    ]);
  });

  it('reuses one keep-alive connection for consecutive calls', async () => {
    const ports = new Set<number>();
    server.on('connection', (socket) => ports.add(socket.remotePort ?? 0));
    const client = new LeanRequestClient({ timeout: 500 });
    for (let i = 0; i < 3; i++) await client.request({ method: 'get', uri: `${base}/again` });
    expect(seen).toHaveLength(3);
    expect(ports.size).toBe(1);
  });
});
