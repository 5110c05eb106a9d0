import { describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { AgentConversation } from '../../contracts/agent-api.ts';
import type { SurveyConfig } from '../../config/types.ts';
import type { ErrorResponse, WebChatInitResponse } from '../../contracts/token-service.ts';
import type { WebChatSurveyResponse } from '../../contracts/survey.ts';
import { createTokenService, type LogEntry, type TokenService } from './app.ts';
import { loadTokenServiceConfig, type EnvInput } from './env.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from './testing/fixtures.ts';

// POST /webchat/survey against a real emulator (twilio helper library, no fakes):
// the rating lands in the attributes of the chat's TaskRouter task, once; only
// the chat's own visitor may rate it; bad input is a typed 4xx.

const services: TokenService[] = [];

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
it.afterAll(async () => {
  for (const service of services) await service.close();
});

function service(emulator: RunningEmulator, survey: SurveyConfig | null = { enabled: true }, env: EnvInput = {}) {
  const logs: LogEntry[] = [];
  const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, FLEXCHAT_FIRST_MESSAGE_FIELD: 'question', ...env });
  const handler = createTokenService(config, { preEngagement: testForm, survey: survey ?? undefined, log: (entry) => logs.push(entry) });
  services.push(handler);
  const call = (path: string, body: unknown) =>
    handler.fetch(
      new Request(`http://127.0.0.1${path}`, { method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      { remoteAddress: '192.0.2.9' },
    );
  const init = async () => (await (await call('/webchat/init', { preEngagementData: validSubmission })).json()) as WebChatInitResponse;
  const session = (chat: WebChatInitResponse) => ({ sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid });
  return { call, init, session, logs };
}

const agentApi = async (emulator: RunningEmulator, path: string, body?: unknown) =>
  fetch(`${emulator.url}/agent${path}`, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** The agent takes the chat, then ends it (the conversation is closed: Twilio refuses updates to it, 50377). */
async function agentEnds(emulator: RunningEmulator, sid: string) {
  expect((await agentApi(emulator, `/conversations/${sid}/accept`, {})).status).toBe(200);
  expect((await agentApi(emulator, `/conversations/${sid}/end`, {})).status).toBe(200);
}

const errorOf = async (response: Response) => [response.status, ((await response.json()) as ErrorResponse).error.code];

describe('POST /webchat/survey', () => {
  it("records the rating on the chat's task after the agent ended it, once; the agent API shows it", async ({ emulator }) => {
    const { call, init, session, logs } = service(emulator);
    const chat = await init();
    expect(await errorOf(await call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 5 }))).toEqual([409, 'chat_not_ended']);
    await agentEnds(emulator, chat.conversationSid);

    const response = await call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 4, comment: '  Quick and kind.  ' });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as WebChatSurveyResponse;
    expect(answer).toMatchObject({ status: 'recorded', survey: { scale: 'stars', rating: 4, comment: 'Quick and kind.' } });

    const agentView = (await (await agentApi(emulator, `/conversations/${chat.conversationSid}`)).json()) as AgentConversation;
    expect(agentView.state).toBe('closed');
    expect(agentView.task?.attributes?.survey).toEqual(answer.survey);
    // The task's own attributes are kept.
    expect(agentView.task?.attributes?.conversationSid).toBe(chat.conversationSid);

    // Sent once: a second one, even a different rating, is refused and changes nothing.
    expect(await errorOf(await call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 1 }))).toEqual([409, 'survey_already_sent']);
    const after = (await (await agentApi(emulator, `/conversations/${chat.conversationSid}`)).json()) as AgentConversation;
    expect(after.task?.attributes?.survey).toEqual(answer.survey);
    expect(JSON.stringify(logs)).not.toContain('Quick and kind');
  });

  it('two submissions at once: one is recorded, the other refused', async ({ emulator }) => {
    const { call, init, session } = service(emulator);
    const chat = await init();
    await call('/webchat/end', session(chat));
    const [first, second] = await Promise.all([
      call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 2 }),
      call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 3 }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
  });

  it("visitor B cannot rate visitor A's chat, with B's proof or token", async ({ emulator }) => {
    const { call, init, session } = service(emulator);
    const a = await init();
    const b = await init();
    await agentEnds(emulator, a.conversationSid);
    const withProof = await call('/webchat/survey', { ...session(b), conversationSid: a.conversationSid, scale: 'stars', rating: 1 });
    expect(await errorOf(withProof)).toEqual([401, 'token_invalid']);
    const withToken = await call('/webchat/survey', { token: b.token, conversationSid: a.conversationSid, scale: 'stars', rating: 1 });
    expect(await errorOf(withToken)).toEqual([401, 'token_invalid']);
    const agentView = (await (await agentApi(emulator, `/conversations/${a.conversationSid}`)).json()) as AgentConversation;
    expect(agentView.task?.attributes?.survey).toBeUndefined();
  });

  it('bad input is a typed 400 naming the field, never a 500', async ({ emulator }) => {
    const { call, init, session } = service(emulator, { enabled: true, scale: 'thumbs', comment: false });
    const chat = await init();
    await agentEnds(emulator, chat.conversationSid);
    const cases: Array<[unknown, string]> = [
      [{ ...session(chat), scale: 'stars', rating: 5 }, 'scale'],
      [{ ...session(chat), scale: 'thumbs', rating: 5 }, 'rating'],
      [{ ...session(chat), scale: 'thumbs', rating: 'up', comment: 'no comments here' }, 'comment'],
      [{ ...session(chat), scale: 'thumbs' }, 'rating'],
    ];
    for (const [body, field] of cases) {
      const response = await call('/webchat/survey', body);
      const error = ((await response.json()) as ErrorResponse).error;
      expect([response.status, error.code, error.field]).toEqual([400, 'invalid_body', field]);
    }
    expect(await errorOf(await call('/webchat/survey', ['not', 'an', 'object']))).toEqual([400, 'invalid_body']);
    expect(await errorOf(await call('/webchat/survey', { scale: 'thumbs', rating: 'down' }))).toEqual([400, 'invalid_body']);
    const ok = await call('/webchat/survey', { ...session(chat), scale: 'thumbs', rating: 'down' });
    expect(((await ok.json()) as WebChatSurveyResponse).survey).toMatchObject({ scale: 'thumbs', rating: 'down' });
  });

  it('a comment longer than 500 characters is refused', async ({ emulator }) => {
    const { call, init, session } = service(emulator);
    const chat = await init();
    await agentEnds(emulator, chat.conversationSid);
    const response = await call('/webchat/survey', { ...session(chat), scale: 'stars', rating: 3, comment: 'x'.repeat(501) });
    expect([response.status, ((await response.json()) as ErrorResponse).error.field]).toEqual([400, 'comment']);
  });

  it('not enabled in the deployment config, or legacy Flex chat: 501 not_configured', async ({ emulator }) => {
    expect(await errorOf(await service(emulator, null).call('/webchat/survey', {}))).toEqual([501, 'not_configured']);
    expect(await errorOf(await service(emulator, { enabled: false }).call('/webchat/survey', {}))).toEqual([501, 'not_configured']);
    expect(await errorOf(await service(emulator, { enabled: true }, { FLEXCHAT_LOCAL_FLOW: 'legacy' }).call('/webchat/survey', {}))).toEqual([501, 'not_configured']);
  });
});
