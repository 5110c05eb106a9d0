import { parseAttributes } from '../conversations/limits.ts';
import { ModelError, type Conversation, type Participant } from '../conversations/model.ts';
import { HttpError, type Router } from '../http/http-kit.ts';
import { CONVERSATIONS_API, CONVERSATIONS_BASE, checkWebhookHeader, conversationOr404, notFound, restRoute, type ConversationsRestDeps } from './conversations-kit.ts';
import { paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, queryParams, sidParam, type ParamTable } from './params.ts';
import { twilioRestError } from './twilio-rest.ts';

// Conversations v1 Participants: add, list, fetch (by SID or identity), update
// (attributes, read horizon), remove. Connected SDKs see each change live.

export const PARTICIPANT_PARAMS = {
  create: {
    Identity: { type: 'string' },
    'MessagingBinding.Address': { type: 'string', unsupported: true },
    'MessagingBinding.ProxyAddress': { type: 'string', unsupported: true },
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    'MessagingBinding.ProjectedAddress': { type: 'string', unsupported: true },
    RoleSid: { ...sidParam('RL'), unsupported: true },
  },
  list: pagingParams(100),
  update: {
    DateCreated: { type: 'string', format: 'date-time', unsupported: true },
    DateUpdated: { type: 'string', format: 'date-time', unsupported: true },
    Attributes: { type: 'string' },
    RoleSid: { ...sidParam('RL'), unsupported: true },
    'MessagingBinding.ProxyAddress': { type: 'string', unsupported: true },
    'MessagingBinding.ProjectedAddress': { type: 'string', unsupported: true },
    Identity: { type: 'string' },
    // The spec types it a nullable integer; on the wire it is text, and an empty value clears it.
    LastReadMessageIndex: { type: 'integer' },
    LastReadTimestamp: { type: 'string' },
  },
} as const satisfies Record<string, ParamTable>;

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
    url: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Participants/${participant.sid}`,
    last_read_message_index: participant.lastReadMessageIndex,
    last_read_timestamp: participant.lastReadAt === null ? null : twilioDate(participant.lastReadAt),
  };
}

export function registerConversationParticipants(router: Router, { credentials, model }: ConversationsRestDeps): void {
  const { accountSid } = credentials;
  const route = restRoute(router, credentials);
  const base = `${CONVERSATIONS_BASE}/:conversationSid/Participants`;

  const participantOr404 = (conversation: Conversation, id: string): Participant => {
    const participant = conversation.participants.get(id) ?? model.findParticipant(conversation, id);
    if (!participant) throw notFound(`/Conversations/${conversation.sid}/Participants/${id.slice(0, 64)}`);
    return participant;
  };

  route('POST', base, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    const params = formParams(request, PARTICIPANT_PARAMS.create);
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

  route('GET', base, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const query = queryParams(request, PARTICIPANT_PARAMS.list);
    const { page, meta } = paginate([...conversation.participants.values()], query, {
      key: 'participants',
      baseUrl: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Participants`,
    });
    return { status: 200, body: { participants: page.map((p) => describeParticipant(conversation, p, accountSid)), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    return { status: 200, body: describeParticipant(conversation, participantOr404(conversation, request.params.sid ?? ''), accountSid) };
  });

  route('POST', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    const participant = participantOr404(conversation, request.params.sid ?? '');
    // An empty LastReadMessageIndex is Twilio's null ("not read"): read it before the table converts integers.
    const form = new URLSearchParams(request.rawBody.toString('utf8'));
    const clearIndex = form.get('LastReadMessageIndex') === '';
    if (clearIndex) form.delete('LastReadMessageIndex');
    const params = formParams({ ...request, rawBody: Buffer.from(form.toString()) }, PARTICIPANT_PARAMS.update);
    // Chat participants already have an identity; Twilio adds one only to an SMS participant with a projected address.
    if (params.Identity !== undefined) throw new ModelError(400, 50444, 'Failed to add an identity to a participant: this chat participant already has one');
    const attributes = parseAttributes(params.Attributes, 'participant');
    const lastReadAt = params.LastReadTimestamp;
    if (lastReadAt !== undefined && Number.isNaN(Date.parse(lastReadAt))) {
      throw new HttpError(twilioRestError(400, 20001, 'Invalid LastReadTimestamp: expected an ISO 8601 date-time'));
    }
    const index = clearIndex ? null : params.LastReadMessageIndex;
    if (typeof index === 'number' && (index < 0 || index >= conversation.messageList.nextIndex)) {
      throw new HttpError(twilioRestError(400, 20001, `Invalid LastReadMessageIndex: the conversation has no message ${index}`));
    }
    model.updateParticipant(conversation, participant, {
      ...(attributes !== undefined ? { attributes } : {}),
      ...(index !== undefined ? { lastReadMessageIndex: index } : {}),
      ...(lastReadAt !== undefined ? { lastReadAt: new Date(lastReadAt).toISOString() } : {}),
    });
    return { status: 200, body: describeParticipant(conversation, participant, accountSid) };
  });

  route('DELETE', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    model.removeParticipant(conversation, participantOr404(conversation, request.params.sid ?? ''));
    return { status: 204 };
  });
}
