import { describe, expect } from 'vitest';
import { emulatorTest } from '../../test/fixture.ts';
import { createWebChat } from '../../test/sdk-harness.ts';
import { twilioRest } from '../../test/rest-client.ts';
import type { RunningEmulator } from '../emulator.ts';

// Flex v1 Channels and WebChannels against twilio_flex_v1.json (every call checked by twilioRest).

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });

const agentView = async (emulator: RunningEmulator, sid: string) => (await fetch(`${emulator.url}/agent/conversations/${sid}`)).json();

describe('/flex-api/v1/Channels', () => {
  it('creates a Flex chat channel backed by a conversation with the visitor in it and a routing task', async ({ emulator }) => {
    const { status, body } = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/Channels',
      form: {
        FlexFlowSid: emulator.credentials.webFlexFlowSid,
        Identity: 'visitor-1',
        ChatUserFriendlyName: 'Jane',
        ChatFriendlyName: 'Chat with Jane',
        Target: 'visitor-1',
        ChatUniqueName: 'jane-1',
        PreEngagementData: JSON.stringify({ question: 'Where is my order?' }),
        TaskAttributes: JSON.stringify({ priority_customer: true }),
        LongLived: 'false',
      },
    });
    expect(status).toBe(201);
    expect(body).toMatchObject({ account_sid: emulator.credentials.accountSid, flex_flow_sid: emulator.credentials.webFlexFlowSid, task_sid: null });
    expect(body.sid).toMatch(/^CH/);
    expect(body.user_sid).toMatch(/^US/);
    expect(body.url).toBe(`https://flex-api.twilio.com/v1/Channels/${body.sid}`);

    const conversation = emulator.model.get(body.sid);
    expect(conversation.friendlyName).toBe('Chat with Jane');
    expect(conversation.uniqueName).toBe('jane-1');
    expect(conversation.attributes).toMatchObject({ from: 'Jane', channel_type: 'web', status: 'ACTIVE', pre_engagement_data: { question: 'Where is my order?' } });
    expect([...conversation.participants.values()].map((p) => [p.identity, p.role])).toEqual([['visitor-1', 'customer']]);
    const view = await agentView(emulator, body.sid);
    expect(view.task).toMatchObject({ status: 'pending' });

    const fetched = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/Channels/${body.sid}` });
    expect(fetched.body).toEqual(body);
    const listed = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/Channels' });
    expect(listed.body.meta.key).toBe('flex_chat_channels');
    expect(listed.body.flex_chat_channels.map((c: { sid: string }) => c.sid)).toContain(body.sid);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `/flex-api/v1/Channels/${body.sid}` })).status).toBe(204);
    expect(emulator.model.conversations.has(body.sid)).toBe(false);
    const gone = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/Channels/${body.sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
  });

  it('reports task_sid for task-integrated flows, echoes a given TaskSid, and reuses long-lived channels', async ({ emulator }) => {
    const flow = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/FlexFlows',
      form: {
        FriendlyName: 'Task flow',
        ChatServiceSid: emulator.credentials.flexChatServiceSid,
        ChannelType: 'custom',
        IntegrationType: 'task',
        'Integration.WorkspaceSid': 'WS' + '1'.repeat(32),
        'Integration.WorkflowSid': 'WW' + '2'.repeat(32),
        LongLived: 'true',
      },
    });
    const base = { FlexFlowSid: flow.body.sid, ChatUserFriendlyName: 'Ann', ChatFriendlyName: 'Custom chat' };
    const first = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...base, Identity: 'ann' } });
    expect(first.body.task_sid).toMatch(/^WT/);
    const again = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...base, Identity: 'ann' } });
    expect(again.body.sid).toBe(first.body.sid);
    const shortLived = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...base, Identity: 'ann', LongLived: 'false' } });
    expect(shortLived.body.sid).not.toBe(first.body.sid);

    const given = 'WT' + '3'.repeat(32);
    const withTask = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...base, Identity: 'bob', TaskSid: given } });
    expect(withTask.body.task_sid).toBe(given);
    expect((await agentView(emulator, withTask.body.sid)).task).toBeNull();
  });

  it('keeps plain-text PreEngagementData as text (the spec types it as a plain string)', async ({ emulator }) => {
    const created = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/Channels',
      form: { FlexFlowSid: emulator.credentials.webFlexFlowSid, Identity: 'visitor-text', ChatUserFriendlyName: 'T', ChatFriendlyName: 'T', PreEngagementData: 'Where is my order?' },
    });
    expect(created.status).toBe(201);
    expect(emulator.model.get(created.body.sid).attributes.pre_engagement_data).toBe('Where is my order?');
  });

  it.for([
    ['an unknown Flex Flow', { FlexFlowSid: 'FO' + 'e'.repeat(32) }, 404, 20404],
    ['a missing Identity', { Identity: undefined }, 400, 20001],
    ['a malformed FlexFlowSid', { FlexFlowSid: 'FO1' }, 400, 20001],
    ['a malformed TaskSid', { TaskSid: 'WT1' }, 400, 20001],
    ['a ChatFriendlyName over 256 characters', { ChatFriendlyName: 'x'.repeat(257) }, 400, 50003],
    ['TaskAttributes that are not JSON', { TaskAttributes: '{nope' }, 400, 20001],
    ['a non-boolean LongLived', { LongLived: 'maybe' }, 400, 20001],
  ] as const)('rejects a create with %s', async ([, change, status, code], { emulator }) => {
    const form: Record<string, string> = {
      FlexFlowSid: emulator.credentials.webFlexFlowSid,
      Identity: 'visitor-x',
      ChatUserFriendlyName: 'X',
      ChatFriendlyName: 'Chat with X',
    };
    for (const [name, value] of Object.entries(change)) {
      if (value === undefined) delete form[name];
      else form[name] = value;
    }
    const before = emulator.model.conversations.size;
    const response = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form, check: 'names' });
    expect([response.status, response.body.code]).toEqual([status, code]);
    expect(emulator.model.conversations.size).toBe(before);
  });

  it('answers a taken ChatUniqueName with 409, an unknown parameter with 400, and does not expose v2 web chats as Flex channels', async ({ emulator }) => {
    const form = { FlexFlowSid: emulator.credentials.webFlexFlowSid, Identity: 'u1', ChatUserFriendlyName: 'U', ChatFriendlyName: 'U', ChatUniqueName: 'taken' };
    expect((await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form })).status).toBe(201);
    const duplicate = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...form, Identity: 'u2' } });
    expect([duplicate.status, duplicate.body.code]).toEqual([409, 50353]);
    const unknown = await twilioRest(emulator, { method: 'POST', path: '/flex-api/v1/Channels', form: { ...form, Extra: '1' }, check: 'none' });
    expect([unknown.status, unknown.body.code]).toEqual([400, 20001]);
    const chat = await createWebChat(emulator, { CustomerFriendlyName: 'V2' });
    const notFlex = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/Channels/${chat.conversation_sid}` });
    expect([notFlex.status, notFlex.body.code]).toEqual([404, 20404]);
  });
});

