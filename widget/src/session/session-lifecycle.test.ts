// The controller driving the session state machine: queue, business hours,
// skip-form, and recovery paths. No React.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../transport/chat-transport.ts';
import { activeHarness, agentAna, fillValidForm, harness, initOk, testConfig } from '../testing/fixtures.ts';
import type { BusinessHours } from './business-hours.ts';

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

// Monday 2025-01-06 in UTC.
const utc = (d: number, h: number, m = 0) => Date.UTC(2025, 0, d, h, m);
const officeHours: BusinessHours = { timezone: 'UTC', weekly: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']] } };

describe('business hours', () => {
  it('outside hours the widget opens offline with the next opening time, and reopens on time', () => {
    vi.useFakeTimers();
    let now = utc(6, 8, 0);
    const h = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('offline');
    expect(h.controller.state.nextOpening).toBe(utc(6, 9));
    now = utc(6, 9, 0);
    vi.advanceTimersByTime(60 * 60_000);
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.nextOpening).toBeNull();
    h.controller.dispose();
  });

  it('closing time moves an idle form to offline, but never interrupts a chat', async () => {
    let now = utc(6, 16, 59);
    const h = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    now = utc(6, 17, 0);
    h.controller.checkBusinessHours();
    expect(h.controller.state.phase).toBe('offline');
    expect(h.controller.state.nextOpening).toBe(utc(7, 9));

    const chat = harness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    now = utc(6, 16, 0);
    chat.controller.start();
    fillValidForm(chat.controller);
    await chat.controller.submitForm();
    now = utc(6, 18, 0);
    chat.controller.checkBusinessHours();
    expect(chat.controller.state.phase).toBe('active');
    h.controller.dispose();
    chat.controller.dispose();
  });

  it('a restart after hours goes to offline', async () => {
    let now = utc(6, 16, 0);
    const h = await activeHarness({ now: () => now, controller: { options: { businessHours: officeHours } } });
    h.transport.closeConversation();
    now = utc(6, 20, 0);
    h.controller.restart();
    expect(h.controller.state.phase).toBe('offline');
    h.controller.dispose();
  });

  it('a broken schedule (unknown time zone) keeps the widget open rather than locking visitors out', () => {
    const h = harness({ controller: { options: { businessHours: { timezone: 'Nowhere/Land', weekly: {} } } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    h.controller.dispose();
  });
});

describe('skip-form mode', () => {
  const hiddenOnly = {
    ...testConfig,
    preEngagement: { fields: [{ name: 'source', type: 'hidden' as const, label: 'Source', defaultValue: 'web' }] },
  };

  it('starts the chat at once when the form needs nothing from the visitor', async () => {
    const h = harness({ config: hiddenOnly, controller: { options: { skipForm: true } } });
    h.controller.start();
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(h.http.calls[0]?.body).toMatchObject({ preEngagementData: { source: 'web' } });
  });

  it('shows the form when required fields are empty, and starts once the host prefills them', async () => {
    const h = harness({ controller: { options: { skipForm: true } } });
    h.controller.start();
    expect(h.controller.state.phase).toBe('pre-engagement');
    expect(h.controller.state.form.errors).toEqual({}); // no errors shown for an untouched form
    h.controller.applyPrefill({ friendlyName: 'Ana', email: 'ana@example.com', question: 'Hi' });
    await vi.waitFor(() => expect(h.controller.state.phase).toBe('active'));
  });
});

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
