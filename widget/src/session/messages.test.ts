import { describe, expect, it } from 'vitest';
import type { TransportMessage } from '../transport/chat-transport.ts';
import { addOutgoingMessage, compareMessages, failPending, markFailed, markRetrying, mergeServerMessages, type ChatMessage } from './messages.ts';
import { addNotice } from './notices.ts';

const server = (index: number, extra: Partial<TransportMessage> = {}): TransportMessage => ({
  sid: `IM${index}`,
  index,
  author: 'agent-1',
  role: 'agent',
  body: `message ${index}`,
  createdAt: 1_000 + index,
  ...extra,
});

const outgoing = (clientMessageId: string, body = 'hello') => ({
  clientMessageId,
  author: 'me',
  authorName: null,
  body,
  createdAt: 5_000,
});

const bodies = (messages: readonly ChatMessage[]) => messages.map((m) => m.body);

describe('mergeServerMessages', () => {
  it('orders by index whatever the arrival order', () => {
    const merged = mergeServerMessages([], [server(3), server(1), server(2)]);
    expect(bodies(merged)).toEqual(['message 1', 'message 2', 'message 3']);
  });

  it('dedupes by sid, keeping the newest data', () => {
    const once = mergeServerMessages([], [server(1)]);
    const twice = mergeServerMessages(once, [server(1, { body: 'edited' }), server(2)]);
    expect(bodies(twice)).toEqual(['edited', 'message 2']);
  });

  it('returns the same array when there is nothing to merge', () => {
    const list = mergeServerMessages([], [server(1)]);
    expect(mergeServerMessages(list, [])).toBe(list);
  });

  it('a history page merged after live messages does not duplicate them', () => {
    const live = mergeServerMessages([], [server(5), server(6)]);
    const withHistory = mergeServerMessages(live, [server(4), server(5), server(6)]);
    expect(withHistory.map((m) => m.index)).toEqual([4, 5, 6]);
  });
});

describe('an older history page', () => {
  // What merging gives without the prepend shortcut: every entry, sorted.
  const mergedBySorting = (messages: readonly ChatMessage[], page: TransportMessage[]) =>
    [...messages, ...mergeServerMessages([], page).map((m) => ({ ...m }))].sort(compareMessages);
  const shape = (messages: readonly ChatMessage[]) => messages.map((m) => [m.key, m.index, m.body, m.delivery]);

  it('goes in front of the list, sorted, with the newer entries and local ones kept as they are', () => {
    let list = mergeServerMessages([], [server(10), server(11), server(12)]);
    list = addNotice(list, 'Ana joined the chat', 2_000);
    list = addOutgoingMessage(list, outgoing('c-1', 'typed offline'));
    const page = [server(9), server(7), server(8, { role: 'visitor', author: 'me', clientMessageId: 'c-0' })];
    const merged = mergeServerMessages(list, page);
    expect(merged.map((m) => m.index)).toEqual([7, 8, 9, 10, 11, 12, null, null]);
    expect(shape(merged)).toEqual(shape(mergedBySorting(list, page)));
    expect(merged.slice(3)).toEqual(list); // the same entries, not copies
    expect(merged[3]).toBe(list[0]);
  });

  it('that holds the server copy of a local message replaces that message', () => {
    const list = addOutgoingMessage(mergeServerMessages([], [server(10)]), outgoing('c-1', 'hello'));
    const merged = mergeServerMessages(list, [server(8), server(9, { role: 'visitor', author: 'me', body: 'hello', clientMessageId: 'c-1' })]);
    expect(merged.map((m) => [m.index, m.delivery])).toEqual([
      [8, null],
      [9, 'sent'],
      [10, null],
    ]);
  });

  it('before a notice made when no message was there yet is sorted as before', () => {
    const list = mergeServerMessages(addNotice([], 'Waiting for an agent…', 1_000), [server(10)]);
    const page = [server(8), server(9)];
    expect(shape(mergeServerMessages(list, page))).toEqual(shape(mergedBySorting(list, page)));
  });
});

