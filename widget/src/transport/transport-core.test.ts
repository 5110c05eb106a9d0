// The shared plumbing's handling of content messages: announced once their
// content is here, in the order they came, and never lost when it is not.
import { describe, expect, it, vi } from 'vitest';
import type { RichContent } from '../../../contracts/rich-content.ts';
import type { TransportEvent, TransportMessage } from './chat-transport.ts';
import { TransportCore, type SdkClientLike, type SdkMemberLike } from './transport-core.ts';

interface FakeMessage {
  sid: string;
  index: number;
  body: string;
  content?: Promise<RichContent | null>;
}

const rich: RichContent = { type: 'twilio/quick-reply', body: 'Pick one', replies: [{ kind: 'reply', title: 'Yes', id: 'y' }] };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function makeCore(contentTimeoutMs = 10_000) {
  const core = new TransportCore<SdkClientLike, FakeMessage, SdkMemberLike>(
    { contentTimeoutMs },
    {
      message: (m): TransportMessage => ({ sid: m.sid, index: m.index, author: 'agent.alex', role: 'agent', body: m.body, createdAt: 0 }),
      participant: () => ({ identity: 'x', role: 'agent' }),
      content: (m) => m.content ?? null,
    },
  );
  const added: TransportMessage[] = [];
  core.subscribe((event: TransportEvent) => event.type === 'messageAdded' && added.push(event.message));
  return { core, added };
}

describe('TransportCore: content messages', () => {
  it('announces a plain message at once', () => {
    const { core, added } = makeCore();
    core.messageAdded({ sid: 'IM1', index: 0, body: 'Hi' });
    expect(added.map((m) => m.body)).toEqual(['Hi']);
  });

  it('announces a content message with its content, and the messages after it only after it', async () => {
    const { core, added } = makeCore();
    const content = deferred<RichContent | null>();
    core.messageAdded({ sid: 'IM1', index: 0, body: 'Pick one', content: content.promise });
    core.messageAdded({ sid: 'IM2', index: 1, body: 'Anything else?' });
    await Promise.resolve();
    expect(added).toEqual([]);
    content.resolve(rich);
    await vi.waitFor(() => expect(added.map((m) => m.sid)).toEqual(['IM1', 'IM2']));
    expect(added[0]!.content).toEqual(rich);
    expect(added[1]!.content).toBeUndefined();
    // The queue is empty again: the next plain message goes out at once.
    core.messageAdded({ sid: 'IM3', index: 2, body: 'Bye' });
    expect(added.at(-1)?.sid).toBe('IM3');
  });

  it('falls back to the plain body when the content cannot be had or is nothing to draw', async () => {
    const { core, added } = makeCore();
    core.messageAdded({ sid: 'IM1', index: 0, body: 'Failed', content: Promise.reject(new Error('403')) });
    core.messageAdded({ sid: 'IM2', index: 1, body: 'Text only', content: Promise.resolve(null) });
    await vi.waitFor(() => expect(added.map((m) => [m.body, m.content])).toEqual([['Failed', undefined], ['Text only', undefined]]));
  });

  it('gives up waiting after contentTimeoutMs and shows the plain body', async () => {
    vi.useFakeTimers();
    try {
      const { core, added } = makeCore(5_000);
      core.messageAdded({ sid: 'IM1', index: 0, body: 'Slow', content: new Promise(() => undefined) });
      await vi.advanceTimersByTimeAsync(4_999);
      expect(added).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(added.map((m) => [m.body, m.content])).toEqual([['Slow', undefined]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('announces nothing that arrives after teardown', async () => {
    const { core, added } = makeCore();
    const content = deferred<RichContent | null>();
    core.messageAdded({ sid: 'IM1', index: 0, body: 'Late', content: content.promise });
    await core.teardown();
    content.resolve(rich);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(added).toEqual([]);
  });

  it('history pages carry content too', async () => {
    const { core } = makeCore();
    const page = await core.page(
      {
        getMessages: async () => ({
          items: [
            { sid: 'IM2', index: 1, body: 'Pick one', content: Promise.resolve(rich) },
            { sid: 'IM1', index: 0, body: 'Hello' },
          ],
          hasPrevPage: false,
        }),
      },
      10,
      undefined,
    );
    expect(page.messages.map((m) => [m.sid, m.content])).toEqual([
      ['IM1', undefined],
      ['IM2', rich],
    ]);
  });
});
