import { isoNow, newSid } from '../ids.ts';

// An in-memory Twilio Sync (CDS): documents, lists and maps with revisions, and
// per object what a reconnecting client needs to catch up: the latest event of
// each item (of a document: its latest update). Every Sync event carries the whole
// new state of its item, so an item's older events are superseded by its newest:
// keeping only that one costs memory in proportion to the items, not to the
// writes (a full log of 1,000 events per object grew to 2.4 GB at 2,000 chats).
// The Sync SDK applies a replayed event when its id is newer than what it holds
// for that item (twilio-sync: shouldIgnoreEvent / SyncDocument 'update.id <=
// lastEventId'), so a replay of the latest events is as good as the full log.

export type SyncKind = 'document' | 'list' | 'map';

export const SYNC_HOST = 'cds.us1.twilio.com';
const COLLECTION_PATH: Record<SyncKind, string> = { document: 'Documents', list: 'Lists', map: 'Maps' };
const SID_PREFIX: Record<SyncKind, string> = { document: 'ET', list: 'ES', map: 'MP' };

export interface SyncItem {
  /** List index (as string) or map key. */
  key: string;
  data: unknown;
  revision: number;
  lastEventId: number;
  dateCreated: string;
  dateUpdated: string;
}

export interface SyncEvent {
  id: number;
  /** e.g. list_item_added, map_item_updated, document_updated */
  type: string;
  body: Record<string, unknown>;
}

/**
 * Who may read an object: every user of one Conversations service, or a set of
 * readers. A reader is a user of a service (`readerOf`): the same identity in
 * another service is someone else, as on Twilio, where each service has its
 * own users and Sync objects.
 */
export type SyncReaders = { everyoneIn: string } | Set<string>;

export function readerOf(serviceSid: string, identity: string): string {
  return `${serviceSid}/${identity}`;
}

export class SyncObject {
  readonly sid: string;
  revision = 0;
  lastEventId = 0;
  dateCreated = isoNow();
  dateUpdated = this.dateCreated;
  data: unknown = {};
  readonly items = new Map<string, SyncItem>();
  nextIndex = 0;
  /** The latest event of each item key (a document's under ''), oldest first. */
  readonly latestEvents = new Map<string, LoggedEvent>();
  /** Keys whose latest event is a removal, oldest first (bounded: TOMBSTONE_LIMIT). */
  readonly tombstones = new Set<string>();
  /** A replay since an event id below this cannot be served (a forgotten removal): interrupted. */
  replayHorizon = 0;

  readonly url: string;

  constructor(
    readonly kind: SyncKind,
    readonly uniqueName: string,
    public readers: SyncReaders,
  ) {
    this.sid = newSid(SID_PREFIX[kind]);
    this.url = `https://${SYNC_HOST}/v3/${COLLECTION_PATH[kind]}/${this.sid}`;
  }

  itemUrl(key: string): string {
    return `${this.url}/Items/${encodeURIComponent(key)}`;
  }

  canRead(reader: string): boolean {
    return this.readers instanceof Set ? this.readers.has(reader) : reader.startsWith(`${this.readers.everyoneIn}/`);
  }
}

export interface LoggedEvent {
  event: SyncEvent;
  /** Id of the event that added the key (0: the key exists since before any event, e.g. a document). */
  addedId: number;
}

export type SyncListener = (object: SyncObject, event: SyncEvent) => void;

/** Removals remembered per object; older ones are forgotten and replays reaching back past them are interrupted. */
export const TOMBSTONE_LIMIT = 1000;
/** A replay of more events than this is answered as interrupted, as the SDK then reads the object afresh. */
export const REPLAY_LIMIT = 1000;

export class SyncStore {
  private readonly objects = new Map<string, SyncObject>();
  private readonly listeners = new Set<SyncListener>();

  create(kind: SyncKind, uniqueName: string, readers: SyncReaders, data: unknown = {}): SyncObject {
    const object = new SyncObject(kind, uniqueName, readers);
    object.data = data;
    this.objects.set(object.sid, object);
    this.objects.set(`${kind}:${uniqueName}`, object);
    return object;
  }

  /** Finds an object by SID or unique name. */
  find(kind: SyncKind, id: string): SyncObject | undefined {
    const bySid = this.objects.get(id);
    if (bySid && bySid.kind === kind) return bySid;
    return this.objects.get(`${kind}:${id}`);
  }

  findBySid(sid: string): SyncObject | undefined {
    return this.objects.get(sid);
  }

  /** Forgets every object (fault API reset). Listeners stay. */
  clear(): void {
    this.objects.clear();
  }

