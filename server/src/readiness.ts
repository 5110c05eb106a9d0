// GET /readyz: can this instance serve chats right now? Checks the
// configuration and the upstream it depends on (the emulator in local mode,
// Twilio in real mode) with one cheap call, cached for a few seconds so probes
// from load balancers cannot turn into a flood of upstream requests. Details
// name what failed, never a secret or an upstream message.
import type { ReadinessCheckResult } from '../../contracts/token-service.ts';
import { checkSid, flowOf, MIN_SECRET_LENGTH, type TokenServiceConfig } from './env.ts';
import { describeUpstreamError, type ConversationServicesApi, type FlexFlowsApi } from './twilio-client.ts';

/** `detail` is safe to show: variable names, HTTP statuses, Twilio error codes. */
export type ReadinessCheck = ReadinessCheckResult;

export type ReadinessProbe = () => Promise<ReadinessCheck>;

export interface Readiness {
  /** Every required check passed (optional ones may have failed: see `degraded`). */
  ready: boolean;
  /** Ready, but an optional check failed. */
  degraded: boolean;
  checks: ReadinessCheck[];
}

export const READINESS_CACHE_MS = 5000;
export const READINESS_PROBE_TIMEOUT_MS = 3000;

/** Re-checks the invariants env.ts guarantees, for configs built by hand (serverless setups). */
export function checkConfig(config: TokenServiceConfig): ReadinessCheck {
  const bad: string[] = [];
  const legacy = flowOf(config) === 'legacy';
  type SidCheck = [name: string, value: string | undefined, prefix: string];
  const flowSids: SidCheck[] = legacy
    ? [
        ['TWILIO_FLEX_FLOW_SID', config.legacy?.flexFlowSid, 'FO'],
        ['TWILIO_FLEX_CHAT_SERVICE_SID', config.legacy?.chatServiceSid, 'IS'],
      ]
    : [
        ['TWILIO_CONVERSATIONS_SERVICE_SID', config.conversationsServiceSid, 'IS'],
        ['TWILIO_WEBCHAT_ADDRESS_SID', config.webChatAddressSid, 'IG'],
      ];
  const sids: SidCheck[] = [['TWILIO_ACCOUNT_SID', config.accountSid, 'AC'], ['TWILIO_API_KEY_SID', config.apiKeySid, 'SK'], ...flowSids];
  for (const [name, value, prefix] of sids) if (value === undefined || checkSid(name, value, prefix) !== undefined) bad.push(name);
  if (!config.apiKeySecret) bad.push('TWILIO_API_KEY_SECRET');
  if (config.allowedOrigins.length === 0) bad.push('FLEXCHAT_ALLOWED_ORIGINS');
  if (config.mode === 'local' && !config.emulator) bad.push('FLEX_EMULATOR_URL');
  if (config.identitySecret !== undefined && config.identitySecret.length < MIN_SECRET_LENGTH) bad.push('FLEXCHAT_IDENTITY_SECRET');
  if (config.sessionSecret !== undefined && config.sessionSecret.length < MIN_SECRET_LENGTH) bad.push('FLEXCHAT_SESSION_SECRET');
  return bad.length ? { name: 'config', ok: false, detail: `invalid: ${bad.join(', ')}` } : { name: 'config', ok: true };
}

