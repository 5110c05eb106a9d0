import { checkIdentity, parseAttributes } from '../conversations/limits.ts';
import type { User } from '../conversations/model.ts';
import type { Router } from '../http/http-kit.ts';
import { CONVERSATIONS_API, checkWebhookHeader, notFound, restRoute, type ConversationsRestDeps } from './conversations-kit.ts';
import { paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, queryParams, sidParam, type ParamTable } from './params.ts';

// Conversations v1 Users of the default Conversations service (/v1/Users):
// create, list, fetch and update (by US… SID or identity, as Twilio allows),
// delete. They are the users the SDKs see: a REST rename reaches a connected
// client's User object, and a participant's user is listed here.

export const USER_PARAMS = {
  create: {
    Identity: { type: 'string', required: true },
    FriendlyName: { type: 'string' },
    Attributes: { type: 'string' },
    RoleSid: { ...sidParam('RL'), unsupported: true },
  },
  list: pagingParams(50),
  update: {
    FriendlyName: { type: 'string' },
    Attributes: { type: 'string' },
    RoleSid: { ...sidParam('RL'), unsupported: true },
  },
} as const satisfies Record<string, ParamTable>;

export function describeUser(user: User, accountSid: string): Record<string, unknown> {
  const url = `${CONVERSATIONS_API}/Users/${user.sid}`;
  return {
    sid: user.sid,
    account_sid: accountSid,
    chat_service_sid: user.serviceSid,
    role_sid: null,
    identity: user.identity,
    friendly_name: user.friendlyName,
    attributes: JSON.stringify(user.attributes),
    // Reachability is off in this service (the SDK configuration says so): Twilio answers null.
    is_online: null,
    is_notifiable: null,
    date_created: twilioDate(user.dateCreated),
    date_updated: twilioDate(user.dateUpdated),
    url,
    links: { user_conversations: `${url}/Conversations` },
  };
}

export function registerConversationsUsers(router: Router, { credentials, model }: ConversationsRestDeps): void {
  const { accountSid } = credentials;
  const route = restRoute(router, credentials);
  const base = '/conversations/v1/Users';
  const serviceSid = model.serviceSid;

  const userOr404 = (id: string | undefined): User => {
    const key = id ?? '';
    const user = /^US[0-9a-fA-F]{32}$/.test(key) ? model.users.bySid(serviceSid, key) : model.users.get(serviceSid, key);
    if (!user) throw notFound(`/Users/${key.slice(0, 64)}`);
    return user;
  };

  route('POST', base, (request) => {
    checkWebhookHeader(request);
    const params = formParams(request, USER_PARAMS.create);
    checkIdentity(params.Identity);
    const attributes = parseAttributes(params.Attributes, 'user');
    const user = model.users.create(serviceSid, {
      identity: params.Identity,
      ...(params.FriendlyName !== undefined ? { friendlyName: params.FriendlyName } : {}),
      ...(attributes ? { attributes } : {}),
    });
    return { status: 201, body: describeUser(user, accountSid) };
  });

  route('GET', base, (request) => {
    const query = queryParams(request, USER_PARAMS.list);
    const { page, meta } = paginate(model.users.list(serviceSid), query, { key: 'users', baseUrl: `${CONVERSATIONS_API}/Users` });
    return { status: 200, body: { users: page.map((u) => describeUser(u, accountSid)), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    queryParams(request, {});
    return { status: 200, body: describeUser(userOr404(request.params.sid), accountSid) };
  });

  route('POST', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    const user = userOr404(request.params.sid);
    const params = formParams(request, USER_PARAMS.update);
    const attributes = parseAttributes(params.Attributes, 'user');
    model.users.update(user, {
      ...(params.FriendlyName !== undefined ? { friendlyName: params.FriendlyName === '' ? null : params.FriendlyName } : {}),
      ...(attributes !== undefined ? { attributes } : {}),
    });
    return { status: 200, body: describeUser(user, accountSid) };
  });

  // A deleted user leaves every conversation of the service first (guess: Twilio does not say).
  route('DELETE', `${base}/:sid`, (request) => {
    checkWebhookHeader(request);
    queryParams(request, {});
    const user = userOr404(request.params.sid);
    for (const conversation of model.conversations.values()) {
      if (conversation.serviceSid !== serviceSid) continue;
      const participant = model.findParticipant(conversation, user.identity);
      if (participant) model.removeParticipant(conversation, participant);
    }
    model.users.remove(user);
    return { status: 204 };
  });
}
