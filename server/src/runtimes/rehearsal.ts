// Before /readyz turns ready, the Node runtime rehearses chat starts. A twin of
// the service — the same code and config, but local mode, no Redis, no limits,
// no logs — serves POST /webchat/init over loopback HTTP, and its upstream is a
// loopback answerer that replies to the two chat-start calls as Twilio does
// (below). No visitor, token or chat of the real service is involved, and
// nothing reaches Twilio.
//
// Why: the one-off warm-up (a token, a proof, one upstream read) left V8 to
// compile the chat-start path under real traffic. A fresh service's first ~2 s
// at 200 chat starts/s had p99 20–31 ms where the same process later had 5–7 ms
// (`npm run bench:token`, the two service halves of one run, 2026-12-06): the
// compiler's work and the heap growing, both on the path of visitors' requests.
// Closures made by the same code share V8's type feedback and optimised code, so
// the twin's requests warm the real service's request path, node:http included.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { PreEngagementConfig, SurveyConfig } from '../../../config/types.ts';
import { createTokenService, type TokenServiceDeps } from '../app.ts';
import type { TokenServiceConfig } from '../env.ts';
import { createPreEngagementValidator } from '../pre-engagement.ts';
import type { RehearsalSummary } from '../warm-up.ts';

/** Requests in flight at once: enough to overlap the twin's upstream waits, few enough not to queue. */
const REHEARSAL_CONCURRENCY = 4;
/** The rehearsal stops here whatever is left, so a slow machine still turns ready. */
const REHEARSAL_BUDGET_MS = 10_000;

const NO_LIMIT = { perIp: 0, perDeployment: 0 };

const sid = (prefix: string) => prefix + randomBytes(16).toString('hex');


/**
 * A plausible answer for every field the twin's form validation accepts: required
 * fields always, optional ones when the sample passes (a custom pattern may refuse it).
 */
export function rehearsalAnswers(form: PreEngagementConfig): Record<string, string | boolean> {
  const validate = createPreEngagementValidator(form);
  const answers: Record<string, string | boolean> = {};
  for (const field of form.fields) {
    let value: string | boolean | undefined;
    if (field.type === 'consent' || field.type === 'checkbox') value = true;
    else if (field.type === 'select' || field.type === 'radio') value = field.options?.[0]?.value;
    else if (typeof field.defaultValue === 'string' && field.defaultValue !== '') value = field.defaultValue;
    else if (field.type === 'email') value = 'rehearsal@example.com';
    else if (field.type === 'tel') value = '+15555550100';
    else value = 'Rehearsal'.padEnd(field.minLength ?? 0, '.').slice(0, field.maxLength ?? Infinity);
    if (value !== undefined) answers[field.name] = value;
  }
  const result = validate(answers);
  if (!result.ok) for (const name of Object.keys(result.fields)) delete answers[name];
  return answers;
}

/**
 * Answers the calls a chat start makes, with the fields the service reads:
 * POST /v2/WebChats (Flex; Twilio answers 201 with `conversation_sid` and
 * `identity`, flex.v2 OpenAPI `flex.v2.web_channel`), POST
 * /v1/Conversations/{CH}/Messages (201, `conversations.v1.conversation.conversation_message`),
 * the legacy flow's POST /v1/Channels (201, `flex.v1.channel`); any GET gets
 * `200 {}` (the twin's own readiness read). Not an emulator: no state, no checks.
 */
function answerAsTwilio(req: IncomingMessage, res: ServerResponse, counted: () => void): void {
  counted();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const path = req.url ?? '';
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    let body: Record<string, unknown> = {};
    let status = 200;
    if (req.method === 'POST') {
      status = 201;
      if (path.endsWith('/v2/WebChats')) body = { conversation_sid: sid('CH'), identity: form.get('Identity') ?? 'rehearsal' };
      else if (/\/Conversations\/[^/]+\/Messages$/.test(path)) body = { sid: sid('IM'), author: form.get('Author'), body: form.get('Body') };
      else if (path.endsWith('/v1/Channels')) body = { sid: sid('CH') };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  });
}

