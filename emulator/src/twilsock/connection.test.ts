import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import type { RunningEmulator } from '../emulator.ts';
import { mintToken } from '../../test/sdk-harness.ts';
import { tokenTimers } from './connection.ts';
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
