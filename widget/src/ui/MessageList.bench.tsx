// How the chat copes with a long history: the cost of one incoming agent message
// (store update, rows, virtualised render) with 100 and with 10,000 messages
// shown. The ratio of the two is the figure (npm run bench:widget); absolute
// times depend on the machine. Not part of npm test: no timing is asserted.
import { act, cleanup, render } from '@testing-library/react';
import { afterAll, bench, describe } from 'vitest';
import { historyMessage } from '../testing/history-message.ts';
import { activeHarness, agentAna, type Harness } from '../testing/fixtures.ts';
import { App } from './App.tsx';

const history = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    historyMessage(i, i % 3 === 0 ? 'visitor' : 'agent', `message number ${i}`, { createdAt: Date.UTC(2025, 0, 1, 0, 0, i) }),
  );

async function chatWith(count: number): Promise<Harness> {
  const h = await activeHarness({ transport: { history: history(count), participants: [agentAna] }, controller: { historyPageSize: count } });
  render(<App controller={h.controller} />);
  return h;
}

const chats = new Map<number, Harness>();
afterAll(cleanup);

describe('one incoming agent message', () => {
  for (const count of [100, 10_000]) {
    let sent = 0;
    bench(
      `with ${count.toLocaleString('en')} messages in the chat`,
      () => {
        act(() => {
          chats.get(count)!.transport.pushAgentMessage(`new message ${++sent}`);
        });
      },
      {
        setup: async () => {
          if (!chats.has(count)) chats.set(count, await chatWith(count));
        },
        time: 3_000,
        warmupTime: 500,
      },
    );
  }
});
