// @vitest-environment node
// Integration: the real @twilio/conversations SDK, through this adapter (and the
// whole session controller), against the local Flex emulator and token service.
// What every transport does is in sdk-adapters.contract.emulator.test.ts.
import { describe, expect } from 'vitest';
import { loadDeploymentConfig } from '../../../config/load.ts';
import type { RunningEmulator } from '../../../emulator/src/emulator.ts';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import { createWebChat, mintToken, waitFor } from '../../../emulator/test/sdk-harness.ts';
import { startTokenService } from '../../../server/src/runtimes/node.ts';
import { SessionController } from '../session/session-controller.ts';
import type { SessionState } from '../session/session-store.ts';
import { createConversationsTransport } from './conversations-transport.ts';
import { loadTransport } from './load-transport.ts';

const test = emulatorTest({ agentDelayMs: 20 });

async function agentSays(emulator: RunningEmulator, conversationSid: string, body: string): Promise<void> {
  const response = await fetch(`${emulator.url}/agent/conversations/${conversationSid}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body }),
  });
  expect(response.status).toBe(201);
}

describe('ConversationsTransport against the emulator', () => {
  test('a token the service does not accept fails connect with an auth error', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const transport = createConversationsTransport({ initTimeoutMs: 10_000 });
    await expect(
      transport.connect({ token: 'not-a-jwt', identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri }),
    ).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
  });

  test('someone else’s conversation is refused', async ({ emulator }) => {
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
  async function widgetSession(emulator: RunningEmulator, fetchVia: (url: string, send: () => Promise<Response>) => Promise<Response> = (_url, send) => send()) {
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

  test('form → /webchat/init → SDK → active chat with the agent', async ({ emulator }) => {
    const { controller, until, startChat, hostEvents, close } = await widgetSession(emulator);
    try {
      await startChat();
      expect(controller.state.error).toBeNull();
      // Queued until the simulated agent accepts the task and joins.
      expect(['queued', 'active']).toContain(controller.state.phase);
      await until('agent joined', (s) => s.phase === 'active');

      await controller.send('Hello from the widget');
      await until('own message sent', (s) => s.messages.some((m) => m.body === 'Hello from the widget' && m.delivery === 'sent'));
      await agentSays(emulator, controller.state.session!.conversationSid, 'Hi Zoë!');
      await until('agent reply', (s) => s.messages.some((m) => m.role === 'agent' && m.body === 'Hi Zoë!'));

      const mine = controller.state.messages.filter((m) => m.body === 'Hello from the widget');
      expect(mine).toHaveLength(1);
      expect(hostEvents).toContain('sessionStart');
    } finally {
      await close();
    }
  });

  test('text and a file from one action: two messages on the service, the file marked partOf the text, both shown sent', async ({ emulator }) => {
    const { controller, until, startChat, close } = await widgetSession(emulator);
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

  test('token expiry, renewed with the very token the client holds: a new client takes over, what was typed meanwhile goes once', async ({ emulator }) => {
    // The token service mints byte-identical tokens within one second; answer every
    // refresh with the token from /webchat/init to make that case certain.
    let initToken = '';
    const refreshes: string[] = [];
    const { controller, until, startChat, close } = await widgetSession(emulator, async (url, send) => {
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
      await agentSays(emulator, conversationSid, 'sent while you were away');

      await until('reconnected', (s) => s.connection === 'connected');
      await until('queued message sent', (s) => s.messages.some((m) => m.body === 'typed while the connection was down' && m.delivery === 'sent'));
      await until('missed message caught up', (s) => s.messages.some((m) => m.body === 'sent while you were away'));
      await agentSays(emulator, conversationSid, 'and after');
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
