import { twilioErrorDocs, type TwilioErrorCode } from '../twilio-errors.ts';

// A Conversations (AIM) or Sync (CDS) REST call that travelled inside the
// Twilsock socket, and the answer that goes back the same way.

export interface TunnelledRequest {
  host: string;
  method: string;
  /** Path without the query string. */
  path: string;
  /** Query parameters, URL-decoded. */
  query: URLSearchParams;
  headers: Record<string, string>;
  /** JSON payload, raw text for form bodies, or undefined. */
  body: unknown;
  /** Identity from the verified access token of the connection. */
  identity: string;
  /** The Conversations service of the token's ChatGrant (checked to be one of the account's). */
  serviceSid: string;
  connectionId: string;
}

export interface TunnelledResponse {
  status: number;
  body?: unknown;
}

export type TunnelHandler = (request: TunnelledRequest) => TunnelledResponse | undefined | Promise<TunnelledResponse | undefined>;

/** A Twilio error answer to a tunnelled call; only codes from Twilio's dictionary (src/twilio-errors.ts). */
export function twilioError(status: number, code: TwilioErrorCode, message: string): TunnelledResponse {
  return injectedError(status, code, message);
}

/** The same answer with any code: what the fault API was told to answer. */
export function injectedError(status: number, code: number, message: string): TunnelledResponse {
  return { status, body: { status, code, message, more_info: twilioErrorDocs(code) } };
}

export const HTTP_REASONS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload Too Large',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
