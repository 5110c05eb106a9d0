import type { AddressInfo, Socket } from 'node:net';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import twilio from 'twilio';
import { WebSocket, WebSocketServer } from 'ws';
import type { RunningEmulator } from '../emulator.ts';
import { createLogger } from '../log.ts';
import { mintToken } from '../../test/sdk-harness.ts';
import { tokenTimers, TwilsockConnection } from './connection.ts';
import { decodeFrame, encodeFrame, type TwilsockFrame } from './frame.ts';

// Raw Twilsock, byte by byte: what a broken or hostile client gets back.

const it = emulatorTest({ logLevel: 'silent' });

function open(emulator: RunningEmulator): Promise<{ socket: WebSocket; next: () => Promise<TwilsockFrame>; closed: Promise<number> }> {
  const socket = new WebSocket(emulator.twilsockUri);
  const queue: TwilsockFrame[] = [];
  const waiters: Array<(frame: TwilsockFrame) => void> = [];
  socket.on('message', (data) => {
    const frame = decodeFrame(data as Buffer);
    const waiter = waiters.shift();
    if (waiter) waiter(frame);
    else queue.push(frame);
  });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const next = () => new Promise<TwilsockFrame>((resolve) => (queue.length ? resolve(queue.shift() as TwilsockFrame) : waiters.push(resolve)));
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ socket, next, closed }));
    socket.once('error', reject);
  });
}

describe('token lifetime', () => {
  it('warns three minutes before expiry, as Twilio documents, and at once for a token with less left', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(tokenTimers(now + 3_600_000, now)).toEqual({ warnInMs: 3_420_000, expireInMs: 3_600_000 });
    expect(tokenTimers(now + 181_000, now)).toEqual({ warnInMs: 1_000, expireInMs: 181_000 });
    expect(tokenTimers(now + 60_000, now)).toEqual({ warnInMs: 0, expireInMs: 60_000 });
    expect(tokenTimers(now - 5, now)).toEqual({ warnInMs: 0, expireInMs: 0 });
  });
});

