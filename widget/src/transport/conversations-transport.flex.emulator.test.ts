// @vitest-environment node
// Integration: the adapter over the real @twilio/conversations SDK against the
// emulator's Flex behaviour — queue position, agent accept/transfer/end, read
// horizons, media upload and download, history paging.
import { describe, expect } from 'vitest';
import type { AgentConversation } from '../../../contracts/agent-api.ts';
import { emulatorTest } from '../../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../../emulator/src/emulator.ts';
import { createWebChat, mintToken, waitFor } from '../../../emulator/test/sdk-harness.ts';
import type { ChatTransport, TransportEvent } from './chat-transport.ts';
import { createConversationsTransport } from './conversations-transport.ts';

// No automatic agent: the tests accept, transfer and end chats themselves.
const it = emulatorTest();

async function agent(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/agent/conversations/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json().catch(() => ({}))) as Record<string, unknown>;
}

async function connected(emulator: RunningEmulator): Promise<{ transport: ChatTransport; events: TransportEvent[]; next: <T extends TransportEvent>(what: string, match: (e: TransportEvent) => e is T) => Promise<T>; sid: string; identity: string }> {
  const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Zoë' });
  const transport = createConversationsTransport({ echoTimeoutMs: 1_000 });
  const events: TransportEvent[] = [];
  const waiters: Array<(e: TransportEvent) => void> = [];
  transport.subscribe((e) => {
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  const next = <T extends TransportEvent>(what: string, match: (e: TransportEvent) => e is T) =>
    waitFor<T>((resolve) => {
      const found = events.find(match);
      if (found) return resolve(found as T);
      waiters.push((e) => match(e) && resolve(e));
    }, what);
  await transport.connect({ token: mintToken(emulator, chat.identity), identity: chat.identity, conversationSid: chat.conversation_sid, twilsockUri: emulator.twilsockUri });
  return { transport, events, next, sid: chat.conversation_sid, identity: chat.identity };
}

const is =
  <K extends TransportEvent['type']>(type: K, extra: (e: Extract<TransportEvent, { type: K }>) => boolean = () => true) =>
  (e: TransportEvent): e is Extract<TransportEvent, { type: K }> =>
    e.type === type && extra(e as Extract<TransportEvent, { type: K }>);

describe('ConversationsTransport and Flex behaviour (emulator)', () => {
  it('reports the queue position, then the agent who accepts (attributes member_type), transfers and read horizons', async ({ emulator }) => {
    const { transport, next, sid, events } = await connected(emulator);
    try {
      const queued = await next('queue position', is('queue', (e) => e.position !== null));
      expect(queued.position).toBeGreaterThan(0);
      expect((await transport.getParticipants()).filter((p) => p.role === 'agent')).toEqual([]);

      await agent(emulator, `${sid}/accept`, { agentIdentity: 'agent.ana', agentName: 'Ana', greet: false });
      await next('queue cleared', is('queue', (e) => e.position === null));
      const joined = await next('agent joined', is('participantJoined', (e) => e.participant.identity === 'agent.ana'));
      expect(joined.participant.role).toBe('agent');
      await next('agent name', is('participantUpdated', (e) => e.participant.identity === 'agent.ana' && e.participant.displayName === 'Ana'));

      const sent = await transport.sendMessage('Hello Ana', 'cmid-read');
      await agent(emulator, `${sid}/read`, { agentIdentity: 'agent.ana' });
      const read = await next('read horizon', is('participantUpdated', (e) => e.participant.identity === 'agent.ana' && (e.participant.lastReadIndex ?? -1) >= sent.index));
      expect(read.participant.lastReadIndex).toBe(sent.index);

      await agent(emulator, `${sid}/transfer`, { toAgentIdentity: 'agent.bo', toAgentName: 'Bo' });
      await next('Ana left', is('participantLeft', (e) => e.participant.identity === 'agent.ana'));
      await next('Bo joined', is('participantJoined', (e) => e.participant.identity === 'agent.bo'));

      // The visitor's own read horizon reaches the agent.
      transport.markRead(sent.index);
      await expect
        .poll(async () => {
          const conversation = (await (await fetch(`${emulator.url}/agent/conversations/${sid}`)).json()) as AgentConversation;
          return conversation.participants.find((p) => p.role !== 'agent')?.lastReadMessageIndex;
        })
        .toBe(sent.index);

      await agent(emulator, `${sid}/end`);
      await next('closed', is('conversationState', (e) => e.state === 'closed'));
      expect(events.some((e) => e.type === 'connectionState' && e.state === 'connected')).toBe(true);
    } finally {
      await transport.disconnect();
    }
  });

  it('uploads a file through MCS with its canonical type, and hands out download URLs for received ones', async ({ emulator }) => {
    const { transport, sid, next } = await connected(emulator);
    try {
      const bytes = new TextEncoder().encode('ID3 pretend mp3 data');
      // Text and file go as two messages (Flex Conversations takes one or the other), the file marked as part of the text.
      await transport.sendMessage('My voice note', 'cmid-text');
      const sent = await transport.sendMessage('', 'cmid-media', {
        attachment: { blob: new Blob([bytes], { type: 'audio/mpga' }), filename: 'note.mp3', contentType: 'audio/mpeg' },
        partOf: 'cmid-text',
      });
      expect(sent.clientMessageId).toBe('cmid-media');
      expect(sent.partOf).toBe('cmid-text');
      expect(sent.attachments).toEqual([{ sid: expect.stringMatching(/^ME/), filename: 'note.mp3', contentType: 'audio/mpeg', size: bytes.length }]);

      const stored = (await (await fetch(`${emulator.url}/agent/conversations/${sid}/messages`)).json()) as {
        messages: Array<{ body: string; media: Array<{ filename: string; contentType: string }> }>;
      };
      expect(stored.messages.find((m) => m.body === 'My voice note')?.media).toEqual([]);
      expect(stored.messages.at(-1)?.media).toEqual([expect.objectContaining({ filename: 'note.mp3', contentType: 'audio/mpeg' })]);

      await agent(emulator, `${sid}/attachments`, {
        agentIdentity: 'agent.ana',
        filename: 'invoice.pdf',
        contentType: 'application/pdf',
        dataBase64: Buffer.from('%PDF-1.4 pretend').toString('base64'),
        body: 'Your invoice',
      });
      // The SDK answers the newest page of history from its Sync cache, which the live
      // subscription keeps current: a message posted over REST is in it once it has arrived.
      await next('the invoice', is('messageAdded', (e) => e.message.attachments?.some((a) => a.filename === 'invoice.pdf') === true));
      const history = await transport.loadHistory(10);
      const invoice = history.messages.find((m) => m.attachments?.some((a) => a.filename === 'invoice.pdf'));
      expect(invoice?.attachments?.[0]).toMatchObject({ filename: 'invoice.pdf', contentType: 'application/pdf' });
      const url = await transport.getMediaUrl(invoice!.sid, invoice!.attachments![0]!.sid);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+/);
      const download = await fetch(url!);
      expect(download.status).toBe(200);
      expect(await download.text()).toBe('%PDF-1.4 pretend');
      expect(await transport.getMediaUrl(invoice!.sid, 'ME00000000000000000000000000000000')).toBeNull();
    } finally {
      await transport.disconnect();
    }
  });

  it('pages backwards through history without gaps or overlaps', async ({ emulator }) => {
    const { transport, sid } = await connected(emulator);
    try {
      for (let i = 0; i < 12; i++) await agent(emulator, `${sid}/messages`, { body: `m${i}`, agentIdentity: 'agent.ana' });
      const latest = await transport.loadHistory(5);
      expect(latest.hasOlder).toBe(true);
      const older = await transport.loadOlder(latest.messages[0]!.index, 5);
      const oldest = await transport.loadOlder(older.messages[0]!.index, 5);
      const indexes = [...oldest.messages, ...older.messages, ...latest.messages].map((m) => m.index);
      expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      expect(new Set(indexes).size).toBe(indexes.length);
      expect([...oldest.messages, ...older.messages, ...latest.messages].map((m) => m.body)).toEqual(Array.from({ length: 12 }, (_, i) => `m${i}`));
      expect(oldest.hasOlder).toBe(false);
      expect((await transport.loadOlder(0, 5)).messages).toEqual([]);
    } finally {
      await transport.disconnect();
    }
  });
});
