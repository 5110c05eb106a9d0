// Issue #12 "No message lost": every message the visitor typed ends delivered
// exactly once, or failed because the service refused it (with its reason).
// A failure is injected at every step of a send: before the request, after the
// service accepted it but before the answer or echo, and during the reconnect.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import type { MemoryTransport } from '../../transport/memory-transport.ts';
import { activeHarness, exchanged, type Harness } from '../../testing/fixtures.ts';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});

afterEach(() => {
  vi.useRealTimers();
});

/** Lets timers (the catch-up backoff: 1 s, 2 s, …) and the promises after them run. */
async function settle(ms = 10_000): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
}

/** Every visitor body on the service, in the order it stored them. */
function serverBodies(transport: MemoryTransport): string[] {
  return transport.allMessages.filter((m) => m.role === 'visitor').map((m) => m.body);
}

function widgetView(h: Harness): Array<[string, string | null]> {
  return h.controller.state.messages.filter((m) => m.role === 'visitor').map((m) => [m.body, m.delivery]);
}

/** The invariant: each typed message is on the service once, in order, and shown once as sent. */
function expectDeliveredOnce(h: Harness, typed: readonly string[]): void {
  expect(serverBodies(h.transport)).toEqual(typed);
  expect(widgetView(h)).toEqual(typed.map((body) => [body, 'sent']));
}

type Fault = (t: MemoryTransport) => void;

const faultsOfOneSend: Array<[string, Fault]> = [
  ['fails before the request, the connection still reads "connected"', (t) => t.failNextSend()],
  ['fails before the request as the socket drops (the send fails first)', (t) => t.dropDuringNextSend({ accepted: false })],
  ['fails before the request as the socket drops (the drop is reported first)', (t) => t.dropDuringNextSend({ accepted: false, reportFirst: true })],
  ['is accepted, then its answer is lost (no echo), still "connected"', (t) => t.loseNextSendAnswer()],
  ['is accepted, then the socket drops before the echo', (t) => t.dropDuringNextSend({ accepted: true })],
  ['is accepted, the drop is reported, then the send fails', (t) => t.dropDuringNextSend({ accepted: true, reportFirst: true })],
];

describe('a send that fails on a transport error is queued, never failed, and delivered once', () => {
  it.each(faultsOfOneSend)('the 1st, 2nd or 3rd of three messages %s', async (_name, fault) => {
    for (const position of [0, 1, 2]) {
      const h = await activeHarness();
      const typed = ['one', 'two', 'three'];
      for (const [i, body] of typed.entries()) {
        if (i === position) fault(h.transport);
        const sending = h.controller.send(body);
        if (i === position) {
          await Promise.resolve();
          // While it is in doubt, it is never shown as "Not sent".
          expect(h.controller.state.messages.some((m) => m.delivery === 'failed')).toBe(false);
        }
        void sending;
      }
      await settle();
      if (!h.transport.connected) h.transport.restore();
      await settle();
      expectDeliveredOnce(h, typed);
      expect(h.transport.sent.map((m) => m.body)).toEqual(typed); // accepted ones were never sent twice
    }
  });
});

describe('failures during the reconnect', () => {
  it('the catch-up read fails after the reconnect: it is retried, then the queue goes out once, in order', async () => {
    const h = await activeHarness();
    h.transport.dropDuringNextSend({ accepted: true });
    void h.controller.send('in doubt');
    await settle(0);
    void h.controller.send('typed offline 1');
    void h.controller.send('typed offline 2');
    expect(widgetView(h).map(([, d]) => d)).toEqual(['queued', 'queued', 'queued']);
    h.transport.failNextHistoryLoad();
    h.transport.restore();
    await settle();
    expectDeliveredOnce(h, ['in doubt', 'typed offline 1', 'typed offline 2']);
  });

  it('the connection drops again while the queue is being sent: what made it is not sent twice', async () => {
    const h = await activeHarness();
    h.transport.drop();
    for (const body of ['a', 'b', 'c', 'd']) void h.controller.send(body);
    // The first queued message is accepted, then the socket goes again before its echo.
    h.transport.dropDuringNextSend({ accepted: true });
    h.transport.restore();
    await settle();
    expect(serverBodies(h.transport)).toEqual(['a']);
    // The widget cannot know yet that 'a' landed: it waits with the others for the next catch-up.
    expect(widgetView(h).map(([, d]) => d)).toEqual(['queued', 'queued', 'queued', 'queued']);
    // And once more, before the request this time.
    h.transport.dropDuringNextSend({ accepted: false });
    h.transport.restore();
    await settle();
    h.transport.restore();
    await settle();
    expectDeliveredOnce(h, ['a', 'b', 'c', 'd']);
  });

  it('the reconnect itself fails (a new client): the error view keeps the messages queued and Retry sends them once', async () => {
    const h = await activeHarness();
    h.transport.dropDuringNextSend({ accepted: true });
    void h.controller.send('before the break');
    await settle(0);
    void h.controller.send('during the break');
    // The token expires while down; the client refuses the new one, so the widget connects a new client, which fails.
    h.http.push({ body: { token: 'token-2', identity: 'visitor-identity', expiresAt: Date.UTC(2025, 0, 1, 14) } });
    h.transport.failNextTokenUpdate();
    h.transport.failNextConnect();
    h.transport.emit({ type: 'tokenExpired' });
    await settle();
    expect(h.controller.state.phase).toBe('error');
    expect(h.controller.state.error).toMatchObject({ recovery: 'retry-connect' });
    expect(widgetView(h).map(([, d]) => d)).toEqual(['queued', 'queued']);
    await h.controller.retry();
    await settle();
    expect(h.controller.state.phase).toBe('active');
    expectDeliveredOnce(h, ['before the break', 'during the break']);
  });

  it('many agent messages arrive while a send is in doubt: the catch-up reads back far enough to find it', async () => {
    const h = await activeHarness({ controller: { historyPageSize: 5 } });
    h.transport.dropDuringNextSend({ accepted: true });
    void h.controller.send('did it land?');
    await settle(0);
    for (let i = 0; i < 12; i++) h.transport.addSilently({ author: 'agent-1', role: 'agent', body: `missed ${i}` });
    h.transport.restore();
    await settle();
    expectDeliveredOnce(h, ['did it land?']);
    // The visitor sees every message that arrived while away, not only the newest page.
    const agentBodies = h.controller.state.messages.filter((m) => m.role === 'agent').map((m) => m.body);
    expect(agentBodies).toEqual(Array.from({ length: 12 }, (_, i) => `missed ${i}`));
  });
});

