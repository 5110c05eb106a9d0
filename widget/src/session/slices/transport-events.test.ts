// Live transport events: messages, typing, participants, queue and connection changes.
import { describe, expect, it, vi, afterEach } from 'vitest';
import { historyMessage } from '../../testing/history-message.ts';
import { activeHarness, fillValidForm, harness, agentAna } from '../../testing/fixtures.ts';

afterEach(() => {
  vi.useRealTimers();
});

const phaseLog = (h: ReturnType<typeof harness>) => {
  const phases: string[] = [h.controller.state.phase];
  h.controller.store.subscribe((s, prev) => {
    if (s.phase !== prev.phase) phases.push(s.phase);
  });
  return phases;
};

describe('live events', () => {
  it('agent messages are added, clear that agent typing, and are reported to the host', async () => {
    const h = await activeHarness();
    h.transport.setTyping('agent-1', true);
    h.transport.setTyping('visitor-identity', true); // own typing echo is ignored
    expect(h.controller.state.typing).toEqual(['agent-1']);
    h.transport.pushAgentMessage('How can I help?', 'agent-1', 'Ana');
    expect(h.controller.state.messages.at(-1)).toMatchObject({ role: 'agent', body: 'How can I help?', authorName: 'Ana' });
    expect(h.controller.state.typing).toEqual([]);
    expect(h.hostEvents).toContainEqual({ type: 'message', fromAgent: true, direction: 'incoming' });
  });

  it('typing start and end', async () => {
    const h = await activeHarness();
    h.transport.setTyping('agent-1', true);
    h.transport.setTyping('agent-2', true);
    h.transport.setTyping('agent-1', false);
    expect(h.controller.state.typing).toEqual(['agent-2']);
  });

  it('a notice written before the agent name was known is updated when it arrives', async () => {
    const h = await activeHarness();
    h.transport.addParticipant({ identity: 'agent-7', role: 'agent' });
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Agent joined the chat']);
    h.transport.emit({ type: 'participantUpdated', participant: { identity: 'agent-7', role: 'agent', displayName: 'Bo' } });
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Bo joined the chat']);
  });

  it('agents joining and leaving add notices and update participants', async () => {
    const h = await activeHarness();
    h.transport.addParticipant({ identity: 'agent-7', role: 'agent', displayName: 'Ana' });
    h.transport.emit({ type: 'participantUpdated', participant: { identity: 'agent-7', role: 'agent', displayName: 'Ana B.' } });
    h.transport.removeParticipant('agent-7');
    expect(h.controller.state.messages.map((m) => [m.role, m.body])).toEqual([
      ['system', 'Ana joined the chat'], // agent-1, there from the start
      ['system', 'Ana B. joined the chat'],
      ['system', 'Ana B. left the chat'],
    ]);
    expect(h.controller.state.participants['agent-7']).toBeUndefined();
  });

  it('connection drops are reflected without leaving the conversation', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    expect(h.controller.state).toMatchObject({ phase: 'active', connection: 'connecting' });
    h.transport.setConnectionState('connected');
    expect(h.controller.state.connection).toBe('connected');
  });

  it('events from a transport that was replaced are ignored', async () => {
    const h = await activeHarness();
    const stale = h.transport;
    h.controller.restart();
    stale.emit({ type: 'messageAdded', message: historyMessage(9, 'agent', 'late') });
    expect(h.controller.state.messages).toEqual([]);
  });
});

describe('queue', () => {
  it('waits as queued until an agent joins, then is active; the queue notice follows the position', async () => {
    const h = harness({ transport: { participants: [] } });
    const phases = phaseLog(h);
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.phase).toBe('queued');
    expect(h.controller.state.messages.map((m) => [m.role, m.body])).toEqual([['system', 'Waiting for an agent…']]);

    h.transport.setQueuePosition(3);
    h.transport.setQueuePosition(2);
    expect(h.controller.state.queuePosition).toBe(2);
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['You are number 2 in the queue.']);

    h.transport.setQueuePosition(null);
    h.transport.addParticipant(agentAna);
    expect(h.controller.state.phase).toBe('active');
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat']);
    expect(phases).toEqual(['idle', 'pre-engagement', 'connecting', 'queued', 'active']);
    expect(h.hostEvents).toContainEqual({ type: 'sessionStart' });
  });

  it('an agent announced by an event while the roster loads makes the chat active, not queued', async () => {
    const h = harness({ transport: { participants: [] } });
    const getParticipants = h.transport.getParticipants.bind(h.transport);
    h.transport.getParticipants = async () => {
      const roster = await getParticipants(); // fetched before the agent joined…
      h.transport.addParticipant(agentAna); // …who joins while it is on its way
      return roster;
    };
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.phase).toBe('active');
  });

  it('the visitor can write while queued', async () => {
    const h = harness({ transport: { participants: [] } });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    await h.controller.send('Anyone there?');
    expect(h.transport.sent.map((m) => m.body)).toEqual(['Anyone there?']);
  });

  it('a transfer that leaves no agent and a queue position goes back to queued', async () => {
    const h = await activeHarness();
    h.transport.removeParticipant('agent-1');
    expect(h.controller.state.phase).toBe('active'); // leaving alone does not requeue
    h.transport.setQueuePosition(1);
    expect(h.controller.state.phase).toBe('queued');
    expect(h.controller.state.messages.at(-1)?.body).toBe('You are number 1 in the queue.');
    h.transport.addParticipant({ identity: 'agent-2', role: 'agent', displayName: 'Bo' });
    expect(h.controller.state.phase).toBe('active');
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Ana joined the chat', 'Ana left the chat', 'Bo joined the chat']);
  });
});