function listen(server: ReturnType<typeof createServer>): Promise<string> {
  server.listen(0, '127.0.0.1');
  return Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]).then(() => {
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  });
}

function close(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeAllConnections();
  });
}

function postJson(agent: Agent, url: string, origin: string, body: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request(url, { method: 'POST', agent, headers: { origin, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      res.resume();
      res.on('end', () => done(res.statusCode ?? 0));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

export interface RehearsalOptions {
  preEngagement: PreEngagementConfig;
  survey?: SurveyConfig | undefined;
  chatStarts: number;
  /** Aborted: no further request (the service is closing). */
  signal?: AbortSignal;
  /** Serves the twin as the runtime serves the real service (runtimes/node.ts). */
  serve: (service: ReturnType<typeof createTokenService>) => Promise<{ url: string; close(): Promise<void> }>;
  deps?: Pick<TokenServiceDeps, 'now'>;
}

/** Rehearses `chatStarts` chat starts on a twin of the service built from `config`. Never throws for a failed request. */
export async function rehearseChatStarts(config: TokenServiceConfig, options: RehearsalOptions): Promise<RehearsalSummary> {
  const started = performance.now();
  let upstreamCalls = 0;
  const upstream = createServer((req, res) => answerAsTwilio(req, res, () => req.method === 'POST' && upstreamCalls++));
  const upstreamUrl = await listen(upstream);
  // Its own credentials: the real ones have no business on the loopback answerer.
  const twinConfig: TokenServiceConfig = {
    ...config,
    accountSid: `AC${'0'.repeat(32)}`,
    authToken: randomBytes(16).toString('hex'),
    apiKeySid: `SK${'0'.repeat(32)}`,
    apiKeySecret: randomBytes(16).toString('hex'),
    mode: 'local',
    flow: config.flow ?? (config.mode === 'legacy' ? 'legacy' : 'conversations'),
    emulator: { url: upstreamUrl, twilsockUri: upstreamUrl.replace('http:', 'ws:') },
    rateLimits: { init: NO_LIMIT, refresh: NO_LIMIT, end: NO_LIMIT, message: NO_LIMIT },
    orchestrationPerSecond: 0,
  };
  delete twinConfig.redisUrl;
  delete twinConfig.messageWebhook;
  const twin = createTokenService(twinConfig, {
    preEngagement: options.preEngagement,
    survey: options.survey,
    log: () => {},
    requestLog: () => {},
    readinessProbes: [],
    messageDelivery: null,
    transcriptDelivery: null,
    ...options.deps,
  });
  let served: { url: string; close(): Promise<void> } | undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: REHEARSAL_CONCURRENCY });
  let requests = 0;
  let succeeded = 0;
  try {
    await twin.warmUp;
    if (options.signal?.aborted) return { requests, succeeded, upstreamCalls, ms: Math.round(performance.now() - started) };
    served = await options.serve(twin);
    const url = `${served.url}/webchat/init`;
    const origin = config.allowedOrigins[0] ?? 'http://127.0.0.1';
    const body = JSON.stringify({ preEngagementData: rehearsalAnswers(options.preEngagement) });
    const deadline = started + REHEARSAL_BUDGET_MS;
    await Promise.all(
      Array.from({ length: REHEARSAL_CONCURRENCY }, async () => {
        while (requests < options.chatStarts && performance.now() < deadline && !options.signal?.aborted) {
          requests++;
          const status = await postJson(agent, url, origin, body).catch(() => 0);
          if (status === 200) succeeded++;
        }
      }),
    );
  } finally {
    agent.destroy();
    await served?.close();
    await twin.close();
    await close(upstream);
  }
  return { requests, succeeded, upstreamCalls, ms: Math.round(performance.now() - started) };
}
