import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { ErrorResponse, WebChatInitResponse } from '../../contracts/token-service.ts';
import type { TranscriptDelivery, WebChatTranscriptResponse } from '../../contracts/transcript-email.ts';
import { createTokenService, type LogEntry, type TokenService } from './app.ts';
import { loadTokenServiceConfig, type EnvInput } from './env.ts';
import { verifyDeliverySignature } from './offline-message.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from './testing/fixtures.ts';

// POST /webchat/transcript against a real emulator (twilio helper library, no
// fakes): the service reads the conversation itself, only its own visitor may ask,
// and the transcript goes to the emulator's inbox or the signed webhook.

const services: TokenService[] = [];

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
it.afterAll(async () => {
  for (const service of services) await service.close();
});

function service(emulator: RunningEmulator, env: EnvInput = {}) {
  const logs: LogEntry[] = [];
  const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN, FLEXCHAT_FIRST_MESSAGE_FIELD: 'question', ...env });
  const handler = createTokenService(config, { preEngagement: testForm, log: (entry) => logs.push(entry) });
  services.push(handler);
  const call = (path: string, body: unknown) =>
    handler.fetch(
      new Request(`http://127.0.0.1${path}`, { method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      { remoteAddress: '192.0.2.7' },
    );
  const init = async () => (await (await call('/webchat/init', { preEngagementData: validSubmission })).json()) as WebChatInitResponse;
  return { call, init, logs };
}

async function agentSays(emulator: RunningEmulator, sid: string, body: string) {
  const response = await fetch(`${emulator.url}/agent/conversations/${sid}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ body, agentIdentity: 'agent.alex' }),
  });
  expect(response.status).toBe(201);
}

describe('POST /webchat/transcript (local: the emulator inbox)', () => {
  it('builds the transcript from the closed conversation and delivers it once per request', async ({ emulator }) => {
    const { call, init, logs } = service(emulator);
    const chat = await init();
    await agentSays(emulator, chat.conversationSid, 'Hi, Alex here');
    const ended = await call('/webchat/end', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid });
    expect(ended.status).toBe(200);

    const response = await call('/webchat/transcript', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid, email: ' zoe@example.com ' });
    expect(response.status).toBe(202);
    const answer = (await response.json()) as WebChatTranscriptResponse;
    expect(answer).toMatchObject({ status: 'delivered', messageCount: 2 });

    const inbox = (await (await fetch(`${emulator.url}/agent/transcripts`)).json()) as { transcripts: TranscriptDelivery[] };
    const delivered = inbox.transcripts.find((t) => t.id === answer.transcriptId);
    expect(delivered).toMatchObject({ type: 'transcript', email: 'zoe@example.com', conversationSid: chat.conversationSid });
    expect(delivered?.lines.map((l) => [l.from, l.body])).toEqual([
      ['visitor', validSubmission.question],
      ['agent', 'Hi, Alex here'],
    ]);
    expect(delivered?.text).toMatch(/You: .+\n.*Support: Hi, Alex here$/);
    // The address and the words stay out of the log.
    expect(JSON.stringify(logs)).not.toMatch(/zoe@|Alex here/);
  });

  it("visitor B cannot have visitor A's transcript sent, with B's proof or token", async ({ emulator }) => {
    const { call, init } = service(emulator);
    const a = await init();
    const b = await init();
    for (const credentials of [
      { sessionProof: b.sessionProof, identity: b.identity },
      { token: b.token, identity: b.identity },
      { sessionProof: b.sessionProof, identity: a.identity },
    ]) {
      const response = await call('/webchat/transcript', { ...credentials, conversationSid: a.conversationSid, email: 'b@example.com' });
      expect(response.status).toBe(401);
      expect(((await response.json()) as ErrorResponse).error.code).toBe('token_invalid');
    }
    const inbox = (await (await fetch(`${emulator.url}/agent/transcripts`)).json()) as { transcripts: TranscriptDelivery[] };
    expect(inbox.transcripts.filter((t) => t.email === 'b@example.com')).toEqual([]);
  });

  it.for([[undefined], ['not-an-address'], [42], ['a@b']])('refuses the address %j with 400 invalid_body (field email)', async ([email], { emulator }) => {
    const { call, init } = service(emulator);
    const chat = await init();
    const response = await call('/webchat/transcript', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid, email });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error).toMatchObject({ code: 'invalid_body', field: 'email' });
  });

  it('refuses a body with text of its own (the service never mails what the browser sends)', async ({ emulator }) => {
    const { call, init } = service(emulator);
    const chat = await init();
    const response = await call('/webchat/transcript', { sessionProof: chat.sessionProof, identity: chat.identity, conversationSid: chat.conversationSid, email: 'a@example.com', text: 'forged' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorResponse).error.message).toMatch(/Unknown property "text"/);
  });
});

describe('POST /webchat/transcript with a webhook', () => {
  let webhook: { url: string; received: Array<{ headers: IncomingHttpHeaders; body: string }>; close(): Promise<void> };
  beforeAll(async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhook = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
  });
  afterAll(async () => webhook.close());

  it('signs the delivery with the message webhook secret', async ({ emulator }) => {
    const secret = 'x'.repeat(40);
    const { call, init } = service(emulator, { FLEXCHAT_MESSAGE_WEBHOOK_URL: webhook.url, FLEXCHAT_MESSAGE_WEBHOOK_SECRET: secret });
    const chat = await init();
    const response = await call('/webchat/transcript', { token: chat.token, identity: chat.identity, conversationSid: chat.conversationSid, email: 'zoe@example.com' });
    expect(response.status).toBe(202);
    const [delivery] = webhook.received;
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'transcript', email: 'zoe@example.com' });
    expect(verifyDeliverySignature(secret, delivery!.body, delivery!.headers['x-flexchat-signature'] as string, Date.now() / 1000)).toBe(true);
  });
});

describe('POST /webchat/transcript not configured', () => {
  it('answers 501 not_configured outside local mode without a webhook', async ({ emulator }) => {
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN });
    const handler = createTokenService(config, { preEngagement: testForm, log: () => {}, transcriptDelivery: null });
    services.push(handler);
    const response = await handler.fetch(
      new Request('http://127.0.0.1/webchat/transcript', { method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' }, body: '{}' }),
      { remoteAddress: '192.0.2.7' },
    );
    expect(response.status).toBe(501);
    expect(((await response.json()) as ErrorResponse).error.code).toBe('not_configured');
  });
});