/** Local mode: the emulator's GET /healthz answers 200. */
export function emulatorProbe(emulatorUrl: string, fetchFn: typeof fetch = fetch): ReadinessProbe {
  return async () => {
    try {
      const response = await fetchFn(`${emulatorUrl.replace(/\/+$/, '')}/healthz`, { signal: AbortSignal.timeout(READINESS_PROBE_TIMEOUT_MS) });
      await response.body?.cancel();
      return response.ok ? { name: 'emulator', ok: true } : { name: 'emulator', ok: false, detail: `emulator answered HTTP ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      const name = (error as { name?: unknown }).name;
      return { name: 'emulator', ok: false, detail: `emulator unreachable (${typeof cause === 'string' ? cause : typeof name === 'string' ? name : 'error'})` };
    }
  };
}

/** Real mode: fetch the Conversations service (one GET): proves the credentials and the IS… SID. */
export function twilioProbe(services: ConversationServicesApi, serviceSid: string): ReadinessProbe {
  return async () => {
    try {
      await services(serviceSid).fetch();
      return { name: 'twilio', ok: true };
    } catch (error) {
      const summary = describeUpstreamError(error);
      let detail: string;
      if (summary.status === 401 || summary.status === 403) detail = `credentials rejected (HTTP ${summary.status})`;
      else if (summary.status === 404) detail = 'TWILIO_CONVERSATIONS_SERVICE_SID not found in this account (HTTP 404)';
      else if (summary.status !== undefined) detail = `Twilio answered HTTP ${summary.status}`;
      else detail = `Twilio unreachable (${summary.kind})`;
      if (summary.twilioCode !== undefined) detail += `, Twilio error ${summary.twilioCode}`;
      return { name: 'twilio', ok: false, detail };
    }
  };
}

/**
 * Legacy mode: fetch the Flex Flow (one GET): proves the credentials and the FO…
 * SID, and that the flow still feeds the configured chat service.
 */
export function flexFlowProbe(flexFlows: FlexFlowsApi, flexFlowSid: string, chatServiceSid: string): ReadinessProbe {
  return async () => {
    try {
      const flow = await flexFlows(flexFlowSid).fetch();
      if (flow.chatServiceSid !== chatServiceSid) {
        return { name: 'twilio', ok: false, detail: "TWILIO_FLEX_CHAT_SERVICE_SID is not the Flex Flow's chat service" };
      }
      return { name: 'twilio', ok: true };
    } catch (error) {
      const summary = describeUpstreamError(error);
      let detail: string;
      if (summary.status === 401 || summary.status === 403) detail = `credentials rejected (HTTP ${summary.status})`;
      else if (summary.status === 404) detail = 'TWILIO_FLEX_FLOW_SID not found in this account (HTTP 404)';
      else if (summary.status !== undefined) detail = `Twilio answered HTTP ${summary.status}`;
      else detail = `Twilio unreachable (${summary.kind})`;
      if (summary.twilioCode !== undefined) detail += `, Twilio error ${summary.twilioCode}`;
      return { name: 'twilio', ok: false, detail };
    }
  };
}

/**
 * With FLEXCHAT_REDIS_URL: Redis answers a PING. Optional: while it is down the
 * service keeps serving with per-instance memory limits (readiness `degraded`).
 */
export function redisProbe(ping: () => Promise<void>): ReadinessProbe {
  return async () => {
    try {
      await ping();
      return { name: 'redis', ok: true, optional: true };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const kind = typeof code === 'string' ? code : error instanceof Error ? error.name : 'error';
      return { name: 'redis', ok: false, optional: true, detail: `Redis unreachable (${kind}): rate limits count per instance until it is back` };
    }
  };
}

/** Runs `probes` at most once per `cacheMs` (concurrent callers share one run). */
export function createReadiness(probes: ReadinessProbe[], options: { cacheMs?: number; now?: () => number } = {}): () => Promise<Readiness> {
  const cacheMs = options.cacheMs ?? READINESS_CACHE_MS;
  const now = options.now ?? Date.now;
  let cached: { at: number; result: Promise<Readiness> } | undefined;

  const run = async (): Promise<Readiness> => {
    const checks = await Promise.all(
      probes.map((probe) => probe().catch((): ReadinessCheck => ({ name: 'config', ok: false, detail: 'readiness probe failed' }))),
    );
    const ready = checks.every((check) => check.ok || check.optional);
    return { ready, degraded: ready && checks.some((check) => !check.ok), checks };
  };

  return () => {
    const at = now();
    if (!cached || at - cached.at >= cacheMs || at < cached.at) cached = { at, result: run() };
    return cached.result;
  };
}
