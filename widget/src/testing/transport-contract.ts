// One contract for every ChatTransport: MemoryTransport (the session's tests run
// on it) and both SDK adapters against the emulator must behave the same way
// here, so a test that passes on MemoryTransport says something about Twilio.
// Each test file supplies a harness: a fresh transport, credentials for one new
// chat, and the agent's side of that chat.
import { describe, expect } from 'vitest';
import { TransportError, type ChatTransport, type SessionCredentials, type TransportEvent, type TransportMessage } from '../transport/chat-transport.ts';

export interface ContractChat {
  transport: ChatTransport;
  credentials: SessionCredentials;
  /** The agent writes `body` into the chat. */
  agentSays(body: string): Promise<void>;
  /** The agent sends the emulator's quick-reply template (HX…01, its {{1}} set to "Zoë"). */
  agentSendsQuickReply(): Promise<void>;
  /** Whether the SDK has Content templates (twilio-chat has none: the plain body comes alone). */
  hasContent: boolean;
  /** The agent starts typing. */
  agentTypes(): Promise<void>;
  /** The visitor's read horizon as the other side sees it. */
  visitorReadIndex(): Promise<number | undefined>;
}

/** Registers the contract's tests; `open` gives each test a fresh chat (fixtures reach it through the file's hooks). */
/** Vitest's `it`, or a `test` extended with fixtures. */
export type ContractTest = (name: string, fn: () => Promise<void>) => void;

// Against the emulator every step crosses real sockets; on a loaded machine
// Vitest's 1 s poll default is too short to mean "never arrives".
const eventually = { timeout: 10_000 };

