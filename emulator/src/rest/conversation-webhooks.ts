import { ModelError, type Conversation } from '../conversations/model.ts';
import { HttpError, type Router } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { CONVERSATIONS_API, CONVERSATIONS_BASE, conversationOr404, notFound, restRoute, type ConversationsRestDeps } from './conversations-kit.ts';
import { paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, pathSid, queryParams, sidParam, type ParamTable } from './params.ts';
import { twilioRestError } from './twilio-rest.ts';

// Conversation-scoped webhooks (/v1/Conversations/{CH}/Webhooks): create, list,
// fetch, update, delete, with Twilio's rules (at most five per conversation,
// post-event filters only, the fields each target needs). The emulator makes
// no outbound requests: a webhook is kept and described, never called
// (FIDELITY.md).

export const WEBHOOK_PARAMS = {
  create: {
    Target: { type: 'string', enum: ['webhook', 'trigger', 'studio'], required: true },
    'Configuration.Url': { type: 'string' },
    'Configuration.Method': { type: 'string', enum: ['get', 'post'] },
    'Configuration.Filters': { type: 'array' },
    'Configuration.Triggers': { type: 'array' },
    'Configuration.FlowSid': sidParam('FW'),
    'Configuration.ReplayAfter': { type: 'integer' },
  },
  list: pagingParams(5),
  update: {
    'Configuration.Url': { type: 'string' },
    'Configuration.Method': { type: 'string', enum: ['get', 'post'] },
    'Configuration.Filters': { type: 'array' },
    'Configuration.Triggers': { type: 'array' },
    'Configuration.FlowSid': sidParam('FW'),
  },
} as const satisfies Record<string, ParamTable>;

/** "Each individual Conversation can have as many as five such webhooks" (conversation-scoped webhook docs). */
export const MAX_WEBHOOKS_PER_CONVERSATION = 5;
const MAX_TRIGGERS = 5;
const MAX_TRIGGER_CHARS = 248;
const MAX_URL_CHARS = 512;
/** "Only post-event webhooks are supported by the Conversation-Scoped Webhooks": the post-event names. */
export const POST_EVENT_FILTERS = [
  'onMessageAdded',
  'onMessageUpdated',
  'onMessageRemoved',
  'onConversationUpdated',
  'onConversationRemoved',
  'onConversationStateUpdated',
  'onParticipantAdded',
  'onParticipantUpdated',
  'onParticipantRemoved',
  'onDeliveryUpdated',
] as const;

type Target = 'webhook' | 'trigger' | 'studio';

interface ScopedWebhook {
  sid: string;
  target: Target;
  url?: string;
  method?: 'get' | 'post';
  filters?: string[];
  triggers?: string[];
  flowSid?: string;
  replayAfter?: number;
  dateCreated: string;
  dateUpdated: string;
}

