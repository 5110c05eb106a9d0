import type { EmulatorCredentials } from '../config.ts';
import { parseAttributes } from '../conversations/limits.ts';
import { ModelError, type Conversation, type ConversationState, type ConversationsModel, type Message, type Participant } from '../conversations/model.ts';
import { deleteConversationAndTask } from '../flex/flex-channels.ts';
import type { Routing } from '../flex/routing.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, pathSid, queryParams, sidParam, type ParamTable } from './params.ts';
import { requireAccountAuth, twilioRestError, withTwilioErrors } from './twilio-rest.ts';

// The server-side Conversations v1 REST subset a token service and agents use
// (served under /conversations): Conversations, Messages, Participants, and a
// fetch of the Conversations service. Everything goes through the same model
// the SDKs read, so connected clients see REST changes live.

const API = `${TWILIO_HOSTS.conversations}/v1`;
const STATES = ['initializing', 'inactive', 'active', 'closed'] as const;
const WEBHOOK_ENABLED = ['true', 'false'] as const;

export const CONVERSATIONS_PARAMS = {
  createConversation: {
    FriendlyName: { type: 'string' },
    UniqueName: { type: 'string' },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    MessagingServiceSid: { ...sidParam('MG'), unsupported: true },
    Attributes: { type: 'string' },
    State: { type: 'string', enum: STATES },
    'Timers.Inactive': { type: 'string', unsupported: true },
    'Timers.Closed': { type: 'string', unsupported: true },
    'Bindings.Email.Address': { type: 'string', unsupported: true },
    'Bindings.Email.Name': { type: 'string', unsupported: true },
  },
  listConversations: {
    StartDate: { type: 'string' },
    EndDate: { type: 'string' },
    State: { type: 'string', enum: STATES },
    ...pagingParams(100),
  },
  updateConversation: {
    FriendlyName: { type: 'string' },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    MessagingServiceSid: { ...sidParam('MG'), unsupported: true },
    State: { type: 'string', enum: STATES },
    'Timers.Inactive': { type: 'string', unsupported: true },
    'Timers.Closed': { type: 'string', unsupported: true },
    UniqueName: { type: 'string' },
    'Bindings.Email.Address': { type: 'string', unsupported: true },
    'Bindings.Email.Name': { type: 'string', unsupported: true },
  },
  createMessage: {
    Author: { type: 'string' },
    Body: { type: 'string' },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    MediaSid: { ...sidParam('ME'), unsupported: true },
    ContentSid: { ...sidParam('HX'), unsupported: true },
    ContentVariables: { type: 'string', unsupported: true },
    Subject: { type: 'string', unsupported: true },
  },
  listMessages: {
    Order: { type: 'string', enum: ['asc', 'desc'] },
    ...pagingParams(100),
  },
  createParticipant: {
    Identity: { type: 'string' },
    'MessagingBinding.Address': { type: 'string', unsupported: true },
    'MessagingBinding.ProxyAddress': { type: 'string', unsupported: true },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    'MessagingBinding.ProjectedAddress': { type: 'string', unsupported: true },
    RoleSid: { ...sidParam('RL'), unsupported: true },
  },
  listParticipants: pagingParams(100),
} as const satisfies Record<string, ParamTable>;

/** X-Twilio-Webhook-Enabled: accepted (true/false) and ignored, as the emulator has no webhooks. */
function checkWebhookHeader(request: HttpRequest): void {
  const value = request.headers['x-twilio-webhook-enabled'];
  if (value !== undefined && !(WEBHOOK_ENABLED as readonly string[]).includes(String(value))) {
    throw new HttpError(twilioRestError(400, 20001, 'Invalid X-Twilio-Webhook-Enabled: must be true or false'));
  }
}

function notFound(resource: string): HttpError {
  return new HttpError(twilioRestError(404, 20404, `The requested resource ${resource} was not found`));
}

/** The model's dates as Twilio formats them; an empty friendly name is Twilio's null. */
export function describeConversation(conversation: Conversation, accountSid: string, chatServiceSid: string): Record<string, unknown> {
  const url = `${API}/Conversations/${conversation.sid}`;
  return {
    account_sid: accountSid,
    chat_service_sid: chatServiceSid,
    messaging_service_sid: null,
    sid: conversation.sid,
    friendly_name: conversation.friendlyName === '' ? null : conversation.friendlyName,
    unique_name: conversation.uniqueName,
    attributes: JSON.stringify(conversation.attributes),
    state: conversation.state,
    date_created: twilioDate(conversation.dateCreated),
    date_updated: twilioDate(conversation.dateUpdated),
    timers: {},
    url,
    links: { participants: `${url}/Participants`, messages: `${url}/Messages`, webhooks: `${url}/Webhooks` },
    bindings: null,
  };
}

