import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { historyMessage } from '../testing/history-message.ts';
import { activeHarness, agentAna, exchanged, type Harness } from '../testing/fixtures.ts';
import { App } from './App.tsx';

afterEach(cleanup);

// jsdom has no layout and does not scroll. The log gets the geometry a browser
// would give it (a 600 px viewport over the virtualiser's total height), and
// scrollTo moves scrollTop and fires 'scroll'.
const descriptors = {
  scrollHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'scrollHeight'),
  clientHeight: Object.getOwnPropertyDescriptor(Element.prototype, 'clientHeight'),
};
afterAll(() => {
  Object.defineProperty(Element.prototype, 'scrollHeight', descriptors.scrollHeight!);
  Object.defineProperty(Element.prototype, 'clientHeight', descriptors.clientHeight!);
});
beforeAll(() => {
  Object.defineProperty(Element.prototype, 'scrollHeight', {
    configurable: true,
    get(this: Element) {
      const inner = this.classList.contains('fc-log') ? (this.firstElementChild as HTMLElement | null) : null;
      return inner ? Number.parseFloat(inner.style.height) || 0 : 0;
    },
  });
  Object.defineProperty(Element.prototype, 'clientHeight', {
    configurable: true,
    get(this: Element) {
      return this.classList.contains('fc-log') ? 600 : 0;
    },
  });
  Element.prototype.scrollTo = function scrollTo(this: Element, options?: ScrollToOptions | number) {
    const top = typeof options === 'object' ? options.top : undefined;
    if (top === undefined || top === this.scrollTop) return; // browsers fire no scroll event for no movement
    this.scrollTop = top;
    this.dispatchEvent(new Event('scroll'));
  } as Element['scrollTo'];
});

/** Lets a task pass (a short chat draws the rows away from the viewport a task after the others). */
const nextTask = () => act(() => new Promise<void>((done) => setTimeout(done, 0)));

function renderChat(h: Harness) {
  render(<App controller={h.controller} />);
  return screen.getByRole('log', { name: 'Messages' });
}

/** The messages of agents and the visitor (not the notices such as "Ana joined the chat"). */
const messagesIn = (log: HTMLElement) => Array.from(log.querySelectorAll<HTMLElement>('[data-role="agent"], [data-role="visitor"]'));

/** jsdom has no layout: give the log the geometry a browser would. */
function layout(log: HTMLElement, geometry: { scrollHeight: number; clientHeight: number; scrollTop: number }) {
  Object.defineProperty(log, 'scrollHeight', { configurable: true, get: () => geometry.scrollHeight });
  Object.defineProperty(log, 'clientHeight', { configurable: true, get: () => geometry.clientHeight });
  log.scrollTop = geometry.scrollTop;
  fireEvent.scroll(log);
}

const manyMessages = (count: number) =>
  Array.from({ length: count }, (_, i) =>
    historyMessage(i, i % 3 === 0 ? 'visitor' : 'agent', `message number ${i}`, { createdAt: Date.UTC(2025, 0, 1, 0, 0, i) }),
  );

describe('virtualised list', () => {
  it('10,000 messages render only a bounded window of rows, which follows scrolling', async () => {
    const h = await activeHarness({ transport: { history: manyMessages(10_000), participants: [agentAna] }, controller: { historyPageSize: 10_000 } });
    expect(exchanged(h)).toHaveLength(10_000);
    const log = renderChat(h);
    const first = messagesIn(log);
    expect(first.length).toBeGreaterThan(0);
    expect(first.length).toBeLessThan(60);
    // It starts at the newest messages.
    expect(first.at(-1)?.textContent).toContain('message number 9999');

    act(() => {
      log.scrollTop = 20_000;
      fireEvent.scroll(log);
    });
    const middle = messagesIn(log);
    expect(middle.length).toBeLessThan(60);
    expect(middle.some((m) => m.textContent?.includes('message number 9999'))).toBe(false);
    const numbers = middle.map((m) => Number(/^message number (\d+)$/.exec(m.querySelector('.fc-msg-text')?.textContent ?? '')?.[1]));
    expect(Math.min(...numbers)).toBeGreaterThan(0);
    expect(Math.max(...numbers)).toBeLessThan(9_000);
  });

  it('short conversations are rendered completely (screen readers can browse them)', async () => {
    const h = await activeHarness({ transport: { history: manyMessages(150), participants: [agentAna] }, controller: { historyPageSize: 150 } });
    const log = renderChat(h);
    // The rows around the viewport first; the rest a task later (no long task for all of them).
    expect(messagesIn(log).length).toBeLessThan(60);
    expect(messagesIn(log).at(-1)?.textContent).toContain('message number 149');
    await nextTask();
    expect(messagesIn(log)).toHaveLength(150);
    // A live message is drawn with them at once.
    act(() => {
      h.transport.pushAgentMessage('one more');
    });
    expect(messagesIn(log)).toHaveLength(151);
  });
});

