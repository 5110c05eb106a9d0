// The official twilio helper library, configured for this service. In local mode
// every request is re-targeted at the Flex emulator, which serves each Twilio
// product under a path named after the product's subdomain:
//   https://flex-api.twilio.com/v2/WebChats → {emulator}/flex-api/v2/WebChats
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { TokenServiceConfig } from './env.ts';
import { createChatStartRest, type ChatStartRest } from './chat-start-rest.ts';
import { LeanRequestClient } from './lean-request-client.ts';
import type { TaskRouterTasksApi } from './survey-recorder.ts';

type RequestClientOptions<TData> = RequestClient.RequestOptions<TData>;

/** What the token service needs from Flex: POST /v2/WebChats. Structurally a subset of twilio's WebChannelsListInstance. */
export interface FlexWebChats {
  create(params: {
    addressSid: string;
    chatFriendlyName?: string;
    customerFriendlyName?: string;
    preEngagementData?: string;
    identity?: string;
  }): Promise<{ conversationSid: string; identity: string }>;
}

/**
 * What the token service needs from the Conversations REST API
 * (`client.conversations.v1.conversations`): read a conversation's state, post a
 * message. Structurally a subset of twilio's ConversationListInstance.
 */
export interface ConversationsApi {
  (sid: string): {
    fetch(): Promise<{ state: string }>;
    /** `POST /v1/Conversations/{sid}` (the visitor ends the chat: `state: 'closed'`). */
    update(params: { state?: 'active' | 'inactive' | 'closed' }): Promise<{ state: string }>;
    messages: {
      create(params: { author?: string; body?: string; xTwilioWebhookEnabled?: 'true' | 'false' }): Promise<{ sid: string }>;
      /** `GET /v1/Conversations/{sid}/Messages` (oldest first), for an e-mailed transcript. */
      list(params: { limit: number; pageSize?: number; order?: 'asc' | 'desc' }): Promise<Array<{ author: string | null; body: string | null; dateCreated: Date | null; media?: Array<{ filename?: string | null }> | null }>>;
    };
    /** `GET /v1/Conversations/{sid}/Participants/{identity}`: Twilio accepts the identity in place of the MB… SID. */
    participants(sidOrIdentity: string): { fetch(): Promise<{ identity: string | null }> };
  };
}

/**
 * Legacy Flex Programmable Chat orchestration: `client.flexApi.v1.channel`
 * (`POST /v1/Channels`, `GET /v1/Channels/{CH}`). Structurally a subset of
 * twilio's ChannelListInstance.
 */
export interface FlexChannelsApi {
  (sid: string): { fetch(): Promise<{ sid: string }> };
  create(params: {
    flexFlowSid: string;
    identity: string;
    chatUserFriendlyName: string;
    chatFriendlyName: string;
    target?: string;
    chatUniqueName?: string;
    preEngagementData?: string;
    taskAttributes?: string;
    longLived?: boolean;
  }): Promise<{ sid: string }>;
}

/** `client.flexApi.v1.webChannel(sid).update({ chatStatus: 'inactive' })`: how a legacy web chat is ended. */
export interface FlexWebChannelsApi {
  (sid: string): { update(params: { chatStatus?: 'inactive'; postEngagementData?: string }): Promise<{ sid: string }> };
}

/** `client.flexApi.v1.flexFlow(sid).fetch()`: the legacy mode's readiness check. */
export interface FlexFlowsApi {
  (sid: string): { fetch(): Promise<{ sid: string; chatServiceSid: string }> };
}

/** `client.conversations.v1.services`: enough to check that the credentials and the IS… SID work. */
export interface ConversationServicesApi {
  (sid: string): { fetch(): Promise<{ sid: string }> };
}

/** Upstream calls give up after this long; the caller answers 502. */
export const TWILIO_REQUEST_TIMEOUT_MS = 10_000;

