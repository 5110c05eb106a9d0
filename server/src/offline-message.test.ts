import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { emulatorPerTest } from '../../emulator/test/fixture.ts';
import type { ErrorResponse, OfflineMessageDelivery, WebChatMessageResponse } from '../../contracts/token-service.ts';
import { createTokenService, type ClientInfo, type LogEntry, type TokenServiceDeps } from './app.ts';
import {
  DeliveryError,
  deliveryPayload,
  emulatorDelivery,
  parseMessageBody,
  SIGNATURE_HEADER,
  signDelivery,
  verifyDeliverySignature,
  webhookDelivery,
  type MessageDelivery,
} from './offline-message.ts';
import { testConfig, testForm, WIDGET_ORIGIN } from './testing/fixtures.ts';
import type { TokenServiceConfig } from './env.ts';

const valid = { name: 'Zoë Ærøskøbing 李小龍', email: 'zoe@example.com', message: 'Please call me back.\nThanks!' };
const MESSAGE_ID = '0b6f4f5e-8f1c-4d5e-9a61-3f2b1c0d9e8a';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on a real port; `answer` picks the status (or never answers). */
async function startReceiver(answer: (received: Received) => number | 'hang' = () => 204): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry = { headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(entry);
      const status = answer(entry);
      if (status === 'hang') return;
      // Redirects point back at this receiver, so a followed one would show up as a second request.
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/elsewhere' } : {}).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flexchat?token=s3cret`, received };
}

function service(overrides: Partial<TokenServiceConfig> = {}, deps: Partial<TokenServiceDeps> = {}) {
  const logs: LogEntry[] = [];
  const service = createTokenService(testConfig(overrides), { preEngagement: testForm, log: (entry) => logs.push(entry), ...deps });
  closers.push(() => service.close());
  const handler = (request: Request, info?: ClientInfo) => service.fetch(request, info);
  return { handler, logs };
}

function post(body: unknown, init: { origin?: string | null; contentType?: string; raw?: string; ip?: string } = {}) {
  const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
  const origin = init.origin === undefined ? WIDGET_ORIGIN : init.origin;
  if (origin !== null) headers.origin = origin;
  return new Request('http://127.0.0.1:4020/webchat/message', { method: 'POST', headers, body: init.raw ?? JSON.stringify(body) });
}

async function errorOf(response: Response): Promise<ErrorResponse['error']> {
  return ((await response.json()) as ErrorResponse).error;
}

