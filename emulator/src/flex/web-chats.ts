import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { HttpRequest, HttpResponse } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { formParams, type ParamTable } from '../rest/params.ts';
import type { OrchestrationRateLimit } from '../rest/rate-limit.ts';
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

/** With a rate limit, requests count against the account's Webchat orchestration budget. */
export function createWebChatsHandler(credentials: EmulatorCredentials, model: ConversationsModel, routing: Routing, rateLimit?: OrchestrationRateLimit) {
  return async function createWebChat(request: HttpRequest): Promise<HttpResponse> {
    requireAccountAuth(request, credentials);
    await rateLimit?.consume(credentials.accountSid);
    const fields = formParams(request, WEB_CHATS_PARAMS.create);
    const addressSid = fields.AddressSid;
    if (!/^IG[0-9a-fA-F]{32}$/.test(addressSid)) {
      return twilioRestError(400, 20001, `AddressSid must be a Conversations address SID (IG…), got "${addressSid.slice(0, 40)}"`);
    }
    if (addressSid !== credentials.webChatAddressSid) {
      return twilioRestError(404, 20404, `The requested resource /Configuration/Addresses/${addressSid} was not found`);
    }
    let preEngagementData: Record<string, unknown> = {};
    const rawPreEngagement = fields.PreEngagementData;
    if (rawPreEngagement) {
      try {
        const parsed: unknown = JSON.parse(rawPreEngagement);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        preEngagementData = parsed as Record<string, unknown>;
      } catch {
        return twilioRestError(400, 20001, 'PreEngagementData must be a JSON object string');
      }
    }
    const identity = fields.Identity || newSid('VI').toLowerCase();
    const customerName = fields.CustomerFriendlyName || 'Customer';
    const conversation = model.createConversation({
      friendlyName: fields.ChatFriendlyName || `Chat with ${customerName}`,
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
