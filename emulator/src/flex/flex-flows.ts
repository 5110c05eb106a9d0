import type { EmulatorCredentials } from '../config.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from '../rest/paging.ts';
import { formParams, pagingParams, pathSid, queryParams, sidParam, type Parsed, type ParamTable } from '../rest/params.ts';
import { rateLimited, type EndpointRateLimits, type RateLimitedEndpoint } from '../rest/rate-limit.ts';
import { twilioRestError } from '../rest/twilio-rest.ts';

// Flex API v1 FlexFlows: how a Flex account routes messaging channels (web,
// SMS, ...) into Flex. Served under /flex-api/v1/FlexFlows.

export const CHANNEL_TYPES = ['web', 'sms', 'facebook', 'whatsapp', 'line', 'custom'] as const;
export const INTEGRATION_TYPES = ['studio', 'external', 'task'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

export interface FlexFlowIntegration {
  flowSid?: string;
  url?: string;
  workspaceSid?: string;
  workflowSid?: string;
  channel?: string;
  timeout?: number;
  priority?: number;
  creationOnMessage?: boolean;
  retryCount?: number;
}

export interface FlexFlow {
  sid: string;
  friendlyName: string;
  chatServiceSid: string;
  channelType: ChannelType;
  contactIdentity: string | null;
  enabled: boolean;
  integrationType: IntegrationType;
  integration: FlexFlowIntegration;
  longLived: boolean;
  janitorEnabled: boolean;
  dateCreated: string;
  dateUpdated: string;
}

/** The form parameters of CreateFlexFlow / UpdateFlexFlow (same set; create requires three). */
const FLOW_FIELDS = {
  FriendlyName: { type: 'string' },
  ChatServiceSid: sidParam('IS'),
  ChannelType: { type: 'string', enum: CHANNEL_TYPES },
  ContactIdentity: { type: 'string' },
  Enabled: { type: 'boolean' },
  IntegrationType: { type: 'string', enum: INTEGRATION_TYPES },
  'Integration.FlowSid': sidParam('FW'),
  'Integration.Url': { type: 'string', format: 'uri' },
  'Integration.WorkspaceSid': sidParam('WS'),
  'Integration.WorkflowSid': sidParam('WW'),
  'Integration.Channel': { type: 'string' },
  'Integration.Timeout': { type: 'integer' },
  'Integration.Priority': { type: 'integer' },
  'Integration.CreationOnMessage': { type: 'boolean' },
  LongLived: { type: 'boolean' },
  JanitorEnabled: { type: 'boolean' },
  'Integration.RetryCount': { type: 'integer' },
} as const satisfies ParamTable;

export const FLEX_FLOW_PARAMS = {
  list: { FriendlyName: { type: 'string' }, ...pagingParams(1000) },
  create: {
    ...FLOW_FIELDS,
    FriendlyName: { type: 'string', required: true },
    ChatServiceSid: sidParam('IS', true),
    ChannelType: { type: 'string', enum: CHANNEL_TYPES, required: true },
  },
  update: FLOW_FIELDS,
} as const satisfies Record<string, ParamTable>;

type FlowFields = Parsed<typeof FLOW_FIELDS>;

export class FlexFlowStore {
  readonly flows = new Map<string, FlexFlow>();

  constructor(private readonly credentials: EmulatorCredentials) {
    this.reset();
  }

  /** Back to a new account's flows: only the seeded web flow. */
  reset(): void {
    const credentials = this.credentials;
    this.flows.clear();
    const now = new Date().toISOString();
    // The account's default web chat flow, as a new Flex account has it.
    this.flows.set(credentials.webFlexFlowSid, {
      sid: credentials.webFlexFlowSid,
      friendlyName: 'Flex WebChat Flow',
      chatServiceSid: credentials.flexChatServiceSid,
      channelType: 'web',
      contactIdentity: null,
      enabled: true,
      integrationType: 'studio',
      integration: { flowSid: `FW${'0'.repeat(31)}1`, retryCount: 3 },
      longLived: false,
      janitorEnabled: false,
      dateCreated: now,
      dateUpdated: now,
    });
  }

  get(sid: string): FlexFlow | undefined {
    return this.flows.get(sid);
  }

  list(): FlexFlow[] {
    return [...this.flows.values()];
  }
}

export function describeFlexFlow(flow: FlexFlow, accountSid: string): Record<string, unknown> {
  const i = flow.integration;
  const integration: Record<string, unknown> = {};
  if (i.flowSid !== undefined) integration.flow_sid = i.flowSid;
  if (i.url !== undefined) integration.url = i.url;
  if (i.workspaceSid !== undefined) integration.workspace_sid = i.workspaceSid;
  if (i.workflowSid !== undefined) integration.workflow_sid = i.workflowSid;
  if (i.channel !== undefined) integration.channel = i.channel;
  if (i.timeout !== undefined) integration.timeout = i.timeout;
  if (i.priority !== undefined) integration.priority = i.priority;
  if (i.creationOnMessage !== undefined) integration.creation_on_message = i.creationOnMessage;
  if (i.retryCount !== undefined) integration.retry_count = i.retryCount;
  return {
    sid: flow.sid,
    account_sid: accountSid,
    date_created: twilioDate(flow.dateCreated),
    date_updated: twilioDate(flow.dateUpdated),
    friendly_name: flow.friendlyName,
    chat_service_sid: flow.chatServiceSid,
    channel_type: flow.channelType,
    contact_identity: flow.contactIdentity,
    enabled: flow.enabled,
    integration_type: flow.integrationType,
    integration,
    long_lived: flow.longLived,
    janitor_enabled: flow.janitorEnabled,
    url: `${TWILIO_HOSTS.flexApi}/v1/FlexFlows/${flow.sid}`,
  };
}

function missing(name: string, integrationType: IntegrationType): HttpError {
  return new HttpError(twilioRestError(400, 20001, `Missing required parameter ${name} in the post body (required when IntegrationType is ${integrationType})`));
}

/** Applies the Integration.* fields and checks what the integration type needs. */
function applyIntegration(flow: FlexFlow, fields: FlowFields): void {
  const i = flow.integration;
  if (fields['Integration.FlowSid'] !== undefined) i.flowSid = fields['Integration.FlowSid'];
  if (fields['Integration.Url'] !== undefined) i.url = fields['Integration.Url'];
  if (fields['Integration.WorkspaceSid'] !== undefined) i.workspaceSid = fields['Integration.WorkspaceSid'];
  if (fields['Integration.WorkflowSid'] !== undefined) i.workflowSid = fields['Integration.WorkflowSid'];
  if (fields['Integration.Channel'] !== undefined) i.channel = fields['Integration.Channel'];
  if (fields['Integration.Timeout'] !== undefined) i.timeout = fields['Integration.Timeout'];
  if (fields['Integration.Priority'] !== undefined) i.priority = fields['Integration.Priority'];
  if (fields['Integration.CreationOnMessage'] !== undefined) i.creationOnMessage = fields['Integration.CreationOnMessage'];
  if (fields['Integration.RetryCount'] !== undefined) {
    const retries = fields['Integration.RetryCount'];
    if (retries < 0 || retries > 3) throw new HttpError(twilioRestError(400, 20001, 'Invalid Integration.RetryCount: must be between 0 and 3'));
    i.retryCount = retries;
  }
  switch (flow.integrationType) {
    case 'studio':
      if (i.flowSid === undefined) throw missing('Integration.FlowSid', 'studio');
      break;
    case 'external':
      if (i.url === undefined) throw missing('Integration.Url', 'external');
      break;
    case 'task':
      if (i.workspaceSid === undefined) throw missing('Integration.WorkspaceSid', 'task');
      if (i.workflowSid === undefined) throw missing('Integration.WorkflowSid', 'task');
      i.channel ??= 'default';
      break;
  }
}

export function registerFlexFlows(router: Router, options: { credentials: EmulatorCredentials; flows: FlexFlowStore; rateLimits: EndpointRateLimits }): void {
  const { credentials, flows, rateLimits } = options;
  const limited = (endpoint: RateLimitedEndpoint, handler: (request: HttpRequest) => HttpResponse) => rateLimited(rateLimits, endpoint, credentials, handler);
  const chatServices = new Set([credentials.flexChatServiceSid, credentials.conversationsServiceSid]);
  const base = '/flex-api/v1/FlexFlows';

  const checkChatService = (sid: string | undefined) => {
    if (sid !== undefined && !chatServices.has(sid)) {
      throw new HttpError(twilioRestError(400, 20001, `Invalid ChatServiceSid: ${sid} is not a chat service of this account`));
    }
  };
  const flowOr404 = (request: HttpRequest): FlexFlow => {
    const sid = pathSid(request.params.sid, 'FO', '/v1/FlexFlows');
    const flow = flows.get(sid);
    if (!flow) throw new HttpError(twilioRestError(404, 20404, `The requested resource /v1/FlexFlows/${sid} was not found`));
    return flow;
  };

  router.add('GET', base, limited('GET /v1/FlexFlows', (request): HttpResponse => {
    const query = queryParams(request, FLEX_FLOW_PARAMS.list);
    const matching = flows.list().filter((flow) => query.FriendlyName === undefined || flow.friendlyName === query.FriendlyName);
    const { page, meta } = paginate(matching, query, {
      key: 'flex_flows',
      baseUrl: `${TWILIO_HOSTS.flexApi}/v1/FlexFlows`,
      filters: { FriendlyName: query.FriendlyName },
    });
    return { status: 200, body: { flex_flows: page.map((flow) => describeFlexFlow(flow, credentials.accountSid)), meta } };
  }));

  router.add('POST', base, limited('POST /v1/FlexFlows', (request): HttpResponse => {
    const fields = formParams(request, FLEX_FLOW_PARAMS.create);
    checkChatService(fields.ChatServiceSid);
    const now = new Date().toISOString();
    const flow: FlexFlow = {
      sid: newSid('FO'),
      friendlyName: fields.FriendlyName,
      chatServiceSid: fields.ChatServiceSid,
      channelType: fields.ChannelType,
      contactIdentity: fields.ContactIdentity ?? null,
      enabled: fields.Enabled ?? true,
      integrationType: fields.IntegrationType ?? 'studio',
      integration: {},
      longLived: fields.LongLived ?? false,
      janitorEnabled: fields.JanitorEnabled ?? false,
      dateCreated: now,
      dateUpdated: now,
    };
    applyIntegration(flow, fields);
    flows.flows.set(flow.sid, flow);
    return { status: 201, body: describeFlexFlow(flow, credentials.accountSid) };
  }));

  router.add('GET', `${base}/:sid`, limited('GET /v1/FlexFlows/{Sid}', (request): HttpResponse => {
    queryParams(request, {});
    return { status: 200, body: describeFlexFlow(flowOr404(request), credentials.accountSid) };
  }));

  router.add('POST', `${base}/:sid`, limited('POST /v1/FlexFlows/{Sid}', (request): HttpResponse => {
    const current = flowOr404(request);
    const fields = formParams(request, FLEX_FLOW_PARAMS.update);
    checkChatService(fields.ChatServiceSid);
    // Work on a copy so a rejected update leaves the flow untouched.
    const next: FlexFlow = { ...current, integration: { ...current.integration } };
    if (fields.FriendlyName !== undefined) next.friendlyName = fields.FriendlyName;
    if (fields.ChatServiceSid !== undefined) next.chatServiceSid = fields.ChatServiceSid;
    if (fields.ChannelType !== undefined) next.channelType = fields.ChannelType;
    if (fields.ContactIdentity !== undefined) next.contactIdentity = fields.ContactIdentity;
    if (fields.Enabled !== undefined) next.enabled = fields.Enabled;
    if (fields.IntegrationType !== undefined && fields.IntegrationType !== current.integrationType) {
      next.integrationType = fields.IntegrationType;
      next.integration = {};
    }
    if (fields.LongLived !== undefined) next.longLived = fields.LongLived;
    if (fields.JanitorEnabled !== undefined) next.janitorEnabled = fields.JanitorEnabled;
    applyIntegration(next, fields);
    next.dateUpdated = new Date().toISOString();
    flows.flows.set(next.sid, next);
    return { status: 200, body: describeFlexFlow(next, credentials.accountSid) };
  }));

  router.add('DELETE', `${base}/:sid`, limited('DELETE /v1/FlexFlows/{Sid}', (request): HttpResponse => {
    queryParams(request, {});
    const flow = flowOr404(request);
    flows.flows.delete(flow.sid);
    return { status: 204 };
  }));
}