describe('parseMessageBody', () => {
  it('accepts names in any script, trims, applies NFC and unifies line breaks', () => {
    const parsed = parseMessageBody({ name: '  Ana Ca\u0301rdenas ', email: ' ana@example.com ', message: ' Hola\r\nadiós ' });
    expect(parsed).toEqual({ ok: true, value: { name: 'Ana Cárdenas', email: 'ana@example.com', message: 'Hola\nadiós' } });
    for (const name of ['李小龍', 'محمد علي', 'Ærøskøbing', "O'Brien-Smith", 'X']) expect(parseMessageBody({ ...valid, name }).ok, name).toBe(true);
  });

  it('counts code points: 80 emoji-free CJK characters pass, 81 do not; 2000 message characters pass, 2001 do not', () => {
    expect(parseMessageBody({ ...valid, name: '龍'.repeat(80) }).ok).toBe(true);
    expect(parseMessageBody({ ...valid, name: '龍'.repeat(81) })).toMatchObject({ ok: false, problem: { field: 'name' } });
    expect(parseMessageBody({ ...valid, message: '😀'.repeat(2000) }).ok).toBe(true);
    expect(parseMessageBody({ ...valid, message: 'a'.repeat(2001) })).toMatchObject({ ok: false, problem: { field: 'message' } });
  });

  it.each([
    [{ ...valid, name: '   ' }, 'name'],
    [{ ...valid, name: '12345' }, 'name'],
    [{ ...valid, name: 'Zoë\nSmith' }, 'name'],
    [{ ...valid, email: 'not-an-email' }, 'email'],
    [{ ...valid, email: 42 }, 'email'],
    [{ ...valid, message: ' \n ' }, 'message'],
    [{ ...valid, message: 'bell \u0007' }, 'message'],
    [{ ...valid, messageId: 'abc' }, 'messageId'],
    [{ ...valid, context: 'page' }, 'context'],
    [{ ...valid, context: { pageUrl: 'javascript:alert(1)' } }, 'context.pageUrl'],
    [{ ...valid, context: { pageUrl: 'not a url' } }, 'context.pageUrl'],
    [{ ...valid, context: { locale: 'english please' } }, 'context.locale'],
    [{ ...valid, context: { campaign: 'x'.repeat(201) } }, 'context.campaign'],
    [{ ...valid, context: { campaign: 7 } }, 'context.campaign'],
    [{ ...valid, context: { 'bad key': 'x' } }, 'context'],
    [{ ...valid, context: Object.fromEntries(Array.from({ length: 13 }, (_, i) => [`k${i}`, 'v'])) }, 'context'],
    [{ name: 'Zoë', email: 'zoe@example.com' }, 'message'],
  ])('refuses %j naming the field %s', (body, field) => {
    const parsed = parseMessageBody(body);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.problem.field).toBe(field);
      expect(parsed.problem.message).toMatch(new RegExp(`^${field.split('.')[0]}`));
    }
  });

  it('refuses non-objects and unknown properties without naming a field', () => {
    expect(parseMessageBody(['x'])).toEqual({ ok: false, problem: { message: 'The request body must be a JSON object' } });
    const extra = parseMessageBody({ ...valid, phone: '123' });
    expect(extra).toEqual({ ok: false, problem: { message: expect.stringContaining('Unknown property "phone"') } });
  });

  it('keeps origin + path of pageUrl only, and any other short context strings', () => {
    const parsed = parseMessageBody({ ...valid, messageId: MESSAGE_ID, context: { pageUrl: 'https://shop.example.com/cart?session=secret#x', locale: 'pt-BR', plan: 'gold' } });
    expect(parsed).toEqual({
      ok: true,
      value: { ...valid, messageId: MESSAGE_ID, context: { pageUrl: 'https://shop.example.com/cart', locale: 'pt-BR', plan: 'gold' } },
    });
  });
});

describe('deliveryPayload and signatures', () => {
  it('carries the message id of the request (so retries can be told apart from new messages), else a new one', () => {
    const at = new Date('2030-01-02T03:04:05.000Z');
    expect(deliveryPayload({ ...valid, messageId: MESSAGE_ID.toUpperCase(), context: { locale: 'en' } }, at)).toEqual({
      type: 'offline_message',
      id: MESSAGE_ID,
      receivedAt: '2030-01-02T03:04:05.000Z',
      ...valid,
      context: { locale: 'en' },
    });
    expect(deliveryPayload(valid, at, () => 'generated').id).toBe('generated');
  });

  it('signs "<t>.<raw body>" with HMAC-SHA256; verification is exact and refuses stale timestamps', () => {
    const secret = 'whsec-0123456789abcdef0123456789abcdef';
    const body = JSON.stringify({ hello: 'wörld' });
    const header = signDelivery(secret, body, 1_900_000_000.7);
    expect(header).toMatch(/^t=1900000000,v1=[0-9a-f]{64}$/);
    expect(verifyDeliverySignature(secret, body, header, 1_900_000_100)).toBe(true);
    expect(verifyDeliverySignature(secret, `${body} `, header, 1_900_000_100)).toBe(false);
    expect(verifyDeliverySignature('another-secret-0123456789abcdef0123', body, header, 1_900_000_100)).toBe(false);
    expect(verifyDeliverySignature(secret, body, header, 1_900_000_301)).toBe(false);
    expect(verifyDeliverySignature(secret, body, 't=1900000000,v1=zz', 1_900_000_000)).toBe(false);
    expect(verifyDeliverySignature(secret, body, null, 1_900_000_000)).toBe(false);
  });
});

