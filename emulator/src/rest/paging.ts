import { HttpError } from '../http/http-kit.ts';
import { twilioRestError } from './twilio-rest.ts';

// Twilio list paging: PageSize (default 50), Page (client state), PageToken
// (opaque, handed out in next_page_url / previous_page_url), and the `meta`
// block every list answer carries. URLs point at Twilio's own hosts, like the
// real API, so the helper library can follow them through its URL rewrite.

export const TWILIO_HOSTS = {
  flexApi: 'https://flex-api.twilio.com',
  conversations: 'https://conversations.twilio.com',
  preview: 'https://preview.twilio.com',
  content: 'https://content.twilio.com',
} as const;

export const DEFAULT_PAGE_SIZE = 50;

export interface PageQuery {
  PageSize?: number | undefined;
  Page?: number | undefined;
  PageToken?: string | undefined;
}

export interface PageMeta {
  page: number;
  page_size: number;
  first_page_url: string;
  previous_page_url: string | null;
  url: string;
  next_page_url: string | null;
  key: string;
}

const TOKEN = /^P([AB])([A-Za-z0-9_-]{1,20})$/;

function encodeToken(direction: 'A' | 'B', offset: number): string {
  return `P${direction}${Buffer.from(String(offset), 'utf8').toString('base64url')}`;
}

function decodeToken(token: string): number {
  const match = TOKEN.exec(token);
  const offset = match ? Number(Buffer.from(match[2] as string, 'base64url').toString('utf8')) : Number.NaN;
  if (!Number.isSafeInteger(offset) || offset < 0) throw new HttpError(twilioRestError(400, 20001, 'Invalid PageToken'));
  return offset;
}

/**
 * One page of `items`. `baseUrl` is the absolute list URL without a query;
 * `filters` are the list's own query parameters, repeated in every meta URL.
 */
export function paginate<T>(
  items: readonly T[],
  query: PageQuery,
  options: { key: string; baseUrl: string; filters?: Record<string, string | undefined> },
): { page: T[]; meta: PageMeta } {
  const pageSize = query.PageSize ?? DEFAULT_PAGE_SIZE;
  const page = query.Page ?? 0;
  const offset = query.PageToken !== undefined ? decodeToken(query.PageToken) : page * pageSize;
  const slice = items.slice(offset, offset + pageSize);

  const link = (pageIndex: number, token?: string) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(options.filters ?? {})) if (value !== undefined) params.set(name, value);
    params.set('PageSize', String(pageSize));
    params.set('Page', String(pageIndex));
    if (token) params.set('PageToken', token);
    return `${options.baseUrl}?${params.toString()}`;
  };

  const hasNext = offset + pageSize < items.length;
  const hasPrevious = offset > 0;
  return {
    page: slice,
    meta: {
      page,
      page_size: pageSize,
      first_page_url: link(0),
      previous_page_url: hasPrevious ? link(Math.max(0, page - 1), encodeToken('B', Math.max(0, offset - pageSize))) : null,
      url: link(page, query.PageToken),
      next_page_url: hasNext ? link(page + 1, encodeToken('A', offset + pageSize)) : null,
      key: options.key,
    },
  };
}

/** Twilio's date format: ISO 8601 in UTC, whole seconds. */
export function twilioDate(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
