import type { TunnelledRequest, TunnelledResponse } from '../twilsock/tunnel.ts';
import { twilioError } from '../twilsock/tunnel.ts';
import { FLEX_WEB_ATTACHMENT_LIMITS, type MediaStore } from '../media/media-store.ts';
import { parseAttributes } from './limits.ts';
import { ModelError, type Conversation, type ConversationsModel, type MediaRef } from './model.ts';

// The Conversations client API ("AIM") the @twilio/conversations SDK calls
// through Twilsock. The configuration reply names every other URL, so these
// paths are ours to choose; only the host is fixed by the SDK.

export const AIM_HOST = 'aim.us1.twilio.com';
const AIM = `https://${AIM_HOST}`;

export interface ClientRoutesOptions {
  model: ConversationsModel;
  media: MediaStore;
  /** Public base URL of the emulator's HTTP server, for media links (known once it listens). */
  httpBaseUrl: () => string;
}

export function clientLinks(httpBaseUrl: string, serviceSid: string) {
  return {
    my_conversations: `${AIM}/Client/v2/Me/Conversations`,
    conversations: `${AIM}/Client/v2/Conversations`,
    users: `${AIM}/Client/v2/Users`,
    current_user: `${AIM}/Client/v2/Users/Me`,
    typing: `${AIM}/Client/v2/Indicators/Typing`,
    media_service: `${httpBaseUrl}/mcs/v1/Services/${serviceSid}/Media`,
    media_set_service: `${httpBaseUrl}/mcs/v1/Services/${serviceSid}/MediaSet`,
    messages_receipts: `${AIM}/Client/v2/Conversations/%s/Messages/%s/Receipts`,
  };
}

