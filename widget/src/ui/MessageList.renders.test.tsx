import { act, cleanup, render, screen } from '@testing-library/react';
import { Profiler } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { historyMessage } from '../testing/history-message.ts';
import { activeHarness, agentAna } from '../testing/fixtures.ts';
import { App } from './App.tsx';
import { TypingIndicator } from './MessageList.tsx';
import { SessionContext } from './session-context.ts';
import type { SessionController } from '../session/session-controller.ts';

afterEach(cleanup);

// A browser-like log: rows measure 70 px (not the estimate), the log is 600 px high
// over the rows' total height, and scrollTo moves scrollTop and fires 'scroll'.
const saved = {
  rect: Element.prototype.getBoundingClientRect,
  scrollTo: Element.prototype.scrollTo,
  scrollHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight')!,
  clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight')!,
};
beforeAll(() => {
  Element.prototype.getBoundingClientRect = function rect(this: Element) {
    const height = this.classList.contains('fc-row') ? 70 : this.classList.contains('fc-log') ? 600 : 0;
    return { x: 0, y: 0, top: 0, left: 0, right: 300, bottom: height, width: 300, height, toJSON: () => ({}) };
  };
  Object.defineProperty(Element.prototype, 'scrollHeight', {
    configurable: true,
    get(this: Element) {
      const inner = this.classList.contains('fc-log') ? (this.firstElementChild as HTMLElement | null) : null;
      return inner ? Number.parseFloat(inner.style.height) || 0 : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientHeight', { configurable: true, get: (): number => 600 });
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
    const top = typeof options === 'object' ? options.top : undefined;
    if (top === undefined || top === this.scrollTop) return;
    this.scrollTop = top;
    setTimeout(() => this.dispatchEvent(new Event('scroll')), 0);
  } as Element['scrollTo'];
});
afterAll(() => {
  Element.prototype.getBoundingClientRect = saved.rect;
  Element.prototype.scrollTo = saved.scrollTo;
  Object.defineProperty(Element.prototype, 'scrollHeight', saved.scrollHeight);
  Object.defineProperty(Element.prototype, 'clientHeight', saved.clientHeight);
});

const history = (count: number) =>
  Array.from({ length: count }, (_, i) => historyMessage(i, i % 3 === 0 ? 'visitor' : 'agent', `message number ${i}`, { createdAt: Date.UTC(2025, 0, 1, 0, 0, i) }));

/** Lets the virtualiser's scroll events and its "scrolling stopped" timer (150 ms) run. */
const settle = () => act(() => new Promise<void>((done) => setTimeout(done, 300)));

/** Renders the app; the returned function counts the React commits since. */
function renderCountingCommits(controller: SessionController): () => number {
  let commits = 0;
  render(
    <Profiler id="chat" onRender={() => commits++}>
      <App controller={controller} />
    </Profiler>,
  );
  return () => commits;
}

async function commitsForOneMessage(count: number): Promise<number> {
  const h = await activeHarness({ transport: { history: history(count), participants: [agentAna] }, controller: { historyPageSize: count } });
  const commits = renderCountingCommits(h.controller);
  await settle();
  const before = commits();
  act(() => {
    h.transport.pushAgentMessage('one more');
  });
  await settle();
  expect(screen.getByRole('log', { name: 'Messages' }).textContent).toContain('one more');
  return commits() - before;
}

// Each render of the list re-reads the layout (the virtualiser's scroll bookkeeping):
// measuring the new row, following it to the bottom and the end of that scroll must not
// render the list again when the rows it draws stay the same.
describe('an incoming message renders the list once', () => {
  it('in a short chat, where every row is drawn', async () => {
    expect(await commitsForOneMessage(100)).toBe(1);
  });

  it('in a long chat too: the row that scrolls out at the top stays drawn (stickyRange)', async () => {
    expect(await commitsForOneMessage(1000)).toBe(1);
  });
});

describe("a resumed chat's history", () => {
  it('is first drawn at its newest rows, where the log is scrolled to, not at its oldest', async () => {
    const h = await activeHarness({ transport: { history: history(100), participants: [agentAna] }, controller: { historyPageSize: 100 } });
    const commits = renderCountingCommits(h.controller);
    // Before any scroll event or the task that draws the other rows.
    const drawn = () => [...screen.getByRole('log', { name: 'Messages' }).querySelectorAll('.fc-bubble')].map((bubble) => bubble.textContent);
    expect(drawn()).toContain('message number 99');
    expect(drawn()).not.toContain('message number 0');
    const firstDraw = commits();
    await settle();
    expect(drawn()).toContain('message number 0'); // a short chat: the rest follows a task later
    expect(commits() - firstDraw).toBe(1);
  });
});

describe('read receipts', () => {
  it('render the list only when they turn "Sent" into "Read"', async () => {
    const h = await activeHarness({ transport: { history: history(20), participants: [agentAna] } });
    const commits = renderCountingCommits(h.controller);
    await settle();
    await act(() => h.controller.send('my question'));
    await settle();
    const log = screen.getByRole('log', { name: 'Messages' });
    const sent = h.controller.state.messages.at(-1)!;
    expect(log.textContent).toContain('Sent');

    let before = commits();
    act(() => h.transport.setReadHorizon('agent-1', sent.index!));
    expect(commits() - before).toBe(1);
    expect(log.textContent).toContain('Read');

    act(() => {
      h.transport.pushAgentMessage('an answer');
    });
    await settle();
    // The agent has read its own answer: nothing on screen changes.
    before = commits();
    act(() => h.transport.setReadHorizon('agent-1', sent.index! + 1));
    expect(h.controller.state.readHorizon).toBe(sent.index! + 1);
    expect(commits() - before).toBe(0);
  });
});


describe('the typing indicator', () => {
  it('renders again only when who types changes, not for each message', async () => {
    const h = await activeHarness({ transport: { participants: [agentAna] } });
    let renders = 0;
    render(
      <SessionContext.Provider value={h.controller}>
        <Profiler id="typing" onRender={() => renders++}>
          <TypingIndicator />
        </Profiler>
      </SessionContext.Provider>,
    );
    const before = renders;
    act(() => {
      h.transport.pushAgentMessage('an answer');
    });
    expect(renders - before).toBe(0);

    act(() => h.transport.setTyping(agentAna.identity, true));
    expect(renders - before).toBe(1);
    expect(document.querySelector('.fc-typing')?.textContent).toContain(agentAna.displayName);
    act(() => {
      h.transport.pushAgentMessage('another answer', agentAna.identity);
    });
    expect(renders - before).toBe(2);
    expect(document.querySelector('.fc-typing')?.textContent).toBe('');
  });
});
