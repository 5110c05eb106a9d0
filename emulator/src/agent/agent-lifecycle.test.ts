import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import type { Conversation, Participant } from '@twilio/conversations';
import type { RunningEmulator } from '../emulator.ts';
import { connectClient, createWebChat, mintToken, waitFor } from '../../test/sdk-harness.ts';

// A chat's life as the agent drives it, observed through the real SDK:
// queue position, accept, transfer, end.

const it = emulatorTest({ rateLimits: { mode: 'off' } });

async function agent(emulator: RunningEmulator, path: string, body: unknown = {}): Promise<Response> {
  return fetch(`${emulator.url}/agent${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function visitorOf(emulator: RunningEmulator, name: string) {
  const chat = await createWebChat(emulator, { CustomerFriendlyName: name });
  const client = await connectClient(emulator, mintToken(emulator, chat.identity));
  const conversation: Conversation = await client.getConversationBySid(chat.conversation_sid);
  await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
  return { chat, client, conversation };
}

describe('agent lifecycle through the real SDK', () => {
  it('shows queue positions, then the accepting agent, a transfer and the end of the chat', async ({ emulator }) => {
    await fetch(`${emulator.url}/faults/reset`, { method: 'POST' });
    const first = await visitorOf(emulator, 'Hana');
    const second = await visitorOf(emulator, 'Ivo');
    try {
      const queueOf = (c: Conversation) => (c.attributes as { queue?: { position: number } | null }).queue?.position ?? null;
      await expect.poll(() => [queueOf(first.conversation), queueOf(second.conversation)]).toEqual([1, 2]);

      const joined = waitFor<Participant>((resolve) => first.conversation.on('participantJoined', resolve), 'agent joins');
      expect((await agent(emulator, `/conversations/${first.chat.conversation_sid}/accept`, { greet: true })).status).toBe(200);
      expect((await joined).identity).toBe('agent.alex');
      await expect.poll(() => [queueOf(first.conversation), queueOf(second.conversation)]).toEqual([null, 1]);
      expect((await agent(emulator, `/conversations/${first.chat.conversation_sid}/accept`)).status).toBe(409);

      const left = waitFor<Participant>((resolve) => first.conversation.on('participantLeft', resolve), 'first agent leaves');
      const arrived = waitFor<Participant>((resolve) => first.conversation.on('participantJoined', resolve), 'second agent joins');
      const transfer = await agent(emulator, `/conversations/${first.chat.conversation_sid}/transfer`, { toAgentIdentity: 'agent.bea', toAgentName: 'Bea' });
      expect(transfer.status).toBe(200);
      expect((await left).identity).toBe('agent.alex');
      expect((await arrived).identity).toBe('agent.bea');
      expect((await transfer.json()).task).toMatchObject({ status: 'assigned', agentIdentity: 'agent.bea' });

      const closed = waitFor<string>((resolve) => first.conversation.on('updated', ({ conversation }) => conversation.state?.current === 'closed' && resolve('closed')), 'state closed');
      const removed = waitFor<void>((resolve) => first.client.on('conversationLeft', () => resolve()), 'visitor removed');
      expect((await agent(emulator, `/conversations/${first.chat.conversation_sid}/end`)).status).toBe(200);
      expect(await closed).toBe('closed');
      await removed;
      expect((await agent(emulator, `/conversations/${first.chat.conversation_sid}/end`)).status).toBe(409);
      const afterEnd = await agent(emulator, `/conversations/${first.chat.conversation_sid}/messages`, { body: 'too late' });
      expect(afterEnd.status).toBe(409);
    } finally {
      await first.client.shutdown();
      await second.client.shutdown();
    }
  });

  it('validates agent API input with clear errors', async ({ emulator }) => {
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'Jo' });
    const cases: Array<[string, unknown, number, string]> = [
      [`/conversations/${chat.conversation_sid}/messages`, { body: '' }, 400, 'invalid_body'],
      [`/conversations/${chat.conversation_sid}/messages`, { body: 'hi', agentIdentity: 'bad id!' }, 400, 'invalid_agent'],
      [`/conversations/${chat.conversation_sid}/transfer`, {}, 400, 'invalid_agent'],
      [`/conversations/${chat.conversation_sid}/attachments`, { filename: 'x.exe', contentType: 'application/x-msdownload', dataBase64: 'TVo=' }, 415, 'twilio_50511'],
      [`/conversations/${chat.conversation_sid}/messages`, { body: '😀'.repeat(8_001) }, 400, 'twilio_50504'],
      ['/conversations/CH00000000000000000000000000000000/messages', { body: 'hi' }, 404, 'conversation_not_found'],
    ];
    for (const [path, body, status, code] of cases) {
      const response = await agent(emulator, path, body);
      expect(response.status, path).toBe(status);
      expect((await response.json()).error.code).toBe(code);
    }
    const broken = await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}/messages`, { method: 'POST', body: '{nope' });
    expect(broken.status).toBe(400);
    expect((await broken.json()).error.code).toBe('invalid_json');
  });
});

