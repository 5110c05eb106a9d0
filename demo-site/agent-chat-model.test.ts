import { describe, expect, it } from 'vitest';
import type { AgentConversation, AgentMessage } from './src/agent/agent-api.ts';
import { actingAgent, answerNote, chatStatus, lastSeenAgentMessage, queueOrder, sentWith, statusText, templateLabel, visitorName, visitorTyping } from './src/agent/chat-model.ts';

const me = { identity: 'agent.sam', name: 'Sam' };

function conversation(over: Partial<AgentConversation> = {}): AgentConversation {
  return {
    sid: 'CH1',
    friendlyName: 'chat',
    state: 'active',
    attributes: { pre_engagement_data: { friendlyName: 'Zoë', email: 'z@example.com' }, queue: { position: 2 } },
    participants: [{ identity: 'v1', role: 'customer', friendlyName: null, lastReadMessageIndex: 1 }],
    messageCount: 0,
    lastMessage: null,
    task: { sid: 'WT1', status: 'pending', agentIdentity: null },
    ...over,
  };
}

const message = (index: number, author: string): AgentMessage => ({ sid: `IM${index}`, index, author, body: `m${index}`, dateCreated: new Date(index * 1000).toISOString(), media: [] });

describe('agent console model', () => {
  it('names the visitor and the chat status', () => {
    const waiting = conversation();
    expect(visitorName(waiting)).toBe('Zoë');
    expect(chatStatus(waiting)).toBe('waiting');
    expect(statusText(waiting)).toBe('Waiting in queue (position 2)');
    const assigned = conversation({ task: { sid: 'WT1', status: 'assigned', agentIdentity: 'agent.alex' } });
    expect(statusText(assigned)).toBe('With Alex');
    expect(actingAgent(assigned, me)).toEqual({ identity: 'agent.alex', name: 'Alex' });
    expect(chatStatus(conversation({ state: 'closed' }))).toBe('ended');
    // Flex cancels the task of a chat that ended before an agent took it.
    expect(chatStatus(conversation({ task: { sid: 'WT1', status: 'canceled', agentIdentity: null } }))).toBe('ended');
  });

  it("marks the newest agent message inside the visitor's read horizon", () => {
    const c = conversation({ participants: [...conversation().participants, { identity: 'agent.alex', role: 'agent', friendlyName: 'Alex', lastReadMessageIndex: 2 }] });
    const messages = [message(0, 'agent.alex'), message(1, 'v1'), message(2, 'agent.alex')];
    expect(lastSeenAgentMessage(messages, c, new Set(['v1']))).toBe(0);
  });

  it('shows visitor typing only when the emulator reports it', () => {
    expect(visitorTyping(conversation())).toBe(false);
    expect(visitorTyping(conversation({ typing: ['v1'] }))).toBe(true);
  });

  it('orders the queue: waiting oldest first, then assigned, then ended', () => {
    const a = conversation({ sid: 'A', state: 'closed' });
    const b = conversation({ sid: 'B', task: { sid: 'W', status: 'assigned', agentIdentity: 'x' } });
    const c = conversation({ sid: 'C' });
    expect(queueOrder([a, b, c]).map((x) => x.sid)).toEqual(['C', 'B', 'A']);
  });

  it('a file the widget sent with a text (partOf) is shown with that text, nothing else is', () => {
    const message = (index: number, author: string, attributes: unknown): AgentMessage => ({ sid: `IM${index}`, index, author, body: '', attributes, dateCreated: '2025-01-01T12:00:00Z', media: [] });
    const text = message(0, 'v', { clientMessageId: 'c1' });
    const file = message(1, 'v', { clientMessageId: 'c2', partOf: 'c1' });
    const second = message(2, 'v', { clientMessageId: 'c3', partOf: 'c1' });
    expect(sentWith(file, text)).toBe(true);
    expect(sentWith(second, file)).toBe(true);
    expect(sentWith(file, undefined)).toBe(false);
    expect(sentWith(file, message(0, 'agent', { clientMessageId: 'c1' }))).toBe(false);
    expect(sentWith(message(1, 'v', { clientMessageId: 'c2' }), text)).toBe(false);
    expect(sentWith(message(1, 'v', '{"partOf":"c1"}'), text)).toBe(false);
  });
});

describe('Content template picker', () => {
  it('names a template by its friendly name and its rich type, not its text fallback', () => {
    expect(templateLabel({ sid: 'HX1', friendlyName: 'Quick reply: topic', types: ['twilio/quick-reply', 'twilio/text'] })).toBe('Quick reply: topic (quick-reply)');
    expect(templateLabel({ sid: 'HX2', friendlyName: null, types: ['twilio/text'] })).toBe('HX2 (text)');
  });

  it("notes which reply or list item a visitor's message answered, from its attributes", () => {
    expect(answerNote({ ...message(3, 'v1'), attributes: { clientMessageId: 'c3', ButtonPayload: 'topic_billing' } })).toBe('Answered with reply topic_billing');
    expect(answerNote({ ...message(4, 'v1'), attributes: { ListId: 'plan_team' } })).toBe('Answered with list item plan_team');
    expect(answerNote({ ...message(5, 'v1'), attributes: { clientMessageId: 'c5' } })).toBe('');
    expect(answerNote(message(6, 'v1'))).toBe('');
  });
});
