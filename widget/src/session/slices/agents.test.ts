// Agents as the visitor sees them: whose name stands on which message (also
// after a transfer or a reload), and who is announced as present.
import { describe, expect, it } from 'vitest';
import { historyMessage } from '../../testing/history-message.ts';
import type { TransportParticipant } from '../../transport/chat-transport.ts';
import { activeHarness, fillValidForm, harness } from '../../testing/fixtures.ts';
import { sessionTranscript } from '../transcript.ts';

const alex: TransportParticipant = { identity: 'agent.alex', role: 'agent' };
const kim: TransportParticipant = { identity: 'agent.kim', role: 'agent', displayName: 'Kim' };

/** Who the widget shows as the author of each non-system message, in order. */
const authors = (h: Awaited<ReturnType<typeof activeHarness>>) =>
  h.controller.state.messages.filter((m) => m.role !== 'system').map((m) => `${h.controller.authorLabel(m)}: ${m.body}`);

/** The transcript's message lines, without the time stamps. */
const transcriptLines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('['))
    .map((line) => line.replace(/^\[[^\]]*\] /, ''));

describe('agent names belong to the messages their author sent', () => {
  it("after a transfer, Alex's earlier messages keep his name in the chat and the transcript", async () => {
    // As with the real SDK: the greeting arrives before Alex's user record (his name) does.
    const h = await activeHarness({ transport: { participants: [alex] } });
    h.transport.pushAgentMessage("Hi, I'm Alex", 'agent.alex');
    h.transport.emit({ type: 'participantUpdated', participant: { ...alex, displayName: 'Alex' } });
    await h.controller.send('Can I talk to billing?');
    h.transport.pushAgentMessage('Sure, transferring you to Kim', 'agent.alex');

    h.transport.removeParticipant('agent.alex');
    h.transport.addParticipant(kim);
    h.transport.pushAgentMessage('Kim here, from billing', 'agent.kim');

    expect(authors(h)).toEqual([
      "Alex: Hi, I'm Alex",
      'You: Can I talk to billing?',
      'Alex: Sure, transferring you to Kim',
      'Kim: Kim here, from billing',
    ]);
    h.transport.closeConversation();
    expect(transcriptLines(sessionTranscript(h.controller))).toEqual([
      '* Alex joined the chat',
      "Alex: Hi, I'm Alex",
      'You: Can I talk to billing?',
      'Alex: Sure, transferring you to Kim',
      '* Alex left the chat',
      '* Kim joined the chat',
      'Kim: Kim here, from billing',
      '* The agent ended the chat.',
    ]);
  });

  it('in Spanish too: no "Agente" for an agent whose name is known', async () => {
    const h = await activeHarness({ transport: { participants: [alex] } });
    h.controller.setLocale('es');
    h.transport.pushAgentMessage('Hola, soy Alex', 'agent.alex');
    h.transport.emit({ type: 'participantUpdated', participant: { ...alex, displayName: 'Alex' } });
    h.transport.removeParticipant('agent.alex');
    h.transport.addParticipant(kim);
    expect(authors(h)).toEqual(['Alex: Hola, soy Alex']);
    expect(transcriptLines(sessionTranscript(h.controller))).toContain('Alex: Hola, soy Alex');
  });

  it('after a reload, the messages of an agent who has left get the name looked up, and that agent is not counted present', async () => {
    const h = harness({
      transport: {
        participants: [kim],
        history: [
          historyMessage(0, 'agent', "Hi, I'm Alex", { author: 'agent.alex' }),
          historyMessage(1, 'agent', 'Kim here', { author: 'agent.kim', authorName: 'Kim' }),
        ],
      },
    });
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    // The transport found Alex's user record for his old messages (he is no longer a participant).
    h.transport.emit({ type: 'participantUpdated', participant: { ...alex, displayName: 'Alex' } });
    expect(authors(h)).toEqual(["Alex: Hi, I'm Alex", 'Kim: Kim here']);
    expect(Object.keys(h.controller.state.participants).sort()).toEqual(['agent.kim', 'visitor-identity']);
    h.transport.removeParticipant('agent.kim');
    h.transport.setQueuePosition(1);
    expect(h.controller.state.phase).toBe('queued'); // nobody is left: Alex's name did not make him present
  });

  it('masked names stay masked on earlier messages', async () => {
    const h = await activeHarness({ transport: { participants: [alex] }, controller: { options: { maskAgentNames: true } } });
    h.transport.pushAgentMessage('Hello', 'agent.alex');
    h.transport.emit({ type: 'participantUpdated', participant: { ...alex, displayName: 'Alex' } });
    h.transport.removeParticipant('agent.alex');
    h.transport.addParticipant(kim);
    h.transport.pushAgentMessage('Hi', 'agent.kim', 'Kim');
    expect(authors(h)).toEqual(['Agent 1: Hello', 'Agent 2: Hi']);
    expect(sessionTranscript(h.controller)).not.toMatch(/Alex|Kim/);
  });
});

describe('agents present when the visitor joins are announced', () => {
  it('an agent who accepted before the SDK connected is announced once, before the greeting', async () => {
    const h = await activeHarness({
      transport: {
        participants: [{ identity: 'agent.alex', role: 'agent', displayName: 'Alex' }],
        history: [historyMessage(0, 'agent', "Hi, I'm Alex", { author: 'agent.alex', authorName: 'Alex' })],
      },
    });
    expect(h.controller.state.messages.map((m) => [m.role, m.body])).toEqual([
      ['system', 'Alex joined the chat'],
      ['agent', "Hi, I'm Alex"],
    ]);
    // The join event the SDK may still deliver for the same agent adds nothing.
    h.transport.emit({ type: 'participantJoined', participant: { identity: 'agent.alex', role: 'agent', displayName: 'Alex' } });
    expect(h.controller.state.messages.filter((m) => m.role === 'system')).toHaveLength(1);
  });

  it('every agent in the roster is announced; a name learned later rewrites the notice', async () => {
    const h = await activeHarness({ transport: { participants: [alex, kim] } });
    expect(h.controller.state.messages.map((m) => m.body).sort()).toEqual(['Agent joined the chat', 'Kim joined the chat']);
    h.transport.emit({ type: 'participantUpdated', participant: { ...alex, displayName: 'Alex' } });
    expect(h.controller.state.messages.map((m) => m.body).sort()).toEqual(['Alex joined the chat', 'Kim joined the chat']);
  });

  it('an agent who joins while the roster loads is announced once', async () => {
    const h = harness({ transport: { participants: [] } });
    const getParticipants = h.transport.getParticipants.bind(h.transport);
    h.transport.getParticipants = async () => {
      h.transport.addParticipant(kim); // joins while the roster is on its way, and is in it
      return getParticipants();
    };
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    expect(h.controller.state.phase).toBe('active');
    expect(h.controller.state.messages.map((m) => m.body)).toEqual(['Kim joined the chat']);
  });
});