describe('grouping, days and timestamps', () => {
  it('names the author once per group, with an avatar for agents, and times each group', async () => {
    const at = (m: number) => ({ createdAt: new Date(2025, 0, 1, 9, m).getTime() });
    const h = await activeHarness({
      transport: {
        history: [
          historyMessage(0, 'agent', 'Hi', at(0)),
          historyMessage(1, 'agent', 'How can I help?', at(1)),
          historyMessage(2, 'visitor', 'My order', at(2)),
        ],
        participants: [agentAna],
      },
    });
    const log = renderChat(h);
    const visibleAuthors = Array.from(log.querySelectorAll('.fc-msg-author')).map((e) => e.textContent);
    expect(visibleAuthors).toEqual(['Ana', 'You']);
    expect(log.querySelectorAll('.fc-avatar')).toHaveLength(1);
    expect(log.querySelector('.fc-avatar')?.textContent).toBe('A');
    // Every message still carries its author and time for assistive technology.
    const [, second] = messagesIn(log);
    expect(second?.textContent).toContain('Ana');
    expect(second?.querySelector('time')?.getAttribute('dateTime')).toBe(new Date(2025, 0, 1, 9, 1).toISOString());
    expect(log.querySelector('.fc-date time')?.getAttribute('dateTime')).toBe('2025-01-01'); // day separator
  });
});

describe('new messages and jump to latest', () => {
  it('while scrolled up, agent messages count as unread: a separator marks them and a button jumps to them', async () => {
    const h = await activeHarness({ transport: { history: manyMessages(30), participants: [agentAna] } });
    const log = renderChat(h);
    await nextTask(); // every row drawn
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
    act(() => layout(log, { scrollHeight: 3000, clientHeight: 500, scrollTop: 1000 }));
    expect(screen.getByRole('button', { name: 'Jump to latest messages' })).toBeTruthy();

    act(() => {
      h.transport.pushAgentMessage('Are you there?');
      h.transport.pushAgentMessage('Hello?');
    });
    expect(h.controller.state.unread).toBe(2);
    const separator = within(log).getByText('New messages');
    const rows = Array.from(log.querySelectorAll('.fc-row'));
    const separatorRow = rows.findIndex((r) => r.contains(separator));
    expect(rows[separatorRow + 1]?.textContent).toContain('Are you there?');
    const jump = screen.getByRole('button', { name: 'Jump to latest messages 2 new' });

    act(() => fireEvent.click(jump));
    expect(screen.queryByRole('button', { name: /Jump to latest/ })).toBeNull();
    expect(document.activeElement).toBe(log);
    expect(h.controller.state.unread).toBe(0);
    expect(h.transport.readMarks.at(-1)).toBe(31); // the agent sees the messages read
    // The mark stays until the visitor answers.
    expect(within(log).getByText('New messages')).toBeTruthy();
    await act(() => h.controller.send('Yes!'));
    expect(within(log).queryByText('New messages')).toBeNull();
  });

  it('at the bottom, new messages are read at once (no separator, no unread)', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    act(() => layout(log, { scrollHeight: 500, clientHeight: 500, scrollTop: 0 }));
    act(() => {
      h.transport.pushAgentMessage('Hi');
    });
    expect(h.controller.state.unread).toBe(0);
    expect(within(log).queryByText('New messages')).toBeNull();
    expect(h.transport.readMarks).toContain(0);
  });
});

