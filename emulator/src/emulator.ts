import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { registerAgentApi } from './agent/agent-api.ts';
import { registerContentRoutes } from './content/content-routes.ts';
import { ContentStore } from './content/content-store.ts';
import type { ContentSender } from './rest/conversations-kit.ts';
import { registerDeploymentKeysApi } from './agent/deployment-keys-api.ts';
import { HOSTED_WEBCHAT_ROUTES, hostedWebchatCors } from './flex/hosted-webchat.ts';
import { registerOfflineInbox } from './agent/offline-inbox.ts';
import { registerTranscriptInbox } from './agent/transcript-inbox.ts';
import { credentialsFromEnv, type EmulatorCredentials } from './config.ts';
import { createClientRoutes } from './conversations/client-routes.ts';
import { ConversationsModel } from './conversations/model.ts';
import { Routing, type AgentProfile } from './flex/routing.ts';
import { registerFlexRest } from './flex/flex-rest.ts';
import { HttpError, readBody, Router, writeResponse, type HttpResponse } from './http/http-kit.ts';
import { registerFaultApi } from './faults/fault-api.ts';
import { Faults } from './faults/faults.ts';
import { createLogger, type Logger } from './log.ts';
import { registerMediaRoutes } from './media/media-routes.ts';
import { MediaStore } from './media/media-store.ts';
import type { RateLimitSettings } from './rest/rate-limit.ts';
import { resolveRootAlias, SHARED_ROOT_PATHS } from './rest/root-aliases.ts';
import { injectedRestError, twilioRestError } from './rest/twilio-rest.ts';
import { createSyncRoutes } from './sync/sync-routes.ts';
import { readerOf, SyncStore } from './sync/sync-store.ts';
import { TwilsockConnection } from './twilsock/connection.ts';
import { ConnectionHub } from './twilsock/hub.ts';
import { injectedError, type TunnelHandler } from './twilsock/tunnel.ts';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  credentials?: EmulatorCredentials;
  /** Delay before the simulated agent accepts a new chat; negative: never. */
  agentDelayMs?: number;
  agent?: AgentProfile;
  /** Demo bot mode: the simulated agent answers every visitor message. */
  echo?: boolean;
  /** Twilio's documented per-endpoint rate limits (default from EMULATOR_RATE_LIMITS / EMULATOR_WEBCHAT_RATE_PER_SECOND). */
  rateLimits?: RateLimitSettings;
  /** Lifetime of tokens from the hosted Webchat init (default 3600 s). */
  hostedTokenTtlSeconds?: number;
  log?: Logger;
}

export interface RunningEmulator {
  url: string;
  twilsockUri: string;
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  /** Drops every Twilsock socket without a goodbye, as a network failure would. Returns how many. */
  dropConnections(): number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;
const TWILSOCK_PATH = '/v3/wsconnect';

/** The agent and fault APIs are local tools: browsers may call them from loopback pages only. */
function isControlApi(pathname: string): boolean {
  return pathname.startsWith('/agent/') || pathname === '/faults' || pathname.startsWith('/faults/');
}

function controlApiCors(origin: string | undefined): Record<string, string> | undefined {
  if (!origin || !/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(origin)) return undefined;
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const credentials = options.credentials ?? credentialsFromEnv();
  const log = options.log ?? createLogger('emulator');
  const host = options.host ?? '127.0.0.1';
  const agent = options.agent ?? { identity: 'agent.alex', friendlyName: 'Alex' };

  const sync = new SyncStore();
  const model = new ConversationsModel(sync, credentials.conversationsServiceSid);
  const hub = new ConnectionHub(sync, log);
  const routing = new Routing(model, {
    autoAcceptDelayMs: options.agentDelayMs ?? 1000,
    echo: options.echo ?? false,
    defaultAgent: agent,
    greeting: (name, who) => `Hi ${name}, I'm ${who.friendlyName}. How can I help you today?`,
    log,
  });

  model.on('typing', (conversation, typist) => {
    for (const participant of conversation.participants.values()) {
      if (participant.identity === typist.identity) continue;
      hub.notifyReader(readerOf(conversation.serviceSid, participant.identity), 'twilio.ipmsg.typing_indicator', {
        channel_sid: conversation.sid,
        identity: typist.identity,
        typing_timeout: 6,
      });
    }
  });

  let publicUrl = '';
  const media = new MediaStore(credentials.apiKeySecret, () => publicUrl);
  const content = new ContentStore(credentials.accountSid);
  const sendContent: ContentSender = (conversation, input) => content.send(model, media, conversation, input);

  const router = new Router();
  router.add('GET', '/healthz', () => ({ status: 200, body: { status: 'ok', connections: hub.size } }));
  const flexRest = registerFlexRest(router, {
    credentials,
    model,
    routing,
    log,
    sendContent,
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.hostedTokenTtlSeconds !== undefined ? { hostedTokenTtlSeconds: () => options.hostedTokenTtlSeconds as number } : {}),
  });
  registerContentRoutes(router, credentials, content);
  registerAgentApi(router, model, routing, agent, media, content);
  registerDeploymentKeysApi(router, flexRest.deploymentKeys);
  const offlineInbox = registerOfflineInbox(router);
  const transcriptInbox = registerTranscriptInbox(router);
  registerMediaRoutes(router, media, model, credentials);
  const faults = new Faults();
  const dropConnections = () => {
    const connections = hub.all();
    for (const connection of connections) connection.drop();
    return connections.length;
  };
  registerFaultApi(router, {
    faults,
    dropConnections,
    expireTokens: () => hub.expireAll(),
    expireTokensSoon: (inMs) => hub.expireAllSoon(inMs),
    connections: () => hub.describe(),
    reset: () => {
      dropConnections();
      routing.clear();
      model.clear();
      sync.clear();
      media.clear();
      content.reset();
      flexRest.reset();
      faults.reset();
      offlineInbox.clear();
      transcriptInbox.clear();
    },
  });

