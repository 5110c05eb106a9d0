import { describe, expect, it } from 'vitest';
import { addOutgoingMessage, mergeServerMessages, type ChatMessage } from '../session/messages.ts';
import { addNotice } from '../session/notices.ts';
import type { TransportMessage } from '../transport/chat-transport.ts';
import { buildRows, createRowBuilder, dayLabeller, lastDelivered, type RowOptions } from './rows.ts';

const local = (day: number, h: number, m = 0) => new Date(2025, 0, day, h, m).getTime();
const msg = (index: number, role: 'agent' | 'visitor', at: number, author = role === 'agent' ? 'agent-1' : 'me'): TransportMessage => ({
  sid: `IM${index}`,
  index,
  author,
  role,
  body: `m${index}`,
  createdAt: at,
});

const options: RowOptions = { hasOlder: false, firstUnreadKey: null, dayLabel: (ms: number) => new Date(ms).toDateString() };

function summary(messages: readonly ChatMessage[], opts = options) {
  return buildRows(messages, opts).map((r) =>
    r.kind === 'message' ? `${r.message.body}${r.groupStart ? '<' : ''}${r.groupEnd ? '>' : ''}${r.showDelivery ? '✓' : ''}` : r.kind,
  );
}

describe('rows', () => {
  it('groups consecutive messages by author within five minutes, with a day separator first', () => {
    const messages = mergeServerMessages([], [
      msg(0, 'agent', local(1, 9, 0)),
      msg(1, 'agent', local(1, 9, 2)),
      msg(2, 'agent', local(1, 9, 9)), // more than 5 minutes later: new group
      msg(3, 'visitor', local(1, 9, 10)),
      msg(4, 'visitor', local(1, 9, 11)),
      msg(5, 'agent', local(1, 9, 12), 'agent-2'), // another agent: new group
    ]);
    expect(summary(messages)).toEqual(['date', 'm0<', 'm1>', 'm2<>', 'm3<', 'm4>✓', 'm5<>']);
  });

  it('a new day gets its own separator and breaks groups', () => {
    const messages = mergeServerMessages([], [msg(0, 'agent', local(1, 23, 58)), msg(1, 'agent', local(2, 0, 1))]);
    const rows = buildRows(messages, options);
    expect(rows.map((r) => r.kind)).toEqual(['date', 'message', 'date', 'message']);
    expect(summary(messages)).toEqual(['date', 'm0<>', 'date', 'm1<>']);
  });

  it('puts the "new messages" mark before the first unseen message, which starts a group', () => {
    const messages = mergeServerMessages([], [msg(0, 'agent', local(1, 9, 0)), msg(1, 'agent', local(1, 9, 1)), msg(2, 'agent', local(1, 9, 2))]);
    expect(summary(messages, { ...options, firstUnreadKey: messages[1]!.key })).toEqual(['date', 'm0<>', 'new', 'm1<', 'm2>']);
  });

  it('offers older history first, and notices never join groups', () => {
    let messages = mergeServerMessages([], [msg(0, 'agent', local(1, 9, 0))]);
    messages = addNotice(messages, 'Ana left', local(1, 9, 1));
    messages = mergeServerMessages(messages, [msg(1, 'agent', local(1, 9, 2))]);
    expect(summary(messages, { ...options, hasOlder: true })).toEqual(['older', 'date', 'm0<>', 'Ana left<>', 'm1<>']);
  });

  it('"Sent"/"Read" shows only under the newest delivered visitor message, not pending ones', () => {
    let messages = mergeServerMessages([], [msg(0, 'visitor', local(1, 9, 0)), msg(1, 'visitor', local(1, 9, 1))]);
    messages = addOutgoingMessage(messages, { clientMessageId: 'c', author: 'me', authorName: null, body: 'pending', createdAt: local(1, 9, 2) });
    expect(summary(messages)).toEqual(['date', 'm0<', 'm1✓', 'pending>']);
  });

  it('labels days Today, Yesterday or with the date in the locale', () => {
    const label = dayLabeller('en-GB', { today: 'Today', yesterday: 'Yesterday' }, () => local(10, 12));
    expect(label(local(10, 8))).toBe('Today');
    expect(label(local(9, 23, 59))).toBe('Yesterday');
    expect(label(local(3, 8))).toBe(new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(local(3, 8)));
  });
});

