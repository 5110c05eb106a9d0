// The token service as a Fetch API handler: (Request, info?) => Promise<Response>.
// Routes: POST /webchat/init, /webchat/refresh, /webchat/end and /webchat/message, GET|HEAD
// /healthz and /readyz, OPTIONS preflights; JSON everywhere.
import { loadDeploymentConfig } from '../../config/load.ts';
import type { PreEngagementConfig } from '../../config/types.ts';
import { mintChatToken, verifyChatToken } from './access-token.ts';
import { clientIp, type ClientInfo } from './client-ip.ts';
import {
  ERROR_STATUS,
  type ErrorCode,
  type ErrorResponse,
  type HealthResponse,
  type ReadinessResponse,
  type WebChatEndResponse,
  type WebChatInitRequest,
  type WebChatInitResponse,
  type WebChatMessageResponse,
  type WebChatRefreshResponse,
} from './contract.ts';
import { EnvError, resolveChat, type TokenServiceConfig } from './env.ts';
import { DeliveryError, deliveryPayload, emulatorDelivery, parseMessageBody, webhookDelivery, type MessageDelivery } from './offline-message.ts';
import { createPreEngagementValidator, type PreEngagementValue } from './pre-engagement.ts';
import { createRateLimiter, type ConnectRedis, type RateLimitedRoute, type RateLimiter } from './rate-limit.ts';
import { checkConfig, createReadiness, emulatorProbe, flexFlowProbe, twilioProbe, type ReadinessProbe } from './readiness.ts';
import { createSessionProofs, generateSessionSecret, MAX_SESSION_PROOF_LENGTH } from './session-proof.ts';
import {
  createTwilioApis,
  describeUpstreamError,
  type ConversationsApi,
  type FlexChannelsApi,
  type FlexWebChannelsApi,
  type FlexWebChats,
  type TwilioApis,
} from './twilio-client.ts';
import { deriveUserIdentity, verifyUserToken } from './user-identity.ts';

export type { ClientInfo };

/** A Fetch handler; `info` carries what the runtime knows about the connection (the Node adapter passes the peer address). */
export type FetchHandler = (request: Request, info?: ClientInfo) => Promise<Response>;

/** The token service: a Fetch handler that also owns connections (Redis) to release on shutdown. */
export type TokenService = FetchHandler & { close(): Promise<void> };

export type LogEntry = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

export interface TokenServiceDeps {
  /** Flex POST /v2/WebChats. Default: the twilio helper library for config.mode. */
  flex?: FlexWebChats;
  /** Conversations REST (first message, closed check, end). Default: the twilio helper library for config.mode. */
  conversations?: ConversationsApi;
  /** Legacy flow: Flex POST /v1/Channels and GET /v1/Channels/{CH}. Default: the twilio helper library. */
  channels?: FlexChannelsApi;
  /** Legacy flow: Flex POST /v1/WebChannels/{CH} (end). Default: the twilio helper library. */
  webChannels?: FlexWebChannelsApi;
  /** GET /readyz checks. Default: config + emulator /healthz (local) or a Conversations service fetch (real). */
  readinessProbes?: ReadinessProbe[];
  /** Default: rate-limiter-flexible per config.rateLimits (memory, or Redis with config.redisUrl). */
  rateLimiter?: RateLimiter;
  /** Default: ioredis, imported on first use when config.redisUrl is set. */
  connectRedis?: ConnectRedis;
  /** Clock for token checks, session proofs and the readiness cache. Default Date.now. */
  now?: () => number;
  /** The pre-engagement form. Default: loadDeploymentConfig().preEngagement. */
  preEngagement?: PreEngagementConfig;
  /** Default: `visitor-${crypto.randomUUID()}`. */
  newIdentity?: () => string;
  /** Server-side events (upstream failures, bugs). Default: one JSON line on stderr. */
  log?: (entry: LogEntry) => void;
  /** Request body limit in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /**
   * Where POST /webchat/message hands messages. Default: config.messageWebhook, else the
   * emulator's inbox in local mode, else none (501 not_configured). null: none.
   */
  messageDelivery?: MessageDelivery | null;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
export const PREFLIGHT_MAX_AGE_SECONDS = 600;
export const ALLOWED_REQUEST_HEADERS = 'content-type, x-request-id';
export const CHAT_FRIENDLY_NAME = 'Web chat';
export const DEFAULT_CUSTOMER_FRIENDLY_NAME = 'Customer';

const ROUTES = new Map<string, readonly string[]>([
  ['/webchat/init', ['POST', 'OPTIONS']],
  ['/webchat/refresh', ['POST', 'OPTIONS']],
  ['/webchat/end', ['POST', 'OPTIONS']],
  ['/webchat/message', ['POST', 'OPTIONS']],
  ['/healthz', ['GET', 'HEAD', 'OPTIONS']],
  ['/readyz', ['GET', 'HEAD', 'OPTIONS']],
]);

const MAX_PAGE_URL_LENGTH = 2048;
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}$/;
const INIT_KEYS = new Set(['preEngagementData', 'context', 'userToken']);
const REFRESH_KEYS = new Set(['token', 'identity', 'conversationSid', 'sessionProof']);
const MAX_TOKEN_LENGTH = 8192;
const MAX_USER_TOKEN_LENGTH = 4096;
/**
 * Twilio error codes meaning "already closed": 50377 (a conversation in its final
 * closed state cannot be updated). 50434 is what older emulator builds answered.
 */
