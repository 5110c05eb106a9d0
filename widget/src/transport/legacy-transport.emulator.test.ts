// @vitest-environment node
// Smoke test: the legacy adapter over the real twilio-chat SDK against the
// emulator (the lead's suite covers the full legacy journey).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/src/emulator.ts';
import { createLogger } from '../../../emulator/src/log.ts';
import { createWebChat, mintToken, waitFor } from '../../../emulator/test/sdk-harness.ts';
import type { TransportEvent, TransportMessage } from './chat-transport.ts';
import { loadTransport } from './load-transport.ts';

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'error') });
});
afterAll(async () => {
  await emulator.close();
});

describe('LegacyTransport against the emulator (twilio-chat 6)', () => {
  it('mode "legacy" loads the twilio-chat adapter, which connects, sends, receives and reads', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Kai' });
    const transport = (await loadTransport('legacy'))();
    const events: TransportEvent[] = [];
    const waiters: Array<(e: TransportEvent) => void> = [];
    transport.subscribe((e) => {
      events.push(e);
      for (const w of [...waiters]) w(e);
    });
    try {
      await transport.connect({ token: mintToken(emulator, chat.identity), identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri });
      const sent = await transport.sendMessage('Legacy hello', 'cmid-legacy');
      expect(sent).toMatchObject({ body: 'Legacy hello', role: 'visitor', clientMessageId: 'cmid-legacy' });

      const reply = waitFor<TransportMessage>(
        (resolve) => waiters.push((e) => e.type === 'messageAdded' && e.message.role === 'agent' && resolve(e.message)),
        'agent reply',
      );
      await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: 'Legacy answer' }),
      });
      expect((await reply).body).toBe('Legacy answer');

      const history = await transport.loadHistory(10);
      expect(history.messages.map((m) => m.body)).toEqual(['Legacy hello', 'Legacy answer']);
      transport.markRead(history.messages.at(-1)!.index);
      await expect
        .poll(() => emulator.model.findParticipant(emulator.model.get(chat.conversation_sid), chat.identity)?.lastReadMessageIndex)
        .toBe(history.messages.at(-1)!.index);
    } finally {
      await transport.disconnect();
    }
  }, 30_000);

  it('after a 410: the token the client already holds is refused, a new one reconnects it in place', async () => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Kai' });
    const transport = (await loadTransport('legacy'))();
    const states: string[] = [];
    let expired = () => {};
    const tokenExpired = new Promise<void>((resolve) => (expired = resolve));
    transport.subscribe((e) => {
      if (e.type === 'connectionState') states.push(e.state);
      if (e.type === 'tokenExpired') expired();
    });
    const token = mintToken(emulator, chat.identity);
    try {
      await transport.connect({ token, identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri });
      await fetch(`${emulator.url}/faults/expire-tokens`, { method: 'POST' });
      await tokenExpired;

      await expect(transport.updateToken(token)).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
      expect(states.at(-1)).toBe('disconnected');

      await transport.updateToken(mintToken(emulator, chat.identity, 3599));
      await expect.poll(() => states.at(-1), { timeout: 10_000 }).toBe('connected');
    } finally {
      await transport.disconnect();
    }
  }, 30_000);
});