describe('a copy that lands late (the service got the request but answers slowly)', () => {
  it.each([
    ['its live echo', true],
    ['the history read after the grace period', false],
  ])('is found by %s, and never sent again', async (_name, echoed) => {
    const h = await activeHarness();
    h.transport.dropDuringNextSend({ accepted: false });
    void h.controller.send('slow');
    await settle(0);
    h.transport.restore();
    await settle(500); // the reconnect's read does not show it, but the grace period holds the resend
    expect(h.transport.sent).toHaveLength(0);
    const late = h.transport.addSilently({ author: 'visitor-identity', role: 'visitor', body: 'slow', clientMessageId: 'cmid-1' });
    if (echoed) h.transport.emit({ type: 'messageAdded', message: late });
    void h.controller.send('after it');
    await settle();
    expectDeliveredOnce(h, ['slow', 'after it']);
  });
});

describe('history reads that lag behind the service (the SDK cache after a reconnect)', () => {
  it('a copy that landed while the reads still lag is waited for, never sent again', async () => {
    const h = await activeHarness();
    h.transport.dropDuringNextSend({ accepted: false });
    void h.controller.send('landed late');
    await settle(0);
    // The service stores the cut-off request a moment later; the SDK's cache does not know yet.
    h.transport.lagHistory(true);
    h.transport.addSilently({ author: 'visitor-identity', role: 'visitor', body: 'landed late', clientMessageId: 'cmid-1' });
    h.transport.restore();
    await settle(8_000); // past the grace period: the grace read and a re-read both lag
    expect(h.transport.sent).toHaveLength(0);
    expect(widgetView(h)).toEqual([['landed late', 'queued']]);
    h.transport.lagHistory(false); // the subscription has caught up
    void h.controller.send('after it');
    await settle(20_000);
    expectDeliveredOnce(h, ['landed late', 'after it']);
  });

  it('a read that stays behind is trusted in the end: a message that never landed is not held forever', async () => {
    const h = await activeHarness();
    h.transport.dropDuringNextSend({ accepted: false });
    void h.controller.send('never landed');
    await settle(0);
    h.transport.lagHistory(true);
    h.transport.addSilently({ author: 'agent-1', role: 'agent', body: 'written while away' });
    h.transport.restore();
    await settle(10_000);
    expect(h.transport.sent).toHaveLength(0); // still waiting for a current read
    await settle(60_000);
    expect(serverBodies(h.transport)).toEqual(['never landed']);
    expect(widgetView(h)).toEqual([['never landed', 'sent']]);
  });
});

describe('only a refusal fails a message', () => {
  it('a refused message fails with its reason; the ones after it still go out, in order', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Media too large', undefined, 'file-too-large'));
    for (const body of ['refused', 'next', 'last']) void h.controller.send(body);
    await settle();
    expect(widgetView(h)).toEqual([
      ['next', 'sent'],
      ['last', 'sent'],
      ['refused', 'failed'],
    ]);
    expect(h.controller.state.messages.find((m) => m.body === 'refused')).toMatchObject({ error: 'file-too-large' });
    expect(serverBodies(h.transport)).toEqual(['next', 'last']);
  });

  it('a refusal without a known reason is "refused"', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Bad request'));
    await h.controller.send('x');
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'failed', error: 'refused' });
  });

  it('messages still waiting when the chat ends fail as "ended"', async () => {
    const h = await activeHarness();
    h.transport.drop();
    void h.controller.send('too late');
    h.http.push({ body: { state: 'closed' } });
    await h.controller.endChat();
    expect(h.controller.state.messages.find((m) => m.body === 'too late')).toMatchObject({ delivery: 'failed', error: 'ended' });
  });
});

describe('order', () => {
  it('a message typed while another is in doubt waits behind it', async () => {
    const h = await activeHarness();
    h.transport.loseNextSendAnswer();
    void h.controller.send('first');
    await settle(0);
    void h.controller.send('second');
    await settle(0);
    // Nothing overtakes the message in doubt, even with the connection up.
    expect(h.transport.sent.map((m) => m.body)).toEqual(['first']);
    expect(widgetView(h).map(([, d]) => d)).toEqual(['queued', 'sending']);
    await settle();
    expectDeliveredOnce(h, ['first', 'second']);
  });

  it('sends go out one at a time, in the order typed', async () => {
    const h = await activeHarness();
    h.transport.holdSends();
    void h.controller.send('1');
    void h.controller.send('2');
    await settle(0);
    expect(h.transport.heldSendCount).toBe(1);
    h.transport.releaseSends();
    await settle(0);
    expectDeliveredOnce(h, ['1', '2']);
  });
});
