import { checkFriendlyName, checkIdentity } from '../conversations/limits.ts';
import type { EmulatorCredentials } from '../config.ts';
import type { Conversation, ConversationsModel } from '../conversations/model.ts';
import { HttpError, type HttpHandler, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from '../rest/paging.ts';
import { formParams, jsonObjectParam, pagingParams, pathSid, queryParams, sidParam, type ParamTable, preEngagementParam } from '../rest/params.ts';
import { rateLimited, type EndpointRateLimits, type RateLimitedEndpoint } from '../rest/rate-limit.ts';
import { twilioRestError, withTwilioErrors } from '../rest/twilio-rest.ts';
import type { FlexFlow, FlexFlowStore } from './flex-flows.ts';
import type { Routing } from './routing.ts';

// Flex API v1 Channels and WebChannels: the legacy (Programmable Chat)
// orchestration. A Flex chat channel is backed by a conversation of the
// Conversations model (its CH… SID is the channel SID), with the visitor as a
// participant and a routing task, as /v2/WebChats does.

export interface FlexChannel {
  /** CH…: the backing conversation's SID. */
  sid: string;
  flexFlowSid: string;
  identity: string;
  userSid: string;
  /** What the API reports as task_sid: only for `task` integrations or when the caller gave TaskSid. */
  taskSid: string | null;
  dateCreated: string;
  dateUpdated: string;
}

/** The Flex chat channels of the account, whichever endpoint created them. */
export class FlexChannelRegistry {
  private readonly channels = new Map<string, FlexChannel>();
  private readonly userSids = new Map<string, string>();

  constructor(private readonly model: ConversationsModel) {}

  /** A stable US… SID per chat identity. */
  userSid(identity: string): string {
    let sid = this.userSids.get(identity);
    if (!sid) {
      sid = newSid('US');
      this.userSids.set(identity, sid);
    }
    return sid;
  }

  add(channel: FlexChannel): void {
    this.channels.set(channel.sid, channel);
  }

  /** The channel, unless its conversation has been deleted meanwhile (e.g. through the Conversations API). */
  get(sid: string): FlexChannel | undefined {
    const channel = this.channels.get(sid);
    if (channel && !this.model.conversations.has(sid)) {
      this.channels.delete(sid);
      return undefined;
    }
    return channel;
  }

  delete(sid: string): void {
    this.channels.delete(sid);
  }

  clear(): void {
    this.channels.clear();
    this.userSids.clear();
  }

  list(): FlexChannel[] {
    return [...this.channels.keys()].map((sid) => this.get(sid)).filter((c): c is FlexChannel => c !== undefined);
  }

  /** An open channel of this flow for this identity, for long-lived reuse. */
  findOpen(flexFlowSid: string, identity: string): FlexChannel | undefined {
    return this.list().find(
      (c) => c.flexFlowSid === flexFlowSid && c.identity === identity && this.model.conversations.get(c.sid)?.state === 'active',
    );
  }
}

export interface FlexChannelDeps {
  credentials: EmulatorCredentials;
  model: ConversationsModel;
  routing: Routing;
  flows: FlexFlowStore;
  channels: FlexChannelRegistry;
  rateLimits: EndpointRateLimits;
}

export interface CreateFlexChannelInput {
  flexFlowSid: string;
  identity: string;
  customerName: string;
  chatFriendlyName: string;
  chatUniqueName?: string | undefined;
  preEngagementData?: Record<string, unknown> | string | undefined;
  target?: string | undefined;
  taskSid?: string | undefined;
  taskAttributes?: Record<string, unknown> | undefined;
  longLived?: boolean | undefined;
}

export function flowOr404(flows: FlexFlowStore, sid: string): FlexFlow {
  const flow = flows.get(sid);
  if (!flow) throw new HttpError(twilioRestError(404, 20404, `The requested resource /v1/FlexFlows/${sid} was not found`));
  return flow;
}

/** Creates (or, for long-lived flows, reuses) a Flex chat channel: conversation, visitor participant, routing task. */
export function createFlexChannel(deps: Omit<FlexChannelDeps, 'rateLimits' | 'credentials'>, input: CreateFlexChannelInput): FlexChannel {
  const { model, routing, flows, channels } = deps;
  const flow = flowOr404(flows, input.flexFlowSid);
  const longLived = input.longLived ?? flow.longLived;
  if (longLived) {
    const existing = channels.findOpen(flow.sid, input.identity);
    if (existing) return existing;
  }
  const preEngagementData = input.preEngagementData ?? {};
  // Checked before anything is created, so a refused request leaves nothing behind.
  checkIdentity(input.identity);
  checkFriendlyName(input.chatFriendlyName);
  const conversation = model.createConversation({
    serviceSid: flow.chatServiceSid,
    friendlyName: input.chatFriendlyName,
    ...(input.chatUniqueName ? { uniqueName: input.chatUniqueName } : {}),
    createdBy: 'system',
    attributes: {
      from: input.customerName,
      channel_type: flow.channelType,
      status: 'ACTIVE',
      long_lived: longLived,
      pre_engagement_data: preEngagementData,
      ...(input.target !== undefined ? { target: input.target } : {}),
    },
  });
  model.addParticipant(conversation, {
    identity: input.identity,
    role: 'customer',
    friendlyName: input.customerName,
    attributes: { member_type: 'guest', friendlyName: input.customerName },
  });
  let taskSid: string | null = input.taskSid ?? null;
  if (input.taskSid === undefined) {
    // Studio's "Send to Flex", an external handler or Flex itself would now make a task; the routing stand-in does.
    const task = routing.createTask(conversation, {
      channelType: flow.channelType,
      channelSid: conversation.sid,
      conversationSid: conversation.sid,
      flexFlowSid: flow.sid,
      customerName: input.customerName,
      name: input.customerName,
      identity: input.identity,
      preEngagementData,
      ...(input.target !== undefined ? { target: input.target } : {}),
      ...input.taskAttributes,
    });
    if (flow.integrationType === 'task') taskSid = task.sid;
  }
  const channel: FlexChannel = {
    sid: conversation.sid,
    flexFlowSid: flow.sid,
    identity: input.identity,
    userSid: channels.userSid(input.identity),
    taskSid,
    dateCreated: conversation.dateCreated,
    dateUpdated: conversation.dateUpdated,
  };
  channels.add(channel);
  return channel;
}

/** Ends a conversation for good: an accepted task completes; a waiting one is canceled by routing when the conversation goes. */
export function deleteConversationAndTask(model: ConversationsModel, routing: Routing, conversation: Conversation): void {
  const task = routing.taskForConversation(conversation.sid);
  if (task && task.status !== 'pending') routing.finish(task, 'completed');
  model.deleteConversation(conversation);
}

export function describeChannel(channel: FlexChannel, accountSid: string): Record<string, unknown> {
  return {
    account_sid: accountSid,
    flex_flow_sid: channel.flexFlowSid,
    sid: channel.sid,
    user_sid: channel.userSid,
    task_sid: channel.taskSid,
    url: `${TWILIO_HOSTS.flexApi}/v1/Channels/${channel.sid}`,
    date_created: twilioDate(channel.dateCreated),
    date_updated: twilioDate(channel.dateUpdated),
  };
}

export function describeWebChannel(channel: FlexChannel, accountSid: string, host: string = `${TWILIO_HOSTS.flexApi}/v1`): Record<string, unknown> {
  return {
    account_sid: accountSid,
    flex_flow_sid: channel.flexFlowSid,
    sid: channel.sid,
    url: `${host}/WebChannels/${channel.sid}`,
    date_created: twilioDate(channel.dateCreated),
    date_updated: twilioDate(channel.dateUpdated),
  };
}

export const CHANNEL_PARAMS = {
  list: pagingParams(1000),
  create: {
    FlexFlowSid: sidParam('FO', true),
    Identity: { type: 'string', required: true },
    ChatUserFriendlyName: { type: 'string', required: true },
    ChatFriendlyName: { type: 'string', required: true },
    Target: { type: 'string' },
    ChatUniqueName: { type: 'string' },
    PreEngagementData: { type: 'string' },
    TaskSid: sidParam('WT'),
    TaskAttributes: { type: 'string' },
    LongLived: { type: 'boolean' },
  },
} as const satisfies Record<string, ParamTable>;

export const WEB_CHANNEL_PARAMS = {
  list: pagingParams(1000),
  create: {
    FlexFlowSid: sidParam('FO', true),
    Identity: { type: 'string', required: true },
    CustomerFriendlyName: { type: 'string', required: true },
    ChatFriendlyName: { type: 'string', required: true },
    ChatUniqueName: { type: 'string' },
    PreEngagementData: { type: 'string' },
  },
  update: {
    ChatStatus: { type: 'string', enum: ['inactive'] },
    PostEngagementData: { type: 'string' },
  },
} as const satisfies Record<string, ParamTable>;

export function registerFlexChannels(router: Router, deps: FlexChannelDeps): void {
  const { credentials, model, routing, channels, rateLimits } = deps;
  const accountSid = credentials.accountSid;
  const limited = (endpoint: RateLimitedEndpoint, handler: HttpHandler) => withTwilioErrors(rateLimited(rateLimits, endpoint, credentials, handler));

  const channelOr404 = (request: HttpRequest, resource: '/v1/Channels' | '/v1/WebChannels'): FlexChannel => {
    const sid = pathSid(request.params.sid, 'CH', resource);
    const channel = channels.get(sid);
    if (!channel) throw new HttpError(twilioRestError(404, 20404, `The requested resource ${resource}/${sid} was not found`));
    return channel;
  };

  const list = (request: HttpRequest, resource: 'Channels' | 'WebChannels', describe: (c: FlexChannel) => Record<string, unknown>): HttpResponse => {
    const query = queryParams(request, CHANNEL_PARAMS.list);
    const { page, meta } = paginate(channels.list(), query, { key: 'flex_chat_channels', baseUrl: `${TWILIO_HOSTS.flexApi}/v1/${resource}` });
    return { status: 200, body: { flex_chat_channels: page.map(describe), meta } };
  };

  const remove = (request: HttpRequest, resource: '/v1/Channels' | '/v1/WebChannels'): HttpResponse => {
    queryParams(request, {});
    const channel = channelOr404(request, resource);
    const conversation = model.conversations.get(channel.sid);
    if (conversation) deleteConversationAndTask(model, routing, conversation);
    channels.delete(channel.sid);
    return { status: 204 };
  };

  // --- /v1/Channels ---------------------------------------------------------

  router.add('GET', '/flex-api/v1/Channels', limited('GET /v1/Channels', (request) => list(request, 'Channels', (c) => describeChannel(c, accountSid))));

  router.add(
    'POST',
    '/flex-api/v1/Channels',
    limited('POST /v1/Channels', (request) => {
      const params = formParams(request, CHANNEL_PARAMS.create);
      const channel = createFlexChannel(deps, {
        flexFlowSid: params.FlexFlowSid,
        identity: params.Identity,
        customerName: params.ChatUserFriendlyName,
        chatFriendlyName: params.ChatFriendlyName,
        chatUniqueName: params.ChatUniqueName,
        preEngagementData: preEngagementParam(params.PreEngagementData),
        target: params.Target,
        taskSid: params.TaskSid,
        taskAttributes: jsonObjectParam('TaskAttributes', params.TaskAttributes),
        longLived: params.LongLived,
      });
      return { status: 201, body: describeChannel(channel, accountSid) };
    }),
  );

  router.add(
    'GET',
    '/flex-api/v1/Channels/:sid',
    limited('GET /v1/Channels/{Sid}', (request) => {
      queryParams(request, {});
      return { status: 200, body: describeChannel(channelOr404(request, '/v1/Channels'), accountSid) };
    }),
  );

  router.add('DELETE', '/flex-api/v1/Channels/:sid', limited('DELETE /v1/Channels/{Sid}', (request) => remove(request, '/v1/Channels')));

  // --- /v1/WebChannels ------------------------------------------------------

  router.add('GET', '/flex-api/v1/WebChannels', limited('GET /v1/WebChannels', (request) => list(request, 'WebChannels', (c) => describeWebChannel(c, accountSid))));

  router.add(
    'POST',
    '/flex-api/v1/WebChannels',
    limited('POST /v1/WebChannels', (request) => {
      const params = formParams(request, WEB_CHANNEL_PARAMS.create);
      const channel = createFlexChannel(deps, {
        flexFlowSid: params.FlexFlowSid,
        identity: params.Identity,
        customerName: params.CustomerFriendlyName,
        chatFriendlyName: params.ChatFriendlyName,
        chatUniqueName: params.ChatUniqueName,
        preEngagementData: preEngagementParam(params.PreEngagementData),
      });
      return { status: 201, body: describeWebChannel(channel, accountSid) };
    }),
  );

  router.add(
    'GET',
    '/flex-api/v1/WebChannels/:sid',
    limited('GET /v1/WebChannels/{Sid}', (request) => {
      queryParams(request, {});
      return { status: 200, body: describeWebChannel(channelOr404(request, '/v1/WebChannels'), accountSid) };
    }),
  );

  router.add(
    'POST',
    '/flex-api/v1/WebChannels/:sid',
    limited('POST /v1/WebChannels/{Sid}', (request) => {
      const channel = channelOr404(request, '/v1/WebChannels');
      const params = formParams(request, WEB_CHANNEL_PARAMS.update);
      const postEngagementData = jsonObjectParam('PostEngagementData', params.PostEngagementData);
      const conversation = model.get(channel.sid);
      if (params.ChatStatus === 'inactive' || postEngagementData !== undefined) {
        const attributes = { ...conversation.attributes };
        if (params.ChatStatus === 'inactive') attributes.status = 'INACTIVE';
        if (postEngagementData !== undefined) attributes.post_engagement_data = postEngagementData;
        model.updateAttributes(conversation, attributes);
        if (params.ChatStatus === 'inactive') model.setState(conversation, 'inactive');
        channel.dateUpdated = conversation.dateUpdated;
      }
      return { status: 200, body: describeWebChannel(channel, accountSid) };
    }),
  );

  router.add('DELETE', '/flex-api/v1/WebChannels/:sid', limited('DELETE /v1/WebChannels/{Sid}', (request) => remove(request, '/v1/WebChannels')));
}