const ALREADY_CLOSED_CODES = new Set([50377, 50434]);
const isAlreadyClosed = (summary: { status?: number; twilioCode?: number }): boolean =>
  summary.status === 404 || (summary.twilioCode !== undefined && ALREADY_CLOSED_CODES.has(summary.twilioCode));
/** The Flex API cannot tell whether an identity belongs to a legacy chat channel: only a session proof binds the two. */
const legacyNeedsProof = () => new HttpError('invalid_body', 'Send the sessionProof (with identity) for a legacy Flex chat');
const TOKEN_INVALID_MESSAGE = 'The token is invalid or has expired; start a new chat';
const USER_TOKEN_INVALID_MESSAGE = 'The signed user identity (userToken) is invalid or has expired';

class HttpError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    readonly headers: Record<string, string> = {},
    /** The one field of a /webchat/message body to blame. */
    readonly field?: string,
  ) {
    super(message);
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) {
    throw new HttpError('payload_too_large', `Request body must be at most ${limit} bytes`);
  }
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > limit) {
        await reader.cancel().catch(() => undefined);
        throw new HttpError('payload_too_large', `Request body must be at most ${limit} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError('invalid_body', 'The request body could not be read');
  }
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

function parseJson(bytes: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpError('invalid_json', 'The request body is not valid JSON');
  }
}

interface InitInput {
  preEngagementData: Record<string, unknown>;
  context: { pageUrl?: string; locale?: string } | undefined;
  userToken: string | undefined;
}

/** Structural checks of the init body; the form rules come after (validation_failed). */
function parseInitBody(body: unknown): InitInput {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !INIT_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError(
      'invalid_body',
      `Unknown property ${JSON.stringify(unknown[0])}; expected preEngagementData and optional context and userToken`,
    );
  }
  const { preEngagementData, context, userToken } = body as Partial<WebChatInitRequest> & Record<string, unknown>;
  if (!isPlainObject(preEngagementData)) {
    throw new HttpError('invalid_body', 'preEngagementData must be an object of field name → string or boolean');
  }
  if (userToken !== undefined && (typeof userToken !== 'string' || userToken === '' || userToken.length > MAX_USER_TOKEN_LENGTH)) {
    throw new HttpError('invalid_body', `userToken must be a JWT string of at most ${MAX_USER_TOKEN_LENGTH} characters`);
  }
  if (context === undefined || context === null) return { preEngagementData, context: undefined, userToken };
  if (!isPlainObject(context)) throw new HttpError('invalid_body', 'context must be an object');

  const cleaned: { pageUrl?: string; locale?: string } = {};
  const { pageUrl, locale } = context as Record<string, unknown>;
  if (pageUrl !== undefined) {
    if (typeof pageUrl !== 'string' || pageUrl.length > MAX_PAGE_URL_LENGTH) {
      throw new HttpError('invalid_body', `context.pageUrl must be a URL of at most ${MAX_PAGE_URL_LENGTH} characters`);
    }
    let url: URL;
    try {
      url = new URL(pageUrl);
    } catch {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new HttpError('invalid_body', 'context.pageUrl must be an absolute http(s) URL');
    }
    // Query strings and fragments often carry tokens or personal data: forward origin + path only.
    cleaned.pageUrl = url.origin + url.pathname;
  }
  if (locale !== undefined) {
    if (typeof locale !== 'string' || !LOCALE.test(locale)) {
      throw new HttpError('invalid_body', 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"');
    }
    cleaned.locale = locale;
  }
  return { preEngagementData, context: Object.keys(cleaned).length ? cleaned : undefined, userToken };
}

interface SessionInput {
  token: string | undefined;
  /** Always set for refresh; for end it may be left out when a token is sent (the token names it). */
  identity: string | undefined;
  conversationSid: string;
  sessionProof: string | undefined;
}

interface RefreshInput extends SessionInput {
  identity: string;
}

/** Structural checks of the refresh body. */
function parseRefreshBody(body: unknown): RefreshInput {
  const input = parseSessionBody(body, '/webchat/refresh');
  if (input.identity === undefined) throw new HttpError('invalid_body', 'identity must be a non-empty string');
  return { ...input, identity: input.identity };
}

/** Structural checks of the refresh and end bodies: token and/or sessionProof, identity, conversationSid. */
function parseSessionBody(body: unknown, route: '/webchat/refresh' | '/webchat/end'): SessionInput {
  if (!isPlainObject(body)) throw new HttpError('invalid_body', 'The request body must be a JSON object');
  const unknown = Object.keys(body).filter((key) => !REFRESH_KEYS.has(key));
  if (unknown.length) {
    throw new HttpError(
      'invalid_body',
      `Unknown property ${JSON.stringify(unknown[0])}; expected token and/or sessionProof, identity and conversationSid`,
    );
  }
  const { token, identity, conversationSid, sessionProof } = body;
  if (token !== undefined && (typeof token !== 'string' || token === '' || token.length > MAX_TOKEN_LENGTH)) {
    throw new HttpError('invalid_body', 'token must be the access token from /webchat/init');
  }
  if (sessionProof !== undefined && (typeof sessionProof !== 'string' || sessionProof === '' || sessionProof.length > MAX_SESSION_PROOF_LENGTH)) {
    throw new HttpError('invalid_body', 'sessionProof must be the sessionProof from /webchat/init');
  }
  if (token === undefined && sessionProof === undefined) {
    throw new HttpError('invalid_body', 'Send the token, the sessionProof, or both, as received from /webchat/init');
  }
  // End may leave the identity out when it sends a token: the verified token names it.
  const identityOptional = route === '/webchat/end' && token !== undefined;
  if (!(identity === undefined && identityOptional) && (typeof identity !== 'string' || identity === '')) {
    throw new HttpError('invalid_body', 'identity must be a non-empty string');
  }
  if (typeof conversationSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(conversationSid)) {
    throw new HttpError('invalid_body', 'conversationSid must be a conversation SID (CH…)');
  }
  return { token, identity: identity as string | undefined, conversationSid, sessionProof };
}

const defaultLog = (entry: LogEntry) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), ...entry }));
};

/** Fails fast (EnvError) when FLEXCHAT_FIRST_MESSAGE_FIELD does not name a text-valued field of the form. */
function checkFirstMessageField(field: string | undefined, form: PreEngagementConfig): void {
  if (field === undefined) return;
  const found = form.fields.find((f) => f.name === field);
  if (!found) {
    throw new EnvError([
      `FLEXCHAT_FIRST_MESSAGE_FIELD is "${field}", which is not a field of the pre-engagement form (fields: ${form.fields.map((f) => f.name).join(', ') || 'none'})`,
    ]);
  }
  if (found.type === 'checkbox') throw new EnvError([`FLEXCHAT_FIRST_MESSAGE_FIELD names "${field}", a checkbox; it must be a text field such as a question`]);
}

/** Builds the token service. Throws at once on a broken form config (bad pattern) or first-message field. */
export function createTokenService(config: TokenServiceConfig, deps: TokenServiceDeps = {}): TokenService {
  const form = deps.preEngagement ?? loadDeploymentConfig().preEngagement;
  const validate = createPreEngagementValidator(form);
  checkFirstMessageField(config.firstMessageField, form);
  const log = deps.log ?? defaultLog;
  const now = deps.now ?? Date.now;
  let apis: TwilioApis | undefined;
  const twilioApis = () => (apis ??= createTwilioApis(config));
  const chat = resolveChat(config);
  const legacy = chat.flow === 'legacy' ? chat : undefined;
  const flex: FlexWebChats = deps.flex ?? { create: (params) => twilioApis().flex.create(params) };
  const conversations: ConversationsApi = deps.conversations ?? ((sid) => twilioApis().conversations(sid));
  const channels: FlexChannelsApi =
    deps.channels ?? Object.assign((sid: string) => twilioApis().channels(sid), { create: (params: Parameters<FlexChannelsApi['create']>[0]) => twilioApis().channels.create(params) });
  const webChannels: FlexWebChannelsApi = deps.webChannels ?? ((sid) => twilioApis().webChannels(sid));
  /** The `mode` init answers: which SDK the widget must use (legacy: twilio-chat, also against the emulator). */
  const responseMode = legacy ? 'legacy' : config.mode;
  const newIdentity = deps.newIdentity ?? (() => `visitor-${crypto.randomUUID()}`);
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const allowed = new Set(config.allowedOrigins);
  const local = config.mode === 'local';

  let sessionSecret = config.sessionSecret;
  if (sessionSecret === undefined) {
    sessionSecret = generateSessionSecret();
    if (!local) {
      log({
        level: 'warn',
        msg: 'session_secret_generated',
        hint: 'FLEXCHAT_SESSION_SECRET is unset: session proofs die with this process and are not shared between instances',
      });
    }
  }
  const proofs = createSessionProofs(sessionSecret, { accountSid: config.accountSid, serviceSid: chat.serviceSid });
  /** A session proof stays valid for one token lifetime plus the grace period after it was issued. */
  const proofLifetimeSeconds = config.tokenTtlSeconds + config.refreshGraceSeconds;

  const rateLimiter =
    deps.rateLimiter ??
    createRateLimiter(config.rateLimits, {
      deploymentKey: chat.flow === 'legacy' ? chat.flexFlowSid : chat.addressSid,
      redisUrl: config.redisUrl,
      ...(deps.connectRedis ? { connectRedis: deps.connectRedis } : {}),
      log,
    });

  const readinessProbes: ReadinessProbe[] = deps.readinessProbes ?? [
    async () => checkConfig(config),
    local && config.emulator
      ? emulatorProbe(config.emulator.url)
      : chat.flow === 'legacy'
        ? flexFlowProbe((sid) => twilioApis().flexFlows(sid), chat.flexFlowSid, chat.serviceSid)
        : twilioProbe((sid) => twilioApis().services(sid), chat.serviceSid),
  ];
  const readiness = createReadiness(readinessProbes, { now });

  function json(status: number, body: unknown, origin: string | null, extra: Record<string, string> = {}): Response {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      vary: 'Origin',
      ...extra,
    });
    if (origin !== null && allowed.has(origin)) headers.set('access-control-allow-origin', origin);
    return new Response(status === 204 ? null : JSON.stringify(body), { status, headers });
  }

  function error(err: HttpError, origin: string | null, extra: Record<string, string> = {}): Response {
    const body: ErrorResponse = { error: { code: err.code, message: err.message } };
    if (err.fields) body.error.fields = err.fields;
    if (err.field !== undefined) body.error.field = err.field;
    return json(ERROR_STATUS[err.code], body, origin, { ...err.headers, ...extra });
  }

  function preflight(request: Request, methods: readonly string[]): Response {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) {
      return error(new HttpError('origin_not_allowed', 'This origin may not call the token service'), origin);
    }
    return new Response(null, {
      status: 204,
      headers: {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': ALLOWED_REQUEST_HEADERS,
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        'cache-control': 'no-store',
      },
    });
  }

  /**
   * For a browser POST: origin allowlist, then the rate limits (so pages on
   * other origins cannot spend this deployment's budget), then JSON content
   * type and size limit. Returns the parsed body.
   */
  async function readJsonPost(
    request: Request,
    route: RateLimitedRoute,
    info: ClientInfo | undefined,
    requestId: string | undefined,
  ): Promise<{ origin: string; body: unknown }> {
    const origin = request.headers.get('origin');
    if (origin === null || !allowed.has(origin)) {
      throw new HttpError(
        'origin_not_allowed',
        origin === null ? 'Requests must come from an allowed origin (no Origin header)' : 'This origin may not call the token service',
      );
    }
    const decision = await rateLimiter.check(route, clientIp(request.headers, info, config.trustProxyHops));
    if (!decision.allowed) {
      log({ level: 'warn', msg: 'rate_limited', requestId, route, scope: decision.scope });
      throw new HttpError(
        'rate_limited',
        `Too many requests; try again in ${decision.retryAfterSeconds} second${decision.retryAfterSeconds === 1 ? '' : 's'}`,
        undefined,
        // Retry-After is not a CORS-safelisted response header: expose it to the widget.
        { 'retry-after': String(decision.retryAfterSeconds), 'access-control-expose-headers': 'retry-after' },
      );
    }
    const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      throw new HttpError('unsupported_media_type', 'Content-Type must be application/json');
    }
    return { origin, body: parseJson(await readBody(request, maxBodyBytes)) };
  }

  function mint(identity: string) {
    return mintChatToken({
      accountSid: config.accountSid,
      apiKeySid: config.apiKeySid,
      apiKeySecret: config.apiKeySecret,
      serviceSid: chat.serviceSid,
      identity,
      ttlSeconds: config.tokenTtlSeconds,
    });
  }

  /** The chat identity: derived from a valid userToken, else random. */
  function identityFor(userToken: string | undefined, requestId: string | undefined): string {
    if (userToken === undefined) return newIdentity();
    if (config.identitySecret === undefined) {
      log({ level: 'warn', msg: 'user_token_refused', requestId, reason: 'not_configured' });
      throw new HttpError('user_token_invalid', 'Signed user identities are not enabled on this token service');
    }
    const check = verifyUserToken(userToken, config.identitySecret, now());
    if (!check.ok) {
      log({ level: 'warn', msg: 'user_token_refused', requestId, reason: check.reason });
      throw new HttpError('user_token_invalid', USER_TOKEN_INVALID_MESSAGE);
    }
    return deriveUserIdentity(check.userId, config.identitySecret);
  }

  /** Posts the visitor's question as their first message. Never fails init: returns whether it worked. */
  async function postFirstMessage(conversationSid: string, identity: string, body: string, requestId: string | undefined): Promise<boolean> {
    try {
      // Webhooks on, so the Flex Studio flow sees the message as it would one typed in the chat.
      await conversations(conversationSid).messages.create({ author: identity, body, xTwilioWebhookEnabled: 'true' });
      return true;
    } catch (upstream) {
      log({ level: 'warn', msg: 'first_message_failed', requestId, ...describeUpstreamError(upstream) });
      return false;
    }
  }

  type PreEngagementPayload = Record<string, PreEngagementValue | Record<string, string>>;

  /** Flex Conversations: POST /v2/WebChats → conversation SID and the identity Flex settled on. */
  async function startWebChat(
    addressSid: string,
    requestedIdentity: string,
    customerFriendlyName: string,
    preEngagementData: PreEngagementPayload,
    requestId: string | undefined,
  ): Promise<{ conversationSid: string; identity: string }> {
    let created: { conversationSid: string; identity: string };
    try {
      created = await flex.create({
        addressSid,
        chatFriendlyName: CHAT_FRIENDLY_NAME,
        customerFriendlyName,
        preEngagementData: JSON.stringify(preEngagementData),
        identity: requestedIdentity,
      });
    } catch (upstream) {
      log({ level: 'error', msg: 'flex_webchats_failed', requestId, ...describeUpstreamError(upstream) });
      throw new HttpError('upstream_error', 'Could not start a conversation with Twilio Flex; try again shortly');
    }
    const conversationSid = created?.conversationSid;
    const identity = created?.identity;
    if (typeof conversationSid !== 'string' || !conversationSid.startsWith('CH') || typeof identity !== 'string' || identity === '') {
      log({ level: 'error', msg: 'flex_webchats_bad_reply', requestId });
      throw new HttpError('upstream_error', 'Twilio Flex answered without a conversation; try again shortly');
    }
    return { conversationSid, identity };
  }

  /**
   * Legacy Flex Programmable Chat: POST /v1/Channels on the web Flex Flow. The
   * pre-engagement data goes in PreEngagementData (channel attributes) and in
   * TaskAttributes, where Flex UI and TaskRouter workflows read it
   * (`name`, `channelType`, `pre_engagement_data`).
   */
  async function startLegacyChannel(
    flow: Extract<typeof chat, { flow: 'legacy' }>,
    identity: string,
    customerFriendlyName: string,
    preEngagementData: PreEngagementPayload,
    requestId: string | undefined,
  ): Promise<{ conversationSid: string; identity: string }> {
    let created: { sid: string };
    try {
      created = await channels.create({
        flexFlowSid: flow.flexFlowSid,
        identity,
        chatUserFriendlyName: customerFriendlyName,
        chatFriendlyName: CHAT_FRIENDLY_NAME,
        preEngagementData: JSON.stringify(preEngagementData),
        taskAttributes: JSON.stringify({ name: customerFriendlyName, channelType: 'web', pre_engagement_data: preEngagementData }),
        ...(flow.longLived !== undefined ? { longLived: flow.longLived } : {}),
      });
    } catch (upstream) {
      log({ level: 'error', msg: 'flex_channels_failed', requestId, ...describeUpstreamError(upstream) });
      throw new HttpError('upstream_error', 'Could not start a conversation with Twilio Flex; try again shortly');
    }
    const channelSid = created?.sid;
    if (typeof channelSid !== 'string' || !/^CH[0-9a-fA-F]{32}$/.test(channelSid)) {
      log({ level: 'error', msg: 'flex_channels_bad_reply', requestId });
      throw new HttpError('upstream_error', 'Twilio Flex answered without a chat channel; try again shortly');
    }
    return { conversationSid: channelSid, identity };
  }

  async function init(request: Request, info: ClientInfo | undefined, requestId: string | undefined): Promise<Response> {
    const { origin, body: raw } = await readJsonPost(request, 'init', info, requestId);
    const input = parseInitBody(raw);
    const requestedIdentity = identityFor(input.userToken, requestId);
    const result = validate(input.preEngagementData);
    if (!result.ok) {
      throw new HttpError('validation_failed', 'Some pre-engagement fields are invalid', result.fields);
    }

    const preEngagementData: PreEngagementPayload = { ...result.data };
    // Field names start with a letter, so this key cannot collide with a form field.
    if (input.context) preEngagementData._context = input.context;
    const customerFriendlyName = result.friendlyName ?? DEFAULT_CUSTOMER_FRIENDLY_NAME;

    const { conversationSid, identity } = legacy
      ? await startLegacyChannel(legacy, requestedIdentity, customerFriendlyName, preEngagementData, requestId)
      : await startWebChat(chat.flow === 'conversations' ? chat.addressSid : '', requestedIdentity, customerFriendlyName, preEngagementData, requestId);

    let firstMessageSent: boolean | undefined;
    const firstMessage = config.firstMessageField === undefined ? undefined : result.data[config.firstMessageField];
    if (typeof firstMessage === 'string' && firstMessage !== '') {
      // Legacy: the channel lives in the Flex chat service, not the account's default
      // Conversations service; the widget posts the question itself (firstMessageSent: false).
      firstMessageSent = legacy ? false : await postFirstMessage(conversationSid, identity, firstMessage, requestId);
    }

    const { token, expiresAt } = mint(identity);
    const body: WebChatInitResponse = {
      token,
      identity,
      conversationSid,
      expiresAt: expiresAt.toISOString(),
      mode: responseMode,
      sessionProof: proofs.issue({ identity, conversationSid }, now()),
    };
    if (config.mode === 'local' && config.emulator) body.twilsockUri = config.emulator.twilsockUri;
    if (firstMessageSent !== undefined) body.firstMessageSent = firstMessageSent;
    if (firstMessageSent === false && typeof firstMessage === 'string') body.firstMessage = firstMessage;
    return json(200, body, origin);
  }

  const refused = (requestId: string | undefined, reason: string, event: 'refresh_refused' | 'end_refused' = 'refresh_refused'): HttpError => {
    log({ level: 'warn', msg: event, requestId, reason });
    return new HttpError('token_invalid', TOKEN_INVALID_MESSAGE);
  };

  /**
   * Refuses a conversation Twilio reports closed or missing (410). Only called once
   * the credential is proven to be for this conversation, so the answer tells the
   * caller nothing about anyone else's chat.
   */
  async function assertConversationOpen(conversationSid: string, requestId: string | undefined): Promise<void> {
    if (legacy) return assertChannelExists(conversationSid, requestId);
    let state: string | undefined;
    try {
      state = (await conversations(conversationSid).fetch()).state;
    } catch (upstream) {
      const summary = describeUpstreamError(upstream);
      if (summary.status === 404) {
        log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'conversation_not_found' });
        throw new HttpError('conversation_closed', 'This conversation no longer exists; start a new chat');
      }
      log({ level: 'error', msg: 'conversation_lookup_failed', requestId, ...summary });
      throw new HttpError('upstream_error', 'Could not check the conversation with Twilio; try again shortly');
    }
    if (state === 'closed') {
      log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'conversation_closed' });
      throw new HttpError('conversation_closed', 'This conversation has ended; start a new chat');
    }
  }

  /**
   * Legacy: the Flex chat channel must still exist (GET /v1/Channels/{CH}); the
   * emulator serves it too, so no local-mode leniency. Gone → 410.
   */
  async function assertChannelExists(channelSid: string, requestId: string | undefined): Promise<void> {
    try {
      await channels(channelSid).fetch();
    } catch (upstream) {
      const summary = describeUpstreamError(upstream);
      if (summary.status === 404) {
        log({ level: 'warn', msg: 'refresh_refused', requestId, reason: 'channel_not_found' });
        throw new HttpError('conversation_closed', 'This conversation no longer exists; start a new chat');
      }
      log({ level: 'error', msg: 'channel_lookup_failed', requestId, ...summary });
      throw new HttpError('upstream_error', 'Could not check the conversation with Twilio; try again shortly');
    }
  }

  /**
   * Checks the credentials of a session this service started (refresh, end).
   * Accepted: an unexpired token we minted for that identity (plus, if sent, a
   * valid proof); or a valid session proof for that identity and conversation,
   * alone or with our token expired less than the grace period ago. A token we
   * did not mint is refused whatever else comes with it. `bound` says whether a
   * session proof tied the identity to the conversation SID; with a token alone
   * the SID is only shape-checked (the token grants the service, not one
   * conversation).
   */
  async function verifySession(
    input: SessionInput,
    requestId: string | undefined,
    event: 'refresh_refused' | 'end_refused',
  ): Promise<{ identity: string; bound: boolean; nowMs: number }> {
    const nowMs = now();
    const check =
      input.token === undefined
        ? undefined
        : await verifyChatToken(
            input.token,
            { accountSid: config.accountSid, apiKeySid: config.apiKeySid, apiKeySecret: config.apiKeySecret, serviceSid: chat.serviceSid },
            nowMs,
          );
    const ours = check !== undefined && (check.ok || check.reason === 'expired') ? check : undefined;
    const identity = input.identity ?? ours?.identity;
    if (identity === undefined) throw refused(requestId, check && !check.ok ? check.reason : 'no_identity', event);

    const proof =
      input.sessionProof === undefined
        ? undefined
        : proofs.verify(input.sessionProof, { identity, conversationSid: input.conversationSid }, nowMs, proofLifetimeSeconds);
    if (proof && !proof.ok) throw refused(requestId, `proof_${proof.reason}`, event);

    if (check !== undefined) {
      if (!ours) throw refused(requestId, check.ok ? 'malformed' : check.reason, event);
      if (ours.identity !== identity) throw refused(requestId, 'identity_mismatch', event);
      if (!ours.ok) {
        if (!proof) throw refused(requestId, 'expired', event);
        if (ours.expiresAt.getTime() + config.refreshGraceSeconds * 1000 <= nowMs) throw refused(requestId, 'grace_elapsed', event);
      }
    }
    return { identity, bound: proof !== undefined, nowMs };
  }

  /**
   * The credential must have been issued for this conversation: a session proof
   * binds identity and conversation SID (HMAC, checked in verifySession), or,
   * with a token alone, Twilio confirms the token's identity is a participant
   * (`GET /v1/Conversations/{CH}/Participants/{identity}`). A foreign, guessed or
   * non-existent SID all fail the same way (401 token_invalid), before anything
   * about the conversation is looked at: no existence oracle.
   */
  async function authorizeConversation(
    conversationSid: string,
    identity: string,
    bound: boolean,
    requestId: string | undefined,
    event: 'refresh_refused' | 'end_refused',
  ): Promise<void> {
    if (bound) return;
    // Legacy requests always carry a proof (parseSessionBody); a Flex chat channel has no membership lookup here.
    try {
      await conversations(conversationSid).participants(identity).fetch();
    } catch (upstream) {
      const summary = describeUpstreamError(upstream);
      if (summary.status === 404) throw refused(requestId, 'not_a_participant', event);
      log({ level: 'error', msg: event === 'end_refused' ? 'end_failed' : 'conversation_lookup_failed', requestId, step: 'participant', ...summary });
      throw new HttpError(
        'upstream_error',
        event === 'end_refused' ? 'Could not end the conversation with Twilio; try again shortly' : 'Could not check the conversation with Twilio; try again shortly',
      );
    }
  }

  /** A fresh token (and session proof) for a session this service started (see verifySession). */
  async function refresh(request: Request, info: ClientInfo | undefined, requestId: string | undefined): Promise<Response> {
    const { origin, body: raw } = await readJsonPost(request, 'refresh', info, requestId);
    const input = parseRefreshBody(raw);
    if (legacy && input.sessionProof === undefined) throw legacyNeedsProof();
    const { identity, bound, nowMs } = await verifySession(input, requestId, 'refresh_refused');
    await authorizeConversation(input.conversationSid, identity, bound, requestId, 'refresh_refused');
    await assertConversationOpen(input.conversationSid, requestId);
    const { token, expiresAt } = mint(identity);
    const body: WebChatRefreshResponse = {
      token,
      identity,
      expiresAt: expiresAt.toISOString(),
      sessionProof: proofs.issue({ identity, conversationSid: input.conversationSid }, nowMs),
    };
    return json(200, body, origin);
  }

  const endRefused = (requestId: string | undefined, reason: string) => refused(requestId, reason, 'end_refused');

  /**
   * Closes the visitor's Flex conversation (authorized already): fetch (already
   * closed or gone: done), then `update({ state: 'closed' })`. A close that races
   * another (Twilio 50377: the conversation is in its final closed state) counts
   * as done.
   */
  async function closeConversation(conversationSid: string, requestId: string | undefined): Promise<'closed'> {
    const upstreamFailed = (upstream: unknown, what: string): HttpError => {
      log({ level: 'error', msg: 'end_failed', requestId, step: what, ...describeUpstreamError(upstream) });
      return new HttpError('upstream_error', 'Could not end the conversation with Twilio; try again shortly');
    };
    const conversation = conversations(conversationSid);
    let state: string;
    try {
      state = (await conversation.fetch()).state;
    } catch (upstream) {
      if (describeUpstreamError(upstream).status === 404) return 'closed';
      throw upstreamFailed(upstream, 'fetch');
    }
    if (state === 'closed') return 'closed';
    try {
      await conversation.update({ state: 'closed' });
    } catch (upstream) {
      if (isAlreadyClosed(describeUpstreamError(upstream))) return 'closed';
      throw upstreamFailed(upstream, 'update');
    }
    return 'closed';
  }

  /**
   * Legacy: ends a Flex chat channel as Flex's own web chat does,
   * `POST /v1/WebChannels/{CH}` with `ChatStatus=inactive`; Flex then wraps the
   * task up. Gone (404) or already closed (409 / 50434) counts as ended.
   */
  async function deactivateChannel(channelSid: string, requestId: string | undefined): Promise<WebChatEndResponse['state']> {
    try {
      await webChannels(channelSid).update({ chatStatus: 'inactive' });
      return 'inactive';
    } catch (upstream) {
      const summary = describeUpstreamError(upstream);
      if (isAlreadyClosed(summary)) return 'closed';
      log({ level: 'error', msg: 'end_failed', requestId, step: 'web_channel_update', ...summary });
      throw new HttpError('upstream_error', 'Could not end the conversation with Twilio; try again shortly');
    }
  }

  /** The visitor ends the chat. Verified like refresh; idempotent. */
  async function end(request: Request, info: ClientInfo | undefined, requestId: string | undefined): Promise<Response> {
    const { origin, body: raw } = await readJsonPost(request, 'end', info, requestId);
    const input = parseSessionBody(raw, '/webchat/end');
    if (legacy && input.sessionProof === undefined) throw legacyNeedsProof();
    const { identity, bound } = await verifySession(input, requestId, 'end_refused');
    await authorizeConversation(input.conversationSid, identity, bound, requestId, 'end_refused');
    const state = legacy ? await deactivateChannel(input.conversationSid, requestId) : await closeConversation(input.conversationSid, requestId);
    log({ level: 'info', msg: 'chat_ended', requestId, state });
    const body: WebChatEndResponse = { state };
    return json(200, body, origin);
  }

  const messageDelivery: MessageDelivery | null =
    deps.messageDelivery !== undefined
      ? deps.messageDelivery
      : config.messageWebhook
        ? webhookDelivery(config.messageWebhook)
        : local && config.emulator
          ? emulatorDelivery(config.emulator.url)
          : null;

  /** A message left outside business hours → the webhook (or the emulator's inbox). */
  async function leaveMessage(request: Request, info: ClientInfo | undefined, requestId: string | undefined): Promise<Response> {
    if (messageDelivery === null) {
      const origin = request.headers.get('origin');
      if (origin === null || !allowed.has(origin)) throw new HttpError('origin_not_allowed', 'This origin may not call the token service');
      throw new HttpError('not_configured', 'Leaving a message is not set up on this token service (FLEXCHAT_MESSAGE_WEBHOOK_URL)');
    }
    const { origin, body: raw } = await readJsonPost(request, 'message', info, requestId);
    const parsed = parseMessageBody(raw);
    if (!parsed.ok) throw new HttpError('invalid_body', parsed.problem.message, undefined, {}, parsed.problem.field);
    const payload = deliveryPayload(parsed.value, new Date(now()));
    try {
      await messageDelivery(payload);
    } catch (failure) {
      const detail = failure instanceof DeliveryError ? { reason: failure.reason, status: failure.status } : { reason: 'unknown' };
      log({ level: 'error', msg: 'message_delivery_failed', requestId, messageId: payload.id, ...detail });
      throw new HttpError('delivery_failed', 'The message could not be delivered right now; try again shortly');
    }
    log({ level: 'info', msg: 'message_delivered', requestId, messageId: payload.id });
    const body: WebChatMessageResponse = { status: 'delivered', messageId: payload.id };
    return json(202, body, origin);
  }

  async function ready(request: Request, origin: string | null): Promise<Response> {
    const { ready: ok, checks } = await readiness();
    const body: ReadinessResponse = { status: ok ? 'ready' : 'not_ready', mode: config.mode, checks };
    const response = json(ok ? 200 : 503, body, origin);
    return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
  }

  const handler = async function tokenService(request: Request, info?: ClientInfo): Promise<Response> {
    const origin = request.headers.get('origin');
    const requestId = request.headers.get('x-request-id') ?? undefined;
    let path: string;
    try {
      path = new URL(request.url).pathname;
    } catch {
      return error(new HttpError('not_found', 'No such endpoint'), origin);
    }
    const methods = ROUTES.get(path);
    if (!methods) {
      return error(new HttpError('not_found', `No such endpoint: ${request.method} ${path.slice(0, 200)}`), origin);
    }
    if (!methods.includes(request.method)) {
      return error(new HttpError('method_not_allowed', `${path} does not support ${request.method}`), origin, {
        allow: methods.join(', '),
      });
    }
    try {
      if (request.method === 'OPTIONS') return preflight(request, methods);
      if (path === '/healthz') {
        // The widget preloads the SDK for this mode while the form is filled in, so it must
        // name the same SDK init will (local mode with the legacy flow is twilio-chat).
        const body: HealthResponse = { status: 'ok', mode: responseMode };
        const response = json(200, body, origin);
        return request.method === 'HEAD' ? new Response(null, { status: 200, headers: response.headers }) : response;
      }
      if (path === '/readyz') return await ready(request, origin);
      if (path === '/webchat/refresh') return await refresh(request, info, requestId);
      if (path === '/webchat/end') return await end(request, info, requestId);
      if (path === '/webchat/message') return await leaveMessage(request, info, requestId);
      return await init(request, info, requestId);
    } catch (err) {
      if (err instanceof HttpError) return error(err, origin);
      log({ level: 'error', msg: 'unhandled_error', requestId, error: err instanceof Error ? err.name : typeof err });
      return error(new HttpError('internal_error', 'Something went wrong; try again shortly'), origin);
    }
  };
  return Object.assign(handler, { close: () => rateLimiter.close() });
}