  onEvent(listener: SyncListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  setDocument(doc: SyncObject, data: unknown): void {
    doc.data = data;
    this.bump(doc);
    const id = (doc.lastEventId += 1);
    this.record(doc, '', 'updated', {
      id,
      type: 'document_updated',
      body: {
        id,
        document_sid: doc.sid,
        document_unique_name: doc.uniqueName,
        document_data: data,
        document_revision: String(doc.revision),
        date_created: doc.dateUpdated,
      },
    });
  }

  appendListItem(list: SyncObject, data: unknown): SyncItem {
    const key = String(list.nextIndex++);
    return this.writeItem(list, key, data);
  }

  /** Adds or replaces a map item / an existing list item. */
  writeItem(object: SyncObject, key: string, data: unknown): SyncItem {
    const existing = object.items.get(key);
    this.bump(object);
    const item: SyncItem = {
      key,
      data,
      revision: (existing?.revision ?? -1) + 1,
      lastEventId: object.lastEventId + 1,
      dateCreated: existing?.dateCreated ?? object.dateUpdated,
      dateUpdated: object.dateUpdated,
    };
    object.items.set(key, item);
    const change = existing ? 'updated' : 'added';
    const id = (object.lastEventId += 1);
    if (object.kind === 'list') {
      this.record(object, key, change, {
        id,
        type: existing ? 'list_item_updated' : 'list_item_added',
        body: {
          id,
          list_sid: object.sid,
          list_unique_name: object.uniqueName,
          item_index: Number(key),
          item_data: data,
          item_revision: String(item.revision),
          item_url: object.itemUrl(key),
          list_revision: String(object.revision),
          date_created: item.dateUpdated,
        },
      });
    } else {
      this.record(object, key, change, {
        id,
        type: existing ? 'map_item_updated' : 'map_item_added',
        body: {
          id,
          map_sid: object.sid,
          map_unique_name: object.uniqueName,
          item_key: key,
          item_data: data,
          item_revision: String(item.revision),
          item_url: object.itemUrl(key),
          map_revision: String(object.revision),
          date_created: item.dateUpdated,
        },
      });
    }
    return item;
  }

  removeItem(object: SyncObject, key: string): boolean {
    const existing = object.items.get(key);
    if (!existing) return false;
    object.items.delete(key);
    this.bump(object);
    const prefix = object.kind === 'list' ? 'list' : 'map';
    const id = (object.lastEventId += 1);
    this.record(object, key, 'removed', {
      id,
      type: `${prefix}_item_removed`,
      body: {
        id,
        [`${prefix}_sid`]: object.sid,
        [`${prefix}_unique_name`]: object.uniqueName,
        ...(object.kind === 'list' ? { item_index: Number(key) } : { item_key: key }),
        item_data: existing.data,
        [`${prefix}_revision`]: String(object.revision),
        date_created: object.dateUpdated,
      },
    });
    return true;
  }

  /**
   * What a client that has seen every event up to lastEventId has missed: the latest
   * event of each item changed since, in event order. An item added since comes as
   * added even if it was updated afterwards (the SDK announces it as new), one added
   * and removed since is left out. Undefined when the replay cannot be served (a
   * forgotten removal, or more than REPLAY_LIMIT events): the subscription is then
   * established as interrupted.
   */
  eventsSince(object: SyncObject, lastEventId: number): SyncEvent[] | undefined {
    if (lastEventId < object.replayHorizon) return undefined;
    const missed: SyncEvent[] = [];
    for (const { event, addedId } of object.latestEvents.values()) {
      if (event.id <= lastEventId) continue;
      if (addedId > lastEventId) {
        if (event.type.endsWith('_item_removed')) continue;
        missed.push(event.type.endsWith('_item_updated') ? { ...event, type: event.type.replace(/_updated$/, '_added') } : event);
      } else {
        missed.push(event);
      }
      if (missed.length > REPLAY_LIMIT) return undefined;
    }
    return missed;
  }

  private bump(object: SyncObject): void {
    object.revision += 1;
    object.dateUpdated = isoNow();
  }

  /**
   * Keeps `event` (its id already taken from object.lastEventId, and first in its body) as
   * the item's latest and hands it to the listeners. `change` says what the event did, so
   * no event type is parsed here: this runs for every Sync write.
   */
  private record(object: SyncObject, key: string, change: 'added' | 'updated' | 'removed', event: SyncEvent): void {
    const previous = object.latestEvents.get(key);
    const wasRemoved = previous !== undefined && object.tombstones.delete(key);
    // Re-inserted, so the map stays in event order.
    object.latestEvents.delete(key);
    const addedId = object.kind === 'document' ? 0 : change === 'added' || wasRemoved || previous === undefined ? event.id : previous.addedId;
    object.latestEvents.set(key, { event, addedId });
    if (change === 'removed') {
      object.tombstones.add(key);
      if (object.tombstones.size > TOMBSTONE_LIMIT) {
        const oldest = object.tombstones.values().next().value as string;
        object.tombstones.delete(oldest);
        object.replayHorizon = Math.max(object.replayHorizon, object.latestEvents.get(oldest)?.event.id ?? 0);
        object.latestEvents.delete(oldest);
      }
    }
    for (const listener of this.listeners) listener(object, event);
  }
}

export function describeObject(object: SyncObject, includeItems = false): Record<string, unknown> {
  const descriptor: Record<string, unknown> = {
    sid: object.sid,
    unique_name: object.uniqueName,
    url: object.url,
    revision: String(object.revision),
    last_event_id: object.lastEventId,
    date_created: object.dateCreated,
    date_updated: object.dateUpdated,
    date_expires: null,
    links: { items: `${object.url}/Items` },
  };
  if (object.kind === 'document') {
    descriptor.data = object.data;
    delete descriptor.links;
  }
  if (includeItems && object.kind !== 'document') {
    descriptor.items = [...object.items.values()].map((item) => describeItem(object, item));
  }
  return descriptor;
}

export function describeItem(object: SyncObject, item: SyncItem): Record<string, unknown> {
  return {
    ...(object.kind === 'list' ? { index: Number(item.key) } : { key: item.key }),
    url: object.itemUrl(item.key),
    revision: String(item.revision),
    last_event_id: item.lastEventId,
    data: item.data,
    date_created: item.dateCreated,
    date_updated: item.dateUpdated,
    date_expires: null,
  };
}
