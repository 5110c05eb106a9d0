// Sending through the outbox: shown at once, sent once, refusals and the host's reports.
import { describe, expect, it, vi } from 'vitest';
import { TransportError } from '../../transport/chat-transport.ts';
import { activeHarness, exchanged } from '../../testing/fixtures.ts';

const waitForMicrotasks = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

describe('sending', () => {
  it('shows the message at once as sending, clears the draft, then marks it sent', async () => {
    const h = await activeHarness();
    h.transport.holdSends();
    h.controller.setDraft('  Where is my parcel?  ');
    const sending = h.controller.send();
    expect(h.controller.state.draft).toBe('');
    expect(exchanged(h)).toHaveLength(1);
    expect(exchanged(h)[0]).toMatchObject({
      body: 'Where is my parcel?',
      delivery: 'sending',
      role: 'visitor',
      clientMessageId: 'cmid-1',
      authorName: 'Zoë Ångström',
    });
    h.transport.releaseSends();
    await sending;
    expect(exchanged(h)).toHaveLength(1);
    expect(exchanged(h)[0]).toMatchObject({ delivery: 'sent', sid: expect.stringMatching(/^IM/) });
    expect(h.transport.sent).toEqual([{ body: 'Where is my parcel?', clientMessageId: 'cmid-1' }]);
  });

  it.each(['before-resolve', 'after-resolve', 'none'] as const)(
    'the server echo (%s) and the send result make one message',
    async (echo) => {
      const h = await activeHarness({ transport: { echo } });
      await h.controller.send('hello');
      await waitForMicrotasks();
      expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['hello', 'sent']]);
    },
  );

  it('blank drafts are not sent', async () => {
    const h = await activeHarness();
    h.controller.setDraft(' \n ');
    await h.controller.send();
    expect(h.transport.sent).toHaveLength(0);
    expect(exchanged(h)).toHaveLength(0);
  });

  it('a send the service refuses keeps the text as a failed message with the reason; Retry re-sends it exactly once', async () => {
    const h = await activeHarness();
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('do not lose me');
    expect(exchanged(h)[0]).toMatchObject({ body: 'do not lose me', delivery: 'failed', error: 'refused' });
    expect(h.transport.sent).toHaveLength(0);

    const retry = h.controller.retryMessage('cmid-1');
    await h.controller.retryMessage('cmid-1'); // a double click while the first retry is in flight
    await retry;
    expect(h.transport.sent).toEqual([{ body: 'do not lose me', clientMessageId: 'cmid-1' }]);
    expect(exchanged(h).map((m) => [m.body, m.delivery])).toEqual([['do not lose me', 'sent']]);

    await h.controller.retryMessage('cmid-1'); // already sent: nothing happens
    expect(h.transport.sent).toHaveLength(1);
  });

  it("an answer to a rich message keeps the reply's id, also when it is sent again; the draft is not part of it", async () => {
    const h = await activeHarness();
    h.controller.setDraft('half a thought');
    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('Billing', { kind: 'reply', id: 'topic_billing' });
    await h.controller.retryMessage('cmid-1');
    expect(h.transport.sent).toEqual([{ body: 'Billing', clientMessageId: 'cmid-1', answer: { kind: 'reply', id: 'topic_billing' } }]);
    expect(h.controller.state.draft).toBe('half a thought');
  });
});

describe('reports to the host', () => {
  it("the visitor's own messages are reported to the host once the service has them (outgoing), never their text", async () => {
    const h = await activeHarness();
    const outgoing = () => h.hostEvents.filter((e) => e.type === 'message' && !e.fromAgent);
    await h.controller.send('hello');
    expect(outgoing()).toEqual([{ type: 'message', fromAgent: false, direction: 'outgoing' }]);

    h.transport.failNextSend(new TransportError('rejected', 'Refused'));
    await h.controller.send('lost for now');
    expect(outgoing()).toHaveLength(1); // a failed send is no message (yet)
    await h.controller.retryMessage('cmid-2');
    expect(outgoing()).toHaveLength(2);

    h.transport.setConnectionState('connecting');
    await h.controller.send('typed offline');
    expect(outgoing()).toHaveLength(2); // queued
    h.transport.setConnectionState('connected');
    await vi.waitFor(() => expect(outgoing()).toHaveLength(3)); // once, when it goes out
    await waitForMicrotasks();
    expect(outgoing()).toHaveLength(3);
    expect(JSON.stringify(h.hostEvents)).not.toMatch(/hello|typed offline/);
  });
});
