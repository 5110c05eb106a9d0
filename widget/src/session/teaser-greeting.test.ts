import { describe, expect, it } from 'vitest';
import { buildRows } from '../ui/rows.ts';
import { teaserMessage, withTeaser } from './teaser-greeting.ts';
import type { ChatMessage } from './messages.ts';

const at = Date.UTC(2026, 11, 5, 10, 0);
const teaser = teaserMessage({ text: 'Questions about shipping?', at });
const visitor: ChatMessage = { ...teaser, key: 's:1', sid: 'IM1', index: 0, role: 'visitor', author: 'visitor-1', body: 'Where is my order?', createdAt: at + 60_000, delivery: 'sent', anchorIndex: -1 };

describe('the teaser as the first agent-side message', () => {
  it('is an agent message with no name (shown as agents without one are), never a server message', () => {
    expect(teaser).toMatchObject({ role: 'agent', authorName: null, body: 'Questions about shipping?', createdAt: at, sid: null, index: null, delivery: null, notice: null });
  });

  it('comes before the conversation, in a group of its own', () => {
    const list = withTeaser([visitor], teaser);
    expect(list.map((m) => m.key)).toEqual(['t:teaser', 's:1']);
    const rows = buildRows(list, { hasOlder: false, firstUnreadKey: null, dayLabel: () => 'Today' }).filter((r) => r.kind === 'message');
    expect(rows.map((r) => [r.message.key, r.groupStart, r.groupEnd])).toEqual([
      ['t:teaser', true, true],
      ['s:1', true, true],
    ]);
  });

  it('without a teaser the list is the conversation itself', () => {
    const list = [visitor];
    expect(withTeaser(list, null)).toBe(list);
  });
});
