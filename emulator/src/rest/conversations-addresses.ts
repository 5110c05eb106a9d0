import type { EmulatorCredentials } from '../config.ts';
import { checkFriendlyName } from '../conversations/limits.ts';
import { HttpError, type Router } from '../http/http-kit.ts';
import { newSid } from '../ids.ts';
import { notFound, restRoute } from './conversations-kit.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from './paging.ts';
import { formParams, pagingParams, queryParams, sidParam, type Parsed, type ParamTable } from './params.ts';
import { twilioRestError } from './twilio-rest.ts';

// Conversations v1 address configurations: list (filter Type, paging up to
// 50), fetch by IG… or by the address itself, create, update, delete. Seeded
// with the Flex account's web chat address (EMULATOR_WEBCHAT_ADDRESS_SID), the
// AddressSid of POST /v2/WebChats, so setup tools find it as in a real Flex
// account. The emulator receives no SMS or WhatsApp traffic: a configuration
// is kept and described; nothing arrives on it.

export interface AddressConfiguration {
  sid: string;
  type: string;
  address: string;
  friendlyName: string;
  autoCreation: {
    enabled: boolean;
    type: 'studio' | 'webhook' | 'default';
    conversationServiceSid: string;
    studioFlowSid?: string;
    studioRetryCount?: number;
    webhookUrl?: string;
    webhookMethod?: 'get' | 'post';
    webhookFilters?: string[];
  };
  dateCreated: string;
  dateUpdated: string;
}

const AUTO_CREATION = {
  'AutoCreation.Enabled': { type: 'boolean' },
  'AutoCreation.Type': { type: 'string', enum: ['webhook', 'studio', 'default'] },
  'AutoCreation.ConversationServiceSid': sidParam('IS'),
  'AutoCreation.WebhookUrl': { type: 'string' },
  'AutoCreation.WebhookMethod': { type: 'string', enum: ['get', 'post'] },
  'AutoCreation.WebhookFilters': { type: 'array' },
  'AutoCreation.StudioFlowSid': sidParam('FW'),
  'AutoCreation.StudioRetryCount': { type: 'integer' },
} as const satisfies ParamTable;

export const ADDRESS_PARAMS = {
  list: { Type: { type: 'string' }, ...pagingParams(50) },
  create: {
    Type: { type: 'string', enum: ['sms', 'whatsapp', 'messenger', 'gbm', 'email', 'rcs', 'apple', 'chat'], required: true },
    Address: { type: 'string', required: true },
    FriendlyName: { type: 'string' },
    ...AUTO_CREATION,
    AddressCountry: { type: 'string', unsupported: true },
  },
  update: { FriendlyName: { type: 'string' }, ...AUTO_CREATION },
} as const satisfies Record<string, ParamTable>;

/** The Studio Flow a new Flex account's web chat address hands conversations to ("Webchat Flow"). */
export const SEEDED_WEBCHAT_STUDIO_FLOW_SID = `FW${'0'.repeat(31)}1`;

/** What a new Flex account has: one web chat address in the Flex Conversations service. */
export function seedAddresses(credentials: EmulatorCredentials, now = new Date().toISOString()): AddressConfiguration[] {
  return [
    {
      sid: credentials.webChatAddressSid,
      type: 'webchat',
      address: 'flex-web-chat',
      friendlyName: 'Flex Web Chat',
      autoCreation: {
        enabled: true,
        type: 'studio',
        conversationServiceSid: credentials.conversationsServiceSid,
        studioFlowSid: SEEDED_WEBCHAT_STUDIO_FLOW_SID,
        studioRetryCount: 3,
      },
      dateCreated: now,
      dateUpdated: now,
    },
  ];
}

export function describeAddress(address: AddressConfiguration, accountSid: string): Record<string, unknown> {
  const a = address.autoCreation;
  return {
    sid: address.sid,
    account_sid: accountSid,
    type: address.type,
    address: address.address,
    friendly_name: address.friendlyName,
    auto_creation: {
      enabled: a.enabled,
      type: a.type,
      conversation_service_sid: a.conversationServiceSid,
      ...(a.studioFlowSid !== undefined ? { studio_flow_sid: a.studioFlowSid } : {}),
      ...(a.studioRetryCount !== undefined ? { studio_retry_count: a.studioRetryCount } : {}),
      ...(a.webhookUrl !== undefined ? { webhook_url: a.webhookUrl } : {}),
      ...(a.webhookMethod !== undefined ? { webhook_method: a.webhookMethod } : {}),
      ...(a.webhookFilters !== undefined ? { webhook_filters: a.webhookFilters } : {}),
    },
    date_created: twilioDate(address.dateCreated),
    date_updated: twilioDate(address.dateUpdated),
    url: `${TWILIO_HOSTS.conversations}/v1/Configuration/Addresses/${address.sid}`,
    address_country: null,
  };
}

type AutoCreationParams = Parsed<typeof AUTO_CREATION>;

function invalid(message: string): HttpError {
  return new HttpError(twilioRestError(400, 20001, message));
}

/**
 * Applies AutoCreation.* to a configuration. What each type needs (a flow for
 * studio, a URL for webhook) and the service being the account's: guess, the
 * stricter reading of the address configuration docs.
 */
