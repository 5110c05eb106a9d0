import { describe, expect, it } from 'vitest';
import { addNotice, addOutgoingMessage, mergeServerMessages, type ChatMessage } from '../session/messages.ts';
import type { TransportMessage } from '../transport/chat-transport.ts';
import { buildRows, dayLabeller, type RowOptions } from './rows.ts';

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
