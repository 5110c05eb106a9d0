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
    const preEngagementData = preEngagementParam(fields.PreEngagementData) ?? {};
    const identity = fields.Identity || newSid('VI').toLowerCase();
    const customerName = fields.CustomerFriendlyName || 'Customer';
    const chatFriendlyName = fields.ChatFriendlyName || `Chat with ${customerName}`;
    // Checked before anything is created, so a refused request leaves nothing behind.
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
    routing.createTask(conversation, {
      channelType: 'web',
      customerName,
      conversationSid: conversation.sid,
      preEngagementData,
    });
    return { status: 201, body: { conversation_sid: conversation.sid, identity } };
  };
}
