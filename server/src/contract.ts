// Wire types of the token service HTTP API (types only; safe to import from the widget).

export type TokenServiceMode = 'local' | 'conversations';

/** POST /webchat/init request body. */
export interface WebChatInitRequest {
  /** Values of the deployment's pre-engagement form, keyed by field name. */
  preEngagementData: Record<string, string | boolean>;
  /** Informational; unknown keys inside are ignored. */
  context?: {
    /** Absolute http(s) URL of the host page; only origin + path are forwarded to Flex. */
    pageUrl?: string;
    /** BCP 47 tag, e.g. "en" or "pt-BR". */
    locale?: string;
  };
}

/** POST /webchat/init 200 body. */
export interface WebChatInitResponse {
  /** Twilio access token (JWT) with a ChatGrant on the Conversations service. */
  token: string;
  /** Random `visitor-<uuid>` identity; never PII. */
  identity: string;
  /** CH… SID of the Flex conversation the visitor joins. */
  conversationSid: string;
  /** ISO 8601 instant the token expires. */
  expiresAt: string;
  mode: TokenServiceMode;
  /** Local mode only: pass as `new Client(token, { Twilsock: { uri } })`. */
  twilsockUri?: string;
}

/** POST /webchat/refresh request body: the current credentials from /webchat/init. */
export interface WebChatRefreshRequest {
  token: string;
  identity: string;
  conversationSid: string;
}

/** POST /webchat/refresh 200 body: a fresh token for the same identity and service. */
export interface WebChatRefreshResponse {
  token: string;
  identity: string;
  expiresAt: string;
}

/** GET /healthz 200 body. */
export interface HealthResponse {
  status: 'ok';
  mode: TokenServiceMode;
}

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'validation_failed'
  | 'origin_not_allowed'
  | 'token_invalid'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'upstream_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error';

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_json: 400,
  invalid_body: 400,
  validation_failed: 422,
  origin_not_allowed: 403,
  token_invalid: 401,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream_error: 502,
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
};

/** Every non-2xx body. `fields` (field name → message) only with validation_failed. */
export interface ErrorResponse {
  error: {
    code: ErrorCode;
    message: string;
    fields?: Record<string, string>;
  };
}