const TWILIO_HOST = /^([a-z0-9-]+)(?:\.[a-z0-9-]+)*\.twilio\.com$/i;

/**
 * Maps a Twilio REST URL onto the emulator. The product is the first label of
 * the host (edge/region labels such as `flex-api.sydney.au1.twilio.com` are
 * dropped). Refuses anything that is not a twilio.com URL, so credentials are
 * never sent to an unexpected host.
 */
export function rewriteToEmulator(uri: string, emulatorUrl: string): string {
  const source = new URL(uri);
  const match = TWILIO_HOST.exec(source.hostname);
  if (!match) throw new Error(`Refusing to re-target a non-Twilio URL to the emulator: ${source.origin}`);
  const product = (match[1] ?? '').toLowerCase();
  const target = new URL(emulatorUrl);
  target.pathname = `${target.pathname.replace(/\/+$/, '')}/${product}${source.pathname}`;
  target.search = source.search;
  target.hash = '';
  return target.toString();
}

/** The service's request client (lean-request-client.ts) with the emulator URL rewrite applied to every request. */
export class EmulatorRequestClient extends LeanRequestClient {
  readonly emulatorUrl: string;

  constructor(emulatorUrl: string, opts?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.emulatorUrl = emulatorUrl;
  }

  override request<TData>(opts: RequestClientOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rewriteToEmulator(opts.uri, this.emulatorUrl) });
  }
}

/** Who the REST client authenticates as, and where it sends requests (the emulator in local mode). */
export interface TwilioConnection {
  accountSid: string;
  authToken?: string | undefined;
  apiKeySid: string;
  apiKeySecret: string;
  /** Set: every request is re-targeted at this Flex emulator. */
  emulatorUrl?: string | undefined;
  /** Forces API key auth even when an auth token is known (the doctor checks both). */
  useApiKey?: boolean;
  userAgent?: string;
}

/**
 * A twilio REST client. Auth is Basic accountSid:authToken when an auth token is
 * given, otherwise the API key pair (apiKeySid:apiKeySecret) on behalf of the account.
 */
export function createTwilioClientFor(connection: TwilioConnection): twilio.Twilio {
  const opts: twilio.ClientOpts = {
    accountSid: connection.accountSid,
    timeout: TWILIO_REQUEST_TIMEOUT_MS,
    userAgentExtensions: [connection.userAgent ?? 'flexchat-token-service'],
  };
  // The library's RequestClient, minus axios on the calls the service makes (lean-request-client.ts).
  opts.httpClient =
    connection.emulatorUrl !== undefined
      ? new EmulatorRequestClient(connection.emulatorUrl, { timeout: TWILIO_REQUEST_TIMEOUT_MS })
      : new LeanRequestClient({ timeout: TWILIO_REQUEST_TIMEOUT_MS });
  return connection.authToken && !connection.useApiKey
    ? twilio(connection.accountSid, connection.authToken, opts)
    : twilio(connection.apiKeySid, connection.apiKeySecret, opts);
}

/** A twilio REST client for the configured mode (local mode: pointed at the emulator). */
export function createTwilioClient(config: TokenServiceConfig): twilio.Twilio {
  if (config.mode === 'local' && !config.emulator) throw new Error('Local mode needs config.emulator (the Flex emulator URL)');
  return createTwilioClientFor({
    accountSid: config.accountSid,
    authToken: config.authToken,
    apiKeySid: config.apiKeySid,
    apiKeySecret: config.apiKeySecret,
    emulatorUrl: config.mode === 'local' ? config.emulator?.url : undefined,
  });
}

/** Flex v2 WebChats through the helper library (`client.flexApi.v2.webChannels`, which posts to /v2/WebChats). */
export function createFlexWebChats(config: TokenServiceConfig): FlexWebChats {
  return createTwilioClient(config).flexApi.v2.webChannels;
}

