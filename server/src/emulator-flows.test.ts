import { Client as ChatClient } from 'twilio-chat';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { ErrorResponse, WebChatEndResponse, WebChatInitResponse, WebChatRefreshResponse } from '../../contracts/token-service.ts';
import { loadTokenServiceConfig, type EnvInput } from './env.ts';
import { createTokenService, type LogEntry, type TokenService } from './app.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from './testing/fixtures.ts';
import { createTwilioApis, type FlexWebChats } from './twilio-client.ts';

// The token service against a real Flex emulator started in-process, through
// the official twilio helper library (no fakes): init, end and refresh.

const services: TokenService[] = [];

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
/** For the back-pressure test: one chat start per (long) window, so the second start gets Twilio's 429 (20429) every time. */
const strictTest = emulatorTest({ rateLimits: { mode: 'documented', chatCreationPerSecond: 1, windowSeconds: 60 }, logLevel: 'silent' });
it.afterAll(async () => {
  for (const service of services) await service.close();
});

function service(emulator: RunningEmulator, env: EnvInput = {}) {
  const logs: LogEntry[] = [];
  const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, ...env });
  const handler = createTokenService(config, { preEngagement: testForm, log: (entry) => logs.push(entry) });
  services.push(handler);
  const call = (path: string, body: unknown) =>
    handler.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      { remoteAddress: '192.0.2.1' },
    );
  const init = async () => {
    const response = await call('/webchat/init', { preEngagementData: validSubmission });
    expect(response.status).toBe(200);
    return (await response.json()) as WebChatInitResponse;
  };
  return { config, logs, call, init };
}

describe('init against the emulator (conversations)', () => {
  it('posts the first message through the Conversations API', async ({ emulator }) => {
    const { init } = service(emulator, { FLEXCHAT_FIRST_MESSAGE_FIELD: 'question' });
    const chat = await init();
    expect(chat.firstMessageSent).toBe(true);
    const messages = emulator.model.get(chat.conversationSid).messages;
    expect(messages.map((m) => [m.author, m.body])).toEqual([[chat.identity, validSubmission.question]]);
  });
});

describe('POST /webchat/end against the emulator (conversations)', () => {
  it('closes the conversation; a second end is still 200; refresh then answers 410', async ({ emulator }) => {
    const { call, init } = service(emulator);
    const chat = await init();
    expect(emulator.model.get(chat.conversationSid).state).toBe('active');

    const ended = await call('/webchat/end', { token: chat.token, identity: chat.identity, conversationSid: chat.conversationSid });
    expect(ended.status).toBe(200);
    expect((await ended.json()) as WebChatEndResponse).toEqual({ state: 'closed' });
    expect(emulator.model.get(chat.conversationSid).state).toBe('closed');

    const again = await call('/webchat/end', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid });
    expect([again.status, await again.json()]).toEqual([200, { state: 'closed' }]);

    const refresh = await call('/webchat/refresh', { token: chat.token, identity: chat.identity, conversationSid: chat.conversationSid });
    expect(refresh.status).toBe(410);
    expect(((await refresh.json()) as ErrorResponse).error.code).toBe('conversation_closed');
  });

  it("refuses to close another visitor's conversation with a token alone", async ({ emulator }) => {
    const { call, init, logs } = service(emulator);
    const mine = await init();
    const theirs = await init();
    const response = await call('/webchat/end', { token: mine.token, conversationSid: theirs.conversationSid });
    expect(response.status).toBe(401);
    expect(emulator.model.get(theirs.conversationSid).state).toBe('active');
    expect(logs.at(-1)).toMatchObject({ msg: 'end_refused', reason: 'not_a_participant' });
  });
});