describe('agent attachments', () => {
  it('sends a caption and its file as two messages, the file marked partOf the caption', async ({ emulator }) => {
    const { chat, client, conversation } = await visitorOf(emulator, 'Pia');
    try {
      const seen: Array<{ body: string | null; attributes: unknown; files: string[] }> = [];
      conversation.on('messageAdded', (m) => seen.push({ body: m.body, attributes: m.attributes, files: (m.attachedMedia ?? []).map((media) => media.filename ?? '') }));
      const response = await agent(emulator, `/conversations/${chat.conversation_sid}/attachments`, { filename: 'plan.pdf', contentType: 'application/pdf', dataBase64: Buffer.from('%PDF-1.4').toString('base64'), body: 'The plan' });
      expect(response.status).toBe(201);
      const answer = (await response.json()) as { message: { index: number }; text: { index: number } };
      expect(answer.message.index).toBe(answer.text.index + 1);
      await expect.poll(() => seen.length).toBe(2);
      const [text, file] = seen;
      expect([text?.body, text?.files]).toEqual(['The plan', []]);
      expect([file?.body || '', file?.files]).toEqual(['', ['plan.pdf']]);
      const pairId = (text?.attributes as { clientMessageId?: string }).clientMessageId;
      expect(pairId).toMatch(/^agent-ME/);
      expect(file?.attributes).toEqual({ partOf: pairId });
      // A caption over the body limit sends neither.
      const long = await agent(emulator, `/conversations/${chat.conversation_sid}/attachments`, { filename: 'b.pdf', contentType: 'application/pdf', dataBase64: 'JVBERg==', body: 'x'.repeat(32_001) });
      expect([long.status, (await long.json()).error.code]).toEqual([400, 'twilio_50504']);
      expect(emulator.model.get(chat.conversation_sid).messages.filter((m) => m.media.some((ref) => ref.filename === 'b.pdf'))).toEqual([]);
    } finally {
      await client.shutdown();
    }
  });
});

describe('agent console support', () => {
  it('shows the visitor typing, and auto-accept can be switched at run time', async ({ emulator }) => {
    const { chat, client, conversation } = await visitorOf(emulator, 'Lu');
    try {
      const visitorTyping = async () => {
        const response = await fetch(`${emulator.url}/agent/conversations/${chat.conversation_sid}`);
        const body = (await response.json()) as { participants: Array<{ identity: string; isTyping: boolean }> };
        return body.participants.find((p) => p.identity === chat.identity)?.isTyping;
      };
      expect(await visitorTyping()).toBe(false);
      await conversation.typing();
      await expect.poll(visitorTyping).toBe(true);
      await conversation.sendMessage('typed it');
      expect(await visitorTyping()).toBe(false);

      const settings = await agent(emulator, '/settings', { autoAcceptDelayMs: 0 });
      expect(await settings.json()).toEqual({ autoAcceptDelayMs: 0 });
      const next = await createWebChat(emulator, { CustomerFriendlyName: 'Mo' });
      await expect.poll(async () => {
        const response = await fetch(`${emulator.url}/agent/conversations/${next.conversation_sid}`);
        return ((await response.json()) as { task: { status: string } }).task.status;
      }).toBe('assigned');
      expect((await agent(emulator, '/settings', { autoAcceptDelayMs: -1 })).status).toBe(200);
      expect((await agent(emulator, '/settings', { autoAcceptDelayMs: 'soon' })).status).toBe(400);
    } finally {
      await client.shutdown();
    }
  });
});
