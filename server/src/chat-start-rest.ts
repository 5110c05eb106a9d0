// The two upstream calls of every chat start — POST /v2/WebChats and the first
// message, POST /v1/Conversations/{CH}/Messages — sent without the helper
// library's per-call pipeline. Through the library each call built its headers
// and User-Agent (util.format), parsed and re-served its URL several times,
// trimmed paths with a fresh RegExp, and wrapped the answer in an instance
// object (dates parsed with dayjs): about a third of the service's CPU for a
// chat start. Here everything that does not change between calls (URL, Basic
// auth, User-Agent) is worked out once, from the library's own client, and each
// call sends the request the library would have sent, byte for byte (same
// method, URL, headers, form body; chat-start-rest.test.ts compares them), on
// the same keep-alive agents (lean-request-client.ts). A non-2xx answer becomes
// the error the library throws (RestException, or TwilioServiceException for an
// RFC 9457 body). Every other call, and any parameter this path does not know,
// goes through the library as before.
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import type twilio from 'twilio';
import type RestExceptionClass from 'twilio/lib/base/RestException';
import type TwilioServiceExceptionClass from 'twilio/lib/base/TwilioServiceException';
import { encodeForm, leanTarget, LeanRequestClient, type LeanResponse, type LeanTarget } from './lean-request-client.ts';

const require = createRequire(import.meta.url);
const { version: libraryVersion } = require('twilio/package.json') as { version: string };
const { default: RestException } = require('twilio/lib/base/RestException') as { default: typeof RestExceptionClass };
const { default: TwilioServiceException } = require('twilio/lib/base/TwilioServiceException') as { default: typeof TwilioServiceExceptionClass };

export interface WebChatParams {
  addressSid: string;
  chatFriendlyName?: string;
  customerFriendlyName?: string;
  preEngagementData?: string;
  identity?: string;
}

export interface MessageParams {
  author?: string;
  body?: string;
  xTwilioWebhookEnabled?: 'true' | 'false';
}

export interface ChatStartRest {
  createWebChat(params: WebChatParams): Promise<{ conversationSid: string; identity: string }>;
  /** undefined: not a call this path makes (a SID it would not put in a path as is); use the library. */
  createMessage(conversationSid: string, params: MessageParams): Promise<{ sid: string }> | undefined;
}

/** Conversation SIDs go into the path as they are: anything else is left to the library. */
const PLAIN_SID = /^[A-Za-z0-9]+$/;
const MESSAGE_KEYS = new Set(['author', 'body', 'xTwilioWebhookEnabled']);

/** What the library's Version throws for a non-2xx answer (Version#throwException). */
function upstreamError(response: LeanResponse): Error {
  let body: unknown = null;
  try {
    body = JSON.parse(response.text);
  } catch {
    // Not JSON: RestException keeps the status only.
  }
  const reply = { statusCode: response.statusCode, body: response.text };
  return TwilioServiceException.isRFC9457Response(body) ? new TwilioServiceException(reply) : new RestException(reply);
}

/** The library's absolute URL for `uri` on `client` (edge and region applied), re-targeted by `retarget` in local mode. */
function resolveUrl(client: twilio.Twilio, uri: string, retarget: ((uri: string) => string) | undefined): URL {
  const url = new URL(uri);
  url.hostname = client.getHostname(url.hostname, client.edge, client.region);
  return new URL(retarget ? retarget(url.href) : url.href);
}

/**
 * The fast path for `client`, or undefined when it cannot send as the library would:
 * an http client other than ours, no username and password (an auth strategy), or debug logging.
 */
export function createChatStartRest(client: twilio.Twilio, retarget?: (uri: string) => string): ChatStartRest | undefined {
  const http = client.httpClient;
  const { username, password } = client;
  // Debug logging is the library's own (axios) path: leave it to the library.
  if (!(http instanceof LeanRequestClient) || !username || !password || client.opts?.logLevel === 'debug') return undefined;

  const lean: LeanRequestClient = http;
  let userAgent = `twilio-node/${libraryVersion} (${platform()} ${arch()}) node/${process.version}`;
  for (const extension of client.userAgentExtensions ?? []) userAgent += ` ${extension}`;
  const authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

  const webChats = resolveUrl(client, `${client.flexApi.baseUrl}/v2/WebChats`, retarget);
  const webChatsTarget: LeanTarget = leanTarget(webChats);
  const webChatsPath = webChats.pathname + webChats.search;
  // The message URL with a placeholder SID, split around it once.
  const PLACEHOLDER = `CH${'0'.repeat(32)}`;
  const messages = resolveUrl(client, `${client.conversations.baseUrl}/v1/Conversations/${PLACEHOLDER}/Messages`, retarget);
  const messagesTarget: LeanTarget = leanTarget(messages);
  const [messagesBefore = '', messagesAfter = ''] = (messages.pathname + messages.search).split(PLACEHOLDER);

  /** POSTs a form with the headers the library sends, in its order; the parsed 2xx body, else its error. */
  async function post(target: LeanTarget, path: string, form: Record<string, string | undefined>, extra?: Record<string, string>): Promise<Record<string, unknown>> {
    const body = encodeForm(form) ?? '';
    const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', ...extra };
    headers['User-Agent'] = userAgent;
    headers['Accept-Charset'] = 'utf-8';
    headers.Connection = 'keep-alive';
    headers.Authorization = authorization;
    headers['Content-Length'] = String(Buffer.byteLength(body));
    const response = await lean.send(target, 'POST', path, headers, body);
    if (response.statusCode < 200 || response.statusCode >= 300) throw upstreamError(response);
    return JSON.parse(response.text) as Record<string, unknown>;
  }

  return {
    async createWebChat(params) {
      if (params === null || params === undefined) throw new Error('Required parameter "params" missing.');
      if (params.addressSid === null || params.addressSid === undefined) throw new Error("Required parameter \"params['addressSid']\" missing.");
      const payload = await post(webChatsTarget, webChatsPath, {
        AddressSid: params.addressSid,
        ChatFriendlyName: params.chatFriendlyName,
        CustomerFriendlyName: params.customerFriendlyName,
        PreEngagementData: params.preEngagementData,
        Identity: params.identity,
      });
      // As the library's WebChannelsInstance names them.
      return { conversationSid: payload.conversation_sid as string, identity: payload.identity as string };
    },

    createMessage(conversationSid, params) {
      if (!PLAIN_SID.test(conversationSid) || Object.keys(params).some((key) => !MESSAGE_KEYS.has(key))) return undefined;
      const extra = params.xTwilioWebhookEnabled === undefined ? undefined : { 'X-Twilio-Webhook-Enabled': params.xTwilioWebhookEnabled };
      return post(messagesTarget, `${messagesBefore}${conversationSid}${messagesAfter}`, { Author: params.author, Body: params.body }, extra).then((payload) => ({ sid: payload.sid as string }));
    },
  };
}
