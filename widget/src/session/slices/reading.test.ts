// Reading: unseen messages, history paging, download URLs.
import { describe, expect, it } from 'vitest';
import { historyMessage } from '../../testing/history-message.ts';
import { activeHarness, exchanged, agentAna } from '../../testing/fixtures.ts';

describe('unseen messages', () => {
  it('agent messages the visitor cannot see are handed to onUnseenMessage (sound, notifications)', async () => {
    const unseen: Array<{ authorName: string; body: string }> = [];
    const h = await activeHarness({ controller: { onUnseenMessage: (m) => unseen.push(m) } });
    h.transport.pushAgentMessage('seen', 'agent-1');
    h.controller.setPageVisible(false);
    h.transport.pushAgentMessage('while hidden', 'agent-1');
    h.controller.setPageVisible(true);
    h.controller.setHostOpen(false);
    h.transport.pushAgentMessage('while closed', 'agent-1');
    await h.controller.send('mine');
    expect(unseen).toEqual([
      { authorName: 'Ana', body: 'while hidden' },
      { authorName: 'Ana', body: 'while closed' },
    ]);
    expect(h.controller.state.unread).toBe(1);
    expect(h.hostEvents.filter((e) => e.type === 'unread')).toEqual([
      { type: 'unread', count: 1 },
      { type: 'unread', count: 0 },
      { type: 'unread', count: 1 },
    ]);
  });
});

describe('history paging', () => {
  it('loads older pages before the oldest message until there are none', async () => {
    const history = Array.from({ length: 120 }, (_, i) => historyMessage(i, i % 2 ? 'visitor' : 'agent', `m${i}`));
    const h = await activeHarness({ transport: { history, participants: [agentAna] } });
    expect(exchanged(h)).toHaveLength(50);
    expect(h.controller.state.hasOlderMessages).toBe(true);
    const loading = h.controller.loadOlder();
    expect(h.controller.state.loadingOlder).toBe(true);
    await h.controller.loadOlder(); // ignored while loading
    await loading;
    expect(exchanged(h)).toHaveLength(100);
    expect(exchanged(h)[0]?.body).toBe('m20');
    await h.controller.loadOlder();
    expect(exchanged(h)).toHaveLength(120);
    expect(h.controller.state.hasOlderMessages).toBe(false);
    await h.controller.loadOlder();
    expect(h.transport.historyLoads).toEqual([
      { beforeIndex: null, pageSize: 50 },
      { beforeIndex: 70, pageSize: 50 },
      { beforeIndex: 20, pageSize: 50 },
    ]);
    expect(exchanged(h).map((m) => m.index)).toEqual(history.map((m) => m.index));
  });
});

describe('download URLs', () => {
  it('gives download URLs for received files, and null when there is none', async () => {
    const h = await activeHarness();
    const message = h.transport.pushAgentMessage('Your invoice', 'agent-1', 'Ana', [{ filename: 'invoice.pdf', contentType: 'application/pdf', size: 5000 }]);
    const media = message.attachments![0]!;
    expect(await h.controller.mediaUrl(message.sid, media.sid)).toBe(`https://media.example.test/${media.sid}/invoice.pdf`);
    expect(await h.controller.mediaUrl(message.sid, 'ME-unknown')).toBeNull();
  });
});
