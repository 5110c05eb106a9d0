import type { EmulatorCredentials } from '../config.ts';
import { parseAttributes } from '../conversations/limits.ts';
import { ModelError, type Conversation, type ConversationState, type ConversationsModel } from '../conversations/model.ts';
import { deleteConversationAndTask } from '../flex/flex-channels.ts';
import type { Routing } from '../flex/routing.ts';
import { HttpError, type Router } from '../http/http-kit.ts';
import { registerConversationMessages } from './conversation-messages.ts';
import type { ContentSender } from './conversations-kit.ts';
import { registerConversationParticipants } from './conversation-participants.ts';
import { registerConversationWebhooks } from './conversation-webhooks.ts';
import { CONVERSATIONS_API, checkWebhookHeader, conversationOr404, dateParam, notFound, restRoute } from './conversations-kit.ts';
import { registerConversationsUsers } from './conversations-users.ts';
import { paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, pathSid, queryParams, sidParam, type ParamTable } from './params.ts';
import { twilioRestError } from './twilio-rest.ts';

// The server-side Conversations v1 REST subset a token service and agents use
// (served under /conversations): Conversations and a fetch of the
// Conversations service here; Messages (with receipts), Participants,
// conversation-scoped Webhooks and Users in their own modules. Everything goes through the same model
// the SDKs read, so connected clients see REST changes live.

const API = CONVERSATIONS_API;
const STATES = ['initializing', 'inactive', 'active', 'closed'] as const;

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
} as const satisfies Record<string, ParamTable>;

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

function stateFrom(value: (typeof STATES)[number] | undefined): ConversationState | undefined {
  if (value === 'initializing') throw new HttpError(twilioRestError(400, 20001, 'State initializing is not supported by the Flex emulator'));
  return value;
}

export function registerConversationsV1(router: Router, deps: { credentials: EmulatorCredentials; model: ConversationsModel; routing: Routing; sendContent?: ContentSender | undefined }): void {
  const { credentials, model, routing } = deps;
  const accountSid = credentials.accountSid;
  const services = new Map([
    [credentials.conversationsServiceSid, 'Flex Conversations Service'],
    [credentials.flexChatServiceSid, 'Flex Chat Service'],
  ]);
  const started = new Date().toISOString();
  const base = '/conversations/v1/Conversations';
  const describe = (c: Conversation) => describeConversation(c, accountSid, c.serviceSid);

  const route = restRoute(router, credentials);

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
    const start = dateParam('StartDate', query.StartDate);
    const end = dateParam('EndDate', query.EndDate);
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
    return { status: 200, body: describe(conversationOr404(model, request, 'sid')) };
  });

  route('POST', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'sid');
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
    deleteConversationAndTask(model, routing, conversationOr404(model, request, 'sid'));
    return { status: 204 };
  });

  registerConversationMessages(router, deps);
  registerConversationParticipants(router, deps);
  registerConversationWebhooks(router, deps);
  registerConversationsUsers(router, deps);
}
