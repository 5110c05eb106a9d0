import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AccessTokenError, verifyAccessToken } from '../auth/access-token.ts';
import { HttpError, type HttpRequest, type HttpResponse, type Router } from '../http/http-kit.ts';
import { TWILIO_HOSTS, paginate, twilioDate } from '../rest/paging.ts';
import { formParams, pagingParams, queryParams, sidParam, type ParamTable } from '../rest/params.ts';
import { requireAccountAuth, twilioRestError, withTwilioErrors } from '../rest/twilio-rest.ts';
import { createFlexChannel, describeWebChannel, type FlexChannelDeps } from './flex-channels.ts';

// The undocumented preview API the first Flex web chats used (seed 000), on
// the preview host (served under /preview):
//   POST /iam/Accounts/{AccountSid}/Tokens  {"products":["flex"]}  no auth  -> {token, identity}
//   GET  /Flex/FlexFlows                    Basic account auth          -> flex flows (seed field names)
//   POST /Flex/WebChannels                  Basic <token from /Tokens>  -> web channel
// There is no OpenAPI spec; the shapes follow the seed.

export const PREVIEW_TOKEN_TTL_SECONDS = 3600;

export const PREVIEW_PARAMS = {
  flexFlows: { FriendlyName: { type: 'string' }, ...pagingParams(1000) },
  webChannels: {
    FlexFlowSid: sidParam('FO', true),
    Identity: { type: 'string', required: true },
    ChatFriendlyName: { type: 'string', required: true },
    CustomerFriendlyName: { type: 'string', required: true },
  },
} as const satisfies Record<string, ParamTable>;

