import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { ReadinessResponse } from '../../contracts/token-service.ts';
import { createTokenService, WARM_UP_WAIT_MS } from './app.ts';
import { checkConfig, createReadiness, emulatorProbe, flexFlowProbe, redisProbe, twilioProbe, type ReadinessCheck } from './readiness.ts';
import { testConfig, testForm } from './testing/fixtures.ts';
import type { ConversationServicesApi, FlexFlowsApi } from './twilio-client.ts';
import { freePort } from './testing/free-port.ts';

describe('checkConfig', () => {
  it('passes a valid config', () => {
    expect(checkConfig(testConfig())).toEqual({ name: 'config', ok: true });
  });

  it('names every broken variable, never a value', () => {
    const check = checkConfig(
      testConfig({ accountSid: 'SK-not-an-account', webChatAddressSid: testConfig().conversationsServiceSid, allowedOrigins: [], apiKeySecret: '', sessionSecret: 'short' }),
    );
    expect(check).toEqual({
      name: 'config',
      ok: false,
      detail: 'invalid: TWILIO_ACCOUNT_SID, TWILIO_WEBCHAT_ADDRESS_SID, TWILIO_API_KEY_SECRET, FLEXCHAT_ALLOWED_ORIGINS, FLEXCHAT_SESSION_SECRET',
    });
  });

  it('needs the emulator in local mode', () => {
    const { emulator: _omit, ...config } = testConfig();
    expect(checkConfig(config).detail).toBe('invalid: FLEX_EMULATOR_URL');
  });
});

/** The emulator for 'emulatorProbe'. */
const test = emulatorTest({ logLevel: 'silent' });