describe('delivery and read receipts', () => {
  it('the newest sent message shows "Sent", then "Read" once the agent has read it', async () => {
    const h = await activeHarness();
    const log = renderChat(h);
    await act(() => h.controller.send('first'));
    await act(() => h.controller.send('second'));
    const [first, second] = messagesIn(log);
    expect(first?.textContent).not.toContain('Sent');
    expect(second?.textContent).toContain('Sent');
    act(() => h.transport.setReadHorizon('agent-1', 1));
    expect(messagesIn(log)[1]?.textContent).toContain('Read');
  });
});

describe('system messages', () => {
  it('queue position, agent joined and left', async () => {
    const h = await activeHarness({ transport: { participants: [] } });
    const log = renderChat(h);
    expect(within(log).getByText('Waiting for an agent…').closest('[data-role]')?.getAttribute('data-role')).toBe('system');
    act(() => h.transport.setQueuePosition(4));
    expect(within(log).getByText('You are number 4 in the queue.')).toBeTruthy();
    act(() => h.transport.addParticipant(agentAna));
    expect(within(log).queryByText('You are number 4 in the queue.')).toBeNull();
    expect(within(log).getByText('Ana joined the chat')).toBeTruthy();
    act(() => h.transport.removeParticipant('agent-1'));
    expect(within(log).getByText('Ana left the chat')).toBeTruthy();
  });
});

describe('agent name masking', () => {
  it('shows "Agent 1", "Agent 2" after a transfer, and the real names never reach the page', async () => {
    const h = await activeHarness({
      transport: { participants: [{ identity: 'agent-a', role: 'agent', displayName: 'Alex Real' }] },
      controller: { options: { maskAgentNames: true } },
    });
    const log = renderChat(h);
    act(() => {
      h.transport.pushAgentMessage('Hello', 'agent-a', 'Alex Real');
      h.transport.emit({ type: 'participantUpdated', participant: { identity: 'agent-a', role: 'agent', displayName: 'Alex Real' } });
      h.transport.setTyping('agent-a', true);
    });
    expect(screen.getByText('Agent 1 is typing…')).toBeTruthy();
    act(() => {
      h.transport.removeParticipant('agent-a');
      h.transport.addParticipant({ identity: 'agent-b', role: 'agent', displayName: 'Blake Real' });
      h.transport.pushAgentMessage('Taking over', 'agent-b', 'Blake Real');
    });
    expect(within(log).getByText('Agent 1 left the chat')).toBeTruthy();
    expect(within(log).getByText('Agent 2 joined the chat')).toBeTruthy();
    expect(Array.from(log.querySelectorAll('.fc-msg-author')).map((e) => e.textContent)).toEqual(['Agent 1', 'Agent 2']);
    expect(document.body.textContent).not.toMatch(/Alex Real|Blake Real/);
    expect(JSON.stringify(h.controller.state)).not.toMatch(/Alex Real|Blake Real/);
  });
});

describe('history paging', () => {
  it('scrolling near the top loads the previous page, and the Load earlier button does too', async () => {
    const h = await activeHarness({ transport: { history: manyMessages(120), participants: [agentAna] } });
    const log = renderChat(h);
    expect(exchanged(h)).toHaveLength(50);
    await act(async () => layout(log, { scrollHeight: 4000, clientHeight: 500, scrollTop: 100 }));
    expect(exchanged(h)).toHaveLength(100);
    await act(async () => fireEvent.click(within(log).getByRole('button', { name: 'Load earlier messages' })));
    expect(exchanged(h)).toHaveLength(120);
    expect(within(log).queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
  });
});

describe('markdown', () => {
  it('is rendered as elements when enabled, and stays literal otherwise', async () => {
    const on = await activeHarness({ controller: { options: { markdown: true } } });
    const log = renderChat(on);
    act(() => {
      on.transport.pushAgentMessage('This is **important** and `code`');
    });
    expect(log.querySelector('strong')?.textContent).toBe('important');
    expect(log.querySelector('code')?.textContent).toBe('code');
    cleanup();
    const off = await activeHarness();
    const plain = renderChat(off);
    act(() => {
      off.transport.pushAgentMessage('This is **important**');
    });
    expect(plain.querySelector('strong')).toBeNull();
    expect(plain.textContent).toContain('**important**');
  });
});
