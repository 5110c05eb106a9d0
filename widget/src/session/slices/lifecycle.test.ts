// The controller driving the session state machine through its recovery paths. No React.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { activeHarness, fillValidForm, harness, initOk } from '../../testing/fixtures.ts';

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

describe('recovery paths', () => {
  it('error → retry → connecting → active, and error → restart → form', async () => {
    const h = harness({ responses: [initOk] });
    h.transport.failNextConnect(new TransportError('network', 'down'));
    const phases = phaseLog(h);
    h.controller.start();
    fillValidForm(h.controller);
    await h.controller.submitForm();
    await h.controller.retry();
    expect(phases).toEqual(['idle', 'pre-engagement', 'connecting', 'error', 'connecting', 'active']);

    h.transport.closeConversation();
    h.controller.restart();
    expect(h.controller.state.phase).toBe('pre-engagement');
  });

  it('events that mean nothing in a phase are ignored (closing a conversation twice, retry while active)', async () => {
    const h = await activeHarness();
    h.hostEvents.length = 0;
    await h.controller.retry();
    expect(h.controller.state.phase).toBe('active');
    h.transport.closeConversation();
    h.transport.closeConversation();
    expect(h.controller.state.phase).toBe('ended');
    expect(h.hostEvents.filter((e) => e.type === 'sessionEnd')).toHaveLength(1);
  });
});
