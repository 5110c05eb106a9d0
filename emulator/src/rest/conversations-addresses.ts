import type { EmulatorCredentials } from '../config.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from './paging.ts';
import { pagingParams, queryParams, type ParamTable } from './params.ts';
import { requireAccountAuth, twilioRestError, withTwilioErrors } from './twilio-rest.ts';

// Conversations v1 address configurations, read-only: GET
// /conversations/v1/Configuration/Addresses (filter Type, paging up to 50) and
// GET .../Addresses/{IG… or address}. Seeded with the Flex account's web chat
// address (EMULATOR_WEBCHAT_ADDRESS_SID), the AddressSid of POST /v2/WebChats, so
// setup tools can find it the way they would in a real Flex account.

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
  };
  dateCreated: string;
  dateUpdated: string;
}

export const ADDRESS_PARAMS = {
  list: { Type: { type: 'string' }, ...pagingParams(50) },
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
    },
    date_created: twilioDate(address.dateCreated),
    date_updated: twilioDate(address.dateUpdated),
    url: `${TWILIO_HOSTS.conversations}/v1/Configuration/Addresses/${address.sid}`,
    address_country: null,
  };
}

export function registerConversationsAddresses(router: Router, deps: { credentials: EmulatorCredentials; addresses?: AddressConfiguration[] }): void {
  const { credentials } = deps;
  const addresses = deps.addresses ?? seedAddresses(credentials);
  const base = '/conversations/v1/Configuration/Addresses';

  const route = (path: string, handler: (request: HttpRequest) => HttpResponse) =>
    router.add(
      'GET',
      path,
      withTwilioErrors((request) => {
        requireAccountAuth(request, credentials);
        return handler(request);
      }),
    );

  route(base, (request) => {
    const query = queryParams(request, ADDRESS_PARAMS.list);
    const matching = addresses.filter((a) => query.Type === undefined || a.type === query.Type);
    const { page, meta } = paginate(matching, query, {
      key: 'address_configurations',
      baseUrl: `${TWILIO_HOSTS.conversations}/v1/Configuration/Addresses`,
      filters: { Type: query.Type },
    });
    return { status: 200, body: { address_configurations: page.map((a) => describeAddress(a, credentials.accountSid)), meta } };
  });

  // Twilio accepts the IG… SID or the address itself in the path.
  route(`${base}/:sid`, (request) => {
    queryParams(request, {});
    const id = request.params.sid ?? '';
    const found = addresses.find((a) => a.sid === id || a.address === id);
    if (!found) throw new HttpError(twilioRestError(404, 20404, `The requested resource /Configuration/Addresses/${id.slice(0, 64)} was not found`));
    return { status: 200, body: describeAddress(found, credentials.accountSid) };
  });
}