describe('Twilsock connection', () => {
  it('answers init with a valid token, and tunnelled calls before init with 401', async ({ emulator }) => {
    const { socket, next } = await open(emulator);
    socket.send(encodeFrame({ method: 'message', id: 'm0', http_request: { host: 'aim.us1.twilio.com', path: '/Client/v2/Configuration', method: 'GET' } }));
    expect((await next()).header.status).toMatchObject({ code: 401 });
    socket.send(encodeFrame({ method: 'init', id: 'i1', token: mintToken(emulator, 'raw-visitor'), capabilities: ['client_update'] }));
    const reply = await next();
    expect(reply.header).toMatchObject({ method: 'reply', id: 'i1', status: { code: 200 } });
    expect(typeof reply.header.continuation_token).toBe('string');
    socket.send(encodeFrame({ method: 'message', id: 'm1', http_request: { host: 'aim.us1.twilio.com', path: '/Client/v2/Configuration', method: 'GET' } }));
    const configuration = await next();
    expect(configuration.header.http_status).toMatchObject({ code: 200 });
    expect((configuration.payload as { identity: string }).identity).toBe('raw-visitor');
    socket.close();
  });

  it('rejects a forged token with 401 and error code 20101', async ({ emulator }) => {
    const { socket, next } = await open(emulator);
    const forged = mintToken(emulator, 'x').replace(/\.[^.]+$/, '.AAAA');
    socket.send(encodeFrame({ method: 'init', id: 'i1', token: forged }));
    expect((await next()).header.status).toMatchObject({ code: 401, errorCode: 20101 });
    socket.close();
  });

  it('refuses a ChatGrant without a service (51104), and a token update that changes the service', async ({ emulator }) => {
    const { AccessToken } = twilio.jwt;
    const { accountSid, apiKeySid, apiKeySecret, flexChatServiceSid } = emulator.credentials;
    const noService = new AccessToken(accountSid, apiKeySid, apiKeySecret, { identity: 'no-service', ttl: 600 });
    noService.addGrant(new AccessToken.ChatGrant({}));
    const first = await open(emulator);
    first.socket.send(encodeFrame({ method: 'init', id: 'i1', token: noService.toJwt() }));
    expect((await first.next()).header.status).toMatchObject({ code: 401, errorCode: 51104 });
    first.socket.close();

    const { socket, next } = await open(emulator);
    socket.send(encodeFrame({ method: 'init', id: 'i1', token: mintToken(emulator, 'switcher') }));
    expect((await next()).header.status).toMatchObject({ code: 200 });
    socket.send(encodeFrame({ method: 'update', id: 'u1', token: mintToken(emulator, 'switcher', 600, flexChatServiceSid) }));
    expect((await next()).header.status).toMatchObject({ code: 403 });
    socket.close();
  });

  it('closes with 406 on a malformed frame and keeps serving others', async ({ emulator }) => {
    const { socket, next, closed } = await open(emulator);
    socket.send(Buffer.from('GARBAGE\r\n\r\n'));
    expect((await next()).header).toMatchObject({ method: 'close', status: { code: 406 } });
    await closed;
    expect((await fetch(`${emulator.url}/healthz`)).status).toBe(200);
    const other = await open(emulator);
    other.socket.send(encodeFrame({ method: 'init', id: 'i2', token: mintToken(emulator, 'still-fine') }));
    expect((await other.next()).header.status).toMatchObject({ code: 200 });
    other.socket.close();
  });

  it('answers an unknown tunnelled route with http 404', async ({ emulator }) => {
    const { socket, next } = await open(emulator);
    socket.send(encodeFrame({ method: 'init', id: 'i1', token: mintToken(emulator, 'explorer') }));
    await next();
    socket.send(encodeFrame({ method: 'message', id: 'm1', http_request: { host: 'aim.us1.twilio.com', path: '/Nope', method: 'GET' } }));
    expect((await next()).header.http_status).toMatchObject({ code: 404 });
    socket.close();
  });
});

describe('frames of one turn', () => {
  it('leave in one TCP write, in the order they were sent; a later turn gets its own write', async ({ emulator }) => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    let serverTcp: Socket | undefined;
    const ready = new Promise<TwilsockConnection>((resolve) => {
      server.once('connection', (ws, req) => {
        serverTcp = req.socket;
        new TwilsockConnection(ws, {
          credentials: emulator.credentials,
          handleRequest: async () => undefined,
          log: createLogger('test', 'silent'),
          onReady: resolve,
          onClosed: () => undefined,
          tcp: req.socket,
        });
      });
    });
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const frames: string[] = [];
    let chunks = 0;
    client.on('message', (data) => frames.push(String((decodeFrame(data as Buffer).payload as { n?: number } | undefined)?.n ?? 'reply')));
    try {
      await new Promise((resolve) => client.once('open', resolve));
      // Counted below the WebSocket: each 'data' event is one read of the TCP stream.
      const tcp = (client as unknown as { _socket: NodeJS.EventEmitter })._socket;
      client.send(encodeFrame({ method: 'init', id: 'i1', token: mintToken(emulator, 'corked') }));
      const connection = await ready;
      await expect.poll(() => frames).toEqual(['reply']); // the init reply
      frames.length = 0;
      tcp.on('data', () => (chunks += 1));

      for (let n = 1; n <= 4; n += 1) connection.push('test.frame', { n });
      // Still in this turn: the four frames wait in the socket, none has been written yet.
      expect(serverTcp?.writableCorked).toBe(1);
      expect(serverTcp?.writableLength).toBeGreaterThan(4 * 'TWILSOCK V3.0 '.length);
      await expect.poll(() => frames.length).toBe(4);
      expect(serverTcp?.writableCorked).toBe(0);
      expect(frames).toEqual(['1', '2', '3', '4']);
      expect(chunks).toBe(1);

      connection.push('test.frame', { n: 5 });
      await expect.poll(() => frames.length).toBe(5);
      expect(chunks).toBe(2);
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
