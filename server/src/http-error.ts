// The one exception type the token service turns into a response (in app.ts's
// error handler): a typed error code, a message safe to show, and optionally
// the form fields (or the one field) to blame and extra response headers.
import type { ErrorCode } from '../../contracts/token-service.ts';

export class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: Record<string, string>; field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const TOKEN_INVALID_MESSAGE = 'The token is invalid or has expired; start a new chat';
