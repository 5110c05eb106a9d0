// SessionController is a façade over the feature slices (slices/*.ts): the whole
// path from the form to an active chat goes through its entry points. Each
// slice's own behaviour is tested next to it (slices/*.test.ts).
import { describe, expect, it } from 'vitest';
import { historyMessage } from '../testing/history-message.ts';
import { activeHarness } from '../testing/fixtures.ts';

describe('session start', () => {
  it('success: connects with the credentials, loads history and participants, becomes active', async () => {
    const h = await activeHarness({
      transport: {
        history: [historyMessage(0, 'agent', 'Welcome!'), historyMessage(1, 'visitor', 'Hi')],
        participants: [{ identity: 'agent-1', role: 'agent', displayName: 'Ana' }],
      },
    });
    const state = h.controller.state;
    expect(state.phase).toBe('active');
    expect(state.connection).toBe('connected');
    expect(state.session).toEqual({
      identity: 'visitor-identity',
      conversationSid: 'CH00000000000000000000000000000001',
      mode: 'conversations',
      expiresAt: Date.UTC(2025, 0, 1, 13),
    });
    expect(state.messages.map((m) => [m.role, m.body])).toEqual([
      ['system', 'Ana joined the chat'], // already there: announced before her first message
      ['agent', 'Welcome!'],
      ['visitor', 'Hi'],
    ]);
    expect(state.participants['agent-1']).toEqual({ identity: 'agent-1', role: 'agent', displayName: 'Ana' });
    expect(h.transport.credentials).toEqual({
      token: 'token-1',
      identity: 'visitor-identity',
      conversationSid: 'CH00000000000000000000000000000001',
      twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect',
    });
    expect(h.hostEvents).toEqual([{ type: 'sessionEnd' }, { type: 'sessionStart' }]); // nothing to resume; then started
    expect(JSON.parse(JSON.stringify(state))).toEqual(state); // plain, serialisable data only
    expect(JSON.stringify(state)).not.toContain('token-1'); // the token never enters the store
  });
});