export function describeTransportContract(name: string, test: ContractTest, open: () => Promise<ContractChat>): void {
  describe(`ChatTransport contract: ${name}`, () => {
    /** Runs `body` on a connected chat and disconnects afterwards. */
    const withChat = async (body: (chat: ContractChat, events: TransportEvent[]) => Promise<void>) => {
      const chat = await open();
      const events: TransportEvent[] = [];
      chat.transport.subscribe((event) => events.push(event));
      try {
        await chat.transport.connect(chat.credentials);
        await body(chat, events);
      } finally {
        await chat.transport.disconnect();
      }
    };
    const agentMessage = (events: TransportEvent[], body: string) =>
      events.find((e): e is { type: 'messageAdded'; message: TransportMessage } => e.type === 'messageAdded' && e.message.body === body)?.message;

    test('connecting reports the connection and lists the visitor among the participants', () =>
      withChat(async ({ transport, credentials }, events) => {
        await expect.poll(() => events.some((e) => e.type === 'connectionState' && e.state === 'connected'), eventually).toBe(true);
        expect(await transport.getParticipants()).toContainEqual(expect.objectContaining({ identity: credentials.identity, role: 'visitor' }));
      }));

    test('a sent message comes back as the visitor’s, with its clientMessageId, and stands in the history', () =>
      withChat(async ({ transport, credentials }) => {
        const sent = await transport.sendMessage('Hello — ça va? 👋', 'cmid-contract-1');
        expect(sent).toMatchObject({ role: 'visitor', author: credentials.identity, body: 'Hello — ça va? 👋', clientMessageId: 'cmid-contract-1' });
        const history = await transport.loadHistory(50);
        expect(history.messages.map((m) => m.clientMessageId)).toContain('cmid-contract-1');
        expect(history.messages.map((m) => m.index)).toEqual([...history.messages.map((m) => m.index)].sort((a, b) => a - b));
      }));

    test('countMessages counts what the service holds, the visitor’s and the agent’s', () =>
      withChat(async ({ transport, agentSays }, events) => {
        const before = await transport.countMessages();
        await transport.sendMessage('Counting, one', 'cmid-contract-count');
        await agentSays('Counting, two');
        await expect.poll(() => agentMessage(events, 'Counting, two') !== undefined, eventually).toBe(true);
        expect(await transport.countMessages()).toBe(before + 2);
        const newest = (await transport.loadHistory(50)).messages.at(-1);
        expect(newest?.index).toBe(before + 1);
      }));

    test('an agent message arrives as messageAdded with the agent role, after the visitor’s in the history', () =>
      withChat(async ({ transport, agentSays }, events) => {
        await transport.sendMessage('Where is my order?', 'cmid-contract-2');
        await agentSays('It ships today.');
        await expect.poll(() => agentMessage(events, 'It ships today.')?.role, eventually).toBe('agent');
        const bodies = (await transport.loadHistory(50)).messages.map((m) => m.body);
        expect(bodies.indexOf('It ships today.')).toBeGreaterThan(bodies.indexOf('Where is my order?'));
      }));

    test('a Content template message comes with its quick replies (the plain body where the SDK has none), in history too', () =>
      withChat(async ({ transport, agentSendsQuickReply, hasContent }, events) => {
        const body = 'Hi Zoë! What can we help you with?';
        // As in the agent-message test: the visitor's own message first, so the
        // template is sent once the client has the conversation (a message that
        // arrives before that is in the history the widget loads, not an event).
        await transport.sendMessage('Hello', 'cmid-contract-content');
        await agentSendsQuickReply();
        // The Conversations SDK fetches the template's data before the adapter announces the message.
        await expect.poll(() => agentMessage(events, body)?.role, eventually).toBe('agent');
        const expected = hasContent
          ? {
              type: 'twilio/quick-reply',
              body,
              replies: [
                { kind: 'reply', title: 'Billing', id: 'topic_billing' },
                { kind: 'reply', title: 'Technical issue', id: 'topic_tech' },
                { kind: 'reply', title: 'Something else', id: 'topic_other' },
              ],
            }
          : undefined;
        expect(agentMessage(events, body)?.content).toEqual(expected);
        const fromHistory = (await transport.loadHistory(50)).messages.find((m) => m.body === body);
        expect(fromHistory?.content).toEqual(expected);
        expect(fromHistory?.attachments ?? []).toEqual([]);
      }));

    test('the agent typing arrives as a typing event', () =>
      withChat(async ({ agentTypes }, events) => {
        await agentTypes();
        await expect.poll(() => events.some((e) => e.type === 'typing' && e.isTyping && e.identity !== ''), eventually).toBe(true);
      }));

    test('history pages run backwards: loadOlder(0) is empty, loadOlder(n) holds only earlier messages', () =>
      withChat(async ({ transport }) => {
        await transport.sendMessage('one', 'cmid-contract-3');
        await transport.sendMessage('two', 'cmid-contract-4');
        await transport.sendMessage('three', 'cmid-contract-5');
        expect(await transport.loadOlder(0, 10)).toEqual({ messages: [], hasOlder: false });
        const latest = await transport.loadHistory(1);
        expect(latest.messages.map((m) => m.body)).toEqual(['three']);
        expect(latest.hasOlder).toBe(true);
        const older = await transport.loadOlder(latest.messages[0]!.index, 10);
        expect(older.messages.map((m) => m.body)).toEqual(['one', 'two']);
        expect(older.hasOlder).toBe(false);
      }));

    test('markRead moves the visitor’s read horizon', () =>
      withChat(async ({ transport, visitorReadIndex }) => {
        const sent = await transport.sendMessage('read me', 'cmid-contract-6');
        transport.markRead(sent.index);
        await expect.poll(() => visitorReadIndex(), eventually).toBe(sent.index);
      }));

    test('text and a file in one message are refused with a rejected TransportError', () =>
      withChat(async ({ transport }) => {
        const attachment = { blob: new Blob(['x'], { type: 'text/plain' }), filename: 'x.txt', contentType: 'text/plain' };
        const refused = await transport.sendMessage('both', 'cmid-contract-7', { attachment }).catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(TransportError);
        expect(refused).toMatchObject({ code: 'rejected' });
      }));

    test('after disconnect, history calls fail with a TransportError', async () => {
      const chat = await open();
      await chat.transport.connect(chat.credentials);
      await chat.transport.disconnect();
      await expect(chat.transport.loadHistory(10)).rejects.toBeInstanceOf(TransportError);
    });
  });
}