/** A Twilio AccessToken (HS256, signed with the API key secret) with a ChatGrant on the Flex chat service. */
export function mintChatToken(keys: { accountSid: string; apiKeySid: string; apiKeySecret: string }, identity: string, serviceSid: string, ttlSeconds: number): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { typ: 'JWT', alg: 'HS256', cty: 'twilio-fpa;v=1' };
  const claims = {
    jti: `${keys.apiKeySid}-${now}`,
    iss: keys.apiKeySid,
    sub: keys.accountSid,
    iat: now,
    nbf: now,
    exp: now + ttlSeconds,
    grants: { identity, chat: { service_sid: serviceSid } },
  };
  const encode = (part: object) => Buffer.from(JSON.stringify(part), 'utf8').toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  const signature = createHmac('sha256', keys.apiKeySecret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The token request body: exactly {"products": [...]} with "flex" among the
 * products. Its Content-Type is not checked: the seed's own example sends the
 * JSON without one (curl's default form type), and nothing says Twilio looks.
 */
function readTokenRequest(request: HttpRequest): void {
  const bad = (message: string) => new HttpError(twilioRestError(400, 20001, message));
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    throw bad('Request body is not valid JSON');
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw bad('Request body must be a JSON object');
  for (const key of Object.keys(body)) if (key !== 'products') throw bad(`Unknown parameter ${key.slice(0, 60)}`);
  const products = (body as { products?: unknown }).products;
  if (products === undefined) throw bad('Missing required parameter products');
  if (!Array.isArray(products) || products.length === 0 || !products.every((p) => typeof p === 'string')) {
    throw bad('products must be a non-empty array of strings');
  }
  for (const product of products as string[]) if (product !== 'flex') throw bad(`Unknown product ${product.slice(0, 40)}; only "flex" is available`);
}

/**
 * Who may create a preview web channel: the visitor with the token from
 * /iam/.../Tokens (`Authorization: Basic <token>`, also accepted as the
 * password or user of a Basic pair, or as X-Twilio-Token), or the account itself.
 * Returns the token's identity, or undefined for account credentials.
 */
function previewWebChannelCaller(request: HttpRequest, deps: FlexChannelDeps): string | undefined {
  const { credentials } = deps;
  const header = String(request.headers.authorization ?? '');
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  const candidates: string[] = [];
  const xToken = request.headers['x-twilio-token'];
  if (typeof xToken === 'string') candidates.push(xToken);
  if (basic) {
    candidates.push(basic);
    const decoded = Buffer.from(basic, 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    if (separator >= 0) {
      const user = decoded.slice(0, separator);
      const password = decoded.slice(separator + 1);
      if (user === credentials.accountSid && sameText(password, credentials.authToken)) return undefined;
      if (user === credentials.apiKeySid && sameText(password, credentials.apiKeySecret)) return undefined;
      candidates.push(password, user);
    }
  }
  for (const candidate of candidates) {
    if (candidate.split('.').length !== 3) continue;
    try {
      return verifyAccessToken(candidate, credentials).identity;
    } catch (error) {
      if (!(error instanceof AccessTokenError)) throw error;
      if (error.problem === 'expired') throw new HttpError(twilioRestError(401, 20104, 'Access Token expired or expiration date invalid'));
    }
  }
  const response = twilioRestError(401, 20003, 'Authenticate: send the token from /iam/Accounts/{AccountSid}/Tokens as Basic auth');
  response.headers = { 'WWW-Authenticate': 'Basic realm="Twilio API"' };
  throw new HttpError(response);
}

export function registerPreview(router: Router, deps: FlexChannelDeps): void {
  const { credentials, flows, rateLimits } = deps;
  const accountSid = credentials.accountSid;

  router.add('POST', '/preview/iam/Accounts/:accountSid/Tokens', (request): HttpResponse => {
    const requested = request.params.accountSid ?? '';
    if (requested !== accountSid) {
      return twilioRestError(404, 20404, `The requested resource /iam/Accounts/${requested.slice(0, 40)}/Tokens was not found`);
    }
    readTokenRequest(request);
    const identity = randomUUID();
    const token = mintChatToken(credentials, identity, credentials.flexChatServiceSid, PREVIEW_TOKEN_TTL_SECONDS);
    return { status: 200, body: { token, identity } };
  });

  router.add('GET', '/preview/Flex/FlexFlows', (request): HttpResponse => {
    requireAccountAuth(request, credentials);
    const query = queryParams(request, PREVIEW_PARAMS.flexFlows);
    const matching = flows.list().filter((flow) => query.FriendlyName === undefined || flow.friendlyName === query.FriendlyName);
    const { page, meta } = paginate(matching, query, {
      key: 'flex_flows',
      baseUrl: `${TWILIO_HOSTS.preview}/Flex/FlexFlows`,
      filters: { FriendlyName: query.FriendlyName },
    });
    return {
      status: 200,
      body: {
        flex_flows: page.map((flow) => ({
          studio_flow_sid: flow.integrationType === 'studio' ? (flow.integration.flowSid ?? null) : null,
          date_updated: twilioDate(flow.dateUpdated),
          enabled: flow.enabled,
          friendly_name: flow.friendlyName,
          contact_identity: flow.contactIdentity,
          account_sid: accountSid,
          channel_type: flow.channelType,
          url: `${TWILIO_HOSTS.preview}/Flex/FlexFlows/${flow.sid}`,
          sid: flow.sid,
          date_created: twilioDate(flow.dateCreated),
          chat_service_sid: flow.chatServiceSid,
        })),
        meta,
      },
    };
  });

  router.add(
    'POST',
    '/preview/Flex/WebChannels',
    withTwilioErrors(async (request) => {
      const tokenIdentity = previewWebChannelCaller(request, deps);
      await rateLimits.consume('POST /v1/WebChannels', accountSid);
      const params = formParams(request, PREVIEW_PARAMS.webChannels);
      if (tokenIdentity !== undefined && tokenIdentity !== params.Identity) {
        return twilioRestError(403, 20403, 'Identity does not match the identity of the access token');
      }
      const channel = createFlexChannel(deps, {
        flexFlowSid: params.FlexFlowSid,
        identity: params.Identity,
        customerName: params.CustomerFriendlyName,
        chatFriendlyName: params.ChatFriendlyName,
      });
      return { status: 201, body: describeWebChannel(channel, accountSid, `${TWILIO_HOSTS.preview}/Flex`) };
    }),
  );
}
