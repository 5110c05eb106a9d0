// The widget's requests to the token service and to Twilio: no cookies, a
// deadline, and the answer's JSON read leniently. One place, so the token
// service client, the hosted init and leave-a-message cannot drift apart.

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** How long a request may take before it counts as a network failure. */
export const REQUEST_TIMEOUT_MS = 20_000;

/** `fetch` with credentials omitted and a deadline (where AbortSignal.timeout exists). Rejects as fetch does. */
export function request(fetchFn: FetchLike, url: string, init: RequestInit, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Response> {
  // Browsers without AbortSignal.timeout get no deadline (signal undefined), as before.
  return fetchFn(url, { ...init, credentials: 'omit', signal: globalThis.AbortSignal?.timeout?.(timeoutMs) });
}

/** POSTs `body` as JSON (and asks for JSON back). */
export function postJsonRequest(fetchFn: FetchLike, url: string, body: unknown): Promise<Response> {
  return request(fetchFn, url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
}

/** The answer's body as JSON; null when it is not JSON. */
export function jsonOrNull(response: Response): Promise<unknown> {
  return response.json().catch(() => null);
}
