import type { Logger } from '../log.ts';
import type { SubscriptionManager, SubscriptionRequest } from '../sync/sync-routes.ts';
import type { SyncEvent, SyncKind, SyncObject, SyncStore } from '../sync/sync-store.ts';
import type { TwilsockConnection } from './connection.ts';
import { JsonText } from './frame.ts';

// All live Twilsock connections: who is subscribed to which Sync object, and
// delivery of Sync events and Conversations notifications to them. Both are
// indexed (object SID → subscribed connections, reader → its connections), so
// an event costs in proportion to its subscribers, not to every connection.

const PUSH_TYPE: Record<SyncKind, string> = {
  document: 'com.twilio.rtd.cds.document',
  list: 'com.twilio.rtd.cds.list',
  map: 'com.twilio.rtd.cds.map',
};
const REPLAY_TYPE = 'twilio.sync.event';

export interface ConnectionSummary {
  id: string;
  identity: string | null;
  /** Sync object SIDs whose subscription is established on this connection. */
  subscriptions: string[];
  tokenUpdates: number;
  /** ISO time a forced expiry closes the socket, null when none is pending. */
  forcedExpiryAt: string | null;
}

export class ConnectionHub implements SubscriptionManager {
  private readonly connections = new Map<string, TwilsockConnection>();
  /** Object SID → the connections with an established subscription to it. */
  private readonly subscribers = new Map<string, Set<TwilsockConnection>>();
  /** Reader (a user of one service, `readerOf`) → its connections (one user may be connected from several tabs). */
  private readonly byReader = new Map<string, Set<TwilsockConnection>>();

  constructor(
    private readonly store: SyncStore,
    private readonly log: Logger,
  ) {
    store.onEvent((object, event) => this.deliver(object, event));
  }

  /** A connection whose init succeeded (its identity is known and never changes). */
  add(connection: TwilsockConnection): void {
    this.connections.set(connection.id, connection);
    if (connection.reader !== undefined) addTo(this.byReader, connection.reader, connection);
  }

  remove(connection: TwilsockConnection): void {
    if (this.connections.get(connection.id) !== connection) return;
    this.connections.delete(connection.id);
    if (connection.reader !== undefined) removeFrom(this.byReader, connection.reader, connection);
    for (const sid of connection.subscriptions) removeFrom(this.subscribers, sid, connection);
  }

  private subscribe(connection: TwilsockConnection, objectSid: string): void {
    connection.subscriptions.add(objectSid);
    addTo(this.subscribers, objectSid, connection);
  }

  private unsubscribe(connection: TwilsockConnection, objectSid: string): void {
    connection.subscriptions.delete(objectSid);
    removeFrom(this.subscribers, objectSid, connection);
  }

  /** How many connections an event on this object reaches (tests: fan-out is indexed). */
  subscriberCount(objectSid: string): number {
    return this.subscribers.get(objectSid)?.size ?? 0;
  }

  get size(): number {
    return this.connections.size;
  }

  all(): TwilsockConnection[] {
    return [...this.connections.values()];
  }

  /** Closes every connection with 410 as if its token had run out. */
  expireAll(): number {
    const connections = this.all();
    for (const connection of connections) connection.expireNow();
    return connections.length;
  }

  /** Warns every connection that its token is about to expire; each closes with 410 after `inMs` unless it updates its token. */
  expireAllSoon(inMs: number): number {
    const connections = this.all();
    for (const connection of connections) connection.expireSoon(inMs);
    return connections.length;
  }

  /** What tests observe instead of waiting on time: who is connected, subscribed to what, renewing how. */
  describe(): ConnectionSummary[] {
    return this.all().map((connection) => ({
      id: connection.id,
      identity: connection.identity ?? null,
      subscriptions: [...connection.subscriptions],
      tokenUpdates: connection.tokenUpdates,
      forcedExpiryAt: connection.forcedExpiryAt === undefined ? null : new Date(connection.forcedExpiryAt).toISOString(),
    }));
  }

  /** Sends a Conversations notification (e.g. typing) to every connection of a user of a service (`readerOf`). */
  notifyReader(reader: string, messageType: string, payload: unknown): void {
    for (const connection of this.byReader.get(reader) ?? []) connection.push(messageType, payload);
  }

  establish(connectionId: string, correlationId: number | string, requests: SubscriptionRequest[]): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    // Answer after the REST reply has gone out, as Twilio's poke responses do.
    this.soon('subscription establish', connectionId, () => {
      if (this.connections.get(connectionId) !== connection) return; // closed meanwhile
      for (const request of requests) {
        const object = this.store.findBySid(request.objectSid);
        if (!object || !connection.reader || !object.canRead(connection.reader)) {
          connection.push(REPLAY_TYPE, {
            event_type: 'subscription_failed',
            correlation_id: correlationId,
            events: [{ object_sid: request.objectSid, object_type: request.objectType, error: { code: 54100, status: 404, message: 'Not found' } }],
          });
          continue;
        }
        this.subscribe(connection, object.sid);
        const missed = request.lastEventId === undefined ? [] : this.store.eventsSince(object, request.lastEventId);
        if (missed === undefined) {
          this.log.info('sync replay interrupted', { object: object.sid, since: request.lastEventId });
        } else {
          for (const event of missed) {
            connection.push(REPLAY_TYPE, { event_type: event.type, correlation_id: correlationId, events: [event.body] });
          }
        }
        connection.push(REPLAY_TYPE, {
          event_type: 'subscription_established',
          correlation_id: correlationId,
          events: [
            {
              object_sid: object.sid,
              object_type: request.objectType,
              replay_status: missed === undefined ? 'interrupted' : 'completed',
              last_event_id: object.lastEventId,
            },
          ],
        });
      }
    });
  }

  cancel(connectionId: string, correlationId: number | string, objectSids: string[]): void {
    const connection = this.connections.get(connectionId);
    if (!connection) return;
    this.soon('subscription cancel', connectionId, () => {
      for (const sid of objectSids) {
        this.unsubscribe(connection, sid);
        connection.push(REPLAY_TYPE, { event_type: 'subscription_canceled', correlation_id: correlationId, events: [{ object_sid: sid }] });
      }
    });
  }

  /** Deferred work runs outside any request: an error is logged, never thrown into the event loop. */
  private soon(what: string, connectionId: string, work: () => void): void {
    setImmediate(() => {
      try {
        work();
      } catch (error) {
        this.log.error(`twilsock ${what} failed`, { connection: connectionId, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
  }

  private deliver(object: SyncObject, event: SyncEvent): void {
    const subscribed = this.subscribers.get(object.sid);
    if (!subscribed) return;
    // Serialised once, however many connections it reaches; only each frame's header differs.
    let payload: JsonText | undefined;
    // (Deleting the current entry while iterating a Set is safe.)
    for (const connection of subscribed) {
      if (!connection.reader || !object.canRead(connection.reader)) {
        // Access was withdrawn (e.g. the participant was removed): stop pushing.
        if (!event.type.endsWith('_removed')) this.unsubscribe(connection, object.sid);
        continue;
      }
      payload ??= new JsonText(JSON.stringify({ event_type: event.type, event: event.body }));
      connection.push(PUSH_TYPE[object.kind], payload);
    }
  }
}

function addTo<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

function removeFrom<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) index.delete(key);
}
