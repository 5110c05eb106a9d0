// @vitest-environment node
// Integration: the real @twilio/conversations SDK, through this adapter (and the
// whole session controller), against the local Flex emulator and token service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../../config/load.ts';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/emulator.ts';
import { createLogger } from '../../../emulator/src/log.ts';
import { createWebChat, mintToken, waitFor } from '../../../emulator/test/sdk-harness.ts';
import { startTokenService } from '../../../server/src/runtimes/node.ts';
import { SessionController } from '../session/session-controller.ts';
import type { SessionState } from '../session/session-store.ts';
import type { TransportEvent, TransportMessage } from './chat-transport.ts';
import { createConversationsTransport } from './conversations-transport.ts';
import { loadTransport } from './load-transport.ts';

let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, agentDelayMs: 20, log: createLogger('emulator', 'error') });
});
afterAll(async () => {
  await emulator.close();
});

async function agentSays(conversationSid: string, body: string): Promise<void> {
  const response = await fetch(`${emulator.url}/agent/conversations/${conversationSid}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  expect(response.status).toBe(201);
}

describe('ConversationsTransport against the emulator', () => {
  it('connects, loads history and participants, sends with clientMessageId, receives agent messages and typing', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const transport = createConversationsTransport();
    const events: TransportEvent[] = [];
    const seen: Array<(event: TransportEvent) => void> = [];
    transport.subscribe((event) => {
      events.push(event);
      for (const check of seen) check(event);
    });
    const next = <T extends TransportEvent>(what: string, match: (event: TransportEvent) => event is T) =>
      waitFor<T>((resolve) => seen.push((event) => match(event) && resolve(event)), what);
    try {
      await transport.connect({
        token: mintToken(emulator, chat.identity),
        identity: chat.identity,
        conversationSid: chat.conversation_sid,
        twilsockUri: emulator.twilsockUri,
      });
      expect(events).toContainEqual({ type: 'connectionState', state: 'connected' });

      await agentSays(chat.conversation_sid, 'Earlier message');
      const history = await transport.loadHistory(50);
      expect(history.hasOlder).toBe(false);
      expect(history.messages.every((m) => m.role === 'agent')).toBe(true);
      expect(history.messages.map((m) => m.index)).toEqual([...history.messages.map((m) => m.index)].sort((a, b) => a - b));

      const participants = await transport.getParticipants();
      expect(participants).toContainEqual(expect.objectContaining({ identity: chat.identity, role: 'visitor' }));
      expect(participants).toContainEqual(expect.objectContaining({ identity: 'agent.alex', role: 'agent' }));

      const sent = await transport.sendMessage('Hello — ça va? 👋', 'cmid-1');
      expect(sent).toMatchObject({ role: 'visitor', author: chat.identity, body: 'Hello — ça va? 👋', clientMessageId: 'cmid-1' });
      expect(sent.sid).toMatch(/^IM/);

      const typing = next('agent typing', (e): e is Extract<TransportEvent, { type: 'typing' }> => e.type === 'typing' && e.isTyping);
      await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/typing`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
      expect(await typing).toMatchObject({ identity: 'agent.alex' });

      const reply = next('agent reply', (e): e is { type: 'messageAdded'; message: TransportMessage } =>
        e.type === 'messageAdded' && e.message.body === 'Your order ships today.');
      await agentSays(chat.conversation_sid, 'Your order ships today.');
      expect((await reply).message).toMatchObject({ role: 'agent', author: 'agent.alex' });
    } finally {
      await transport.disconnect();
    }
  });

  it('a token the service does not accept fails connect with an auth error', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const transport = createConversationsTransport({ initTimeoutMs: 10_000 });
    await expect(
      transport.connect({ token: 'not-a-jwt', identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri }),
    ).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
  });

  it('after a 410: the token the client already holds is refused (the SDK would ignore it), a new one reconnects in place', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const transport = createConversationsTransport();
    const states: string[] = [];
    transport.subscribe((event) => {
      if (event.type === 'connectionState') states.push(event.state);
    });
    const token = mintToken(emulator, chat.identity);
    try {
      await transport.connect({ token, identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri });
      const expired = waitFor<void>((resolve) => transport.subscribe((event) => event.type === 'tokenExpired' && resolve()), 'tokenExpired');
      await fetch(`${emulator.url}/faults/expire-tokens`, { method: 'POST' });
      await expired;

      await expect(transport.updateToken(token)).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
      expect(states.at(-1)).toBe('disconnected');

      // Minted in the same second, a token with another lifetime still differs.
      await transport.updateToken(mintToken(emulator, chat.identity, 3599));
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');
      // Messages after the renewal: the controller test below and e2e/widget-token-expiry.faults.spec.ts.
    } finally {
      await transport.disconnect();
    }
  }, 30_000);

  it('someone else’s conversation is refused', async () => {
    const mine = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const theirs = await createWebChat(emulator, { CustomerFriendlyName: 'Other' });
    const transport = createConversationsTransport();
    await expect(
      transport.connect({ token: mintToken(emulator, mine.identity), identity: mine.identity, conversationSid: theirs.conversation_sid, twilsockUri: emulator.twilsockUri }),
    ).rejects.toMatchObject({ name: 'TransportError' });
  });
});

