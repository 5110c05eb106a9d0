// The official twilio helper library, configured for this service. In local mode
// every request is re-targeted at the Flex emulator, which serves each Twilio
// product under a path named after the product's subdomain:
//   https://flex-api.twilio.com/v2/WebChats → {emulator}/flex-api/v2/WebChats
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type { TokenServiceConfig } from './env.ts';

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
    messages: {
      create(params: { author?: string; body?: string; xTwilioWebhookEnabled?: 'true' | 'false' }): Promise<{ sid: string }>;
    };
  };
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

/** twilio's RequestClient (axios underneath) with the emulator URL rewrite applied to every request. */
export class EmulatorRequestClient extends twilio.RequestClient {
  readonly emulatorUrl: string;

  constructor(emulatorUrl: string, opts?: ConstructorParameters<typeof twilio.RequestClient>[0]) {
    super(opts);
    this.emulatorUrl = emulatorUrl;
  }

  override request<TData>(opts: RequestClientOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rewriteToEmulator(opts.uri, this.emulatorUrl) });
  }
}

/**
 * A twilio REST client for the configured mode. REST auth is Basic
 * accountSid:authToken when an auth token is configured, otherwise the API key
 * pair (apiKeySid:apiKeySecret) on behalf of the account.
 */
export function createTwilioClient(config: TokenServiceConfig): twilio.Twilio {
  const opts: twilio.ClientOpts = {
    accountSid: config.accountSid,
    timeout: TWILIO_REQUEST_TIMEOUT_MS,
    userAgentExtensions: ['flexchat-token-service'],
  };
  if (config.mode === 'local') {
    if (!config.emulator) throw new Error('Local mode needs config.emulator (the Flex emulator URL)');
    opts.httpClient = new EmulatorRequestClient(config.emulator.url, { timeout: TWILIO_REQUEST_TIMEOUT_MS });
  }
  return config.authToken
    ? twilio(config.accountSid, config.authToken, opts)
    : twilio(config.apiKeySid, config.apiKeySecret, opts);
}

/** Flex v2 WebChats through the helper library (`client.flexApi.v2.webChannels`, which posts to /v2/WebChats). */
export function createFlexWebChats(config: TokenServiceConfig): FlexWebChats {
  return createTwilioClient(config).flexApi.v2.webChannels;
}

export interface TwilioApis {
  flex: FlexWebChats;
  conversations: ConversationsApi;
  services: ConversationServicesApi;
}

/** Every REST API the token service uses, from one helper-library client. */
export function createTwilioApis(config: TokenServiceConfig): TwilioApis {
  const client = createTwilioClient(config);
  return {
    flex: client.flexApi.v2.webChannels,
    conversations: client.conversations.v1.conversations,
    services: client.conversations.v1.services,
  };
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
