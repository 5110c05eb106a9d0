import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentConfig, PreEngagementConfig } from '../../../config/types.ts';
import type { LogEntry } from '../app.ts';
import { loadTokenServiceConfig } from '../env.ts';
import { createPreEngagementValidator } from '../pre-engagement.ts';
import { testForm, WIDGET_ORIGIN } from '../testing/fixtures.ts';
import { serveTokenService, startTokenService } from './node.ts';
import { rehearsalAnswers, rehearseChatStarts } from './rehearsal.ts';

const running: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.close();
});

/** Stands where the Flex emulator (or Twilio) would be, and records every request that reaches it. */
async function upstreamRecorder(): Promise<{ url: string; seen: string[] }> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"status":"ok"}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  running.push({
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const formWithFirstMessage: PreEngagementConfig = { ...testForm, firstMessageField: 'question' };

describe('rehearsalAnswers', () => {
  it('answers every field of a form so that its own validation accepts them', () => {
    const form: PreEngagementConfig = {
      fields: [
        { name: 'name', type: 'text', label: 'Name', required: true, minLength: 12, maxLength: 20 },
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'phone', type: 'tel', label: 'Phone' },
        { name: 'topic', type: 'select', label: 'Topic', required: true, options: [{ value: 'billing', label: 'Billing' }] },
        { name: 'terms', type: 'consent', label: 'I agree', policyUrl: 'https://example.com/privacy', version: '1' },
        { name: 'news', type: 'checkbox', label: 'News' },
      ],
    };
    const answers = rehearsalAnswers(form);
    expect(createPreEngagementValidator(form)(answers).ok).toBe(true);
    expect(answers).toMatchObject({ email: 'rehearsal@example.com', topic: 'billing', terms: true, news: true });
    expect((answers.name as string).length).toBeGreaterThanOrEqual(12);
  });

  it('leaves out an optional field whose pattern refuses the sample', () => {
    const form: PreEngagementConfig = {
      fields: [
        { name: 'question', type: 'textarea', label: 'Question', required: true },
        { name: 'order', type: 'text', label: 'Order number', pattern: '[0-9]{8}' },
      ],
    };
    expect(rehearsalAnswers(form)).toEqual({ question: 'Rehearsal' });
  });
});

describe('rehearseChatStarts', () => {
  const serve = (twin: Parameters<typeof serveTokenService>[0]) => serveTokenService(twin, { port: 0 });

  it('runs whole chat starts on a twin, both upstream calls included, and nothing reaches the real upstream', async () => {
    const upstream = await upstreamRecorder();
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: upstream.url }, { allowedOrigins: [WIDGET_ORIGIN] });
    const result = await rehearseChatStarts(config, { preEngagement: formWithFirstMessage, chatStarts: 25, serve });
    expect(result).toMatchObject({ requests: 25, succeeded: 25, upstreamCalls: 50 });
    expect(upstream.seen).toEqual([]);
  });

  it('reports the chat starts the form refused: a required field whose pattern refuses every sample', async () => {
    const upstream = await upstreamRecorder();
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: upstream.url }, { allowedOrigins: [WIDGET_ORIGIN] });
    const strict: PreEngagementConfig = { fields: [{ name: 'order', type: 'text', label: 'Order number', required: true, pattern: '[0-9]{8}' }] };
    const result = await rehearseChatStarts(config, { preEngagement: strict, chatStarts: 5, serve });
    expect(result).toMatchObject({ requests: 5, succeeded: 0, upstreamCalls: 0 });
  });

  it('sends nothing once its signal is aborted', async () => {
    const upstream = await upstreamRecorder();
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: upstream.url }, { allowedOrigins: [WIDGET_ORIGIN] });
    const result = await rehearseChatStarts(config, { preEngagement: testForm, chatStarts: 25, serve, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ requests: 0, succeeded: 0, upstreamCalls: 0 });
  });
});

describe('the Node runtime rehearses before /readyz says ready', () => {
  const deployment: DeploymentConfig = {
    widgetOrigin: WIDGET_ORIGIN,
    tokenUrl: 'http://127.0.0.1:4020',
    allowedDomains: ['http://127.0.0.1:4040'],
    preEngagement: formWithFirstMessage,
  };

  it('logs the rehearsal once, with every chat start answered, and starts no chat upstream', async () => {
    const upstream = await upstreamRecorder();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: upstream.url, FLEXCHAT_WARM_UP_CHAT_STARTS: '30' },
      deployment,
      log: () => undefined,
      deps: { log: (entry) => logs.push(entry) },
    });
    running.push(service);
    await service.warmUp;
    expect(logs.filter((entry) => entry.msg === 'warm_up_rehearsed')).toEqual([
      expect.objectContaining({ level: 'info', requests: 30, succeeded: 30, upstreamCalls: 60 }),
    ]);
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    // The service's own warm-up read and readiness check only: no chat start, no message.
    expect(upstream.seen.filter((line) => line.startsWith('POST'))).toEqual([]);
  });

  it('does not rehearse with FLEXCHAT_WARM_UP_CHAT_STARTS=0', async () => {
    const upstream = await upstreamRecorder();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: upstream.url, FLEXCHAT_WARM_UP_CHAT_STARTS: '0' },
      deployment,
      log: () => undefined,
      deps: { log: (entry) => logs.push(entry) },
    });
    running.push(service);
    await service.warmUp;
    expect(logs.filter((entry) => entry.msg === 'warm_up_rehearsed')).toEqual([]);
  });

  it("stops rehearsing when a visitor's request comes in before /readyz said ready", async () => {
    const upstream = await upstreamRecorder();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: upstream.url, FLEXCHAT_WARM_UP_CHAT_STARTS: '5000' },
      deployment,
      log: () => undefined,
      deps: { log: (entry) => logs.push(entry) },
    });
    running.push(service);
    const visitor = await fetch(`${service.url}/webchat/init`, { method: 'POST', headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' }, body: '{}' });
    expect(visitor.status).toBe(400);
    await service.warmUp;
    // Before the rehearsal began (no line), or it stopped at once: 5,000 would take seconds.
    const rehearsed = logs.find((entry) => entry.msg === 'warm_up_rehearsed');
    expect(rehearsed === undefined ? 0 : (rehearsed.requests as number)).toBeLessThan(500);
  });

  it('a health or readiness probe does not stop the rehearsal', async () => {
    const upstream = await upstreamRecorder();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: upstream.url, FLEXCHAT_WARM_UP_CHAT_STARTS: '40' },
      deployment,
      log: () => undefined,
      deps: { log: (entry) => logs.push(entry) },
    });
    running.push(service);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    await (await fetch(`${service.url}/readyz`)).body?.cancel();
    await service.warmUp;
    expect(logs.find((entry) => entry.msg === 'warm_up_rehearsed')).toMatchObject({ requests: 40, succeeded: 40 });
  });

  it('stops a rehearsal still running when the service closes', async () => {
    const upstream = await upstreamRecorder();
    const logs: LogEntry[] = [];
    const service = await startTokenService({
      port: 0,
      env: { FLEX_EMULATOR_URL: upstream.url, FLEXCHAT_WARM_UP_CHAT_STARTS: '5000' },
      deployment,
      log: () => undefined,
      deps: { log: (entry) => logs.push(entry) },
    });
    await service.close();
    await service.warmUp;
    // Closed before the rehearsal began (no line), or it stopped at once: 5,000 would take seconds.
    const rehearsed = logs.find((entry) => entry.msg === 'warm_up_rehearsed');
    expect(rehearsed === undefined ? 0 : (rehearsed.requests as number)).toBeLessThan(500);
  });
});
