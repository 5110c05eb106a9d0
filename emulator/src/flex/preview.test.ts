import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { assertMatchesSchema } from '../../test/openapi.ts';
import { twilioRest } from '../../test/rest-client.ts';
import { verifyAccessToken } from '../auth/access-token.ts';
import type { RunningEmulator } from '../emulator.ts';

// The preview API of seed 000 (no OpenAPI spec): shapes are pinned to the seed here.

const sid = (prefix: string) => ({ type: 'string', pattern: `^${prefix}[0-9a-fA-F]{32}$` });
const date = { type: 'string', format: 'date-time' };
const TOKEN_RESPONSE = {
  type: 'object',
  required: ['token', 'identity'],
  properties: { token: { type: 'string', pattern: '^[\\w-]+\\.[\\w-]+\\.[\\w-]+$' }, identity: { type: 'string', minLength: 1 } },
  additionalProperties: false,
};
/** Exactly the fields seed 000 shows for a preview Flex Flow. */
const PREVIEW_FLEX_FLOW = {
  type: 'object',
  required: ['studio_flow_sid', 'date_updated', 'enabled', 'friendly_name', 'contact_identity', 'account_sid', 'channel_type', 'url', 'sid', 'date_created', 'chat_service_sid'],
  properties: {
    studio_flow_sid: { anyOf: [sid('FW'), { type: 'null' }] },
    date_updated: date,
    enabled: { type: 'boolean' },
    friendly_name: { type: 'string' },
    contact_identity: { type: ['string', 'null'] },
    account_sid: sid('AC'),
    channel_type: { enum: ['web', 'sms', 'facebook', 'whatsapp', 'line', 'custom'] },
    url: { type: 'string', pattern: '^https://preview\\.twilio\\.com/Flex/FlexFlows/FO[0-9a-f]{32}$' },
    sid: sid('FO'),
    date_created: date,
    chat_service_sid: sid('IS'),
  },
  additionalProperties: false,
};
const PREVIEW_FLEX_FLOWS = {
  type: 'object',
  required: ['flex_flows', 'meta'],
  properties: { flex_flows: { type: 'array', items: PREVIEW_FLEX_FLOW }, meta: { type: 'object', required: ['key', 'page', 'page_size', 'url', 'first_page_url', 'next_page_url', 'previous_page_url'] } },
  additionalProperties: false,
};
const PREVIEW_WEB_CHANNEL = {
  type: 'object',
  required: ['account_sid', 'flex_flow_sid', 'sid', 'url', 'date_created', 'date_updated'],
  properties: {
    account_sid: sid('AC'),
    flex_flow_sid: sid('FO'),
    sid: sid('CH'),
    url: { type: 'string', pattern: '^https://preview\\.twilio\\.com/Flex/WebChannels/CH[0-9a-f]{32}$' },
    date_created: date,
    date_updated: date,
  },
  additionalProperties: false,
};

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const json = (value: unknown) => ({ contentType: 'application/json', body: JSON.stringify(value) });
const tokensPath = (emulator: RunningEmulator) => `/preview/iam/Accounts/${emulator.credentials.accountSid}/Tokens`;

async function previewToken(emulator: RunningEmulator): Promise<{ token: string; identity: string }> {
  const response = await twilioRest(emulator, { method: 'POST', path: tokensPath(emulator), auth: null, rawBody: json({ products: ['flex'] }) });
  expect(response.status).toBe(200);
  assertMatchesSchema(TOKEN_RESPONSE, response.body, 'token response');
  return response.body;
}