export interface TwilioApis {
  flex: FlexWebChats;
  conversations: ConversationsApi;
  services: ConversationServicesApi;
  channels: FlexChannelsApi;
  webChannels: FlexWebChannelsApi;
  flexFlows: FlexFlowsApi;
}

type LibraryConversations = twilio.Twilio['conversations']['v1']['conversations'];
type Conversation = ReturnType<ConversationsApi>;
type ConversationMessages = Conversation['messages'];

/**
 * One conversation: the first message on the fast path, everything else through the
 * library's context object, made only for the calls that need it. Methods, not closures:
 * this is made once per chat start.
 */
class FastConversation implements Conversation {
  readonly messages: ConversationMessages;

  constructor(
    private readonly sid: string,
    fast: ChatStartRest,
    private readonly library: LibraryConversations,
  ) {
    this.messages = new FastMessages(sid, fast, library);
  }

  fetch() {
    return this.library(this.sid).fetch();
  }

  update(params: Parameters<Conversation['update']>[0]) {
    return this.library(this.sid).update(params);
  }

  participants(sidOrIdentity: string) {
    return this.library(this.sid).participants(sidOrIdentity);
  }
}

class FastMessages implements ConversationMessages {
  constructor(
    private readonly sid: string,
    private readonly fast: ChatStartRest,
    private readonly library: LibraryConversations,
  ) {}

  create(params: Parameters<ConversationMessages['create']>[0]) {
    return this.fast.createMessage(this.sid, params) ?? this.library(this.sid).messages.create(params);
  }

  list(params: Parameters<ConversationMessages['list']>[0]) {
    return this.library(this.sid).messages.list(params);
  }
}

/**
 * Every REST API the token service uses, from one helper-library client. The two calls of
 * every chat start (WebChats, the first message) take the fast path of chat-start-rest.ts;
 * the rest goes through the library.
 */
export function createTwilioApis(config: TokenServiceConfig): TwilioApis {
  const client = createTwilioClient(config);
  const http = client.httpClient;
  const fast = createChatStartRest(client, http instanceof EmulatorRequestClient ? (uri) => rewriteToEmulator(uri, http.emulatorUrl) : undefined);
  const library = client.conversations.v1.conversations;
  const conversations: ConversationsApi = fast ? (sid) => new FastConversation(sid, fast, library) : library;
  return {
    flex: fast ? { create: (params) => fast.createWebChat(params) } : client.flexApi.v2.webChannels,
    conversations,
    services: client.conversations.v1.services,
    channels: client.flexApi.v1.channel,
    webChannels: client.flexApi.v1.webChannel,
    flexFlows: client.flexApi.v1.flexFlow,
  };
}

/** TaskRouter tasks of a workspace (`client.taskrouter.v1.workspaces(WS).tasks`), where the post-chat survey is recorded. */
export function createSurveyTasks(config: TokenServiceConfig, workspaceSid: string): TaskRouterTasksApi {
  return createTwilioClient(config).taskrouter.v1.workspaces(workspaceSid).tasks;
}

export interface UpstreamErrorSummary {
  kind: string;
  status?: number;
  twilioCode?: number;
}

/**
 * Status and Twilio error code of a failed upstream call, safe to log. Never
 * includes messages, bodies or request options (which could carry credentials).
 * Handles RestException and TwilioServiceException (both carry numeric status
 * and code) and axios network errors (string codes such as ECONNREFUSED).
 */
export function describeUpstreamError(error: unknown): UpstreamErrorSummary {
  const e = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; code?: unknown; name?: unknown };
  if (typeof e.status === 'number') {
    const summary: UpstreamErrorSummary = { kind: 'twilio_api', status: e.status };
    if (typeof e.code === 'number') summary.twilioCode = e.code;
    return summary;
  }
  if (typeof e.code === 'string' && /^E[A-Z_]+$/.test(e.code)) return { kind: `network:${e.code}` };
  return { kind: typeof e.name === 'string' ? e.name : typeof error };
}