describe('/flex-api/v1/WebChannels', () => {
  it('creates, fetches, lists, deactivates with post-engagement data, and deletes a web channel', async ({ emulator }) => {
    const created = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/WebChannels',
      form: {
        FlexFlowSid: emulator.credentials.webFlexFlowSid,
        Identity: 'web-visitor',
        CustomerFriendlyName: 'Zoë',
        ChatFriendlyName: 'Web chat with Zoë',
        ChatUniqueName: 'zoe-web',
        PreEngagementData: JSON.stringify({ email: 'z@example.com' }),
      },
    });
    expect(created.status).toBe(201);
    const sid: string = created.body.sid;
    expect(created.body.url).toBe(`https://flex-api.twilio.com/v1/WebChannels/${sid}`);
    expect([...emulator.model.get(sid).participants.values()].map((p) => p.identity)).toEqual(['web-visitor']);

    expect((await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/WebChannels/${sid}` })).body).toEqual(created.body);
    const listed = await twilioRest(emulator, { method: 'GET', path: '/flex-api/v1/WebChannels', query: { PageSize: '1000' } });
    expect(listed.body.flex_chat_channels.map((c: { sid: string }) => c.sid)).toContain(sid);

    const updated = await twilioRest(emulator, {
      method: 'POST',
      path: `/flex-api/v1/WebChannels/${sid}`,
      form: { ChatStatus: 'inactive', PostEngagementData: JSON.stringify({ rating: 5 }) },
    });
    expect(updated.status).toBe(200);
    const conversation = emulator.model.get(sid);
    expect(conversation.state).toBe('inactive');
    expect(conversation.attributes).toMatchObject({ status: 'INACTIVE', post_engagement_data: { rating: 5 } });

    const badStatus = await twilioRest(emulator, { method: 'POST', path: `/flex-api/v1/WebChannels/${sid}`, form: { ChatStatus: 'closed' }, check: 'names' });
    expect([badStatus.status, badStatus.body.code]).toEqual([400, 20001]);

    expect((await twilioRest(emulator, { method: 'DELETE', path: `/flex-api/v1/WebChannels/${sid}` })).status).toBe(204);
    const gone = await twilioRest(emulator, { method: 'GET', path: `/flex-api/v1/WebChannels/${sid}` });
    expect([gone.status, gone.body.code]).toEqual([404, 20404]);
  });

  it('requires every parameter the spec requires', async ({ emulator }) => {
    const response = await twilioRest(emulator, {
      method: 'POST',
      path: '/flex-api/v1/WebChannels',
      form: { FlexFlowSid: emulator.credentials.webFlexFlowSid, Identity: 'w', ChatFriendlyName: 'W' },
      check: 'names',
    });
    expect([response.status, response.body.code]).toEqual([400, 20001]);
    expect(response.body.message).toContain('CustomerFriendlyName');
  });
});