function applyAutoCreation(target: AddressConfiguration['autoCreation'], params: AutoCreationParams, services: readonly string[]): void {
  if (params['AutoCreation.Enabled'] !== undefined) target.enabled = params['AutoCreation.Enabled'];
  if (params['AutoCreation.Type'] !== undefined) target.type = params['AutoCreation.Type'];
  const service = params['AutoCreation.ConversationServiceSid'];
  if (service !== undefined) {
    if (!services.includes(service)) throw invalid(`AutoCreation.ConversationServiceSid ${service} is not a Conversations service of this account`);
    target.conversationServiceSid = service;
  }
  if (params['AutoCreation.StudioFlowSid'] !== undefined) target.studioFlowSid = params['AutoCreation.StudioFlowSid'];
  if (params['AutoCreation.StudioRetryCount'] !== undefined) {
    const count = params['AutoCreation.StudioRetryCount'];
    if (count < 0 || count > 3) throw invalid('AutoCreation.StudioRetryCount must be 0 to 3');
    target.studioRetryCount = count;
  }
  const url = params['AutoCreation.WebhookUrl'];
  if (url !== undefined) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw invalid('AutoCreation.WebhookUrl must be an absolute http(s) URL');
    target.webhookUrl = url;
  }
  if (params['AutoCreation.WebhookMethod'] !== undefined) target.webhookMethod = params['AutoCreation.WebhookMethod'];
  if (params['AutoCreation.WebhookFilters'] !== undefined) target.webhookFilters = params['AutoCreation.WebhookFilters'];
  if (target.enabled && target.type === 'studio' && target.studioFlowSid === undefined) throw invalid('AutoCreation.Type studio needs AutoCreation.StudioFlowSid');
  if (target.enabled && target.type === 'webhook' && target.webhookUrl === undefined) throw invalid('AutoCreation.Type webhook needs AutoCreation.WebhookUrl');
}

export function registerConversationsAddresses(router: Router, deps: { credentials: EmulatorCredentials }): { reset(): void } {
  const { credentials } = deps;
  const addresses = seedAddresses(credentials);
  const services = [credentials.conversationsServiceSid, credentials.flexChatServiceSid];
  const base = '/conversations/v1/Configuration/Addresses';
  const route = restRoute(router, credentials);
  const describe = (a: AddressConfiguration) => describeAddress(a, credentials.accountSid);

  // Twilio accepts the IG… SID or the address itself in the path.
  const addressOr404 = (id: string | undefined): AddressConfiguration => {
    const key = id ?? '';
    const found = addresses.find((a) => a.sid === key || a.address === key);
    if (!found) throw notFound(`/Configuration/Addresses/${key.slice(0, 64)}`);
    return found;
  };

  route('GET', base, (request) => {
    const query = queryParams(request, ADDRESS_PARAMS.list);
    const matching = addresses.filter((a) => query.Type === undefined || a.type === query.Type);
    const { page, meta } = paginate(matching, query, {
      key: 'address_configurations',
      baseUrl: `${TWILIO_HOSTS.conversations}/v1/Configuration/Addresses`,
      filters: { Type: query.Type },
    });
    return { status: 200, body: { address_configurations: page.map(describe), meta } };
  });

  route('GET', `${base}/:sid`, (request) => {
    queryParams(request, {});
    return { status: 200, body: describe(addressOr404(request.params.sid)) };
  });

  route('POST', base, (request) => {
    const params = formParams(request, ADDRESS_PARAMS.create);
    if (params.FriendlyName !== undefined) checkFriendlyName(params.FriendlyName);
    // One configuration per address and type: guess (Twilio routes an inbound message by its address).
    if (addresses.some((a) => a.type === params.Type && a.address === params.Address)) {
      throw invalid(`An address configuration for ${params.Type} ${params.Address.slice(0, 64)} already exists`);
    }
    const now = new Date().toISOString();
    const address: AddressConfiguration = {
      sid: newSid('IG'),
      type: params.Type,
      address: params.Address,
      friendlyName: params.FriendlyName ?? '',
      autoCreation: { enabled: false, type: 'default', conversationServiceSid: credentials.conversationsServiceSid },
      dateCreated: now,
      dateUpdated: now,
    };
    applyAutoCreation(address.autoCreation, params, services);
    addresses.push(address);
    return { status: 201, body: describe(address) };
  });

  route('POST', `${base}/:sid`, (request) => {
    const address = addressOr404(request.params.sid);
    const params = formParams(request, ADDRESS_PARAMS.update);
    if (params.FriendlyName !== undefined) checkFriendlyName(params.FriendlyName);
    const autoCreation = { ...address.autoCreation };
    applyAutoCreation(autoCreation, params, services);
    address.autoCreation = autoCreation;
    if (params.FriendlyName !== undefined) address.friendlyName = params.FriendlyName;
    address.dateUpdated = new Date().toISOString();
    return { status: 200, body: describe(address) };
  });

  route('DELETE', `${base}/:sid`, (request) => {
    queryParams(request, {});
    const address = addressOr404(request.params.sid);
    addresses.splice(addresses.indexOf(address), 1);
    return { status: 204 };
  });

  return {
    reset: () => {
      addresses.splice(0, addresses.length, ...seedAddresses(credentials));
    },
  };
}