describe('createRowBuilder', () => {
  // A deterministic pseudo-random walk of the changes a chat goes through.
  function random(seed: number) {
    let x = seed;
    return () => {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      return x / 2 ** 31;
    };
  }

  it('gives the same rows as building from scratch after every change', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const next = random(seed);
      const build = createRowBuilder();
      let messages: readonly ChatMessage[] = [];
      let index = 0;
      let at = local(1, 9);
      let opts: RowOptions = options;
      for (let step = 0; step < 120; step++) {
        const r = next();
        at += Math.floor(next() * 8) * 60_000 + (next() < 0.05 ? 24 * 3_600_000 : 0);
        if (r < 0.45) messages = mergeServerMessages(messages, [msg(index++, next() < 0.5 ? 'agent' : 'visitor', at)]);
        else if (r < 0.6) messages = addOutgoingMessage(messages, { clientMessageId: `c${step}`, author: 'me', authorName: null, body: `o${step}`, createdAt: at });
        else if (r < 0.7) {
          const pending = messages.find((m) => m.delivery === 'sending');
          if (pending) messages = mergeServerMessages(messages, [{ ...msg(index++, 'visitor', pending.createdAt), clientMessageId: pending.clientMessageId! }]);
        } else if (r < 0.78) messages = addNotice(messages, `n${step}`, at);
        else if (r < 0.86) messages = mergeServerMessages(messages, [msg(index - 1 - Math.floor(next() * Math.max(1, index)), 'agent', at)].filter((m) => m.index >= 0));
        else if (r < 0.93) opts = { ...opts, firstUnreadKey: messages[Math.floor(next() * messages.length)]?.key ?? null };
        else opts = { ...opts, hasOlder: !opts.hasOlder };
        expect(build(messages, opts)).toEqual(buildRows(messages, opts));
        expect(build.lastDelivered()).toBe(lastDelivered(messages));
      }
    }
  });

  it('finds the newest delivered message when it is replaced, failed or appended', () => {
    const build = createRowBuilder();
    let messages = mergeServerMessages([], [msg(0, 'visitor', local(1, 9, 0)), msg(1, 'agent', local(1, 9, 1)), msg(2, 'visitor', local(1, 9, 2))]);
    build(messages, options);
    expect(build.lastDelivered()?.index).toBe(2);
    messages = mergeServerMessages(messages, [msg(3, 'agent', local(1, 9, 3))]);
    build(messages, options);
    expect(build.lastDelivered()?.index).toBe(2);
    // The newest one changes (an edit): still the newest.
    messages = mergeServerMessages(messages, [{ ...msg(2, 'visitor', local(1, 9, 2)), body: 'edited' }]);
    build(messages, options);
    expect(build.lastDelivered()?.body).toBe('edited');
    // A message of the visitor's on its way is not delivered; the server's copy is.
    messages = addOutgoingMessage(messages, { clientMessageId: 'c1', author: 'me', authorName: null, body: 'new', createdAt: local(1, 9, 4) });
    build(messages, options);
    expect(build.lastDelivered()?.index).toBe(2);
    messages = mergeServerMessages(messages, [{ ...msg(4, 'visitor', local(1, 9, 4)), clientMessageId: 'c1' }]);
    build(messages, options);
    expect(build.lastDelivered()?.index).toBe(4);
    // A list without the newest (a new chat's history): found again from scratch.
    messages = messages.slice(0, 2);
    build(messages, options);
    expect(build.lastDelivered()?.index).toBe(0);
    build([], options);
    expect(build.lastDelivered()).toBeNull();
  });

  it('keeps the rows of unchanged messages when one arrives', () => {
    const build = createRowBuilder();
    const first = mergeServerMessages([], [msg(0, 'agent', local(1, 9, 0)), msg(1, 'agent', local(1, 9, 1)), msg(2, 'visitor', local(1, 9, 2))]);
    const before = build(first, options);
    const after = build(mergeServerMessages(first, [msg(3, 'visitor', local(1, 9, 3))]), options);
    expect(after[1]).toBe(before[1]); // m0: its neighbours did not change
    expect(after.map((r) => (r.kind === 'message' ? r.message.body : r.kind))).toEqual(['date', 'm0', 'm1', 'm2', 'm3']);
  });
});
