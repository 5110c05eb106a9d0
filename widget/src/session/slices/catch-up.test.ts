// The offline outbox and the catch-up after a reconnect.
import { describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { activeHarness, agentAna, exchanged } from '../../testing/fixtures.ts';

describe('offline outbox', () => {
  it('messages typed while offline wait as queued and are sent once, in order, after reconnecting', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    await h.controller.send('one');
    await h.controller.send('two');
    expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['one', 'queued'], ['two', 'queued']]);
    expect(h.transport.sent).toEqual([]);

    h.transport.setConnectionState('connected');
    h.transport.setConnectionState('connecting'); // flapping must not duplicate anything
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h).every((m) => m.delivery === 'sent')).toBe(true));
    expect(h.transport.sent.map((m) => m.body)).toEqual(['one', 'two']);
  });

  it('a message whose send was cut off but reached the server is not sent again (clientMessageId)', async () => {
    const h = await activeHarness({ transport: { echo: 'none', participants: [agentAna] } });
    h.transport.holdSends();
    h.transport.failNextSend(new TransportError('network', 'socket closed'));
    const sending = h.controller.send('did it arrive?');
    h.transport.setConnectionState('connecting');
    // The server got it, but the answer was lost with the connection.
    h.transport.addSilently({ author: 'visitor-identity', role: 'visitor', body: 'did it arrive?', clientMessageId: 'cmid-1' });
    h.transport.releaseSends();
    await sending;
    expect(exchanged(h)[0]?.delivery).toBe('queued');

    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h)[0]?.delivery).toBe('sent'));
    expect(h.transport.sent).toEqual([]); // never re-sent
    expect(exchanged(h)).toHaveLength(1);
  });

  it('when the catch-up load after a reconnect fails, it is retried with backoff and the queue is sent once', async () => {
    const h = await activeHarness();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      h.transport.setConnectionState('connecting');
      await h.controller.send('typed while offline');
      h.transport.addSilently({ author: 'agent-1', role: 'agent', body: 'Still there?' });
      // The connection is back, but the first two history requests were lost with the old socket.
      h.transport.failNextHistoryLoad();
      h.transport.failNextHistoryLoad();
      const loadsBefore = h.transport.historyLoads.length;
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['typed while offline', 'queued']]);

      await vi.advanceTimersByTimeAsync(999);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      await vi.advanceTimersByTimeAsync(1); // first retry after 1 s fails too
      expect(h.transport.historyLoads.length - loadsBefore).toBe(2);
      await vi.advanceTimersByTimeAsync(1_999);
      expect(h.transport.sent).toEqual([]);
      await vi.advanceTimersByTimeAsync(1); // second retry after 2 s more succeeds
      expect(h.transport.historyLoads.length - loadsBefore).toBe(3);
      expect(h.transport.sent.map((m) => m.body)).toEqual(['typed while offline']);
      expect(exchanged(h).map((m) => m.body)).toEqual(['Still there?', 'typed while offline']); // server order

      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(3); // no retries once caught up
      expect(h.transport.sent).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a failed catch-up is not retried while the connection is down; the next reconnect catches up', async () => {
    const h = await activeHarness();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      h.transport.setConnectionState('connecting');
      await h.controller.send('later');
      h.transport.failNextHistoryLoad();
      const loadsBefore = h.transport.historyLoads.length;
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      h.transport.setConnectionState('connecting');
      await vi.advanceTimersByTimeAsync(60_000);
      expect(h.transport.historyLoads.length - loadsBefore).toBe(1);
      expect(h.transport.sent).toEqual([]);
      h.transport.setConnectionState('connected');
      await vi.advanceTimersByTimeAsync(0);
      expect(h.transport.sent.map((m) => m.body)).toEqual(['later']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('messages missed while offline appear after reconnecting', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    h.transport.addSilently({ author: 'agent-1', role: 'agent', body: 'Are you still there?' });
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(exchanged(h).map((m) => m.body)).toEqual(['Are you still there?']));
  });

  it('a failed message retried while offline is queued instead', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('x');
    h.transport.setConnectionState('connecting');
    await h.controller.retryMessage('cmid-1');
    expect(exchanged(h)[0]?.delivery).toBe('queued');
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(h.transport.sent.map((m) => m.body)).toEqual(['x']));
  });

  it('queued messages fail visibly when the chat ends before the connection returns', async () => {
    const h = await activeHarness();
    h.transport.setConnectionState('connecting');
    await h.controller.send('too late');
    h.transport.closeConversation();
    expect(h.controller.state.messages.find((m) => m.body === 'too late')).toMatchObject({ delivery: 'failed' });
  });
});
