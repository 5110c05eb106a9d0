// JSON bodies in and out, with the token service's own typed errors.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError } from './http-error.ts';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function jsonResponse(c: Context, status: ContentfulStatusCode, body: unknown, headers: Record<string, string> = {}): Response {
  return c.body(JSON.stringify(body), status, { 'content-type': JSON_CONTENT_TYPE, ...headers });
}

/** One decoder for every body: decode() without `stream` keeps no state between calls. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 JSON, or `invalid_json` saying which of the two it is not. */
export function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid JSON');
  }
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
