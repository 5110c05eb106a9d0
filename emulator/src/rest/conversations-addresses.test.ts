import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { OpenApiSpec } from '../../test/openapi.ts';
import { twilioRest } from '../../test/rest-client.ts';
import { ADDRESS_PARAMS } from './conversations-addresses.ts';

// GET /conversations/v1/Configuration/Addresses[/{Sid}] against
// twilio_conversations_v1.json (every call checked by twilioRest), and through
// the official helper library as setup tools call it.

const it = emulatorTest({ logLevel: 'silent' });

const A = '/conversations/v1/Configuration/Addresses';

describe('/conversations/v1/Configuration/Addresses', () => {
  it('lists the seeded web chat address (the AddressSid of /v2/WebChats) in the Flex Conversations service', async ({ emulator }) => {
    const list = await twilioRest(emulator, { method: 'GET', path: A });
    expect(list.status).toBe(200);
    expect(list.body.address_configurations).toEqual([
      expect.objectContaining({
        sid: emulator.credentials.webChatAddressSid,
        account_sid: emulator.credentials.accountSid,
        type: 'webchat',
        auto_creation: expect.objectContaining({ enabled: true, conversation_service_sid: emulator.credentials.conversationsServiceSid }),
        url: `https://conversations.twilio.com/v1/Configuration/Addresses/${emulator.credentials.webChatAddressSid}`,
      }),
    ]);
    expect(list.body.meta).toMatchObject({ key: 'address_configurations', page: 0, page_size: 50, next_page_url: null });
  });

  it('filters by Type and pages', async ({ emulator }) => {
    const webchat = await twilioRest(emulator, { method: 'GET', path: A, query: { Type: 'webchat', PageSize: '1' } });
    expect(webchat.body.address_configurations).toHaveLength(1);
    expect(webchat.body.meta.url).toContain('Type=webchat');
    const sms = await twilioRest(emulator, { method: 'GET', path: A, query: { Type: 'sms' } });
    expect(sms.body.address_configurations).toEqual([]);
    const tooBig = await twilioRest(emulator, { method: 'GET', path: A, query: { PageSize: '51' }, check: 'names' });
    expect([tooBig.status, tooBig.body.code]).toEqual([400, 20001]);
    const unknown = await twilioRest(emulator, { method: 'GET', path: A, query: { Kind: 'sms' }, check: 'none' });
    expect([unknown.status, unknown.body.code]).toEqual([400, 20001]);
  });

  it('fetches one by SID or by address; unknown is 404, no credentials 401', async ({ emulator }) => {
    const bySid = await twilioRest(emulator, { method: 'GET', path: `${A}/${emulator.credentials.webChatAddressSid}` });
    expect(bySid.body.type).toBe('webchat');
    const byAddress = await twilioRest(emulator, { method: 'GET', path: `${A}/${bySid.body.address}` });
    expect(byAddress.body).toEqual(bySid.body);
    const missing = await twilioRest(emulator, { method: 'GET', path: `${A}/IG${'f'.repeat(32)}` });
    expect([missing.status, missing.body.code]).toEqual([404, 20404]);
    const noAuth = await twilioRest(emulator, { method: 'GET', path: A, auth: null });
    expect([noAuth.status, noAuth.body.code]).toEqual([401, 20003]);
  });

  it('pins its parameter table to the spec', () => {
    const spec = OpenApiSpec.load('twilio_conversations_v1');
    const names = [...spec.parameters('get', '/v1/Configuration/Addresses').values()].filter((d) => d.in === 'query').map((d) => d.name);
    expect(Object.keys(ADDRESS_PARAMS.list).sort()).toEqual(names.sort());
    const pageSize = spec.resolveRef(spec.parameters('get', '/v1/Configuration/Addresses').get('query:PageSize')!.schema);
    expect(ADDRESS_PARAMS.list.PageSize).toMatchObject({ minimum: pageSize.minimum, maximum: pageSize.maximum });
  });

  it('works through the twilio helper library (addressConfigurations)', async ({ emulator }) => {
    class Rewrite extends twilio.RequestClient {
      override request<T>(opts: RequestClient.RequestOptions<T>) {
        const source = new URL(opts.uri);
        return super.request<T>({ ...opts, uri: `${emulator.url}/${source.hostname.split('.')[0]}${source.pathname}${source.search}` });
      }
    }
    const { accountSid, authToken } = emulator.credentials;
    const client = twilio(accountSid, authToken, { accountSid, httpClient: new Rewrite() });
    const listed = await client.conversations.v1.addressConfigurations.list({ type: 'webchat' });
    expect(listed.map((a) => [a.sid, a.type])).toEqual([[emulator.credentials.webChatAddressSid, 'webchat']]);
    const fetched = await client.conversations.v1.addressConfigurations(emulator.credentials.webChatAddressSid).fetch();
    expect(fetched.autoCreation).toMatchObject({ conversation_service_sid: emulator.credentials.conversationsServiceSid });
  });
});
