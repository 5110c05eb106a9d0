// @vitest-environment node
// Both SDK adapters, loaded the way the widget loads them (load-transport.ts),
// keep the ChatTransport contract against the emulator, and recover from an
// expired token the same way. One emulator for the file (emulator/test/fixture.ts).
import { describe, expect } from 'vitest';
import type { RunningEmulator } from '../../../emulator/src/emulator.ts';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import { createWebChat, mintToken, waitFor } from '../../../emulator/test/sdk-harness.ts';
import { describeTransportContract, type ContractChat } from '../testing/transport-contract.ts';
import { loadTransport } from './load-transport.ts';

const test = emulatorTest();
/** The file's emulator, for the contract's chats (its tests take no fixtures). */
let current: RunningEmulator;
test.beforeEach(({ emulator }) => {
  current = emulator;
});

async function agentApi(emulator: RunningEmulator, conversationSid: string, action: 'messages' | 'typing' | 'accept', body: object): Promise<void> {
  const response = await fetch(`${emulator.url}/agent/conversations/${conversationSid}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

for (const mode of ['conversations', 'legacy'] as const) {
  const openChat = async (emulator = current): Promise<ContractChat> => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
    const transport = (await loadTransport(mode))();
    const conversationSid = chat.conversation_sid;
    return {
      transport,
      credentials: { token: mintToken(emulator, chat.identity), identity: chat.identity, conversationSid, twilsockUri: emulator.twilsockUri },
      agentSays: (body) => agentApi(emulator, conversationSid, 'messages', { body }),
      agentSendsQuickReply: () => agentApi(emulator, conversationSid, 'messages', { contentSid: 'HX00000000000000000000000000000001', contentVariables: { '1': 'Zoë' } }),
      hasContent: mode === 'conversations',
      agentTypes: async () => {
        // Only a participant can type: the agent accepts the chat first (no greeting).
        await agentApi(emulator, conversationSid, 'accept', { agentIdentity: 'agent.alex', agentName: 'Alex', greet: false });
        // The SDKs drop typing from a participant they do not know yet (as with
        // Twilio), and Flex repeats typing while the agent types: wait for the join.
        await expect
          .poll(async () => (await transport.getParticipants()).some((p) => p.identity === 'agent.alex'), { timeout: 10_000 })
          .toBe(true);
        await agentApi(emulator, conversationSid, 'typing', { agentIdentity: 'agent.alex' });
      },
      visitorReadIndex: async () => emulator.model.findParticipant(emulator.model.get(conversationSid), chat.identity)?.lastReadMessageIndex ?? undefined,
    };
  };

  // Each contract test starts a chat through the token service and the SDK: 30 s, not Vitest's 5 s.
  describeTransportContract(`${mode} adapter on the emulator`, (name, fn) => test(name, fn, 30_000), () => openChat());

  describe(`${mode} adapter: token expiry`, () => {
    test('after a 410: the token the client already holds is refused (the SDK would ignore it), a new one reconnects in place', async ({ emulator }) => {
      const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
      const transport = (await loadTransport(mode))();
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
      } finally {
        await transport.disconnect();
      }
    }, 30_000);
  });

  describe(`${mode} adapter: answers to rich messages`, () => {
    test("the reply's or list item's id reaches Twilio in the message's attributes, next to its clientMessageId", async ({ emulator }) => {
      const chat = await openChat(emulator);
      await chat.transport.connect(chat.credentials);
      try {
        await chat.transport.sendMessage('Billing', 'cmid-answer-1', { answer: { kind: 'reply', id: 'topic_billing' } });
        await chat.transport.sendMessage('Team', 'cmid-answer-2', { answer: { kind: 'item', id: 'plan_team' } });
        await chat.transport.sendMessage('Anything else', 'cmid-answer-3');
        const stored = (body: string) => emulator.model.get(chat.credentials.conversationSid).messages.find((m) => m.body === body)?.attributes;
        expect(stored('Billing')).toEqual({ clientMessageId: 'cmid-answer-1', ButtonPayload: 'topic_billing' });
        expect(stored('Team')).toEqual({ clientMessageId: 'cmid-answer-2', ListId: 'plan_team' });
        expect(stored('Anything else')).toEqual({ clientMessageId: 'cmid-answer-3' });
      } finally {
        await chat.transport.disconnect();
      }
    }, 30_000);
  });
}
