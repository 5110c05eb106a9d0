// The token service as a Hono app. Pure: configuration and dependencies come
// in (runtimes/ and main.ts build them from the environment and the deployment
// config); it reads no file and no environment variable. Routes live one per
// file in routes/; the chat flow (Conversations or legacy) is chosen once, in
// chat-flow/chat-flow.ts.
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { requestId } from 'hono/request-id';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { firstMessageFieldOf } from '../../config/first-message.ts';
import type { PreEngagementConfig, SurveyConfig } from '../../config/types.ts';
import { ERROR_STATUS, type ErrorResponse } from '../../contracts/token-service.ts';
import type { TranscriptDelivery } from '../../contracts/transcript-email.ts';
import { createChatTokenMinter, verifyChatToken } from './access-token.ts';
import type { AppContext } from './app-context.ts';
import type { BackPressureOptions } from './chat-flow/back-pressure.ts';
import { chooseChatFlow } from './chat-flow/chat-flow.ts';
import type { ClientInfo } from './client-ip.ts';
import { DEFAULT_ORCHESTRATION_PER_SECOND, EnvError, type TokenServiceConfig } from './env.ts';
import { HttpError } from './http-error.ts';
import { jsonResponse } from './json.ts';
import { stderrLog, type Log, type LogEntry } from './log.ts';
import { browserPost, requireAllowedOrigin } from './middleware/browser-post.ts';
import { requestLog, type RequestLogLine } from './middleware/request-log.ts';
import type { TokenServiceEnv } from './middleware/types.ts';
import { emulatorDelivery, webhookDelivery, type MessageDelivery } from './offline-message.ts';
import { createPreEngagementValidator } from './pre-engagement.ts';
import { createRateLimiter, type ConnectRedis, type RateLimiter } from './rate-limit.ts';
import { checkConfig, createReadiness, emulatorProbe, flexFlowProbe, redisProbe, twilioProbe, type ReadinessProbe } from './readiness.ts';
import { endRoute } from './routes/end.ts';
import { healthzRoute } from './routes/healthz.ts';
import { initRoute } from './routes/init.ts';
import { messageRoute } from './routes/message.ts';
import { surveyRoute } from './routes/survey.ts';
import { transcriptRoute } from './routes/transcript.ts';
import { readyzRoute } from './routes/readyz.ts';
import { refreshRoute } from './routes/refresh.ts';
import { createSessionProofs, generateSessionSecret } from './session-proof.ts';
import { createSessionVerifier } from './session.ts';
import { createSurveyRecorder, type TaskRouterTasksApi } from './survey-recorder.ts';
import { startWarmUp, withinMs, WARM_UP_WAIT_MS, type RehearsalSummary } from './warm-up.ts';
import { createSurveyTasks, createTwilioApis, type ConversationsApi, type FlexChannelsApi, type FlexWebChannelsApi, type FlexWebChats, type TwilioApis } from './twilio-client.ts';

export type { ClientInfo, LogEntry, RequestLogLine, TokenServiceEnv };

export interface TokenServiceDeps {
  /** The deployment's pre-engagement form (from flexchat.config.json). */
  preEngagement: PreEngagementConfig;
  /** The deployment's post-chat survey (flexchat.config.json); absent or not enabled: POST /webchat/survey is 501. */
  survey?: SurveyConfig | undefined;
  /** TaskRouter tasks of config.taskRouterWorkspaceSid (the survey is recorded there). Default: the twilio helper library. */
  surveyTasks?: TaskRouterTasksApi;
  /** Flex POST /v2/WebChats. Default: the twilio helper library for config.mode. */
  flex?: FlexWebChats;
  /** Conversations REST (first message, membership, state, end). Default: the twilio helper library. */
  conversations?: ConversationsApi;
  /** Legacy flow: Flex POST /v1/Channels and GET /v1/Channels/{CH}. Default: the twilio helper library. */
  channels?: FlexChannelsApi;
  /** Legacy flow: Flex POST /v1/WebChannels/{CH} (end). Default: the twilio helper library. */
  webChannels?: FlexWebChannelsApi;
  /** GET /readyz checks. Default: config + emulator /healthz (local) or one Twilio fetch (real). */
  readinessProbes?: ReadinessProbe[];
  /** Default: rate-limiter-flexible per config.rateLimits (memory, or Redis with config.redisUrl). */
  rateLimiter?: RateLimiter;
  /** Waiting for orchestration slots and retrying Twilio's 429s (tests shrink the budget or the clock). */
  backPressure?: Pick<BackPressureOptions, 'budgetMs' | 'sleep' | 'now' | 'random'>;
  /** Default: ioredis, imported on first use when config.redisUrl is set. */
  connectRedis?: ConnectRedis;
  /** Clock for token checks, session proofs and the readiness cache. Default Date.now. */
  now?: () => number;
  /** Default: `visitor-${crypto.randomUUID()}`. */
  newIdentity?: () => string;
  /** Server-side events (upstream failures, refusals). Default: one JSON line on stderr. */
  log?: Log;
  /** One line per request (runtimes pass theirs). Default: none. */
  requestLog?: (line: RequestLogLine) => void;
  /** The peer address, as the runtime tells it. Default: `c.env.remoteAddress` (runtimes/ set it). */
  remoteAddress?: (c: Context<TokenServiceEnv>) => string | undefined;
  /**
   * Part of the warm-up, before /readyz says ready: the Node runtime rehearses chat
   * starts on a twin of the service (runtimes/rehearsal.ts). Default: none.
   */
  rehearse?: (config: TokenServiceConfig, signal: AbortSignal) => Promise<RehearsalSummary>;
  /** Request body limit in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** Where POST /webchat/transcript hands transcripts. Default: as messageDelivery, the emulator's /agent/transcripts locally. null: none. */
  transcriptDelivery?: ((payload: TranscriptDelivery) => Promise<void>) | null;
  /**
   * Where POST /webchat/message hands messages. Default: config.messageWebhook, else the
   * emulator's inbox in local mode, else none (501 not_configured). null: none.
   */
  messageDelivery?: MessageDelivery | null;
}