describe('optimistic sends', () => {
  it('a local message is "sending" and stays below server messages until confirmed', () => {
    let list = mergeServerMessages([], [server(1)]);
    list = addOutgoingMessage(list, outgoing('c1', 'mine'));
    list = mergeServerMessages(list, [server(2)]);
    expect(bodies(list)).toEqual(['message 1', 'message 2', 'mine']);
    expect(list.at(-1)).toMatchObject({ delivery: 'sending', sid: null, role: 'visitor' });
  });

  it('the server copy replaces the local copy (matched by clientMessageId), keeping its key', () => {
    let list = addOutgoingMessage([], outgoing('c1', 'mine'));
    const key = list[0]!.key;
    list = mergeServerMessages(list, [
      server(7, { sid: 'IM7', role: 'visitor', author: 'me', body: 'mine', clientMessageId: 'c1' }),
    ]);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ key, sid: 'IM7', index: 7, delivery: 'sent' });
  });

  it('a provisional server copy is replaced by the real one with the same clientMessageId', () => {
    let list = addOutgoingMessage([], outgoing('c1'));
    list = mergeServerMessages(list, [server(3, { sid: 'pending:c1', role: 'visitor', clientMessageId: 'c1' })]);
    list = mergeServerMessages(list, [server(3, { sid: 'IM3', role: 'visitor', clientMessageId: 'c1' })]);
    expect(list.map((m) => m.sid)).toEqual(['IM3']);
  });

  it('confirmed messages take their index position', () => {
    let list = addOutgoingMessage([], outgoing('c1', 'mine'));
    list = mergeServerMessages(list, [server(2, { body: 'agent later' })]);
    list = mergeServerMessages(list, [server(1, { role: 'visitor', body: 'mine', clientMessageId: 'c1' })]);
    expect(bodies(list)).toEqual(['mine', 'agent later']);
  });

  it('failed → retrying → sent', () => {
    let list = addOutgoingMessage([], outgoing('c1'));
    list = markFailed(list, 'c1', 'refused');
    expect(list[0]).toMatchObject({ delivery: 'failed', error: 'refused', body: 'hello' });
    list = markRetrying(list, 'c1');
    expect(list[0]).toMatchObject({ delivery: 'sending', error: null });
  });

  it('a late failure does not override a message the server already has', () => {
    let list = addOutgoingMessage([], outgoing('c1'));
    list = mergeServerMessages(list, [server(1, { role: 'visitor', clientMessageId: 'c1' })]);
    expect(markFailed(list, 'c1', 'refused')[0]!.delivery).toBe('sent');
  });

  it('markRetrying ignores messages that are not failed', () => {
    const list = addOutgoingMessage([], outgoing('c1'));
    expect(markRetrying(list, 'c1')).toBe(list);
  });

  it('adding the same clientMessageId twice is a no-op', () => {
    const list = addOutgoingMessage([], outgoing('c1'));
    expect(addOutgoingMessage(list, outgoing('c1'))).toBe(list);
  });

  it('failPending fails every message still sending', () => {
    let list = addOutgoingMessage([], outgoing('c1', 'a'));
    list = addOutgoingMessage(list, outgoing('c2', 'b'));
    list = failPending(list, 'ended');
    expect(list.map((m) => m.delivery)).toEqual(['failed', 'failed']);
  });
});

describe('notices', () => {
  it('sit after the newest server message at the time, before later ones', () => {
    let list = mergeServerMessages([], [server(1)]);
    list = addNotice(list, 'Ana joined the chat', 2_000);
    list = mergeServerMessages(list, [server(2)]);
    expect(bodies(list)).toEqual(['message 1', 'Ana joined the chat', 'message 2']);
    expect(list[1]).toMatchObject({ role: 'system', delivery: null });
  });

  it('keep a unique key each', () => {
    let list = addNotice([], 'a', 1);
    list = addNotice(list, 'b', 2);
    expect(new Set(list.map((m) => m.key)).size).toBe(2);
  });
});
