import { parseAttributes } from '../conversations/limits.ts';
import { ModelError, type Conversation, type Message } from '../conversations/model.ts';
import type { Router } from '../http/http-kit.ts';
import { CONVERSATIONS_API, CONVERSATIONS_BASE, checkWebhookHeader, conversationOr404, notFound, restRoute, type ConversationsRestDeps } from './conversations-kit.ts';
import { paginate, twilioDate } from './paging.ts';
import { checkVariables } from '../content/content-types.ts';
import { formParams, jsonObjectParam, pagingParams, pathSid, queryParams, sidParam, type ParamTable } from './params.ts';

// Conversations v1 Messages: create, list, fetch, update, delete, and their
// delivery receipts. Every change goes through the model, so connected SDKs
// see messageAdded / messageUpdated / messageRemoved live.

export const MESSAGE_PARAMS = {
  create: {
    Author: { type: 'string' },
    Body: { type: 'string' },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    MediaSid: { ...sidParam('ME'), unsupported: true },
    ContentSid: sidParam('HX'),
    ContentVariables: { type: 'string' },
    Subject: { type: 'string', unsupported: true },
  },
  list: {
    Order: { type: 'string', enum: ['asc', 'desc'] },
    ...pagingParams(100),
  },
  update: {
    Author: { type: 'string' },
    Body: { type: 'string' },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    Subject: { type: 'string', unsupported: true },
  },
  listReceipts: pagingParams(50),
} as const satisfies Record<string, ParamTable>;

export function describeMessage(conversation: Conversation, message: Message, accountSid: string): Record<string, unknown> {
  const url = `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Messages/${message.sid}`;
  return {
    account_sid: accountSid,
    conversation_sid: conversation.sid,
    sid: message.sid,
    index: message.index,
    author: message.author,
    body: message.body,
    // A template's "body" media is how the SDK gets its data, not an attachment (guess: Twilio lists none).
    media: message.media.some((m) => m.category !== 'body')
      ? message.media.filter((m) => m.category !== 'body').map((m) => ({ sid: m.sid, category: m.category, filename: m.filename, content_type: m.contentType, size: m.size }))
      : null,
    attributes: JSON.stringify(message.attributes),
    participant_sid: message.participantSid,
    date_created: twilioDate(message.dateCreated),
    date_updated: twilioDate(message.dateUpdated),
    url,
    delivery: null,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
    content_sid: message.contentSid ?? null,
  };
}

export function registerConversationMessages(router: Router, { credentials, model, sendContent }: ConversationsRestDeps): void {
  const { accountSid } = credentials;
  const route = restRoute(router, credentials);
  const base = `${CONVERSATIONS_BASE}/:conversationSid/Messages`;

  const messageOr404 = (conversation: Conversation, id: string | undefined): Message => {
    const sid = pathSid(id, 'IM', `/Conversations/${conversation.sid}/Messages`);
    const message = conversation.messages.find((m) => m.sid === sid);
    if (!message) throw notFound(`/Conversations/${conversation.sid}/Messages/${sid}`);
    return message;
  };

  route('POST', base, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    const params = formParams(request, MESSAGE_PARAMS.create);
    const attributes = parseAttributes(params.Attributes, 'message');
    if (params.ContentVariables !== undefined && params.ContentSid === undefined) throw new ModelError(400, 20001, 'ContentVariables needs a ContentSid');
    if (params.ContentSid !== undefined) {
      // "If this field is set, Body and MediaSid parameters are ignored" (the spec's ContentSid).
      if (!sendContent) throw new ModelError(400, 20001, 'ContentSid is not supported by this emulator');
      const variables = checkVariables('ContentVariables', jsonObjectParam('ContentVariables', params.ContentVariables));
      const message = sendContent(conversation, { author: params.Author || 'system', contentSid: params.ContentSid, variables, ...(attributes ? { attributes } : {}) });
      return { status: 201, body: describeMessage(conversation, message, accountSid) };
    }
    if (params.Body === undefined || params.Body === '') {
      throw new ModelError(400, 50503, 'Body is required (sending media by MediaSid is not emulated on REST)');
    }
    const message = model.postMessage(conversation, {
      author: params.Author || 'system',
      body: params.Body,
      ...(attributes ? { attributes } : {}),
    });
    return { status: 201, body: describeMessage(conversation, message, accountSid) };
  });

  route('GET', base, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const query = queryParams(request, MESSAGE_PARAMS.list);
    const ordered = query.Order === 'desc' ? [...conversation.messages].reverse() : conversation.messages;
    const { page, meta } = paginate(ordered, query, {
      key: 'messages',
      baseUrl: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Messages`,
      filters: { Order: query.Order },
    });
    return { status: 200, body: { messages: page.map((m) => describeMessage(conversation, m, accountSid)), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    return { status: 200, body: describeMessage(conversation, messageOr404(conversation, request.params.sid), accountSid) };
  });

  route('POST', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    const message = messageOr404(conversation, request.params.sid);
    const params = formParams(request, MESSAGE_PARAMS.update);
    const attributes = parseAttributes(params.Attributes, 'message');
    model.updateMessage(conversation, message, {
      ...(params.Author !== undefined ? { author: params.Author || 'system' } : {}),
      ...(params.Body !== undefined ? { body: params.Body } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    });
    return { status: 200, body: describeMessage(conversation, message, accountSid) };
  });

  route('DELETE', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    model.removeMessage(conversation, messageOr404(conversation, request.params.sid));
    return { status: 204 };
  });

  // Delivery receipts exist for messages delivered to non-chat participants
  // (SMS, WhatsApp); the emulator has only chat participants, so every list is empty.
  route('GET', `${base}/:messageSid/Receipts`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const message = messageOr404(conversation, request.params.messageSid);
    const query = queryParams(request, MESSAGE_PARAMS.listReceipts);
    const { page, meta } = paginate([] as never[], query, {
      key: 'delivery_receipts',
      baseUrl: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Messages/${message.sid}/Receipts`,
    });
    return { status: 200, body: { delivery_receipts: page, meta } };
  });

  route('GET', `${base}/:messageSid/Receipts/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const message = messageOr404(conversation, request.params.messageSid);
    queryParams(request, {});
    const sid = pathSid(request.params.sid, 'DY', `/Conversations/${conversation.sid}/Messages/${message.sid}/Receipts`);
    throw notFound(`/Conversations/${conversation.sid}/Messages/${message.sid}/Receipts/${sid}`);
  });
}
