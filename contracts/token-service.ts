// Wire types of the token service HTTP API: what the token service answers and the
// widget reads (types only, imports nothing; shared by server/ and widget/).

/**
 * `local`: the Flex emulator; `conversations`: real Twilio, Flex Conversations;
 * `legacy`: Flex Programmable Chat (`twilio-chat`) — in /webchat/init answers also
 * against the emulator (`FLEXCHAT_LOCAL_FLOW=legacy`, then with `twilsockUri`).
 */
export type TokenServiceMode = 'local' | 'conversations' | 'legacy';

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
    /** The proactive teaser the visitor chose to open the chat (1–200 characters), kept for the agent. */
    teaser?: string;
  };
  /**
   * Optional signed identity of a logged-in visitor: an HS256 JWT `{ sub, exp }`
   * signed by the site owner's backend with FLEXCHAT_IDENTITY_SECRET. The chat
   * identity is then the stable `user-<hash>` instead of a random one.
   */
  userToken?: string;
}

/** POST /webchat/init 200 body. */
export interface WebChatInitResponse {
  /** Twilio access token (JWT) with a ChatGrant on the Conversations service. */
  token: string;
  /** Random `visitor-<uuid>`, or stable `user-<32 hex>` with a valid userToken; never PII. */
  identity: string;
  /** CH… SID of the Flex conversation the visitor joins. */
  conversationSid: string;
  /** ISO 8601 instant the token expires. */
  expiresAt: string;
  mode: TokenServiceMode;
  /** Local mode only: pass as `new Client(token, { Twilsock: { uri } })`. */
  twilsockUri?: string;
  /** Opaque; keep it with the token and send it to /webchat/refresh (works after expiry, within the grace period). */
  sessionProof: string;
  /**
   * Only when FLEXCHAT_FIRST_MESSAGE_FIELD is set and that field had a value:
   * whether the service posted it as the visitor's first message (false: post it yourself).
   */
  firstMessageSent?: boolean;
  /** With `firstMessageSent: false`: the cleaned text the widget posts as the visitor's first message. */
  firstMessage?: string;
}

/**
 * POST /webchat/refresh request body: the credentials from /webchat/init (or the
 * last refresh). `token`, `sessionProof` or both; an expired token is only
 * renewed together with its session proof, within the grace period.
 */
export interface WebChatRefreshRequest {
  token?: string;
  identity: string;
  conversationSid: string;
  sessionProof?: string;
}

/** POST /webchat/refresh 200 body: a fresh token (and proof) for the same identity, service and conversation. */
export interface WebChatRefreshResponse {
  token: string;
  identity: string;
  expiresAt: string;
  sessionProof: string;
}

/**
 * POST /webchat/end request body: the same credentials as refresh (`token`,
 * `sessionProof` or both). `identity` may be left out when a token is sent.
 */
export interface WebChatEndRequest {
  token?: string;
  identity?: string;
  conversationSid: string;
  sessionProof?: string;
}

/**
 * POST /webchat/end 200 body, also when the conversation was already closed
 * (idempotent). `inactive`: a legacy Flex chat channel, set inactive the way
 * Flex's web chat ends one (Flex closes it when the agent wraps up).
 */
export interface WebChatEndResponse {
  state: 'closed' | 'inactive';
}

/** GET /healthz 200 body. */
export interface HealthResponse {
  status: 'ok';
  mode: TokenServiceMode;
}

/** One line of GET /readyz: what was checked, and why it failed (safe to show; never secrets). */
export interface ReadinessCheckResult {
  name: 'config' | 'emulator' | 'twilio' | 'redis' | 'warm_up';
  ok: boolean;
  detail?: string;
  /** A failing optional check (Redis) leaves the service serving, degraded; any other makes it not ready. */
  optional?: true;
}

/**
 * GET /readyz body: 200 when `ready`, or `degraded` (an optional check failed:
 * chats go on, e.g. rate limits per instance while Redis is down); 503 when not ready.
 */
export interface ReadinessResponse {
  status: 'ready' | 'degraded' | 'not_ready';
  mode: TokenServiceMode;
  checks: ReadinessCheckResult[];
}

/**
 * POST /webchat/message request body: a message left outside business hours.
 * Lengths count Unicode code points; name and message are trimmed.
 */
export interface WebChatMessageRequest {
  /** 1–80 characters, any script; no control characters. */
  name: string;
  /** Where the team replies. */
  email: string;
  /** 1–2000 characters; line breaks allowed. */
  message: string;
  /**
   * Optional UUID the widget picks once per message and repeats on retries,
   * so the receiver can drop a duplicate after a timeout. Random when absent.
   */
  messageId?: string;
  /** Informational: the page, the locale, and up to 10 more short strings (e.g. the host's own tags). */
  context?: { pageUrl?: string; locale?: string } & Record<string, string>;
}

/** POST /webchat/message 202 body: the message was handed to the webhook (or, locally, the emulator). */
export interface WebChatMessageResponse {
  status: 'delivered';
  messageId: string;
}

/**
 * What the webhook receives (JSON, POST). Signed when FLEXCHAT_MESSAGE_WEBHOOK_SECRET
 * is set: header `x-flexchat-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 */
/** What the webhook receives: declared with the offline message's rules. */
export type { OfflineMessageDelivery } from './offline-message.ts';

export type ErrorCode =
  | 'invalid_json'
  | 'invalid_body'
  | 'validation_failed'
  | 'origin_not_allowed'
  | 'token_invalid'
  | 'user_token_invalid'
  | 'conversation_closed'
  | 'rate_limited'
  /** 503: Twilio's chat-start limit for the account is reached; retry after Retry-After seconds. */
  | 'busy'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'upstream_error'
  | 'not_found'
  | 'method_not_allowed'
  | 'internal_error'
  | 'delivery_failed'
  | 'not_configured'
  /** 409, POST /webchat/survey: this chat's survey was recorded already (it is sent once). */
  | 'survey_already_sent'
  /** 409, POST /webchat/survey: the chat has not ended yet. */
  | 'chat_not_ended'
  /** 410, POST /webchat/survey: the chat's task is gone (TaskRouter deletes it 5 minutes after it finished). */
  | 'survey_closed';

export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_json: 400,
  invalid_body: 400,
  validation_failed: 422,
  origin_not_allowed: 403,
  token_invalid: 401,
  user_token_invalid: 401,
  conversation_closed: 410,
  rate_limited: 429,
  busy: 503,
  payload_too_large: 413,
  unsupported_media_type: 415,
  upstream_error: 502,
  not_found: 404,
  method_not_allowed: 405,
  internal_error: 500,
  delivery_failed: 502,
  not_configured: 501,
  survey_already_sent: 409,
  chat_not_ended: 409,
  survey_closed: 410,
};

/**
 * Every non-2xx body. `fields` (field name → message) only with validation_failed;
 * `field` (e.g. "email", "context.pageUrl") when one field of a /webchat/message body is to blame.
 */
export interface ErrorResponse {
  error: {
    code: ErrorCode;
    message: string;
    fields?: Record<string, string>;
    field?: string;
  };
}