export function describeMessage(conversation: Conversation, message: Message, accountSid: string): Record<string, unknown> {
  const url = `${API}/Conversations/${conversation.sid}/Messages/${message.sid}`;
  return {
    account_sid: accountSid,
    conversation_sid: conversation.sid,
    sid: message.sid,
    index: message.index,
    author: message.author,
    body: message.body,
    media: message.media.length
      ? message.media.map((m) => ({ sid: m.sid, category: m.category, filename: m.filename, content_type: m.contentType, size: m.size }))
      : null,
    attributes: JSON.stringify(message.attributes),
    participant_sid: message.participantSid,
    date_created: twilioDate(message.dateCreated),
    date_updated: twilioDate(message.dateUpdated),
    url,
    delivery: null,
    links: { delivery_receipts: `${url}/Receipts`, channel_metadata: `${url}/ChannelMetadata` },
    content_sid: null,
  };
}

export function describeParticipant(conversation: Conversation, participant: Participant, accountSid: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    conversation_sid: conversation.sid,
    sid: participant.sid,
    identity: participant.identity,
    attributes: JSON.stringify(participant.attributes),
    messaging_binding: null,
    role_sid: null,
    date_created: twilioDate(participant.dateCreated),
    date_updated: twilioDate(participant.dateUpdated),
    url: `${API}/Conversations/${conversation.sid}/Participants/${participant.sid}`,
    last_read_message_index: participant.lastReadMessageIndex,
    last_read_timestamp: participant.lastReadAt === null ? null : twilioDate(participant.lastReadAt),
  };
}

/** A YYYY-MM-DD (or ISO date-time) list filter. */
function dateFilter(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new HttpError(twilioRestError(400, 20001, `Invalid ${name}: expected a date like 2024-01-31`));
  }
  return time;
}

function stateFrom(value: (typeof STATES)[number] | undefined): ConversationState | undefined {
  if (value === 'initializing') throw new HttpError(twilioRestError(400, 20001, 'State initializing is not supported by the Flex emulator'));
  return value;
}