function describeWebhook(conversation: Conversation, hook: ScopedWebhook, accountSid: string): Record<string, unknown> {
  return {
    sid: hook.sid,
    account_sid: accountSid,
    conversation_sid: conversation.sid,
    target: hook.target,
    url: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Webhooks/${hook.sid}`,
    configuration: {
      ...(hook.url !== undefined ? { url: hook.url } : {}),
      ...(hook.method !== undefined ? { method: hook.method } : {}),
      ...(hook.filters !== undefined ? { filters: hook.filters } : {}),
      ...(hook.triggers !== undefined ? { triggers: hook.triggers } : {}),
      ...(hook.flowSid !== undefined ? { flow_sid: hook.flowSid } : {}),
      ...(hook.replayAfter !== undefined ? { replay_after: hook.replayAfter } : {}),
    },
    date_created: twilioDate(hook.dateCreated),
    date_updated: twilioDate(hook.dateUpdated),
  };
}

function checkUrl(url: string): void {
  if (url.length > MAX_URL_CHARS) throw new ModelError(400, 50372, `Configuration.Url is longer than ${MAX_URL_CHARS} characters`);
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')) {
    throw new HttpError(twilioRestError(400, 20001, 'Invalid Configuration.Url: expected an absolute http(s) URL'));
  }
}

function checkFilters(filters: string[]): void {
  for (const filter of filters) {
    if (!(POST_EVENT_FILTERS as readonly string[]).includes(filter)) {
      throw new ModelError(400, 50365, `Invalid Configuration.Filters value ${filter.slice(0, 40)}: conversation-scoped webhooks take post-event filters (${POST_EVENT_FILTERS.join(', ')})`);
    }
  }
}

function checkTriggers(triggers: string[]): void {
  if (triggers.length > MAX_TRIGGERS) throw new ModelError(400, 50362, `At most ${MAX_TRIGGERS} Configuration.Triggers`);
  for (const trigger of triggers) {
    if (trigger === '' || trigger.length > MAX_TRIGGER_CHARS) throw new ModelError(400, 50366, `A trigger is 1 to ${MAX_TRIGGER_CHARS} characters`);
  }
}

/** What each target needs: webhook a URL and filters, trigger a URL and keywords, studio a flow. */
function checkComplete(hook: ScopedWebhook): void {
  if (hook.target === 'studio') {
    if (hook.flowSid === undefined) throw new ModelError(400, 50367, 'A studio webhook needs Configuration.FlowSid');
    return;
  }
  if (hook.url === undefined) throw new ModelError(400, 50369, `A ${hook.target} webhook needs Configuration.Url`);
  if (hook.target === 'webhook' && (hook.filters ?? []).length === 0) throw new ModelError(400, 50370, 'A webhook needs Configuration.Filters');
  if (hook.target === 'trigger' && (hook.triggers ?? []).length === 0) throw new ModelError(400, 50371, 'A trigger webhook needs Configuration.Triggers');
}

export function registerConversationWebhooks(router: Router, { credentials, model }: ConversationsRestDeps): void {
  const { accountSid } = credentials;
  const route = restRoute(router, credentials);
  const base = `${CONVERSATIONS_BASE}/:conversationSid/Webhooks`;
  const byConversation = new Map<string, ScopedWebhook[]>();
  model.on('conversationRemoved', (conversation) => byConversation.delete(conversation.sid));
  const hooksOf = (conversation: Conversation): ScopedWebhook[] => byConversation.get(conversation.sid) ?? [];

  const hookOr404 = (conversation: Conversation, id: string | undefined): ScopedWebhook => {
    const sid = pathSid(id, 'WH', `/Conversations/${conversation.sid}/Webhooks`);
    const hook = hooksOf(conversation).find((h) => h.sid === sid);
    if (!hook) throw notFound(`/Conversations/${conversation.sid}/Webhooks/${sid}`);
    return hook;
  };

  route('POST', base, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const params = formParams(request, WEBHOOK_PARAMS.create);
    if (conversation.state === 'closed') throw new ModelError(409, 50377, "Can't update conversation as it's in final closed state");
    const hooks = hooksOf(conversation);
    if (hooks.length >= MAX_WEBHOOKS_PER_CONVERSATION) throw new ModelError(400, 50361, `A conversation has at most ${MAX_WEBHOOKS_PER_CONVERSATION} scoped webhooks`);
    const now = new Date().toISOString();
    const hook: ScopedWebhook = { sid: newSid('WH'), target: params.Target, dateCreated: now, dateUpdated: now };
    if (params['Configuration.Url'] !== undefined) checkUrl((hook.url = params['Configuration.Url']));
    if (params['Configuration.Method'] !== undefined) hook.method = params['Configuration.Method'];
    if (params['Configuration.Filters'] !== undefined) checkFilters((hook.filters = params['Configuration.Filters']));
    if (params['Configuration.Triggers'] !== undefined) checkTriggers((hook.triggers = params['Configuration.Triggers']));
    if (params['Configuration.FlowSid'] !== undefined) hook.flowSid = params['Configuration.FlowSid'];
    if (params['Configuration.ReplayAfter'] !== undefined) hook.replayAfter = params['Configuration.ReplayAfter'];
    if (hook.url !== undefined && hook.method === undefined) hook.method = 'post';
    checkComplete(hook);
    byConversation.set(conversation.sid, [...hooks, hook]);
    return { status: 201, body: describeWebhook(conversation, hook, accountSid) };
  });

  route('GET', base, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const query = queryParams(request, WEBHOOK_PARAMS.list);
    const { page, meta } = paginate(hooksOf(conversation), query, {
      key: 'webhooks',
      baseUrl: `${CONVERSATIONS_API}/Conversations/${conversation.sid}/Webhooks`,
    });
    return { status: 200, body: { webhooks: page.map((h) => describeWebhook(conversation, h, accountSid)), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    return { status: 200, body: describeWebhook(conversation, hookOr404(conversation, request.params.sid), accountSid) };
  });

  route('POST', `${base}/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    const hook = hookOr404(conversation, request.params.sid);
    const params = formParams(request, WEBHOOK_PARAMS.update);
    if (conversation.state === 'closed') throw new ModelError(409, 50377, "Can't update conversation as it's in final closed state");
    const next: ScopedWebhook = { ...hook, dateUpdated: new Date().toISOString() };
    if (params['Configuration.Url'] !== undefined) checkUrl((next.url = params['Configuration.Url']));
    if (params['Configuration.Method'] !== undefined) next.method = params['Configuration.Method'];
    if (params['Configuration.Filters'] !== undefined) checkFilters((next.filters = params['Configuration.Filters']));
    if (params['Configuration.Triggers'] !== undefined) checkTriggers((next.triggers = params['Configuration.Triggers']));
    if (params['Configuration.FlowSid'] !== undefined) next.flowSid = params['Configuration.FlowSid'];
    checkComplete(next);
    Object.assign(hook, next);
    return { status: 200, body: describeWebhook(conversation, hook, accountSid) };
  });

  route('DELETE', `${base}/:sid`, (request) => {
    const conversation = conversationOr404(model, request, 'conversationSid');
    queryParams(request, {});
    const hook = hookOr404(conversation, request.params.sid);
    byConversation.set(conversation.sid, hooksOf(conversation).filter((h) => h !== hook));
    return { status: 204 };
  });
}
