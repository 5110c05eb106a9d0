import type { RunningEmulator } from '../src/emulator.ts';
import { OpenApiSpec, assertTwilioError, type HttpMethod } from './openapi.ts';

// A tiny Twilio REST client for emulator tests that checks every call against
// Twilio's OpenAPI specs: the parameters sent must be defined by the
// operation (`check: 'valid'` also checks their values and the required set),
// success bodies must match the documented response schema exactly, and error
// bodies must be Twilio error JSON whose status matches the HTTP status.
// Preview API paths have no spec; tests check those against the seed.

export interface RestCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Emulator path, e.g. /flex-api/v1/FlexFlows/FO… */
  path: string;
  query?: Record<string, string>;
  /** URLSearchParams for a list parameter (the name repeated once per value). */
  form?: Record<string, string> | URLSearchParams;
  headers?: Record<string, string>;
  /** Basic auth pair "user:password"; null sends none. Default: the account SID and auth token. */
  auth?: string | null;
  /** Raw body with its own Content-Type (for the JSON preview token call). */
  rawBody?: { contentType: string; body: string };
  /** How strictly to check the request against the spec before sending. Default 'valid'. */
  check?: 'valid' | 'names' | 'none';
}

export interface RestResult {
  status: number;
  /** Parsed JSON (any: tests read fields freely once the schema check passed). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper, see above
  body: any;
  headers: Headers;
}

export function accountAuth(emulator: RunningEmulator): string {
  return `${emulator.credentials.accountSid}:${emulator.credentials.authToken}`;
}

export async function twilioRest(emulator: RunningEmulator, call: RestCall): Promise<RestResult> {
  const spec = OpenApiSpec.forEmulatorPath(call.path);
  const method = call.method.toLowerCase() as HttpMethod;
  if (spec && call.check !== 'none') {
    spec.spec.assertRequest(method, call.path, { query: call.query, form: call.form, headers: call.headers }, { values: (call.check ?? 'valid') === 'valid' });
  }
  const url = new URL(call.path, emulator.url);
  for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.append(name, value);
  const headers: Record<string, string> = { ...call.headers };
  const auth = call.auth === undefined ? accountAuth(emulator) : call.auth;
  if (auth !== null) headers.Authorization = `Basic ${Buffer.from(auth, 'utf8').toString('base64')}`;
  let body: string | undefined;
  if (call.rawBody) {
    headers['Content-Type'] = call.rawBody.contentType;
    body = call.rawBody.body;
  } else if (call.form) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(call.form).toString();
  }
  const response = await fetch(url, { method: call.method, headers, body });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (response.status >= 400) {
    assertTwilioError(parsed, response.status);
  } else if (spec) {
    spec.spec.assertResponse(method, call.path, response.status, parsed);
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
