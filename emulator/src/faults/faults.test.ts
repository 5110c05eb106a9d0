import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../emulator.ts';
import { createLogger } from '../log.ts';
import { basicAuth, connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'error') });
});
afterAll(async () => {
  await emulator.close();
});

function fault(path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/faults${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function webChat(): Promise<Response> {
  return fetch(`${emulator.url}/flex-api/v2/WebChats`, {
    method: 'POST',
    headers: { Authorization: basicAuth(emulator), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ AddressSid: emulator.credentials.webChatAddressSid }),
  });
}

describe('fault injection API', () => {
  it('fails the next N requests of a route with the given status and Twilio code, then recovers', async () => {
    expect((await fault('/fail', { method: 'POST', path: '/v2/WebChats', count: 2, status: 503, code: 20503 })).status).toBe(201);
    const first = await webChat();
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ code: 20503, status: 503 });
    expect((await webChat()).status).toBe(503);
    expect((await webChat()).status).toBe(201);
    expect((await (await fetch(`${emulator.url}/faults`)).json()).failures).toEqual([]);
  });

  it('fails calls tunnelled through Twilsock too (the SDK sees the error)', async () => {
    const chat = await createWebChat(emulator, {});
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await fault('/fail', { path: '/Messages', count: 1, status: 500 });
      await expect(conversation.sendMessage('lost?')).rejects.toThrow();
      await expect(conversation.sendMessage('retried')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  });

  it('expires tokens now: the SDK is told tokenExpired', async () => {
    const chat = await createWebChat(emulator, {});
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const expired = waitFor<void>((resolve) => client.on('tokenExpired', () => resolve()), 'tokenExpired');
      expect(await (await fault('/expire-tokens')).json()).toMatchObject({ expired: 1 });
      await expired;
    } finally {
      await client.shutdown();
    }
  });

  it('warns ahead of expiry and accepts an updated token', async () => {
    const chat = await createWebChat(emulator, {});
    // The emulator warns 60 s ahead, so a 61 s token warns within a second.
    const client = await connectClient(emulator, mintToken(emulator, chat.identity, 61));
    try {
      await waitFor<void>((resolve) => client.on('tokenAboutToExpire', () => resolve()), 'tokenAboutToExpire');
      await client.updateToken(mintToken(emulator, chat.identity, 3600));
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await expect(conversation.sendMessage('still here')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  });

  it('validates fault requests and resets all state', async () => {
    const bad = await fault('/fail', { path: '', status: 200 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_fault');
    expect((await fault('/latency', { ms: -5 })).status).toBe(400);
    expect((await fault('/latency', { ms: 20 })).status).toBe(200);
    await createWebChat(emulator, {});
    expect((await fault('/reset')).status).toBe(200);
    const state = await (await fetch(`${emulator.url}/faults`)).json();
    expect(state).toEqual({ latencyMs: 0, failures: [] });
    expect((await (await fetch(`${emulator.url}/agent/conversations`)).json()).conversations).toEqual([]);
  });
});

describe('browser access to the control APIs', () => {
  it('answers CORS for loopback pages only', async () => {
    const allowed = await fetch(`${emulator.url}/agent/conversations`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:4040' } });
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4040');
    const read = await fetch(`${emulator.url}/agent/conversations`, { headers: { Origin: 'http://localhost:4040' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:4040');
    const foreign = await fetch(`${emulator.url}/faults/reset`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
