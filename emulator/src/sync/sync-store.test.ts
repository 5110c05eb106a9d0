import { describe, expect, it } from 'vitest';
import { readerOf, REPLAY_LIMIT, SyncStore, TOMBSTONE_LIMIT, type SyncEvent } from './sync-store.ts';

const EVERYONE = { everyoneIn: 'IS1' };

// What a re-subscribing client is replayed, and what the store keeps for it: the
// latest event of each item, never a log that grows with every write.

const summary = (events: SyncEvent[] | undefined) => events?.map((e) => [e.id, e.type, (e.body.item_data ?? e.body.document_data) as unknown]);

describe('Sync replay', () => {
  it('replays the latest event of each item changed since, in event order', () => {
    const store = new SyncStore();
    const map = store.create('map', 'roster', EVERYONE);
    store.writeItem(map, 'a', { v: 1 }); // 1
    store.writeItem(map, 'b', { v: 1 }); // 2
    store.writeItem(map, 'a', { v: 2 }); // 3
    store.writeItem(map, 'b', { v: 2 }); // 4
    store.writeItem(map, 'a', { v: 3 }); // 5
    expect(summary(store.eventsSince(map, 2))).toEqual([
      [4, 'map_item_updated', { v: 2 }],
      [5, 'map_item_updated', { v: 3 }],
    ]);
    expect(summary(store.eventsSince(map, 5))).toEqual([]);
  });

  it('announces an item added since as added, even when it was updated afterwards', () => {
    const store = new SyncStore();
    const list = store.create('list', 'messages', EVERYONE);
    store.appendListItem(list, 'first'); // 1
    store.appendListItem(list, 'second'); // 2
    store.writeItem(list, '1', 'second, edited'); // 3
    expect(summary(store.eventsSince(list, 1))).toEqual([[3, 'list_item_added', 'second, edited']]);
    expect(summary(store.eventsSince(list, 2))).toEqual([[3, 'list_item_updated', 'second, edited']]);
    expect(summary(store.eventsSince(list, 0))).toEqual([
      [1, 'list_item_added', 'first'],
      [3, 'list_item_added', 'second, edited'],
    ]);
  });

  it('leaves out an item added and removed since, and replays the removal of one the client knew', () => {
    const store = new SyncStore();
    const map = store.create('map', 'conversations', EVERYONE);
    store.writeItem(map, 'known', 1); // 1
    store.writeItem(map, 'fleeting', 1); // 2
    store.removeItem(map, 'fleeting'); // 3
    store.removeItem(map, 'known'); // 4
    expect(summary(store.eventsSince(map, 1))).toEqual([[4, 'map_item_removed', 1]]);
    // Added again after its removal: new to whoever saw the removal.
    store.writeItem(map, 'known', 2); // 5
    expect(summary(store.eventsSince(map, 4))).toEqual([[5, 'map_item_added', 2]]);
  });

  it('keeps one event for a document however often it changes', () => {
    const store = new SyncStore();
    const doc = store.create('document', 'channel', EVERYONE);
    for (let i = 1; i <= 5000; i += 1) store.setDocument(doc, { n: i });
    expect(doc.latestEvents.size).toBe(1);
    expect(summary(store.eventsSince(doc, 10))).toEqual([[5000, 'document_updated', { n: 5000 }]]);
    expect(store.eventsSince(doc, 5000)).toEqual([]);
  });

  it('keeps one event per item, not per write', () => {
    const store = new SyncStore();
    const map = store.create('map', 'roster', EVERYONE);
    for (let i = 0; i < 5000; i += 1) store.writeItem(map, `k${i % 3}`, i);
    expect(map.latestEvents.size).toBe(3);
  });

  it('forgets the oldest removals past the limit; a replay reaching back past them is interrupted', () => {
    const store = new SyncStore();
    const map = store.create('map', 'conversations', EVERYONE);
    for (let i = 0; i < TOMBSTONE_LIMIT + 10; i += 1) store.writeItem(map, `k${i}`, i);
    const beforeRemovals = map.lastEventId;
    for (let i = 0; i < TOMBSTONE_LIMIT + 10; i += 1) store.removeItem(map, `k${i}`);
    expect(map.tombstones.size).toBe(TOMBSTONE_LIMIT);
    expect(map.latestEvents.size).toBe(TOMBSTONE_LIMIT);
    // The client saw everything up to before the removals: ten of them are forgotten.
    expect(store.eventsSince(map, beforeRemovals)).toBeUndefined();
    // A client that saw the forgotten ones gets the rest.
    const events = store.eventsSince(map, beforeRemovals + 10);
    expect(events).toHaveLength(TOMBSTONE_LIMIT);
    expect(events?.every((e) => e.type === 'map_item_removed')).toBe(true);
  });

  it('answers a replay of more than REPLAY_LIMIT events as interrupted', () => {
    const store = new SyncStore();
    const list = store.create('list', 'messages', EVERYONE);
    for (let i = 0; i <= REPLAY_LIMIT; i += 1) store.appendListItem(list, i);
    expect(store.eventsSince(list, 0)).toBeUndefined();
    expect(store.eventsSince(list, 1)).toHaveLength(REPLAY_LIMIT);
  });

  it('hands every event to the listeners with its id in the body', () => {
    const store = new SyncStore();
    const seen: Array<[string, string, unknown]> = [];
    store.onEvent((object, event) => seen.push([object.uniqueName, event.type, event.body.id]));
    const doc = store.create('document', 'channel', EVERYONE);
    store.setDocument(doc, { a: 1 });
    const map = store.create('map', 'roster', EVERYONE);
    store.writeItem(map, 'x', 1);
    store.removeItem(map, 'x');
    expect(seen).toEqual([
      ['channel', 'document_updated', 1],
      ['roster', 'map_item_added', 1],
      ['roster', 'map_item_removed', 2],
    ]);
  });

  it('sends each event body with its id first and then its fields in the order Sync sends them', () => {
    const store = new SyncStore();
    const bodies: string[] = [];
    store.onEvent((_, event) => bodies.push(`${event.type} ${Object.keys(event.body).join(',')}`));
    const doc = store.create('document', 'channel', EVERYONE);
    store.setDocument(doc, { a: 1 });
    const list = store.create('list', 'messages', EVERYONE);
    store.appendListItem(list, 'hi');
    store.writeItem(list, '0', 'hi again');
    store.removeItem(list, '0');
    const map = store.create('map', 'roster', EVERYONE);
    store.writeItem(map, 'x', 1);
    store.writeItem(map, 'x', 2);
    store.removeItem(map, 'x');
    expect(bodies).toEqual([
      'document_updated id,document_sid,document_unique_name,document_data,document_revision,date_created',
      'list_item_added id,list_sid,list_unique_name,item_index,item_data,item_revision,item_url,list_revision,date_created',
      'list_item_updated id,list_sid,list_unique_name,item_index,item_data,item_revision,item_url,list_revision,date_created',
      'list_item_removed id,list_sid,list_unique_name,item_index,item_data,list_revision,date_created',
      'map_item_added id,map_sid,map_unique_name,item_key,item_data,item_revision,item_url,map_revision,date_created',
      'map_item_updated id,map_sid,map_unique_name,item_key,item_data,item_revision,item_url,map_revision,date_created',
      'map_item_removed id,map_sid,map_unique_name,item_key,item_data,map_revision,date_created',
    ]);
    expect(list.url).toBe(`https://cds.us1.twilio.com/v3/Lists/${list.sid}`);
    expect(map.itemUrl('a b')).toBe(`https://cds.us1.twilio.com/v3/Maps/${map.sid}/Items/a%20b`);
  });
});

describe('readers', () => {
  it('lets every user of one service read a shared object, and named readers read the rest', () => {
    const store = new SyncStore();
    const shared = store.create('map', 'info', { everyoneIn: 'IS1' });
    expect(shared.canRead(readerOf('IS1', 'ann'))).toBe(true);
    expect(shared.canRead(readerOf('IS2', 'ann'))).toBe(false);
    const own = store.create('map', 'mine', new Set([readerOf('IS1', 'ann')]));
    expect(own.canRead(readerOf('IS1', 'ann'))).toBe(true);
    expect(own.canRead(readerOf('IS2', 'ann'))).toBe(false);
    expect(own.canRead(readerOf('IS1', 'bob'))).toBe(false);
  });
});