describe('preview API (seed 000)', () => {
  it('issues a Flex chat token and identity without auth', async ({ emulator }) => {
    const { token, identity } = await previewToken(emulator);
    const verified = verifyAccessToken(token, emulator.credentials);
    expect(verified.identity).toBe(identity);
    expect(verified.chatServiceSid).toBe(emulator.credentials.flexChatServiceSid);
    expect((await previewToken(emulator)).identity).not.toBe(identity);
  });

  it.for(['text/plain', 'application/x-www-form-urlencoded', ''])('takes the JSON body whatever its Content-Type (%s), as Twilio does not check it', async (contentType, { emulator }) => {
    const response = await fetch(`${emulator.url}${tokensPath(emulator)}`, {
      method: 'POST',
      headers: contentType ? { 'Content-Type': contentType } : {},
      body: JSON.stringify({ products: ['flex'] }),
    });
    expect(response.status).toBe(200);
    assertMatchesSchema(TOKEN_RESPONSE, await response.json(), 'token response');
  });

  it.for([
    ['an unknown account', 'AC' + 'f'.repeat(32), json({ products: ['flex'] }), 404, 20404],
    ['a body that is not JSON', undefined, { contentType: 'application/json', body: '{products' }, 400, 20001],
    ['a form body', undefined, { contentType: 'application/x-www-form-urlencoded', body: 'products=flex' }, 400, 20001],
    ['no products', undefined, json({}), 400, 20001],
    ['an unknown product', undefined, json({ products: ['voice'] }), 400, 20001],
    ['products that is not an array', undefined, json({ products: 'flex' }), 400, 20001],
    ['an unknown field', undefined, json({ products: ['flex'], ttl: 5 }), 400, 20001],
  ] as const)('answers a token request with %s as a Twilio error', async ([, account, rawBody, status, code], { emulator }) => {
    const path = `/preview/iam/Accounts/${account ?? emulator.credentials.accountSid}/Tokens`;
    const response = await twilioRest(emulator, { method: 'POST', path, auth: null, rawBody });
    expect([response.status, response.body.code]).toEqual([status, code]);
  });

  it('lists Flex Flows with the seed field names under Basic auth', async ({ emulator }) => {
    const response = await twilioRest(emulator, { method: 'GET', path: '/preview/Flex/FlexFlows' });
    expect(response.status).toBe(200);
    assertMatchesSchema(PREVIEW_FLEX_FLOWS, response.body, 'preview FlexFlows');
    const web = response.body.flex_flows.find((f: { channel_type: string }) => f.channel_type === 'web');
    expect(web).toMatchObject({ sid: emulator.credentials.webFlexFlowSid, chat_service_sid: emulator.credentials.flexChatServiceSid, enabled: true });
    expect(response.body.meta.url).toBe('https://preview.twilio.com/Flex/FlexFlows?PageSize=50&Page=0');
    const anonymous = await twilioRest(emulator, { method: 'GET', path: '/preview/Flex/FlexFlows', auth: null });
    expect([anonymous.status, anonymous.body.code]).toEqual([401, 20003]);
  });

  it('creates a web channel with the visitor token as Basic auth (the seed flow end to end)', async ({ emulator }) => {
    const { token, identity } = await previewToken(emulator);
    const flows = (await twilioRest(emulator, { method: 'GET', path: '/preview/Flex/FlexFlows' })).body.flex_flows as { sid: string; channel_type: string }[];
    const flexFlowSid = flows.find((f) => f.channel_type === 'web')?.sid as string;
    const form = { FlexFlowSid: flexFlowSid, Identity: identity, ChatFriendlyName: 'Support', CustomerFriendlyName: 'Visitor' };
    const created = await fetch(`${emulator.url}/preview/Flex/WebChannels`, {
      method: 'POST',
      headers: { Authorization: `Basic ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form),
    });
    expect(created.status).toBe(201);
    const channel = await created.json();
    assertMatchesSchema(PREVIEW_WEB_CHANNEL, channel, 'preview web channel');
    expect(channel.flex_flow_sid).toBe(flexFlowSid);
    expect([...emulator.model.get(channel.sid).participants.values()].map((p) => p.identity)).toEqual([identity]);
    // The same Flex chat channel through the v1 API.
    expect((await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/WebChannels/${channel.sid}` })).body.sid).toBe(channel.sid);

    // Also accepted: the token as a Basic password, and the account credentials.
    const asPassword = await twilioRest(emulator, { method: 'POST', path: '/preview/Flex/WebChannels', auth: `token:${token}`, form });
    expect(asPassword.status).toBe(201);
    const asAccount = await twilioRest(emulator, { method: 'POST', path: '/preview/Flex/WebChannels', form: { ...form, Identity: 'someone-else' } });
    expect(asAccount.status).toBe(201);
  });

  it.for([
    ['no auth', null, {}, 401, 20003],
    ['a forged token', 'x:eyJhbGciOiJIUzI1NiJ9.e30.c2ln', {}, 401, 20003],
    ["another visitor's identity", 'TOKEN', { Identity: 'not-me' }, 403, 20403],
    ['a missing CustomerFriendlyName', 'TOKEN', { CustomerFriendlyName: undefined }, 400, 20001],
    ['an unknown Flex Flow', 'TOKEN', { FlexFlowSid: 'FO' + 'e'.repeat(32) }, 404, 20404],
    ['an unknown parameter', 'TOKEN', { PreEngagementData: '{}' }, 400, 20001],
  ] as const)('answers a web channel request with %s as a Twilio error', async ([, auth, change, status, code], { emulator }) => {
    const { token, identity } = await previewToken(emulator);
    const form: Record<string, string> = { FlexFlowSid: emulator.credentials.webFlexFlowSid, Identity: identity, ChatFriendlyName: 'S', CustomerFriendlyName: 'V' };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete form[name];
      else form[name] = value;
    }
    const response = await twilioRest(emulator, { method: 'POST', path: '/preview/Flex/WebChannels', auth: auth === 'TOKEN' ? `:${token}` : auth, form });
    expect([response.status, response.body.code]).toEqual([status, code]);
  });
});
