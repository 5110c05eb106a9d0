import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.ts';
import { readerOf, SyncStore } from '../sync/sync-store.ts';
import type { TwilsockConnection } from './connection.ts';
import { JsonText } from './frame.ts';
import { ConnectionHub } from './hub.ts';

// Fan-out: an event reaches its subscribers without the hub looking at any other
// connection, so its cost does not grow with the number of connected clients.

/** A subscription set that counts how often the hub asks it about an object. */
class CountingSet extends Set<string> {
  lookups = 0;
  override has(value: string): boolean {
    this.lookups += 1;
    return super.has(value);
  }
}

interface FakeConnection {
  id: string;
  identity: string;
  reader: string;
  identityReads: number;
  subscriptions: CountingSet;
  tokenUpdates: number;
  forcedExpiryAt: number | undefined;
  pushes: Array<[string, unknown]>;
  /** The payloads as handed over, before JsonText is read back as the object it serialises. */
  handed: unknown[];
  push(type: string, payload: unknown): void;
}

function fakeConnection(id: string, identity: string): FakeConnection {
  const connection: FakeConnection = {
    id,
    identityReads: 0,
    get identity() {
      this.identityReads += 1;
      return identity;
    },
    get reader() {
      this.identityReads += 1;
      return readerOf(SERVICE, identity);
    },
    subscriptions: new CountingSet(),
    tokenUpdates: 0,
    forcedExpiryAt: undefined,
    pushes: [],
    handed: [],
    push(type, payload) {
      this.handed.push(payload);
      this.pushes.push([type, payload instanceof JsonText ? JSON.parse(payload.text) : payload]);
    },
  };
  return connection;
}

const SERVICE = 'IS1';
const asConnection = (fake: FakeConnection) => fake as unknown as TwilsockConnection;
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

function setup(bystanders: number) {
  const store = new SyncStore();
  const hub = new ConnectionHub(store, createLogger('hub', 'silent'));
  const others = Array.from({ length: bystanders }, (_, i) => fakeConnection(`TC${i}`, `visitor-${i}`));
  for (const other of others) hub.add(asConnection(other));
  const subscriber = fakeConnection('TCsub', 'ana');
  hub.add(asConnection(subscriber));
  const roster = store.create('map', 'CH1.roster', new Set([readerOf(SERVICE, 'ana')]));
  return { store, hub, others, subscriber, roster };
}

describe('connection hub fan-out', () => {
  it('pushes a Sync event to the subscribed connection only, without looking at the others', async () => {
    const { store, hub, others, subscriber, roster } = setup(1000);
    hub.establish(subscriber.id, 7, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    await nextTurn();
    expect(subscriber.pushes.at(-1)?.[1]).toMatchObject({ event_type: 'subscription_established', correlation_id: 7 });
    expect(hub.subscriberCount(roster.sid)).toBe(1);

    const readsBefore = others.map((o) => o.identityReads);
    store.writeItem(roster, 'MB1', { identity: 'ana' });
    expect(subscriber.pushes.at(-1)).toEqual(['com.twilio.rtd.cds.map', expect.objectContaining({ event_type: 'map_item_added' })]);
    expect(others.every((o) => o.pushes.length === 0)).toBe(true);
    expect(others.reduce((sum, o) => sum + o.subscriptions.lookups, 0)).toBe(0);
    expect(others.map((o) => o.identityReads)).toEqual(readsBefore);
  });

  it('serialises a Sync event once for all its subscribers', async () => {
    const { store, hub, subscriber, roster } = setup(0);
    const secondTab = fakeConnection('TCtab2', 'ana');
    hub.add(asConnection(secondTab));
    hub.establish(subscriber.id, 1, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    hub.establish(secondTab.id, 2, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    await nextTurn();
    store.writeItem(roster, 'MB1', { identity: 'ana' });
    const [first, second] = [subscriber.handed.at(-1), secondTab.handed.at(-1)];
    expect(first).toBeInstanceOf(JsonText);
    expect(second).toBe(first);
    expect(subscriber.pushes.at(-1)?.[1]).toMatchObject({ event_type: 'map_item_added', event: { item_key: 'MB1', item_data: { identity: 'ana' } } });
  });

  it('sends an identity notification to that identity\'s connections only', () => {
    const { hub, others, subscriber } = setup(500);
    const secondTab = fakeConnection('TCtab2', 'ana');
    hub.add(asConnection(secondTab));
    const readsBefore = others.map((o) => o.identityReads);
    hub.notifyReader(readerOf(SERVICE, 'ana'), 'twilio.ipmsg.typing_indicator', { channel_sid: 'CH1' });
    expect(subscriber.pushes).toHaveLength(1);
    expect(secondTab.pushes).toHaveLength(1);
    expect(others.every((o) => o.pushes.length === 0)).toBe(true);
    expect(others.map((o) => o.identityReads)).toEqual(readsBefore);
  });

  it('forgets a closed connection, its subscriptions included; a subscription answered after the close is dropped', async () => {
    const { store, hub, subscriber, roster } = setup(0);
    hub.establish(subscriber.id, 1, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    await nextTurn();
    hub.remove(asConnection(subscriber));
    expect(hub.subscriberCount(roster.sid)).toBe(0);
    const pushed = subscriber.pushes.length;
    store.writeItem(roster, 'MB1', {});
    expect(subscriber.pushes).toHaveLength(pushed);

    const late = fakeConnection('TClate', 'ana');
    hub.add(asConnection(late));
    hub.establish(late.id, 2, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    hub.remove(asConnection(late));
    await nextTurn();
    expect(hub.subscriberCount(roster.sid)).toBe(0);
    expect(late.pushes).toEqual([]);
  });

  it('stops pushing to a connection whose identity lost access, and cancels on request', async () => {
    const { store, hub, subscriber, roster } = setup(0);
    hub.establish(subscriber.id, 1, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    await nextTurn();
    (roster.readers as Set<string>).delete(readerOf(SERVICE, 'ana'));
    store.writeItem(roster, 'MB2', {});
    expect(hub.subscriberCount(roster.sid)).toBe(0);
    expect(subscriber.subscriptions.has(roster.sid)).toBe(false);

    (roster.readers as Set<string>).add('ana');
    hub.establish(subscriber.id, 2, [{ objectSid: roster.sid, objectType: 'map', lastEventId: undefined }]);
    await nextTurn();
    hub.cancel(subscriber.id, 3, [roster.sid]);
    await nextTurn();
    expect(hub.subscriberCount(roster.sid)).toBe(0);
    expect(subscriber.pushes.at(-1)?.[1]).toMatchObject({ event_type: 'subscription_canceled', correlation_id: 3 });
  });
});