describe('webhookDelivery', () => {
  const payload: OfflineMessageDelivery = deliveryPayload(valid, new Date(0), () => MESSAGE_ID);

  it('POSTs the JSON with the message id and a signature the receiver can verify', async () => {
    const receiver = await startReceiver();
    const secret = 'whsec-0123456789abcdef0123456789abcdef';
    await webhookDelivery({ url: receiver.url, secret }, { nowSeconds: () => 1_900_000_000 })(payload);
    const [got] = receiver.received;
    expect(JSON.parse(got?.body ?? '')).toEqual(payload);
    expect(got?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(got?.headers['x-flexchat-message-id']).toBe(MESSAGE_ID);
    expect(verifyDeliverySignature(secret, got?.body ?? '', got?.headers[SIGNATURE_HEADER] as string, 1_900_000_000)).toBe(true);
  });

  it('sends no signature without a secret', async () => {
    const receiver = await startReceiver();
    await webhookDelivery({ url: receiver.url })(payload);
    expect(receiver.received[0]?.headers[SIGNATURE_HEADER]).toBeUndefined();
  });

  it('fails with a typed reason on a non-2xx answer, a timeout, a refused connection and a redirect (never followed)', async () => {
    const failing = await startReceiver(() => 500);
    await expect(webhookDelivery({ url: failing.url })(payload)).rejects.toMatchObject({ reason: 'status', status: 500 });
    const hanging = await startReceiver(() => 'hang');
    await expect(webhookDelivery({ url: hanging.url }, { timeoutMs: 50 })(payload)).rejects.toMatchObject({ reason: 'timeout' });
    const closed = await startReceiver();
    const url = closed.url;
    await closers.pop()?.();
    await expect(webhookDelivery({ url })(payload)).rejects.toBeInstanceOf(DeliveryError);
    const redirecting = await startReceiver(() => 307);
    await expect(webhookDelivery({ url: redirecting.url })(payload)).rejects.toBeInstanceOf(DeliveryError);
    expect(redirecting.received).toHaveLength(1);
  });
});

const withEmulator = emulatorPerTest({ logLevel: 'silent' });

describe('POST /webchat/message', () => {
  it('delivers a valid message (202 with its id) to the configured delivery', async () => {
    const delivered: OfflineMessageDelivery[] = [];
    const { handler, logs } = service({}, { messageDelivery: async (p) => void delivered.push(p), now: () => Date.parse('2030-05-06T07:08:09Z') });
    const response = await handler(post({ ...valid, messageId: MESSAGE_ID, context: { pageUrl: 'https://shop.example.com/a?b=c', locale: 'en' } }));
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(WIDGET_ORIGIN);
    expect((await response.json()) as WebChatMessageResponse).toEqual({ status: 'delivered', messageId: MESSAGE_ID });
    expect(delivered).toEqual([
      { type: 'offline_message', id: MESSAGE_ID, receivedAt: '2030-05-06T07:08:09.000Z', ...valid, context: { pageUrl: 'https://shop.example.com/a', locale: 'en' } },
    ]);
    // Logs name the message, never its content or the visitor.
    expect(JSON.stringify(logs)).not.toContain('zoe@example.com');
  });

  it('answers typed errors: 400 with the field, 413, 415, 403 and an allowed preflight', async () => {
    const { handler } = service({}, { messageDelivery: async () => undefined });
    const invalid = await handler(post({ ...valid, email: 'nope' }));
    expect(invalid.status).toBe(400);
    expect(await errorOf(invalid)).toEqual({ code: 'invalid_body', message: 'email must be a valid email address', field: 'email' });
    const badJson = await handler(post(null, { raw: '{"name":' }));
    expect([badJson.status, (await errorOf(badJson)).code]).toEqual([400, 'invalid_json']);
    const large = await handler(post({ ...valid, message: 'x'.repeat(17 * 1024) }));
    expect([large.status, (await errorOf(large)).code]).toEqual([413, 'payload_too_large']);
    const form = await handler(post(null, { contentType: 'text/plain', raw: JSON.stringify(valid) }));
    expect([form.status, (await errorOf(form)).code]).toEqual([415, 'unsupported_media_type']);
    const foreign = await handler(post(valid, { origin: 'https://evil.example' }));
    expect([foreign.status, (await errorOf(foreign)).code]).toEqual([403, 'origin_not_allowed']);
    const preflight = await handler(
      new Request('http://127.0.0.1:4020/webchat/message', { method: 'OPTIONS', headers: { origin: WIDGET_ORIGIN, 'access-control-request-method': 'POST' } }),
    );
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    const get = await handler(new Request('http://127.0.0.1:4020/webchat/message', { headers: { origin: WIDGET_ORIGIN } }));
    expect([get.status, get.headers.get('allow')]).toEqual([405, 'POST, OPTIONS']);
  });

  it('has its own per-IP limit (429 with Retry-After), separate from init', async () => {
    const { handler } = service(
      { rateLimits: { init: { perIp: 1, perDeployment: 0 }, refresh: { perIp: 0, perDeployment: 0 }, message: { perIp: 2, perDeployment: 0 } } },
      { messageDelivery: async () => undefined },
    );
    const info = { remoteAddress: '203.0.113.9' };
    expect((await handler(post(valid), info)).status).toBe(202);
    expect((await handler(post(valid), info)).status).toBe(202);
    const limited = await handler(post(valid), info);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.headers.get('access-control-expose-headers')).toBe('retry-after');
    expect((await errorOf(limited)).code).toBe('rate_limited');
    expect((await handler(post(valid), { remoteAddress: '198.51.100.7' })).status).toBe(202);
  });

  it('answers 502 delivery_failed when the webhook fails or times out, so the widget can retry', async () => {
    const receiver = await startReceiver(() => 503);
    const { handler, logs } = service({ messageWebhook: { url: receiver.url } });
    const response = await handler(post({ ...valid, messageId: MESSAGE_ID }));
    expect(response.status).toBe(502);
    expect(await errorOf(response)).toEqual({ code: 'delivery_failed', message: expect.stringContaining('try again') });
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'message_delivery_failed', messageId: MESSAGE_ID, reason: 'status', status: 503 }));
    expect(JSON.stringify(logs)).not.toContain('s3cret');

    const thrown: MessageDelivery = async () => {
      throw new Error('boom');
    };
    const other = service({}, { messageDelivery: thrown });
    expect((await errorOf(await other.handler(post(valid)))).code).toBe('delivery_failed');
  });

  it('delivers to the webhook from the environment, signed, also in local mode', async () => {
    const receiver = await startReceiver();
    const secret = 'whsec-0123456789abcdef0123456789abcdef';
    const { handler } = service({ messageWebhook: { url: receiver.url, secret } });
    expect((await handler(post(valid))).status).toBe(202);
    const got = receiver.received[0];
    expect(JSON.parse(got?.body ?? '{}')).toMatchObject({ type: 'offline_message', ...valid });
    expect(verifyDeliverySignature(secret, got?.body ?? '', got?.headers[SIGNATURE_HEADER] as string, Date.now() / 1000)).toBe(true);
  });

  it('answers 501 not_configured without a webhook outside local mode (origin still checked first)', async () => {
    const { handler } = service({ mode: 'conversations', emulator: undefined } as Partial<TokenServiceConfig>);
    const response = await handler(post(valid));
    expect(response.status).toBe(501);
    expect(await errorOf(response)).toEqual({ code: 'not_configured', message: expect.stringContaining('FLEXCHAT_MESSAGE_WEBHOOK_URL') });
    expect((await handler(post(valid, { origin: null }))).status).toBe(403);
  });

  // An emulator of its own, per test: this one stops it halfway to check the failure.
  withEmulator('in local mode without a webhook, lands in the emulator inbox the agent console reads', async ({ emulator }) => {
    const { handler } = service({ emulator: { url: emulator.url, twilsockUri: emulator.twilsockUri } });
    const response = await handler(post({ ...valid, messageId: MESSAGE_ID, context: { locale: 'en' } }));
    expect(response.status).toBe(202);
    const inbox = (await (await fetch(`${emulator.url}/agent/offline-messages`)).json()) as { messages: OfflineMessageDelivery[] };
    expect(inbox.messages).toEqual([expect.objectContaining({ id: MESSAGE_ID, ...valid, context: { locale: 'en' } })]);
    // The emulator down: a typed failure, not a 500.
    await emulator.close();
    const down = await handler(post(valid));
    expect([down.status, (await errorOf(down)).code]).toEqual([502, 'delivery_failed']);
  });

  it('emulatorDelivery posts to /agent/offline-messages under the base URL', async () => {
    const receiver = await startReceiver(() => 201);
    const base = receiver.url.replace(/\/hooks.*$/, '/');
    await emulatorDelivery(base)(deliveryPayload(valid, new Date(0), () => MESSAGE_ID));
    expect(JSON.parse(receiver.received[0]?.body ?? '{}')).toMatchObject({ id: MESSAGE_ID });
  });
});