function formField(body: unknown, name: string): string | undefined {
  if (typeof body === 'string') return new URLSearchParams(body).get(name) ?? undefined;
  if (body && typeof body === 'object') {
    const value = (body as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  }
  return undefined;
}

export function createClientRoutes({ model, media, httpBaseUrl }: ClientRoutesOptions) {
  /**
   * A conversation of the caller's service. One of another service does not
   * exist for this token: the same 404 as an unknown SID (no existence oracle).
   */
  const conversationFor = (request: TunnelledRequest, sid: string): Conversation => {
    const conversation = model.conversations.get(sid);
    if (!conversation || conversation.serviceSid !== request.serviceSid) {
      throw new ModelError(404, 20404, `The requested resource /Conversations/${sid} was not found`);
    }
    return conversation;
  };

  const configuration = (request: TunnelledRequest): TunnelledResponse => {
    const { identity, serviceSid } = request;
    const user = model.ensureUser(serviceSid, identity);
    return {
      status: 200,
      body: {
        identity,
        links: clientLinks(httpBaseUrl(), serviceSid),
        sync_objects: { my_user_info: user.infoMap.uniqueName, my_conversations: user.myConversations.uniqueName },
        options: {
          consumption_report_interval: 'PT1S',
          http_cache_interval: 'PT0S',
          reachability_enabled: false,
          user_infos_to_subscribe: 100,
          media_attachments_count_limit: 1,
          media_attachment_size_limit_in_mb: 16,
          media_attachments_total_size_limit_in_mb: 16,
          email_bodies_allowed_mime_types: ['text/plain', 'text/html'],
          email_histories_allowed_mime_types: ['text/plain', 'text/html'],
        },
      },
    };
  };

  const myConversations = ({ identity, serviceSid }: TunnelledRequest): TunnelledResponse => {
    const conversations = [];
    for (const conversation of model.conversations.values()) {
      if (conversation.serviceSid !== serviceSid) continue;
      const participant = model.findParticipant(conversation, identity);
      if (participant) conversations.push(model.membershipDescriptor(conversation, participant));
    }
    return { status: 200, body: { conversations, meta: { next_token: null } } };
  };

  const sendMessage = (request: TunnelledRequest, conversationSid: string): TunnelledResponse => {
    const conversation = conversationFor(request, conversationSid);
    model.requireParticipant(conversation, request.identity);
    const body = request.body as { body?: unknown; attributes?: unknown; media_sids?: unknown; media_sid?: unknown } | undefined;
    const text = typeof body?.body === 'string' ? body.body : '';
    // Conversations sends a list; twilio-chat (one file per message) sends `media_sid`.
    const mediaSids = Array.isArray(body?.media_sids)
      ? body.media_sids.filter((s): s is string => typeof s === 'string')
      : typeof body?.media_sid === 'string'
        ? [body.media_sid]
        : [];
    if (text.trim() === '' && mediaSids.length === 0) return twilioError(400, 50503, 'Message body or media is required');
    if (body?.attributes !== undefined && body.attributes !== null && typeof body.attributes !== 'string') {
      return twilioError(400, 50304, 'attributes must be a JSON string');
    }
    const attributes = parseAttributes(body?.attributes ?? undefined, 'message');
    if (mediaSids.length > FLEX_WEB_ATTACHMENT_LIMITS.maxPerMessage) {
      return twilioError(400, 21623, `At most ${FLEX_WEB_ATTACHMENT_LIMITS.maxPerMessage} attachment per message on a Flex web chat`);
    }
    const attached: MediaRef[] = [];
    for (const sid of mediaSids) {
      const record = media.get(sid);
      if (record?.messageSid) return twilioError(400, 50508, `Media ${sid} was already sent with another message`);
      if (!record || record.author !== request.identity || record.serviceSid !== request.serviceSid) return twilioError(400, 50510, `Media ${sid} is not a media SID this user uploaded`);
      attached.push({ sid, category: record.category, filename: record.filename, contentType: record.contentType, size: record.size });
    }
    const message = model.postMessage(conversation, {
      author: request.identity,
      body: text,
      ...(attributes ? { attributes } : {}),
      media: attached,
    });
    for (const ref of attached) media.attach(ref.sid, conversation.sid, message.sid);
    return {
      status: 201,
      body: {
        sid: message.sid,
        index: message.index,
        conversation_sid: conversation.sid,
        author: message.author,
        body: message.body,
        attributes: JSON.stringify(message.attributes),
        date_created: message.dateCreated,
      },
    };
  };

  const routes: Array<[string, RegExp, (request: TunnelledRequest, match: RegExpExecArray) => TunnelledResponse]> = [
    ['GET', /^\/Client\/v2\/Configuration$/, configuration],
    // twilio-chat (legacy Flex Programmable Chat) asks v1; the answer has the same shape.
    ['GET', /^\/Client\/v1\/Configuration$/, configuration],
    ['GET', /^\/Client\/v2\/Me\/Conversations$/, myConversations],
    [
      'POST',
      /^\/Client\/v2\/Me\/Conversations\/(CH[0-9a-f]{32})$/,
      (r, m) => {
        const conversation = conversationFor(r, m[1] as string);
        const participant = model.requireParticipant(conversation, r.identity);
        // Conversations says "read", Programmable Chat says "consumed".
        const body = r.body as { last_read_message_index?: unknown; last_consumed_message_index?: unknown } | undefined;
        const index = body?.last_read_message_index !== undefined ? body.last_read_message_index : body?.last_consumed_message_index;
        if (index !== null && index !== undefined && (typeof index !== 'number' || !Number.isInteger(index))) {
          return twilioError(400, 20001, 'last_read_message_index must be an integer or null');
        }
        const unread = model.setReadHorizon(conversation, participant, typeof index === 'number' ? index : -1);
        return { status: 200, body: { unread_messages_count: unread } };
      },
    ],
    [
      'GET',
      /^\/Client\/v2\/Conversations\/(CH[0-9a-f]{32})$/,
      (r, m) => {
        const conversation = conversationFor(r, m[1] as string);
        const participant = model.requireParticipant(conversation, r.identity);
        // Both SDKs' getMessagesCount() read `messages_count` from this resource
        // (@twilio/conversations 2.x and twilio-chat 6.x, Conversation/Channel.getMessagesCount).
        return { status: 200, body: { ...model.membershipDescriptor(conversation, participant), messages_count: conversation.messages.length } };
      },
    ],
    ['POST', /^\/Client\/v2\/Conversations\/(CH[0-9a-f]{32})\/Messages$/, (r, m) => sendMessage(r, m[1] as string)],
    [
      'POST',
      /^\/Client\/v2\/Indicators\/Typing$/,
      (r) => {
        const sid = formField(r.body, 'ChannelSid');
        if (!sid) return twilioError(400, 50305, 'ChannelSid is required');
        model.typing(conversationFor(r, sid), r.identity);
        return { status: 200, body: { typing_timeout: 5 } };
      },
    ],
    [
      'GET',
      /^\/Client\/v2\/Users\/([^/]+)$/,
      (r, m) => {
        const identity = decodeURIComponent(m[1] as string);
        const user = model.user(r.serviceSid, identity === 'Me' ? r.identity : identity);
        if (!user) return twilioError(404, 20404, `User ${identity} not found`);
        return {
          status: 200,
          body: {
            identity: user.identity,
            friendly_name: user.friendlyName,
            attributes: JSON.stringify(user.attributes),
            sync_objects: { user_info_map: user.infoMap.uniqueName },
          },
        };
      },
    ],
  ];

  return function handleClient(request: TunnelledRequest): TunnelledResponse | undefined {
    if (request.host !== AIM_HOST) return undefined;
    for (const [method, pattern, handler] of routes) {
      if (method !== request.method) continue;
      const match = pattern.exec(request.path);
      if (!match) continue;
      try {
        return handler(request, match);
      } catch (error) {
        if (error instanceof ModelError) return twilioError(error.status, error.code, error.message);
        throw error;
      }
    }
    return undefined;
  };
}