  const describeError = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
  const server: Server = createServer((req, res) => {
    handleHttp(req)
      .catch((error: unknown) => {
        log.error('http handler failed', { method: req.method, url: req.url, error: describeError(error) });
        return twilioRestError(500, 20500, 'Internal Server Error');
      })
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        // Writing the answer failed (the client went away, a bad header): log it, keep serving everyone else.
        log.error('http response failed', { method: req.method, url: req.url, error: describeError(error) });
        res.destroy();
      });
  });
  server.on('error', (error) => log.error('http server error', { error: describeError(error) }));
  // Idle keep-alive sockets are kept longer than Node's 5 s default: with it, a client that
  // reuses a socket just as the server closes it gets ECONNRESET on its request (an agent
  // API POST in e2e, seen once). Connection handling, not Twilio behaviour; 65 s is the
  // usual choice behind load balancers that idle out at 60 s.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  async function handleHttp(req: IncomingMessage): Promise<HttpResponse> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const method = req.method ?? 'GET';
    if (isControlApi(url.pathname)) {
      const cors = controlApiCors(req.headers.origin);
      if (method === 'OPTIONS') return { status: cors ? 204 : 403, headers: cors };
      const response = await route(req, url, method);
      return cors ? { ...response, headers: { ...response.headers, ...cors } } : response;
    }
    if (HOSTED_WEBCHAT_ROUTES.includes(url.pathname)) {
      // Webchat 3's hosted init is called from the visitor's browser.
      const cors = hostedWebchatCors(req.headers.origin);
      if (method === 'OPTIONS') return { status: cors ? 204 : 403, headers: cors };
      const response = await route(req, url, method);
      return cors ? { ...response, headers: { ...response.headers, ...cors } } : response;
    }
    return route(req, url, method);
  }

  async function route(req: IncomingMessage, url: URL, method: string): Promise<HttpResponse> {
    // A root path one product owns is that product's prefixed path (one base URL for the helper library).
    const alias = resolveRootAlias(url.pathname);
    if (alias) url.pathname = alias;
    const found = router.match(method, url.pathname);
    if (found === undefined) {
      log.warn('unknown route', { method, path: url.pathname });
      const hint = SHARED_ROOT_PATHS.includes(url.pathname) ? ' (both Flex and Conversations have this path: use /flex-api or /conversations)' : '';
      return twilioRestError(404, 20404, `The requested resource ${url.pathname} was not found${hint}`);
    }
    if (found === 'method-not-allowed') return twilioRestError(405, 20004, `Method ${method} not allowed on ${url.pathname}`);
    if (found === 'bad-path') return twilioRestError(400, 20001, 'The request path has a malformed percent-escape');
    const isControlRoute = url.pathname.startsWith('/faults') || url.pathname === '/healthz';
    if (!isControlRoute) {
      if (faults.latencyMs > 0) await faults.delay();
      const injected = faults.take(method, url.pathname);
      if (injected) return injectedRestError(injected.status, injected.code, injected.message);
    }
    const rawBody = await readBody(req, found.options.maxBodyBytes ?? MAX_BODY_BYTES);
    if (rawBody === 'too-large') return twilioRestError(413, 20413, 'Request body is too large');
    try {
      return await found.handler({ method, url, headers: req.headers, params: found.params, rawBody });
    } catch (error) {
      if (error instanceof HttpError) return error.response;
      throw error;
    }
  }

  const clientRoutes = createClientRoutes({ model, media, httpBaseUrl: () => publicUrl });
  const syncRoutes = createSyncRoutes(sync, hub);
  const handleTunnelled: TunnelHandler = async (request) => {
    await faults.delay();
    const injected = faults.take(request.method, request.host + request.path);
    if (injected) return injectedError(injected.status, injected.code, injected.message);
    return clientRoutes(request) ?? syncRoutes(request);
  };

  const sockets = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path !== TWILSOCK_PATH) {
      log.warn('websocket upgrade on unknown path', { path });
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    try {
      sockets.handleUpgrade(req, socket, head, (ws) => {
        new TwilsockConnection(ws, {
          credentials,
          handleRequest: handleTunnelled,
          log,
          onReady: (connection) => hub.add(connection),
          onClosed: (connection) => hub.remove(connection),
          tcp: socket,
        });
      });
    } catch (error) {
      log.error('websocket upgrade failed', { path, error: describeError(error) });
      socket.destroy();
    }
  });
  sockets.on('error', (error) => log.error('websocket server error', { error: describeError(error) }));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  publicUrl = url;

  return {
    url,
    twilsockUri: `ws://${host}:${port}${TWILSOCK_PATH}`,
    credentials,
    model,
    dropConnections,
    close: async () => {
      routing.stop();
      for (const connection of hub.all()) connection.drop();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
