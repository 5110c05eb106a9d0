// The twilio helper library's HTTP client without axios on the hot path. The
// library's own RequestClient sends every call through axios (config merging,
// header objects, interceptors, transforms): in the token service's profile
// that was the largest user-space cost of a chat start after token minting
// was fixed. This subclass sends the calls the service makes (form or JSON
// bodies of flat values, query parameters, Basic auth or the library's auth
// strategy, no redirects) with node:http / node:https on a keep-alive agent —
// for https the very agent the library configured (TWILIO_CA_BUNDLE,
// HTTP_PROXY) — and answers what the library expects: status, body as text
// (the library parses it, success or RestException), headers. Anything else
// (redirects to follow, debug logging, nested values) goes to the library's
// own axios path unchanged. It asks for no compression (axios asks for gzip
// and inflates): the bodies are small JSON, and inflating costs CPU.
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';

type RequestOptions<TData> = RequestClient.RequestOptions<TData>;

/** Where a request goes: scheme, host and port (empty: the scheme's default). */
export interface LeanTarget {
  https: boolean;
  hostname: string;
  port: string;
}

export interface LeanResponse {
  statusCode: number;
  text: string;
  headers: IncomingHttpHeaders;
}
type Flat = string | number | boolean;

/** encodeURIComponent leaves these five as they are; qs's RFC 3986 encoder escapes them. */
const SUB_DELIMS = /[!'()*]/g;
const escapeSubDelim = (char: string) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`;
const LONE_SURROGATE = /\p{Cs}/gu;

/** One key or value as qs writes it: UTF-8, RFC 3986 unreserved characters as they are, a lone surrogate as U+FFFD. */
function encodeComponent(text: string): string {
  let encoded: string;
  try {
    encoded = encodeURIComponent(text);
  } catch {
    encoded = encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'));
  }
  return encoded.replace(SUB_DELIMS, escapeSubDelim);
}

const isFlat = (value: unknown): value is Flat => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/**
 * Flat values and arrays of them, byte for byte as the library's
 * `qs.stringify(…, { arrayFormat: 'repeat' })` writes them (spaces as %20,
 * `*` as %2A, `~` as it is); undefined: not flat. Native encodeURIComponent
 * rather than URLSearchParams: a third of the cost, per upstream call.
 */
export function encodeForm(values: unknown): string | undefined {
  if (typeof values !== 'object' || values === null) return undefined;
  let form = '';
  for (const key in values) {
    if (!Object.prototype.hasOwnProperty.call(values, key)) continue;
    const value = (values as Record<string, unknown>)[key];
    if (value === undefined || value === null) continue;
    if (isFlat(value)) {
      form += `${form === '' ? '' : '&'}${encodeComponent(key)}=${encodeComponent(String(value))}`;
    } else if (Array.isArray(value) && value.every(isFlat)) {
      const name = encodeComponent(key);
      for (const item of value) form += `${form === '' ? '' : '&'}${name}=${encodeComponent(String(item))}`;
    } else return undefined;
  }
  return form;
}

/** The target of a parsed URL (an IPv6 host loses its brackets, as node:http wants it). */
export function leanTarget(url: URL): LeanTarget {
  const host = url.hostname;
  return { https: url.protocol === 'https:', hostname: host.startsWith('[') ? host.slice(1, -1) : host, port: url.port };
}

/**
 * The headers as node:http's raw list, Host last as node:http adds it: a request built from
 * a list skips node's per-header bookkeeping (setHeader, then the header block built again
 * from it). Only on the plain agents: a proxy agent (HTTP_PROXY) may rewrite the request's
 * headers through setHeader, which a request built from a list does not have.
 */
function rawHeaders(headers: Record<string, string>, target: LeanTarget, agent: unknown): Record<string, string> | string[] {
  if (!(agent instanceof HttpAgent) && !(agent instanceof HttpsAgent)) return headers;
  const raw: string[] = [];
  let host = true;
  for (const name in headers) {
    const value = headers[name] as string;
    raw.push(name, value);
    if (host && name.length === 4 && name.toLowerCase() === 'host') host = false;
  }
  if (host) {
    const name = target.hostname.includes(':') ? `[${target.hostname}]` : target.hostname;
    const defaultPort = target.https ? '443' : '80';
    raw.push('Host', target.port && target.port !== defaultPort ? `${name}:${target.port}` : name);
  }
  return raw;
}

/** How axios reports its own timeout: describeUpstreamError logs `network:ECONNABORTED` either way. */
const timeoutError = (ms: number) => Object.assign(new Error(`timeout of ${ms}ms exceeded`), { code: 'ECONNABORTED' });

export class LeanRequestClient extends twilio.RequestClient {
  /**
   * Keep-alive for plain-http targets (the Flex emulator); https uses the library's own agent.
   * Idle sockets are dropped after 4 s, before Node servers' 5 s keep-alive timeout: a socket
   * the server closes just as it is reused fails the request (ECONNRESET).
   */
  private readonly httpAgent = new HttpAgent({ keepAlive: true, timeout: 4000, scheduling: 'lifo' });

  override async request<TData>(opts: RequestOptions<TData>) {
    const url = new URL(opts.uri);
    const headers: Record<string, string> = { ...(opts.headers as Record<string, string> | undefined) };
    const contentType = headers['Content-Type'];
    let body: string | undefined;
    if (opts.data !== undefined && opts.data !== null) {
      if (contentType === 'application/x-www-form-urlencoded') body = encodeForm(opts.data);
      else if (contentType === 'application/json') body = typeof opts.data === 'string' ? opts.data : JSON.stringify(opts.data);
      if (body === undefined) return super.request(opts);
    }
    if (opts.params !== undefined && opts.params !== null) {
      const query = encodeForm(opts.params);
      if (query === undefined) return super.request(opts);
      if (query !== '') url.search = url.search ? `${url.search}&${query}` : `?${query}`;
    }
    if (opts.allowRedirects || opts.logLevel === 'debug' || (url.protocol !== 'https:' && url.protocol !== 'http:')) return super.request(opts);

    if (!headers.Connection && !headers.connection) headers.Connection = 'keep-alive';
    if (opts.username && opts.password) headers.Authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    else if (opts.authStrategy) headers.Authorization = await opts.authStrategy.getAuthString();
    if (body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(body));
    const target = leanTarget(url);
    const { statusCode, text, headers: responseHeaders } = await this.send(target, opts.method.toUpperCase(), url.pathname + url.search, headers, body, opts.timeout);
    // Text, as the library's Version and RestException parse it themselves.
    return { statusCode, body: text as TData, headers: responseHeaders };
  }

  /**
   * One request on the keep-alive agents, headers as given (the caller sets Authorization,
   * Connection and Content-Length), the answer as text. `timeout` 0 or absent: the client's default.
   */
  send(target: LeanTarget, method: string, path: string, headers: Record<string, string>, body: string | undefined, timeout?: number): Promise<LeanResponse> {
    const ms = timeout || this.defaultTimeout;
    const agent = target.https ? (this.axios.defaults.httpsAgent as HttpsAgent | undefined) : this.httpAgent;
    const options = { hostname: target.hostname, port: target.port || undefined, path, method, headers: rawHeaders(headers, target, agent), ...(agent ? { agent } : {}) };
    return new Promise<LeanResponse>((resolve, reject) => {
      const req = (target.https ? httpsRequest : httpRequest)(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
          resolve({ statusCode: res.statusCode ?? 0, text, headers: res.headers });
        });
      });
      req.setTimeout(ms, () => req.destroy(timeoutError(ms)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