describe('legacy flow against the emulator (FLEXCHAT_LOCAL_FLOW=legacy)', () => {
  it('init returns a Flex chat channel the emulator knows, with the identity as a participant, that twilio-chat joins', async ({ emulator }) => {
    const { init, config } = service(emulator, { FLEXCHAT_LOCAL_FLOW: 'legacy' });
    const chat = await init();
    expect(chat.mode).toBe('legacy');
    expect(chat.twilsockUri).toBe(emulator.twilsockUri);
    expect(chat.conversationSid).toMatch(/^CH[0-9a-f]{32}$/);

    // The emulator's Flex API knows the channel, on the seeded web flow.
    const auth = `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`;
    const fetched = await fetch(`${emulator.url}/flex-api/v1/Channels/${chat.conversationSid}`, { headers: { authorization: auth } });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toMatchObject({ sid: chat.conversationSid, flex_flow_sid: emulator.credentials.webFlexFlowSid });

    // The visitor is its participant, the pre-engagement data reached the channel and the task.
    const conversation = emulator.model.get(chat.conversationSid);
    expect(emulator.model.findParticipant(conversation, chat.identity)).toBeDefined();
    expect(conversation.attributes).toMatchObject({ from: validSubmission.friendlyName, pre_engagement_data: validSubmission });
    const tasks = (await (await fetch(`${emulator.url}/agent/conversations/${chat.conversationSid}`)).json()) as { task: { attributes: Record<string, unknown> } };
    expect(tasks.task.attributes).toMatchObject({ name: validSubmission.friendlyName, channelType: 'web', pre_engagement_data: validSubmission });

    // The token (ChatGrant on the Flex chat service IS…02) works with the real twilio-chat SDK.
    const payload = JSON.parse(Buffer.from(chat.token.split('.')[1]!, 'base64url').toString('utf8')) as { grants: { chat: { service_sid: string } } };
    expect(payload.grants.chat.service_sid).toBe(emulator.credentials.flexChatServiceSid);
    const client = await ChatClient.create(chat.token, { Twilsock: { uri: chat.twilsockUri }, logLevel: 'silent' } as never);
    try {
      const channel = await client.getChannelBySid(chat.conversationSid);
      expect((await channel.getMembers()).map((m) => m.identity)).toContain(chat.identity);
    } finally {
      await client.shutdown();
    }
  });

  it('refresh renews the token; end sets the channel inactive, idempotently', async ({ emulator }) => {
    const { init, call } = service(emulator, { FLEXCHAT_LOCAL_FLOW: 'legacy' });
    const chat = await init();
    const session = { identity: chat.identity, conversationSid: chat.conversationSid };
    const refreshed = await call('/webchat/refresh', { ...session, token: chat.token, sessionProof: chat.sessionProof });
    expect(refreshed.status).toBe(200);
    const { sessionProof } = (await refreshed.json()) as WebChatRefreshResponse;

    const ended = await call('/webchat/end', { ...session, sessionProof });
    expect([ended.status, await ended.json()]).toEqual([200, { state: 'inactive' }]);
    expect(emulator.model.get(chat.conversationSid).state).toBe('inactive');
    const again = await call('/webchat/end', { ...session, sessionProof });
    expect(again.status).toBe(200);
  });
});

describe('back-pressure: Twilio allows a few chat starts per second per account', () => {
  const busyCall = (handler: TokenService) =>
    handler.fetch(
      new Request('http://127.0.0.1/webchat/init', {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ preEngagementData: validSubmission }),
      }),
      { remoteAddress: '192.0.2.1' },
    );

  strictTest("retries Twilio's 429 within the budget, then answers 503 busy with Retry-After", async ({ emulator: strict }) => {
    const logs: LogEntry[] = [];
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: strict.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, FLEXCHAT_ORCHESTRATION_PER_SECOND: '0' });
    const handler = createTokenService(config, { preEngagement: testForm, log: (entry) => logs.push(entry), backPressure: { budgetMs: 700 } });
    services.push(handler);
    expect((await busyCall(handler)).status).toBe(200);
    const busy = await busyCall(handler);
    expect(busy.status).toBe(503);
    expect(((await busy.json()) as ErrorResponse).error.code).toBe('busy');
    expect(Number(busy.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(busy.headers.get('access-control-expose-headers')).toContain('retry-after');
    expect(logs.filter((e) => e.msg === 'orchestration_throttled').length).toBeGreaterThanOrEqual(1);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'orchestration_busy', cause: 'twilio_429', status: 429, twilioCode: 20429 }));
  });

  it("holds chat starts to the account's orchestration limit before Twilio sees them", async ({ emulator }) => {
    const logs: LogEntry[] = [];
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, FLEXCHAT_ORCHESTRATION_PER_SECOND: '1' });
    // No waiting at all: the second start within the same second is refused at once.
    const real = createTwilioApis(config).flex;
    let flexCalls = 0;
    const flex: FlexWebChats = { create: (params) => ((flexCalls += 1), real.create(params)) };
    const handler = createTokenService(config, { preEngagement: testForm, flex, log: (entry) => logs.push(entry), backPressure: { budgetMs: 0 } });
    services.push(handler);
    // Together, so that both ask for a slot within the same second however slow the machine is.
    const answers = await Promise.all([busyCall(handler), busyCall(handler)]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 503]);
    const busy = answers.find((r) => r.status === 503)!;
    expect(((await busy.json()) as ErrorResponse).error.code).toBe('busy');
    // The rest of the one-second window plus up to 50 ms of jitter, in whole seconds.
    expect([1, 2]).toContain(Number(busy.headers.get('retry-after')));
    expect(flexCalls).toBe(1);
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'orchestration_busy', cause: 'slot_limit' }));
  });
});
