import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../session/messages.ts';
import { answerAfter } from './answer.ts';

function message(key: string, role: ChatMessage['role'], body: string): ChatMessage {
  return {
    key,
    sid: null,
    index: null,
    clientMessageId: null,
    role,
    author: role,
    authorName: null,
    body,
    createdAt: 0,
    delivery: null,
    error: null,
    anchorIndex: -1,
    seq: 0,
    notice: null,
    attachments: [],
    progress: null,
    partOf: null,
  };
}

describe('answerAfter', () => {
  const list = [
    message('a', 'visitor', 'Hello'),
    message('rich', 'agent', 'Pick one'),
    message('b', 'agent', 'Or tell us'),
    message('c', 'system', 'Alex joined'),
    message('d', 'visitor', 'Billing'),
    message('e', 'visitor', 'and more'),
  ];

  it('is the first visitor message after the rich one', () => {
    expect(answerAfter(list, 'rich')).toBe('Billing');
  });

  it('is null while nobody answered, and for a message not in the list', () => {
    expect(answerAfter(list.slice(0, 4), 'rich')).toBeNull();
    expect(answerAfter(list, 'gone')).toBeNull();
  });

  it('a visitor message before the rich one does not count', () => {
    expect(answerAfter(list.slice(0, 2), 'rich')).toBeNull();
  });
});
