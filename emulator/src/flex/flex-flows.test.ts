import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { twilioRest } from '../../test/rest-client.ts';
import { defaultCredentials } from '../config.ts';
import { FlexFlowStore } from './flex-flows.ts';

// Flex v1 FlexFlows against twilio_flex_v1.json (every call checked by twilioRest).
// Rate limits are off here (rate-limit.test.ts covers them): these tests make many calls a second.

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const FW = 'FW' + 'a'.repeat(32);
const WS = 'WS' + 'b'.repeat(32);
const WW = 'WW' + 'c'.repeat(32);

/** Follows a meta URL (Twilio host) on the emulator. */
const emulatorPath = (twilioUrl: string) => twilioUrl.replace('https://flex-api.twilio.com', '/flex-api');

describe('/flex-api/v1/FlexFlows', () => {
  it('lists the seeded web Flex Flow with the emulator SIDs and Twilio pagination meta', async ({ emulator }) => {
    const { status, body } = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows' });
    expect(status).toBe(200);
    const web = body.flex_flows.find((f: { sid: string }) => f.sid === emulator.credentials.webFlexFlowSid);
    expect(web).toMatchObject({
      account_sid: emulator.credentials.accountSid,
      chat_service_sid: emulator.credentials.flexChatServiceSid,
      channel_type: 'web',
      enabled: true,
      integration_type: 'studio',
      url: `https://flex-api.twilio.com/v1/FlexFlows/${emulator.credentials.webFlexFlowSid}`,
    });
    expect(body.meta).toEqual({
      page: 0,
      page_size: 50,
      first_page_url: 'https://flex-api.twilio.com/v1/FlexFlows?PageSize=50&Page=0',
      previous_page_url: null,
      url: 'https://flex-api.twilio.com/v1/FlexFlows?PageSize=50&Page=0',
      next_page_url: null,
      key: 'flex_flows',
    });
  });

  it('creates a task-integrated flow with every parameter, fetches, updates and deletes it', async ({ emulator }) => {
    const created = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/FlexFlows',
      form: {
        FriendlyName: 'WhatsApp Flex Flow',
        ChatServiceSid: emulator.credentials.flexChatServiceSid,
        ChannelType: 'whatsapp',
        ContactIdentity: 'whatsapp:+15005550006',
        Enabled: 'true',
        IntegrationType: 'task',
        'Integration.WorkspaceSid': WS,
        'Integration.WorkflowSid': WW,
        'Integration.Channel': 'chat',
        'Integration.Timeout': '3600',
        'Integration.Priority': '5',
        'Integration.CreationOnMessage': 'false',
        'Integration.RetryCount': '2',
        LongLived: 'true',
        JanitorEnabled: 'true',
      },
    });
    expect(created.status).toBe(201);
    const sid: string = created.body.sid;
    expect(created.body).toMatchObject({
      friendly_name: 'WhatsApp Flex Flow',
      channel_type: 'whatsapp',
      contact_identity: 'whatsapp:+15005550006',
      integration_type: 'task',
      integration: { workspace_sid: WS, workflow_sid: WW, channel: 'chat', timeout: 3600, priority: 5, creation_on_message: false, retry_count: 2 },
      long_lived: true,
      janitor_enabled: true,
    });

    const fetched = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/FlexFlows/${sid}` });
    expect(fetched.body).toEqual(created.body);

    const updated = await twilioRest(emulator, {
      method: 'POST',
      path: `/flex-api/v1/FlexFlows/${sid}`,
      form: { FriendlyName: 'WhatsApp (paused)', Enabled: 'false', IntegrationType: 'studio', 'Integration.FlowSid': FW },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ friendly_name: 'WhatsApp (paused)', enabled: false, integration_type: 'studio', integration: { flow_sid: FW } });

    const filtered = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', query: { FriendlyName: 'WhatsApp (paused)' } });
    expect(filtered.body.flex_flows.map((f: { sid: string }) => f.sid)).toEqual([sid]);
    expect(filtered.body.meta.url).toBe('https://flex-api.twilio.com/v1/FlexFlows?FriendlyName=WhatsApp+%28paused%29&PageSize=50&Page=0');

    expect((await twilioRest(emulator, { method: 'DELETE', path: `/flex-api/v1/FlexFlows/${sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/FlexFlows/${sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
    expect((await twilioRest(emulator, { method: 'DELETE', path: `/flex-api/v1/FlexFlows/${sid}` })).status).toBe(404);
  });

  it('pages with PageSize, following next_page_url and previous_page_url', async ({ emulator }) => {
    for (const name of ['Page A', 'Page B', 'Page C']) {
      await twilioRest(emulator, {
        method: 'POST',
        path: '/flex-api/v1/FlexFlows',
        form: { FriendlyName: name, ChatServiceSid: emulator.credentials.flexChatServiceSid, ChannelType: 'sms', 'Integration.FlowSid': FW },
      });
    }
    const all = (await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', query: { PageSize: '1000' } })).body.flex_flows as { sid: string }[];
    const first = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', query: { PageSize: '2' } });
    expect(first.body.flex_flows).toHaveLength(2);
    expect(first.body.meta.previous_page_url).toBeNull();
    const pages: string[][] = [first.body.flex_flows.map((f: { sid: string }) => f.sid)];
    let next: string | null = first.body.meta.next_page_url;
    let last = first;
    while (next) {
      expect(next).toMatch(/^https:\/\/flex-api\.twilio\.com\/v1\/FlexFlows\?PageSize=2&Page=\d+&PageToken=PA/);
      last = await twilioRest(emulator, { method: 'GET', path: emulatorPath(next).split('?')[0] as string, query: Object.fromEntries(new URL(next).searchParams) });
      expect(last.body.meta.url).toBe(next);
      pages.push(last.body.flex_flows.map((f: { sid: string }) => f.sid));
      next = last.body.meta.next_page_url;
    }
    expect(pages.flat()).toEqual(all.map((f) => f.sid));
    expect(last.body.meta.page).toBe(pages.length - 1);
    const previousUrl: string = last.body.meta.previous_page_url;
    const previous = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', query: Object.fromEntries(new URL(previousUrl).searchParams) });
    expect(previous.body.flex_flows.map((f: { sid: string }) => f.sid)).toEqual(pages.at(-2));
  });

  it.for([
    ['no credentials', { auth: null, form: {} }, 401, 20003],
    ['a wrong password', { auth: 'AC00000000000000000000000000000001:nope', form: {} }, 401, 20003],
    ['a missing FriendlyName', { form: { ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'web', 'Integration.FlowSid': FW } }, 400, 20001],
    ['an unknown ChannelType', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'telegram', 'Integration.FlowSid': FW } }, 400, 20001],
    ['an unknown IntegrationType', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'web', IntegrationType: 'zapier' } }, 400, 20001],
    ['a non-boolean Enabled', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'web', Enabled: 'yes', 'Integration.FlowSid': FW } }, 400, 20001],
    ['a non-integer Integration.Timeout', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'web', IntegrationType: 'task', 'Integration.WorkspaceSid': WS, 'Integration.WorkflowSid': WW, 'Integration.Timeout': '1.5' } }, 400, 20001],
    ['a malformed ChatServiceSid', { form: { FriendlyName: 'x', ChatServiceSid: 'IS123', ChannelType: 'web', 'Integration.FlowSid': FW } }, 400, 20001],
    ['an unknown chat service', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + 'f'.repeat(32), ChannelType: 'web', 'Integration.FlowSid': FW } }, 400, 20001],
    ['studio without Integration.FlowSid', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'web' } }, 400, 20001],
    ['external without Integration.Url', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'custom', IntegrationType: 'external' } }, 400, 20001],
    ['task without Integration.WorkflowSid', { form: { FriendlyName: 'x', ChatServiceSid: 'IS' + '0'.repeat(31) + '2', ChannelType: 'sms', IntegrationType: 'task', 'Integration.WorkspaceSid': WS } }, 400, 20001],
  ] as const)('rejects a create with %s', async ([, call, status, code], { emulator }) => {
    const response = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/FlexFlows', check: 'names', ...call, form: { ...call.form } });
    expect([response.status, response.body.code]).toEqual([status, code]);
  });

  it('rejects parameters the spec does not define, and bad paging, with Twilio 400s', async ({ emulator }) => {
    // Deliberately off-spec requests: the spec check is skipped for these.
    const unknownBody = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/FlexFlows', check: 'none', form: { FriendlyName: 'x', Bogus: '1' } });
    expect([unknownBody.status, unknownBody.body.code]).toEqual([400, 20001]);
    const unknownQuery = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', check: 'none', query: { ChannelType: 'web' } });
    expect([unknownQuery.status, unknownQuery.body.code]).toEqual([400, 20001]);
    for (const query of [{ PageSize: '0' }, { PageSize: '1001' }, { Page: '-1' }, { PageToken: 'garbage' }] as Record<string, string>[]) {
      const response = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows', check: 'names', query });
      expect([response.status, response.body.code], JSON.stringify(query)).toEqual([400, 20001]);
    }
  });

  it('leaves a flow unchanged when an update is rejected, and 404s unknown or malformed SIDs', async ({ emulator }) => {
    const sid = emulator.credentials.webFlexFlowSid;
    const before = (await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/FlexFlows/${sid}` })).body;
    const rejected = await twilioRest(emulator, { method: 'POST', path: `/flex-api/v1/FlexFlows/${sid}`, form: { FriendlyName: 'renamed', IntegrationType: 'external' } });
    expect([rejected.status, rejected.body.code]).toEqual([400, 20001]);
    expect((await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/FlexFlows/${sid}` })).body).toEqual(before);
    const unknown = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/FlexFlows/FO${'e'.repeat(32)}` });
    expect([unknown.status, unknown.body.code]).toEqual([404, 20404]);
    const malformed = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/FlexFlows/not-a-sid', check: 'names' });
    expect([malformed.status, malformed.body.code]).toEqual([404, 20404]);
  });
});

describe('FlexFlowStore', () => {
  it('reset forgets created flows and re-seeds the web flow', () => {
    const store = new FlexFlowStore(defaultCredentials);
    const seeded = store.get(defaultCredentials.webFlexFlowSid);
    store.flows.delete(defaultCredentials.webFlexFlowSid);
    store.flows.set('FO' + '9'.repeat(32), { ...(seeded as NonNullable<typeof seeded>), sid: 'FO' + '9'.repeat(32) });
    store.reset();
    expect(store.list().map((f) => f.sid)).toEqual([defaultCredentials.webFlexFlowSid]);
  });
});
