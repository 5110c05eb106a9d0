import type { TunnelledRequest, TunnelledResponse } from '../twilsock/tunnel.ts';
import { twilioError } from '../twilsock/tunnel.ts';
import { describeItem, describeObject, readerOf, SYNC_HOST, type SyncKind, type SyncObject, type SyncStore } from './sync-store.ts';

// The Sync (CDS) REST surface the SDKs call through Twilsock: read documents,
// lists and maps, page their items, and establish or cancel subscriptions.

const KIND_BY_COLLECTION: Record<string, SyncKind> = { Documents: 'document', Lists: 'list', Maps: 'map' };
const MAX_PAGE_SIZE = 1000;
const NOT_FOUND = { document: 54100, list: 54150, map: 54200 } as const;
const ITEM_NOT_FOUND = { list: 54151, map: 54201 } as const;

export interface SubscriptionRequest {
  objectSid: string;
  objectType: string;
  lastEventId: number | undefined;
}

export interface SubscriptionManager {
  establish(connectionId: string, correlationId: number | string, requests: SubscriptionRequest[]): void;
  cancel(connectionId: string, correlationId: number | string, objectSids: string[]): void;
}

export function createSyncRoutes(store: SyncStore, subscriptions: SubscriptionManager) {
  function readable(request: TunnelledRequest, kind: SyncKind, id: string): SyncObject | TunnelledResponse {
    const object = store.find(kind, id);
    // Objects the caller may not read look exactly like missing ones.
    if (!object || !object.canRead(readerOf(request.serviceSid, request.identity))) return twilioError(404, NOT_FOUND[kind], `${kind} ${id} not found`);
    return object;
  }

  function listItems(object: SyncObject, query: URLSearchParams): TunnelledResponse {
    const exactKey = query.get('Key') ?? query.get('Index');
    if (exactKey !== null) {
      const item = object.items.get(exactKey);
      return { status: 200, body: { items: item ? [describeItem(object, item)] : [], meta: { previous_token: null, next_token: null } } };
    }
    const order = query.get('Order') === 'desc' ? 'desc' : 'asc';
    const pageSize = Math.min(Math.max(Number(query.get('PageSize') ?? 50) || 50, 1), MAX_PAGE_SIZE);
    const compare =
      object.kind === 'list'
        ? (a: string, b: string) => Number(a) - Number(b)
        : (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    // A list's items are normally stored in index order already (appended): one pass checks
    // that instead of a sort of the whole list for every page.
    const items = [...object.items.values()];
    const sorted = items.every((item, i) => i === 0 || compare((items[i - 1] as (typeof items)[number]).key, item.key) < 0);
    const ascending = sorted ? items : items.sort((a, b) => compare(a.key, b.key));
    const ordered = order === 'asc' ? ascending : ascending.reverse();
    // From is inclusive: the SDK asks for one item more and drops the anchor itself.
    const from = query.get('From') ?? query.get('PageToken');
    const start = from ? ordered.filter((item) => compare(item.key, from) * (order === 'asc' ? 1 : -1) >= 0) : ordered;
    const page = start.slice(0, pageSize);
    const first = page[0];
    return {
      status: 200,
      body: {
        items: page.map((item) => describeItem(object, item)),
        meta: {
          previous_token: first && ordered[0]?.key !== first.key ? first.key : null,
          next_token: start.length > pageSize ? (start[pageSize]?.key ?? null) : null,
        },
      },
    };
  }

  function subscriptionsCall(request: TunnelledRequest): TunnelledResponse {
    const body = request.body as { action?: unknown; correlation_id?: unknown; requests?: unknown } | undefined;
    if (!body || (body.action !== 'establish' && body.action !== 'cancel') || !Array.isArray(body.requests)) {
      return twilioError(400, 54008, 'Subscription request needs action (establish|cancel) and requests[]');
    }
    const correlationId = typeof body.correlation_id === 'number' || typeof body.correlation_id === 'string' ? body.correlation_id : 0;
    const requests: SubscriptionRequest[] = [];
    for (const raw of body.requests as unknown[]) {
      const entry = raw as { object_sid?: unknown; object_type?: unknown; last_event_id?: unknown };
      if (typeof entry?.object_sid !== 'string') return twilioError(400, 54008, 'Each subscription request needs object_sid');
      requests.push({
        objectSid: entry.object_sid,
        objectType: String(entry.object_type ?? ''),
        lastEventId: typeof entry.last_event_id === 'number' ? entry.last_event_id : undefined,
      });
    }
    if (body.action === 'establish') subscriptions.establish(request.connectionId, correlationId, requests);
    else subscriptions.cancel(request.connectionId, correlationId, requests.map((r) => r.objectSid));
    return { status: 200, body: { estimated_delivery_in_ms: 100, max_batch_size: 100, ttl_in_s: -1 } };
  }

  return function handleSync(request: TunnelledRequest): TunnelledResponse | undefined {
    if (request.host !== SYNC_HOST) return undefined;
    if (request.path === '/v4/Subscriptions' && request.method === 'POST') return subscriptionsCall(request);
    const match = /^\/v3\/(Documents|Lists|Maps)\/([^/]+)(?:\/Items(?:\/([^/]+))?)?$/.exec(request.path);
    if (!match) return undefined;
    const kind = KIND_BY_COLLECTION[match[1] as string] as SyncKind;
    const object = readable(request, kind, decodeURIComponent(match[2] as string));
    if (!('sid' in object)) return object;
    const itemsPath = request.path.includes('/Items');
    if (request.method !== 'GET') return twilioError(403, 54007, 'Clients may only read this Sync object');
    if (!itemsPath) return { status: 200, body: describeObject(object, request.query.get('Include') === 'items') };
    if (kind === 'document') return undefined;
    if (match[3] !== undefined) {
      const item = object.items.get(decodeURIComponent(match[3]));
      return item ? { status: 200, body: describeItem(object, item) } : twilioError(404, ITEM_NOT_FOUND[kind], 'Item not found');
    }
    return listItems(object, request.query);
  };
}
