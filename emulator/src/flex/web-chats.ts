import type { EmulatorCredentials } from '../config.ts';
import type { ConversationsModel } from '../conversations/model.ts';
import type { HttpRequest, HttpResponse } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { requireAccountAuth, twilioParams, twilioRestError } from '../rest/twilio-rest.ts';
import type { Routing } from './routing.ts';

// POST /v2/WebChats (Flex API v2, served under /flex-api): the orchestration
// call a token service makes to start a Flex Conversations web chat.

const FIELDS = ['AddressSid', 'ChatFriendlyName', 'CustomerFriendlyName', 'PreEngagementData', 'Identity'] as const;

export function createWebChatsHandler(credentials: EmulatorCredentials, model: ConversationsModel, routing: Routing) {
  return function createWebChat(request: HttpRequest): HttpResponse {
    requireAccountAuth(request, credentials);
    const params = twilioParams(request, FIELDS, ['AddressSid']);
    const addressSid = params.get('AddressSid') as string;
    if (!/^IG[0-9a-fA-F]{32}$/.test(addressSid)) {
      return twilioRestError(400, 20001, `AddressSid must be a Conversations address SID (IG…), got "${addressSid.slice(0, 40)}"`);
    }
    if (addressSid !== credentials.webChatAddressSid) {
      return twilioRestError(404, 20404, `The requested resource /Configuration/Addresses/${addressSid} was not found`);
    }
    let preEngagementData: Record<string, unknown> = {};
    const rawPreEngagement = params.get('PreEngagementData');
    if (rawPreEngagement) {
      try {
        const parsed: unknown = JSON.parse(rawPreEngagement);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        preEngagementData = parsed as Record<string, unknown>;
      } catch {
        return twilioRestError(400, 20001, 'PreEngagementData must be a JSON object string');
      }
    }
    const identity = params.get('Identity') || newSid('VI').toLowerCase();
    const customerName = params.get('CustomerFriendlyName') || 'Customer';
    const conversation = model.createConversation({
      friendlyName: params.get('ChatFriendlyName') || `Chat with ${customerName}`,
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