export function registerConversationsV1(router: Router, deps: { credentials: EmulatorCredentials; model: ConversationsModel; routing: Routing }): void {
  const { credentials, model, routing } = deps;
  const accountSid = credentials.accountSid;
  const services = new Map([
    [credentials.conversationsServiceSid, 'Flex Conversations Service'],
    [credentials.flexChatServiceSid, 'Flex Chat Service'],
  ]);
  const started = new Date().toISOString();
  const base = '/conversations/v1/Conversations';
  const describe = (c: Conversation) => describeConversation(c, accountSid, c.serviceSid);

  const route = (method: string, path: string, handler: (request: HttpRequest) => HttpResponse) =>
    router.add(
      method,
      path,
      withTwilioErrors((request) => {
        requireAccountAuth(request, credentials);
        return handler(request);
      }),
    );

  const conversationOr404 = (request: HttpRequest, key: 'sid' | 'conversationSid'): Conversation => {
    const id = request.params[key] ?? '';
    const conversation = model.findConversation(id);
    if (!conversation) throw notFound(`/Conversations/${id.slice(0, 64)}`);
    return conversation;
  };

  const participantOr404 = (conversation: Conversation, id: string): Participant => {
    const participant = conversation.participants.get(id) ?? model.findParticipant(conversation, id);
    if (!participant) throw notFound(`/Conversations/${conversation.sid}/Participants/${id.slice(0, 64)}`);
    return participant;
  };

  // --- Service (what a token service checks its IS… SID with) --------------

  route('GET', '/conversations/v1/Services/:sid', (request) => {
    queryParams(request, {});
    const sid = pathSid(request.params.sid, 'IS', '/Services');
    const friendlyName = services.get(sid);
    if (friendlyName === undefined) throw notFound(`/Services/${sid}`);
    const url = `${API}/Services/${sid}`;
    return {
      status: 200,
      body: {
        account_sid: accountSid,
        sid,
        friendly_name: friendlyName,
        date_created: twilioDate(started),
        date_updated: twilioDate(started),
        url,
        links: {
          conversations: `${url}/Conversations`,
          users: `${url}/Users`,
          roles: `${url}/Roles`,
          bindings: `${url}/Bindings`,
          configuration: `${url}/Configuration`,
          participant_conversations: `${url}/ParticipantConversations`,
        },
      },
    };
  });

  // --- Conversations --------------------------------------------------------

  route('POST', base, (request) => {
    checkWebhookHeader(request);
    const params = formParams(request, CONVERSATIONS_PARAMS.createConversation);
    const attributes = parseAttributes(params.Attributes, 'conversation');
    const state = stateFrom(params.State);
    if (state === 'closed') throw new ModelError(400, 50384, "Initial state can't be 'closed': create the conversation active or inactive");
    const conversation = model.createConversation({
      ...(params.FriendlyName !== undefined ? { friendlyName: params.FriendlyName } : {}),
      ...(params.UniqueName ? { uniqueName: params.UniqueName } : {}),
      ...(attributes ? { attributes } : {}),
      createdBy: 'system',
    });
    if (state !== undefined && state !== 'active') model.setState(conversation, state);
    return { status: 201, body: describe(conversation) };
  });

  route('GET', base, (request) => {
    const query = queryParams(request, CONVERSATIONS_PARAMS.listConversations);
    const state = stateFrom(query.State);
    const start = dateFilter('StartDate', query.StartDate);
    const end = dateFilter('EndDate', query.EndDate);
    const matching = [...model.conversations.values()].filter((c) => {
      const created = Date.parse(c.dateCreated);
      if (state !== undefined && c.state !== state) return false;
      if (start !== undefined && created < start) return false;
      // EndDate is inclusive of the whole day when given as a date.
      if (end !== undefined && created >= (query.EndDate?.length === 10 ? end + 86_400_000 : end)) return false;
      return true;
    });
    const { page, meta } = paginate(matching, query, {
      key: 'conversations',
      baseUrl: `${API}/Conversations`,
      filters: { StartDate: query.StartDate, EndDate: query.EndDate, State: query.State },
    });
    return { status: 200, body: { conversations: page.map(describe), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    queryParams(request, {});
    return { status: 200, body: describe(conversationOr404(request, 'sid')) };
  });

  route('POST', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(request, 'sid');
    const params = formParams(request, CONVERSATIONS_PARAMS.updateConversation);
    const attributes = parseAttributes(params.Attributes, 'conversation');
    const state = stateFrom(params.State);
    if (params.FriendlyName !== undefined || params.UniqueName !== undefined) {
      model.renameConversation(conversation, {
        ...(params.FriendlyName !== undefined ? { friendlyName: params.FriendlyName } : {}),
        ...(params.UniqueName !== undefined ? { uniqueName: params.UniqueName } : {}),
      });
    }
    if (attributes !== undefined) model.updateAttributes(conversation, attributes);
    if (state !== undefined) model.setState(conversation, state);
    return { status: 200, body: describe(conversation) };
  });

  route('DELETE', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    queryParams(request, {});
    deleteConversationAndTask(model, routing, conversationOr404(request, 'sid'));
    return { status: 204 };
  });

  // --- Messages -------------------------------------------------------------

  route('POST', `${base}/:conversationSid/Messages`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(request, 'conversationSid');
    const params = formParams(request, CONVERSATIONS_PARAMS.createMessage);
    const attributes = parseAttributes(params.Attributes, 'message');
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

  route('GET', `${base}/:conversationSid/Messages`, (request) => {
    const conversation = conversationOr404(request, 'conversationSid');
    const query = queryParams(request, CONVERSATIONS_PARAMS.listMessages);
    const ordered = query.Order === 'desc' ? [...conversation.messages].reverse() : conversation.messages;
    const { page, meta } = paginate(ordered, query, {
      key: 'messages',
      baseUrl: `${API}/Conversations/${conversation.sid}/Messages`,
      filters: { Order: query.Order },
    });
    return { status: 200, body: { messages: page.map((m) => describeMessage(conversation, m, accountSid)), meta } };
  });

  route('GET', `${base}/:conversationSid/Messages/:sid`, (request) => {
    const conversation = conversationOr404(request, 'conversationSid');
    queryParams(request, {});
    const sid = pathSid(request.params.sid, 'IM', `/Conversations/${conversation.sid}/Messages`);
    const message = conversation.messages.find((m) => m.sid === sid);
    if (!message) throw notFound(`/Conversations/${conversation.sid}/Messages/${sid}`);
    return { status: 200, body: describeMessage(conversation, message, accountSid) };
  });

  // --- Participants ---------------------------------------------------------

  route('POST', `${base}/:conversationSid/Participants`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(request, 'conversationSid');
    const params = formParams(request, CONVERSATIONS_PARAMS.createParticipant);
    const attributes = parseAttributes(params.Attributes, 'participant');
    if (params.Identity === undefined || params.Identity === '') {
      throw new HttpError(twilioRestError(400, 20001, 'Missing required parameter Identity in the post body (messaging bindings are not emulated)'));
    }
    const participant = model.addParticipant(conversation, {
      identity: params.Identity,
      role: attributes?.member_type === 'guest' ? 'customer' : 'agent',
      ...(attributes ? { attributes } : {}),
    });
    return { status: 201, body: describeParticipant(conversation, participant, accountSid) };
  });

  route('GET', `${base}/:conversationSid/Participants`, (request) => {
    const conversation = conversationOr404(request, 'conversationSid');
    const query = queryParams(request, CONVERSATIONS_PARAMS.listParticipants);
    const { page, meta } = paginate([...conversation.participants.values()], query, {
      key: 'participants',
      baseUrl: `${API}/Conversations/${conversation.sid}/Participants`,
    });
    return { status: 200, body: { participants: page.map((p) => describeParticipant(conversation, p, accountSid)), meta } };
  });

  route('GET', `${base}/:conversationSid/Participants/:sid`, (request) => {
    const conversation = conversationOr404(request, 'conversationSid');
    queryParams(request, {});
    return { status: 200, body: describeParticipant(conversation, participantOr404(conversation, request.params.sid ?? ''), accountSid) };
  });

  route('DELETE', `${base}/:conversationSid/Participants/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(request, 'conversationSid');
    queryParams(request, {});
    model.removeParticipant(conversation, participantOr404(conversation, request.params.sid ?? ''));
    return { status: 204 };
  });
}
