import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { HttpRequest, HttpResponse } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { checkFriendlyName, checkIdentity } from '../conversations/limits.ts';
import { formParams, preEngagementParam, type ParamTable } from '../rest/params.ts';
import type { EndpointRateLimits } from '../rest/rate-limit.ts';
import { requireAccountAuth, twilioRestError } from '../rest/twilio-rest.ts';
import type { Routing } from './routing.ts';

// POST /v2/WebChats (Flex API v2, served under /flex-api): the orchestration
// call a token service makes to start a Flex Conversations web chat.

export const WEB_CHATS_PARAMS = {
  create: {
    AddressSid: { type: 'string', required: true },
    ChatFriendlyName: { type: 'string' },
    CustomerFriendlyName: { type: 'string' },
    PreEngagementData: { type: 'string' },
    Identity: { type: 'string' },
  },
} as const satisfies Record<string, ParamTable>;

export interface WebChatStart {
  /** The visitor's identity; absent or empty: a new one (VI…, lower case). */
  identity?: string | undefined;
  customerName: string;
  chatFriendlyName: string;
  preEngagementData: Record<string, unknown> | string;
}

/**
 * What Flex does for a new web chat, both for /v2/WebChats and for the hosted webchat
 * endpoint: the conversation, the visitor as its customer participant, and the task
 * that routes it to an agent. The identity and name are checked before anything is
 * created, so a refused request leaves nothing behind.
 */
export function startWebChat(model: ConversationsModel, routing: Routing, start: WebChatStart): { conversationSid: string; identity: string } {
  const { customerName, chatFriendlyName, preEngagementData } = start;
  const identity = start.identity || newSid('VI').toLowerCase();
  checkIdentity(identity);
  checkFriendlyName(chatFriendlyName);
  const conversation = model.createConversation({
    friendlyName: chatFriendlyName,
    createdBy: 'system',
    attributes: { pre_engagement_data: preEngagementData, from: customerName, channel_type: 'web' },
  });
  model.addParticipant(conversation, {
    identity,
    role: 'customer',
    friendlyName: customerName,
    attributes: { member_type: 'guest', friendlyName: customerName },
  });
  routing.createTask(conversation, { channelType: 'web', customerName, conversationSid: conversation.sid, preEngagementData });
  return { conversationSid: conversation.sid, identity };
}

/** With rate limits, requests count against the account's budget for /v2/WebChats. */
export function createWebChatsHandler(credentials: EmulatorCredentials, model: ConversationsModel, routing: Routing, rateLimits?: EndpointRateLimits) {
  return async function createWebChat(request: HttpRequest): Promise<HttpResponse> {
    requireAccountAuth(request, credentials);
    await rateLimits?.consume('POST /v2/WebChats', credentials.accountSid);
    const fields = formParams(request, WEB_CHATS_PARAMS.create);
    const addressSid = fields.AddressSid;
    if (!/^IG[0-9a-fA-F]{32}$/.test(addressSid)) {
      return twilioRestError(400, 20001, `AddressSid must be a Conversations address SID (IG…), got "${addressSid.slice(0, 40)}"`);
    }
    if (addressSid !== credentials.webChatAddressSid) {
      return twilioRestError(404, 20404, `The requested resource /Configuration/Addresses/${addressSid} was not found`);
    }
    const customerName = fields.CustomerFriendlyName || 'Customer';
    const { conversationSid, identity } = startWebChat(model, routing, {
      identity: fields.Identity,
      customerName,
      chatFriendlyName: fields.ChatFriendlyName || `Chat with ${customerName}`,
      preEngagementData: preEngagementParam(fields.PreEngagementData) ?? {},
    });
    return { status: 201, body: { conversation_sid: conversationSid, identity } };
  };
}
