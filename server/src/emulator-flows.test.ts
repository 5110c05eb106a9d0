import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/src/emulator.ts';
import { createLogger } from '../../emulator/src/log.ts';
import type { ErrorResponse, WebChatEndResponse, WebChatInitResponse } from './contract.ts';
import { loadTokenServiceConfig, type EnvInput } from './env.ts';
import { createTokenService, type LogEntry, type TokenService } from './handler.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from './test-fixtures.ts';

// The token service against a real Flex emulator started in-process, through
// the official twilio helper library (no fakes): init, end and refresh.

let emulator: RunningEmulator;
const services: TokenService[] = [];

beforeAll(async () => {
  process.env.EMULATOR_WEBCHAT_RATE_PER_SECOND = '0';
  emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'silent') });
});
afterAll(async () => {
  for (const service of services) await service.close();
  await emulator.close();
});

function service(env: EnvInput = {}) {
  const logs: LogEntry[] = [];
  const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, ...env });
  const handler = createTokenService(config, { preEngagement: testForm, log: (entry) => logs.push(entry) });
  services.push(handler);
  const call = (path: string, body: unknown) =>
    handler(
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

describe('POST /webchat/end against the emulator (conversations)', () => {
  it('closes the conversation; a second end is still 200; refresh then answers 410', async () => {
    const { call, init } = service();
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

  it("refuses to close another visitor's conversation with a token alone", async () => {
    const { call, init, logs } = service();
    const mine = await init();
    const theirs = await init();
    const response = await call('/webchat/end', { token: mine.token, conversationSid: theirs.conversationSid });
    expect(response.status).toBe(401);
    expect(emulator.model.get(theirs.conversationSid).state).toBe('active');
    expect(logs.at(-1)).toMatchObject({ msg: 'end_refused', reason: 'not_a_participant' });
  });
});
