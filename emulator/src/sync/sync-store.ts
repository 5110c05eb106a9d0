import { newSid } from '../ids.ts';

// An in-memory Twilio Sync (CDS): documents, lists and maps with revisions and
// an ordered event log per object, so subscriptions can replay what a
// reconnecting client missed.

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

/** Who may read an object: everyone in the service, or a set of identities. */
export type SyncReaders = 'everyone' | Set<string>;

export class SyncObject {
  readonly sid: string;
  revision = 0;
  lastEventId = 0;
  dateCreated = new Date().toISOString();
  dateUpdated = this.dateCreated;
  data: unknown = {};
  readonly items = new Map<string, SyncItem>();
  nextIndex = 0;
  readonly events: SyncEvent[] = [];

  constructor(
    readonly kind: SyncKind,
    readonly uniqueName: string,
    public readers: SyncReaders,
  ) {
    this.sid = newSid(SID_PREFIX[kind]);
  }

  get url(): string {
    return `https://${SYNC_HOST}/v3/${COLLECTION_PATH[this.kind]}/${this.sid}`;
  }

  itemUrl(key: string): string {
    return `${this.url}/Items/${encodeURIComponent(key)}`;
  }

  canRead(identity: string): boolean {
    return this.readers === 'everyone' || this.readers.has(identity);
  }
}

export type SyncListener = (object: SyncObject, event: SyncEvent) => void;

const EVENT_LOG_LIMIT = 1000;

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
    this.emit(doc, 'document_updated', {
      document_sid: doc.sid,
      document_unique_name: doc.uniqueName,
      document_data: data,
      document_revision: String(doc.revision),
      date_created: doc.dateUpdated,
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
    const verb = existing ? 'updated' : 'added';
    if (object.kind === 'list') {
      this.emit(object, `list_item_${verb}`, {
        list_sid: object.sid,
        list_unique_name: object.uniqueName,
        item_index: Number(key),
        item_data: data,
        item_revision: String(item.revision),
        item_url: object.itemUrl(key),
        list_revision: String(object.revision),
        date_created: item.dateUpdated,
      });
    } else {
      this.emit(object, `map_item_${verb}`, {
        map_sid: object.sid,
        map_unique_name: object.uniqueName,
        item_key: key,
        item_data: data,
        item_revision: String(item.revision),
        item_url: object.itemUrl(key),
        map_revision: String(object.revision),
        date_created: item.dateUpdated,
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
    this.emit(object, `${prefix}_item_removed`, {
      [`${prefix}_sid`]: object.sid,
      [`${prefix}_unique_name`]: object.uniqueName,
      ...(object.kind === 'list' ? { item_index: Number(key) } : { item_key: key }),
      item_data: existing.data,
      [`${prefix}_revision`]: String(object.revision),
      date_created: object.dateUpdated,
    });
    return true;
  }

  /** Events after lastEventId, or undefined when the log no longer reaches back that far. */
  eventsSince(object: SyncObject, lastEventId: number): SyncEvent[] | undefined {
    const oldest = object.events[0];
    if (oldest && oldest.id > lastEventId + 1) return undefined;
    return object.events.filter((event) => event.id > lastEventId);
  }

  private bump(object: SyncObject): void {
    object.revision += 1;
    object.dateUpdated = new Date().toISOString();
  }

  private emit(object: SyncObject, type: string, body: Record<string, unknown>): void {
    object.lastEventId += 1;
    const event: SyncEvent = { id: object.lastEventId, type, body: { id: object.lastEventId, ...body } };
    object.events.push(event);
    if (object.events.length > EVENT_LOG_LIMIT) object.events.shift();
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
