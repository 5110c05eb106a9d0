import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { RunningEmulator } from '../emulator.ts';
import { basicAuth, connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';

// More web chats a second than Flex's orchestration limit allows.
const it = emulatorTest({ rateLimits: { mode: 'off' } });

function fault(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/faults${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

function webChat(emulator: RunningEmulator): Promise<Response> {
  return fetch(`${emulator.url}/flex-api/v2/WebChats`, {
    method: 'POST',
    headers: { Authorization: basicAuth(emulator), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ AddressSid: emulator.credentials.webChatAddressSid }),
  });
}

describe('fault injection API', () => {
  it('fails the next N requests of a route with the given status and Twilio code, then recovers', async ({ emulator }) => {
    expect((await fault(emulator, '/fail', { method: 'POST', path: '/v2/WebChats', count: 2, status: 503, code: 20503 })).status).toBe(201);
    const first = await webChat(emulator);
    expect(first.status).toBe(503);
    expect(await first.json()).toMatchObject({ code: 20503, status: 503 });
    expect((await webChat(emulator)).status).toBe(503);
    expect((await webChat(emulator)).status).toBe(201);
    expect((await (await fetch(`${emulator.url}/faults`)).json()).failures).toEqual([]);
  });

  it('fails calls tunnelled through Twilsock too (the SDK sees the error)', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await fault(emulator, '/fail', { path: '/Messages', count: 1, status: 500 });
      await expect(conversation.sendMessage('lost?')).rejects.toThrow();
      await expect(conversation.sendMessage('retried')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  });

  it('expires tokens now: the SDK is told tokenExpired', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    const client = await connectClient(emulator, mintToken(emulator, chat.identity));
    try {
      const expired = waitFor<void>((resolve) => client.on('tokenExpired', () => resolve()), 'tokenExpired');
      expect(await (await fault(emulator, '/expire-tokens')).json()).toMatchObject({ expired: 1 });
      await expired;
    } finally {
      await client.shutdown();
    }
  });

  it('warns ahead of expiry and accepts an updated token', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    // The emulator warns 180 s ahead (as Twilio does), so a 181 s token warns within a second: on a busy machine
    // that can be before initialisation has finished, so the listener goes on before the client connects.
    let warned: Promise<void> | undefined;
    const client = await connectClient(emulator, mintToken(emulator, chat.identity, 181), (connecting) => {
      warned = waitFor<void>((resolve) => connecting.on('tokenAboutToExpire', () => resolve()), 'tokenAboutToExpire');
    });
    try {
      await warned;
      await client.updateToken(mintToken(emulator, chat.identity, 3600));
      const conversation = await client.getConversationBySid(chat.conversation_sid);
      await expect(conversation.sendMessage('still here')).resolves.toBe(0);
    } finally {
      await client.shutdown();
    }
  });

  it('warns now and expires later (inMs): a client that updates its token stays, one that does not gets 410', async ({ emulator }) => {
    const renewing = await createWebChat(emulator, {});
    const idle = await createWebChat(emulator, {});
    const renewer = await connectClient(emulator, mintToken(emulator, renewing.identity));
    const sleeper = await connectClient(emulator, mintToken(emulator, idle.identity));
    try {
      const renewerEvents: string[] = [];
      renewer.on('tokenExpired', () => renewerEvents.push('tokenExpired'));
      const renewed = waitFor<void>(
        (resolve) => renewer.on('tokenAboutToExpire', () => void renewer.updateToken(mintToken(emulator, renewing.identity, 3599)).then(() => resolve())),
        'renewal after tokenAboutToExpire',
      );
      const sleeperWarned = waitFor<void>((resolve) => sleeper.on('tokenAboutToExpire', () => resolve()), 'tokenAboutToExpire (idle client)');
      const sleeperExpired = waitFor<void>((resolve) => sleeper.on('tokenExpired', () => resolve()), 'tokenExpired (idle client)');

      const answer = await fault(emulator, '/expire-tokens', { inMs: 1500 });
      expect(await answer.json()).toEqual({ warned: 2, closeInMs: 1500 });
      await Promise.all([renewed, sleeperWarned]);
      const { connections } = (await (await fetch(`${emulator.url}/faults/connections`)).json()) as { connections: Array<{ identity: string; tokenUpdates: number; forcedExpiryAt: string | null }> };
      expect(connections.find((c) => c.identity === renewing.identity)).toMatchObject({ tokenUpdates: 1, forcedExpiryAt: null });
      expect(connections.find((c) => c.identity === idle.identity)?.forcedExpiryAt).toEqual(expect.any(String));

      // The idle client's deadline is the renewer's too: once it has passed, the renewer is still up.
      await sleeperExpired;
      const conversation = await renewer.getConversationBySid(renewing.conversation_sid);
      await expect(conversation.sendMessage('still connected')).resolves.toBe(0);
      expect(renewerEvents).toEqual([]);
      expect(renewer.connectionState).toBe('connected');
      const after = (await (await fetch(`${emulator.url}/faults/connections`)).json()) as { connections: Array<{ identity: string }> };
      expect(after.connections.map((c) => c.identity)).toContain(renewing.identity);
    } finally {
      await Promise.all([renewer.shutdown(), sleeper.shutdown()]);
    }
  });

  it('a forced expiry leaves the token itself valid: a new client connects with it', async ({ emulator }) => {
    const chat = await createWebChat(emulator, {});
    const token = mintToken(emulator, chat.identity);
    const first = await connectClient(emulator, token);
    try {
      const expired = waitFor<void>((resolve) => first.on('tokenExpired', () => resolve()), 'tokenExpired');
      await fault(emulator, '/expire-tokens', { inMs: 0 });
      await expired;
    } finally {
      await first.shutdown();
    }
    const second = await connectClient(emulator, token);
    try {
      const conversation = await second.getConversationBySid(chat.conversation_sid);
      await expect(conversation.sendMessage('same token, new client')).resolves.toBe(0);
    } finally {
      await second.shutdown();
    }
  });

  it('validates fault requests and resets all state', async ({ emulator }) => {
    expect((await fault(emulator, '/expire-tokens', { inMs: -1 })).status).toBe(400);
    expect((await fault(emulator, '/expire-tokens', { inMs: 'soon' })).status).toBe(400);
    const bad = await fault(emulator, '/fail', { path: '', status: 200 });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('invalid_fault');
    expect((await fault(emulator, '/latency', { ms: -5 })).status).toBe(400);
    expect((await fault(emulator, '/latency', { ms: 20 })).status).toBe(200);
    await createWebChat(emulator, {});
    expect((await fault(emulator, '/reset')).status).toBe(200);
    const state = await (await fetch(`${emulator.url}/faults`)).json();
    expect(state).toEqual({ latencyMs: 0, failures: [] });
    expect((await (await fetch(`${emulator.url}/agent/conversations`)).json()).conversations).toEqual([]);
  });
});

describe('browser access to the control APIs', () => {
  it('answers CORS for loopback pages only', async ({ emulator }) => {
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