describe('emulatorProbe', () => {
  test('is ok when the real emulator answers /healthz', async ({ emulator }) => {
    expect(await emulatorProbe(emulator.url)()).toEqual({ name: 'emulator', ok: true });
  });

  it('reports an HTTP error status', async () => {
    const server: Server = createServer((_req, res) => {
      res.writeHead(503).end();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      expect(await emulatorProbe(`http://127.0.0.1:${port}/`)()).toEqual({ name: 'emulator', ok: false, detail: 'emulator answered HTTP 503' });
    } finally {
      server.close();
    }
  });

  it('reports a refused connection', async () => {
    const port = await freePort();
    expect(await emulatorProbe(`http://127.0.0.1:${port}`)()).toEqual({ name: 'emulator', ok: false, detail: 'emulator unreachable (ECONNREFUSED)' });
  });
});

describe('twilioProbe', () => {
  const SERVICE = testConfig().conversationsServiceSid;
  const services = (fetchImpl: () => Promise<{ sid: string }>) => {
    const asked: string[] = [];
    const api: ConversationServicesApi = (sid) => {
      asked.push(sid);
      return { fetch: fetchImpl };
    };
    return { api, asked };
  };
  const twilioError = (status: number, code: number) =>
    Object.assign(new Error(`boom with secret ${testConfig().apiKeySecret}`), { status, code });

  it('is ok when the Conversations service can be fetched', async () => {
    const { api, asked } = services(async () => ({ sid: SERVICE }));
    expect(await twilioProbe(api, SERVICE)()).toEqual({ name: 'twilio', ok: true });
    expect(asked).toEqual([SERVICE]);
  });

  it.each([
    [twilioError(401, 20003), 'credentials rejected (HTTP 401), Twilio error 20003'],
    [twilioError(404, 20404), 'TWILIO_CONVERSATIONS_SERVICE_SID not found in this account (HTTP 404), Twilio error 20404'],
    [twilioError(500, 20500), 'Twilio answered HTTP 500, Twilio error 20500'],
    [Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'Twilio unreachable (network:ECONNREFUSED)'],
  ])('explains %s without leaking the message', async (error, detail) => {
    const { api } = services(async () => {
      throw error;
    });
    const check = await twilioProbe(api, SERVICE)();
    expect(check).toEqual({ name: 'twilio', ok: false, detail });
    expect(JSON.stringify(check)).not.toContain(testConfig().apiKeySecret);
  });
});

describe('flexFlowProbe (legacy mode)', () => {
  const FLOW = `FO${'7'.repeat(32)}`;
  const CHAT = `IS${'8'.repeat(32)}`;
  const flows = (reply: () => Promise<{ sid: string; chatServiceSid: string }>): FlexFlowsApi => () => ({ fetch: reply });

  it("is ok when the Flex Flow exists and feeds the configured chat service", async () => {
    expect(await flexFlowProbe(flows(async () => ({ sid: FLOW, chatServiceSid: CHAT })), FLOW, CHAT)()).toEqual({ name: 'twilio', ok: true });
  });

  it('fails when the flow points at another chat service, is missing, or the credentials are refused', async () => {
    expect(await flexFlowProbe(flows(async () => ({ sid: FLOW, chatServiceSid: `IS${'9'.repeat(32)}` })), FLOW, CHAT)()).toEqual({
      name: 'twilio',
      ok: false,
      detail: "TWILIO_FLEX_CHAT_SERVICE_SID is not the Flex Flow's chat service",
    });
    const failing = (status: number, code: number) =>
      flows(async () => {
        throw Object.assign(new Error('no'), { status, code });
      });
    expect((await flexFlowProbe(failing(404, 20404), FLOW, CHAT)()).detail).toBe('TWILIO_FLEX_FLOW_SID not found in this account (HTTP 404), Twilio error 20404');
    expect((await flexFlowProbe(failing(401, 20003), FLOW, CHAT)()).detail).toBe('credentials rejected (HTTP 401), Twilio error 20003');
  });

  it('checkConfig checks the legacy SIDs in the legacy flow', () => {
    expect(checkConfig(testConfig({ flow: 'legacy', legacy: { flexFlowSid: FLOW, chatServiceSid: CHAT } }))).toEqual({ name: 'config', ok: true });
    expect(checkConfig(testConfig({ flow: 'legacy', legacy: { flexFlowSid: CHAT, chatServiceSid: CHAT } }))).toEqual({
      name: 'config',
      ok: false,
      detail: 'invalid: TWILIO_FLEX_FLOW_SID',
    });
    expect(checkConfig(testConfig({ flow: 'legacy' }))).toEqual({ name: 'config', ok: false, detail: 'invalid: TWILIO_FLEX_FLOW_SID, TWILIO_FLEX_CHAT_SERVICE_SID' });
  });
});

describe('createReadiness', () => {
  function counting(results: boolean[]) {
    let runs = 0;
    const probe = async (): Promise<ReadinessCheck> => ({ name: 'emulator', ok: results[Math.min(runs++, results.length - 1)] ?? false });
    return { probe, runs: () => runs };
  }

  it('is ready only when every check is ok', async () => {
    const ok = async (): Promise<ReadinessCheck> => ({ name: 'config', ok: true });
    const bad = async (): Promise<ReadinessCheck> => ({ name: 'emulator', ok: false, detail: 'down' });
    expect(await createReadiness([ok])()).toEqual({ ready: true, degraded: false, checks: [{ name: 'config', ok: true }] });
    expect(await createReadiness([ok, bad])()).toEqual({
      ready: false,
      degraded: false,
      checks: [{ name: 'config', ok: true }, { name: 'emulator', ok: false, detail: 'down' }],
    });
  });

  it('is ready but degraded when only an optional check (Redis) fails', async () => {
    const ok = async (): Promise<ReadinessCheck> => ({ name: 'config', ok: true });
    const redisDown = redisProbe(() => Promise.reject(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    expect(await createReadiness([ok, redisDown])()).toEqual({
      ready: true,
      degraded: true,
      checks: [
        { name: 'config', ok: true },
        { name: 'redis', ok: false, optional: true, detail: 'Redis unreachable (ECONNREFUSED): rate limits count per instance until it is back' },
      ],
    });
    expect(await createReadiness([ok, redisProbe(async () => undefined)])()).toMatchObject({ ready: true, degraded: false });
  });

  it('reuses a result for cacheMs, then checks again', async () => {
    let clock = 1_000_000;
    const { probe, runs } = counting([false, true]);
    const readiness = createReadiness([probe], { cacheMs: 5000, now: () => clock });
    expect((await readiness()).ready).toBe(false);
    clock += 4999;
    expect((await readiness()).ready).toBe(false);
    expect(runs()).toBe(1);
    clock += 1;
    expect((await readiness()).ready).toBe(true);
    expect(runs()).toBe(2);
  });

  it('shares one run between concurrent callers', async () => {
    const { probe, runs } = counting([true]);
    const readiness = createReadiness([probe], { now: () => 0 });
    await Promise.all([readiness(), readiness(), readiness()]);
    expect(runs()).toBe(1);
  });

  it('turns a throwing probe into a failed check', async () => {
    const readiness = createReadiness([() => Promise.reject(new Error('bug'))]);
    expect(await readiness()).toEqual({ ready: false, degraded: false, checks: [{ name: 'config', ok: false, detail: 'readiness probe failed' }] });
  });
});

describe('warm-up before /readyz turns ready', () => {
  const readyz = async (service: { fetch(request: Request): Promise<Response> }) => {
    const response = await service.fetch(new Request('http://token.test/readyz'));
    return { status: response.status, body: (await response.json()) as ReadinessResponse };
  };
  const unused = () => {
    throw new Error('not called in this test');
  };

  it('builds the Twilio client at start and calls upstream through it before any request; then /readyz is ready', async () => {
    const seen: Array<{ method: string; url: string; authorization: string | undefined }> = [];
    const upstream = createServer((req, res) => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sid: testConfig().conversationsServiceSid }));
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    try {
      const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      const config = testConfig({ emulator: { url, twilsockUri: `${url.replace('http', 'ws')}/v3/wsconnect` } });
      const service = createTokenService(config, { preEngagement: testForm, log: () => undefined });
      try {
        await service.warmUp;
        // Before the first request: one read through the helper library (Basic auth, the service's own path)…
        expect(seen).toContainEqual({
          method: 'GET',
          url: `/conversations/v1/Services/${config.conversationsServiceSid}`,
          authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
        });
        // …and the readiness checks, whose result /readyz then reuses.
        expect(seen.filter((r) => r.url === '/healthz')).toHaveLength(1);
        expect(seen.every((r) => r.method === 'GET')).toBe(true);
        expect(await readyz(service)).toEqual({
          status: 200,
          body: { status: 'ready', mode: 'local', checks: [{ name: 'config', ok: true }, { name: 'emulator', ok: true }] },
        });
        expect(seen.filter((r) => r.url === '/healthz')).toHaveLength(1);
      } finally {
        await service.close();
      }
    } finally {
      upstream.close();
    }
  });

  it(`answers 503 warm_up while the warm-up is still running (after waiting ${WARM_UP_WAIT_MS} ms for it), ready once it is over`, async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let runs = 0;
    const slowUpstream = async (): Promise<ReadinessCheck> => {
      runs++;
      await gate;
      return { name: 'twilio', ok: true };
    };
    const service = createTokenService(testConfig({ mode: 'conversations' }), {
      preEngagement: testForm,
      log: () => undefined,
      readinessProbes: [slowUpstream],
      // Every API injected: no helper-library client is built.
      flex: { create: unused },
      conversations: unused,
      channels: Object.assign(unused, { create: unused }),
      webChannels: unused,
    });
    try {
      expect(await readyz(service)).toEqual({
        status: 503,
        body: { status: 'not_ready', mode: 'conversations', checks: [{ name: 'warm_up', ok: false, detail: 'warming up' }] },
      });
      // Liveness does not wait for the warm-up.
      expect((await service.fetch(new Request('http://token.test/healthz'))).status).toBe(200);
      release();
      await service.warmUp;
      expect(await readyz(service)).toEqual({ status: 200, body: { status: 'ready', mode: 'conversations', checks: [{ name: 'twilio', ok: true }] } });
      expect(runs).toBe(1);
    } finally {
      await service.close();
    }
  });
});
