import { timingSafeEqual } from 'node:crypto';
import type { EmulatorCredentials } from '../config.ts';
import { ModelError } from '../conversations/model.ts';
import { HttpError, type HttpHandler, type HttpRequest, type HttpResponse } from '../http/http-kit.ts';
import { twilioErrorDocs, type TwilioErrorCode } from '../twilio-errors.ts';

// Conventions shared by every emulated Twilio REST endpoint: Basic auth with
// the account SID and auth token, form-encoded parameters, Twilio error JSON.

/** Twilio's REST error JSON; only codes from Twilio's dictionary (src/twilio-errors.ts). */
export function twilioRestError(status: number, code: TwilioErrorCode, message: string): HttpResponse {
  return injectedRestError(status, code, message);
}

/** The same body with any code: what the fault API was told to answer. */
export function injectedRestError(status: number, code: number, message: string): HttpResponse {
  return { status, body: { code, message, more_info: twilioErrorDocs(code), status } };
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function requireAccountAuth(request: HttpRequest, credentials: EmulatorCredentials): void {
  const header = request.headers.authorization ?? '';
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const separator = decoded.indexOf(':');
  const user = decoded.slice(0, separator);
  const password = decoded.slice(separator + 1);
  const valid =
    separator > 0 &&
    ((user === credentials.accountSid && sameSecret(password, credentials.authToken)) ||
      (user === credentials.apiKeySid && sameSecret(password, credentials.apiKeySecret)));
  if (!valid) {
    const response = twilioRestError(401, 20003, 'Authentication Error - invalid username');
    response.headers = { 'WWW-Authenticate': 'Basic realm="Twilio API"' };
    throw new HttpError(response);
  }
}

/** Reads a form-encoded Twilio request, rejecting parameters the endpoint does not define. */
export function twilioParams(request: HttpRequest, allowed: readonly string[], required: readonly string[] = []): URLSearchParams {
  const contentType = request.headers['content-type'] ?? '';
  if (request.rawBody.length > 0 && !contentType.startsWith('application/x-www-form-urlencoded')) {
    throw new HttpError(twilioRestError(400, 20001, 'Content-Type must be application/x-www-form-urlencoded'));
  }
  const params = new URLSearchParams(request.rawBody.toString('utf8'));
  for (const key of params.keys()) {
    if (!allowed.includes(key)) throw new HttpError(twilioRestError(400, 20001, `Unknown parameter ${key}`));
  }
  for (const key of required) {
    if (!params.get(key)) throw new HttpError(twilioRestError(400, 20001, `Missing required parameter ${key} in the post body`));
  }
  return params;
}

/** Wraps a REST handler so model errors (404 unknown conversation, 409 closed, ...) answer as Twilio error JSON. */
export function withTwilioErrors(handler: HttpHandler): HttpHandler {
  return async (request) => {
    try {
      return await handler(request);
    } catch (error) {
      if (error instanceof ModelError) return twilioRestError(error.status, error.code, error.message);
      throw error;
    }
  };
}