/** The app and what it owns. `fetch` is the Fetch-standard entry every runtime ends up calling. */
export interface TokenService {
  app: Hono<TokenServiceEnv>;
  fetch(request: Request, info?: ClientInfo): Promise<Response>;
  /** Settles when the warm-up is over (it never rejects); until then /readyz is not ready. */
  warmUp: Promise<void>;
  /** Releases connections (Redis). */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;
/** The warm-up's own upstream call gives up after this long (readiness probes have their own timeout). */
const WARM_UP_UPSTREAM_MS = 3000;
export { WARM_UP_WAIT_MS };
export const PREFLIGHT_MAX_AGE_SECONDS = 600;
export const ALLOWED_REQUEST_HEADERS = ['content-type', 'x-request-id'];

/** Every route and its methods: what CORS preflights announce. */
const ROUTE_METHODS: ReadonlyMap<string, readonly string[]> = new Map([
  ['/webchat/init', ['POST']],
  ['/webchat/refresh', ['POST']],
  ['/webchat/end', ['POST']],
  ['/webchat/message', ['POST']],
  ['/webchat/transcript', ['POST']],
  ['/webchat/survey', ['POST']],
  ['/healthz', ['GET', 'HEAD']],
  ['/readyz', ['GET', 'HEAD']],
]);

/** The paths the token service answers; everything else is 404 (or, in the container, a widget file). */
export const SERVICE_PATHS: ReadonlySet<string> = new Set(ROUTE_METHODS.keys());

/** Fails fast (EnvError) when FLEXCHAT_FIRST_MESSAGE_FIELD does not name a text-valued field of the form. */
function checkFirstMessageField(field: string | undefined, form: PreEngagementConfig): void {
  if (field === undefined) return;
  const found = form.fields.find((f) => f.name === field);
  if (!found) {
    throw new EnvError([
      `FLEXCHAT_FIRST_MESSAGE_FIELD is "${field}", which is not a field of the pre-engagement form (fields: ${form.fields.map((f) => f.name).join(', ') || 'none'})`,
    ]);
  }
  if (found.type === 'checkbox' || found.type === 'consent') {
    throw new EnvError([`FLEXCHAT_FIRST_MESSAGE_FIELD names "${field}", a ${found.type}; it must be a text field such as a question`]);
  }
}

const envRemoteAddress = (c: Context<TokenServiceEnv>): string | undefined => c.env?.remoteAddress;

/** Builds the token service. Throws at once on a broken form config (bad pattern) or first-message field. */
export function createTokenService(config: TokenServiceConfig, deps: TokenServiceDeps): TokenService {
  const form = deps.preEngagement;
  const validateForm = createPreEngagementValidator(form);
  checkFirstMessageField(config.firstMessageField, form);
  const log = deps.log ?? stderrLog;
  const now = deps.now ?? Date.now;
  const local = config.mode === 'local';
  const remoteAddress = deps.remoteAddress ?? envRemoteAddress;
  const allowed: ReadonlySet<string> = new Set(config.allowedOrigins);

  // The helper library's client is built here, at start, with its Flex and
  // Conversations modules loaded: built on the first request it cost that
  // request 200+ ms. Not built when tests inject every API it would serve.
  const usesTwilioClient = !deps.flex || !deps.conversations || !deps.channels || !deps.webChannels || !deps.readinessProbes;
  const apis: TwilioApis | undefined = usesTwilioClient ? createTwilioApis(config) : undefined;
  const twilioApis = (): TwilioApis => {
    if (!apis) throw new Error('Twilio client not built: every API it serves was injected');
    return apis;
  };
  const flow = chooseChatFlow(
    config,
    {
      flex: deps.flex ?? { create: (params) => twilioApis().flex.create(params) },
      conversations: deps.conversations ?? ((sid) => twilioApis().conversations(sid)),
      channels:
        deps.channels ??
        Object.assign((sid: string) => twilioApis().channels(sid), { create: (params: Parameters<FlexChannelsApi['create']>[0]) => twilioApis().channels.create(params) }),
      webChannels: deps.webChannels ?? ((sid) => twilioApis().webChannels(sid)),
    },
    log,
    {
      // Called per request, by which time the limiter below exists.
      takeSlot: () => rateLimiter.takeOrchestrationSlot?.() ?? Promise.resolve({ allowed: true }),
      ...deps.backPressure,
    },
  );

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
  const proofs = createSessionProofs(sessionSecret, { accountSid: config.accountSid, serviceSid: flow.serviceSid });
  const rateLimiter =
    deps.rateLimiter ??
    createRateLimiter(config.rateLimits, {
      deploymentKey: flow.deploymentKey,
      redisUrl: config.redisUrl,
      // Keyed by account: Twilio's limit is per account, whatever deployments share it.
      orchestration: { perSecond: config.orchestrationPerSecond ?? DEFAULT_ORCHESTRATION_PER_SECOND, key: config.accountSid },
      ...(deps.connectRedis ? { connectRedis: deps.connectRedis } : {}),
      log,
    });
  const issuer = { accountSid: config.accountSid, apiKeySid: config.apiKeySid, apiKeySecret: config.apiKeySecret, serviceSid: flow.serviceSid };
  // The HMAC key object and the token header are made here, once (a few µs per token after that).
  const mintToken = createChatTokenMinter(issuer);

  const readinessProbes: ReadinessProbe[] = deps.readinessProbes ?? [
    async () => checkConfig(config),
    local && config.emulator
      ? emulatorProbe(config.emulator.url)
      : flow.name === 'legacy'
        ? flexFlowProbe((sid) => twilioApis().flexFlows(sid), flow.deploymentKey, flow.serviceSid)
        : twilioProbe((sid) => twilioApis().services(sid), flow.serviceSid),
    ...(config.redisUrl !== undefined && rateLimiter.ping ? [redisProbe(() => rateLimiter.ping?.() ?? Promise.resolve())] : []),
  ];

  const messageDelivery: MessageDelivery | null =
    deps.messageDelivery !== undefined
      ? deps.messageDelivery
      : config.messageWebhook
        ? webhookDelivery(config.messageWebhook)
        : local && config.emulator
          ? emulatorDelivery(config.emulator.url)
          : null;

  const transcriptDelivery =
    deps.transcriptDelivery !== undefined
      ? deps.transcriptDelivery
      : config.messageWebhook
        ? webhookDelivery<TranscriptDelivery>(config.messageWebhook)
        : local && config.emulator
          ? emulatorDelivery<TranscriptDelivery>(config.emulator.url, {}, '/agent/transcripts')
          : null;

  const readiness = createReadiness(readinessProbes, { now });
  // The token path once (key objects, JIT) and the upstream path once (in local mode
  // the helper library's request path, which the readiness probe does not use).
  const warmUp = startWarmUp({
    steps: async () => {
      const { token } = mintToken('warm-up', config.tokenTtlSeconds);
      await verifyChatToken(token, issuer, now());
      const binding = { identity: 'warm-up', conversationSid: `CH${'0'.repeat(32)}` };
      proofs.verify(proofs.issue(binding, now()), binding, now(), config.tokenTtlSeconds);
      if (local && apis && !deps.flex) {
        const probe =
          flow.name === 'legacy'
            ? flexFlowProbe((sid) => apis.flexFlows(sid), flow.deploymentKey, flow.serviceSid)
            : twilioProbe((sid) => apis.services(sid), flow.serviceSid);
        await withinMs(probe(), WARM_UP_UPSTREAM_MS);
      }
    },
    rehearse: deps.rehearse && ((signal) => (deps.rehearse as NonNullable<TokenServiceDeps['rehearse']>)(config, signal)),
    readiness,
    log,
  });

  // The survey needs Flex Conversations (a legacy chat's task names its channel, not a conversation) and a workspace.
  const surveyContext = (): AppContext['survey'] => {
    const workspace = config.taskRouterWorkspaceSid;
    if (!deps.survey?.enabled || flow.name !== 'conversations' || (workspace === undefined && !deps.surveyTasks)) return null;
    const tasks = deps.surveyTasks ?? createSurveyTasks(config, workspace as string);
    return { scale: deps.survey.scale ?? 'stars', comment: deps.survey.comment ?? true, record: createSurveyRecorder(tasks, log, now) };
  };

  const postOptions = { allowedOrigins: allowed, rateLimiter, remoteAddress, trustProxyHops: config.trustProxyHops, maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, log };
  const ctx: AppContext = {
    config,
    flow,
    log,
    now,
    proofs,
    verifySession: createSessionVerifier({
      issuer,
      proofs,
      proofLifetimeSeconds: config.tokenTtlSeconds + config.refreshGraceSeconds,
      refreshGraceSeconds: config.refreshGraceSeconds,
      flow,
      log,
      now,
    }),
    mint: (identity) => mintToken(identity, config.tokenTtlSeconds),
    validateForm,
    consentFields: form.fields.filter((field) => field.type === 'consent'),
    // The variable, else the deployment's own setting (the widget reads the same one).
    firstMessageField: config.firstMessageField ?? firstMessageFieldOf(form),
    newIdentity: deps.newIdentity ?? (() => `visitor-${crypto.randomUUID()}`),
    messageDelivery,
    transcriptDelivery,
    survey: surveyContext(),
    readiness: () => warmUp.readiness(),
    browserPost: (route) => browserPost(route, postOptions),
    requireAllowedOrigin: requireAllowedOrigin(allowed),
  };

  const app = new Hono<TokenServiceEnv>();
  if (deps.rehearse) {
    app.use(async (c, next) => {
      warmUp.sawRequest(c.req.path);
      return next();
    });
  }
  app.use(requestId({ headerName: 'x-request-id', limitLength: 128 }));
  if (deps.requestLog) app.use(requestLog(deps.requestLog, remoteAddress));
  // Every header a response gets is set before the route runs (c.header() on the prepared
  // headers). A header set after `next()`, or on `c.res` before it, makes Hono copy the
  // finished response into a new one, which on Node turns the body into a web stream.
  app.use(async (c, next) => {
    c.header('cache-control', 'no-store');
    c.header('x-content-type-options', 'nosniff');
    await next();
  });
  app.use(methodNotAllowed({ app, onMethodNotAllowed: (c, methods) => {
    throw new HttpError('method_not_allowed', `${c.req.path} does not support ${c.req.method}`, { headers: { allow: [...methods, 'OPTIONS'].join(', ') } });
  } }));

  const corsForRoutes = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: (_origin, c) => [...(ROUTE_METHODS.get(c.req.path) ?? []), 'OPTIONS'],
    allowHeaders: ALLOWED_REQUEST_HEADERS,
    maxAge: PREFLIGHT_MAX_AGE_SECONDS,
  });
  app.use(async (c, next) => {
    if (!ROUTE_METHODS.has(c.req.path)) return next(); // unknown path: 404 below, preflight included
    const origin = c.req.header('origin');
    if (c.req.method === 'OPTIONS') {
      if (origin === undefined || !allowed.has(origin)) throw new HttpError('origin_not_allowed', 'This origin may not call the token service');
      return corsForRoutes(c, next);
    }
    // The actual request: the headers Hono's cors() would add (it sets them on c.res and
    // appends Vary after the route, each a copy of the response; see above), set up front.
    if (origin !== undefined && allowed.has(origin)) c.header('access-control-allow-origin', origin);
    c.header('vary', 'Origin', { append: true });
    return next();
  });

  for (const route of [initRoute, refreshRoute, endRoute, messageRoute, transcriptRoute, surveyRoute, healthzRoute, readyzRoute]) app.route('/', route(ctx));

  app.notFound((c) => {
    const body: ErrorResponse = { error: { code: 'not_found', message: `No such endpoint: ${c.req.method} ${c.req.path.slice(0, 200)}` } };
    return jsonResponse(c, 404, body);
  });
  app.onError((err, c) => {
    let error = err instanceof HttpError ? err : undefined;
    if (!error) {
      log({ level: 'error', msg: 'unhandled_error', requestId: c.get('requestId'), error: err instanceof Error ? err.name : typeof err });
      error = new HttpError('internal_error', 'Something went wrong; try again shortly');
    }
    const body: ErrorResponse = { error: { code: error.code, message: error.message } };
    if (error.details.fields) body.error.fields = error.details.fields;
    if (error.details.field !== undefined) body.error.field = error.details.field;
    return jsonResponse(c, ERROR_STATUS[error.code] as ContentfulStatusCode, body, error.details.headers);
  });

  return {
    app,
    warmUp: warmUp.done,
    fetch: async (request, info) => app.fetch(request, info ?? {}),
    close: async () => {
      // A rehearsal still running stops, and lets go of its loopback servers, first.
      await warmUp.stop();
      await rateLimiter.close();
    },
  };
}