describe('SessionController, token service and emulator', () => {
  type Fetch = typeof fetch;
  /** A widget session against a real token service; `fetchVia` can tamper with the service's answers. */
  async function widgetSession(fetchVia: (url: string, send: () => Promise<Response>) => Promise<Response> = (_url, send) => send()) {
    const deployment = loadDeploymentConfig();
    const tokenService = await startTokenService({
      port: 0,
      deployment,
      env: { FLEXCHAT_MODE: 'local', FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: deployment.widgetOrigin },
      log: () => {},
    });
    const hostEvents: string[] = [];
    const controller = new SessionController({
      config: { ...deployment, tokenUrl: tokenService.url.replace(/\/$/, '') },
      loadTransport,
      // Node's fetch sends no Origin; the browser would send the widget's.
      fetch: (url, init) =>
        fetchVia(url, () => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), origin: deployment.widgetOrigin } } as Parameters<Fetch>[1])),
      notifyHost: (event) => hostEvents.push(event.type),
    });
    const until = (what: string, predicate: (state: SessionState) => boolean) =>
      waitFor<void>((resolve) => {
        if (predicate(controller.state)) return resolve();
        const unsubscribe = controller.store.subscribe((state) => {
          if (!predicate(state)) return;
          unsubscribe();
          resolve();
        });
      }, what);
    const startChat = async () => {
      controller.start();
      controller.setFieldValue('friendlyName', 'Zoë');
      controller.setFieldValue('email', 'zoe@example.com');
      controller.setFieldValue('question', 'Où est ma commande ?');
      await controller.submitForm();
    };
    const close = async () => {
      controller.dispose();
      await tokenService.close();
    };
    return { controller, until, startChat, hostEvents, close };
  }

  it('form → /webchat/init → SDK → active chat with the agent', async () => {
    const { controller, until, startChat, hostEvents, close } = await widgetSession();
    try {
      await startChat();
      expect(controller.state.error).toBeNull();
      // Queued until the simulated agent accepts the task and joins.
      expect(['queued', 'active']).toContain(controller.state.phase);
      await until('agent joined', (s) => s.phase === 'active');

      await controller.send('Hello from the widget');
      await until('own message sent', (s) => s.messages.some((m) => m.body === 'Hello from the widget' && m.delivery === 'sent'));
      await agentSays(controller.state.session!.conversationSid, 'Hi Zoë!');
      await until('agent reply', (s) => s.messages.some((m) => m.role === 'agent' && m.body === 'Hi Zoë!'));

      const mine = controller.state.messages.filter((m) => m.body === 'Hello from the widget');
      expect(mine).toHaveLength(1);
      expect(hostEvents).toContain('sessionStart');
    } finally {
      await close();
    }
  });

  it('text and a file from one action: two messages on the service, the file marked partOf the text, both shown sent', async () => {
    const { controller, until, startChat, close } = await widgetSession();
    try {
      await startChat();
      await until('agent joined', (s) => s.phase === 'active');
      controller.addFiles([new File([new Uint8Array([137, 80, 78, 71])], 'tear.png', { type: 'image/png' })]);
      controller.setDraft('This is the tear');
      await controller.send();
      // The chat opened with the visitor's question (a sent message of its own): count only this action's two.
      const thisAction = (s: SessionState) => {
        const text = s.messages.find((m) => m.role === 'visitor' && m.body === 'This is the tear');
        return text ? s.messages.filter((m) => m === text || (m.partOf !== null && m.partOf === text.clientMessageId)) : [];
      };
      await until('both sent', (s) => thisAction(s).length === 2 && thisAction(s).every((m) => m.delivery === 'sent'));
      expect(thisAction(controller.state).map((m) => m.attachments.map((a) => a.filename))).toEqual([[], ['tear.png']]);
      const conversationSid = controller.state.session!.conversationSid;
      const server = (await (await fetch(`${emulator.url}/agent/conversations/${conversationSid}/messages`)).json()) as {
        messages: Array<{ body: string | null; attributes: { clientMessageId?: string; partOf?: string }; media: Array<{ filename: string }> }>;
      };
      const [text, file] = server.messages.slice(-2);
      expect(text).toMatchObject({ body: 'This is the tear', media: [] });
      expect(file?.media.map((m) => m.filename)).toEqual(['tear.png']);
      expect(file?.attributes.partOf).toBe(text?.attributes.clientMessageId);
    } finally {
      await close();
    }
  }, 30_000);

  it('token expiry, renewed with the very token the client holds: a new client takes over, what was typed meanwhile goes once', async () => {
    // The token service mints byte-identical tokens within one second; answer every
    // refresh with the token from /webchat/init to make that case certain.
    let initToken = '';
    const refreshes: string[] = [];
    const { controller, until, startChat, close } = await widgetSession(async (url, send) => {
      const response = await send();
      if (!response.ok) return response;
      const body = (await response.clone().json()) as { token?: string };
      if (url.endsWith('/webchat/init')) initToken = body.token ?? '';
      if (!url.endsWith('/webchat/refresh')) return response;
      refreshes.push(url);
      return new Response(JSON.stringify({ ...body, token: initToken }), { status: response.status, headers: response.headers });
    });
    try {
      await startChat();
      await until('agent joined', (s) => s.phase === 'active');
      const conversationSid = controller.state.session!.conversationSid;

      await fetch(`${emulator.url}/faults/expire-tokens`, { method: 'POST' });
      await until('connection lost', (s) => s.connection !== 'connected');
      await controller.send('typed while the connection was down');
      await agentSays(conversationSid, 'sent while you were away');

      await until('reconnected', (s) => s.connection === 'connected');
      await until('queued message sent', (s) => s.messages.some((m) => m.body === 'typed while the connection was down' && m.delivery === 'sent'));
      await until('missed message caught up', (s) => s.messages.some((m) => m.body === 'sent while you were away'));
      await agentSays(conversationSid, 'and after');
      await until('live again', (s) => s.messages.some((m) => m.body === 'and after'));

      expect(refreshes).toHaveLength(1);
      expect(controller.state.phase).toBe('active');
      expect(controller.state.error).toBeNull();
      const server = await (await fetch(`${emulator.url}/agent/conversations/${conversationSid}/messages`)).json() as { messages: Array<{ body: string }> };
      expect(server.messages.filter((m) => m.body === 'typed while the connection was down')).toHaveLength(1);
      expect(controller.state.messages.filter((m) => m.body === 'typed while the connection was down')).toHaveLength(1);
    } finally {
      await close();
    }
  }, 30_000);
});
