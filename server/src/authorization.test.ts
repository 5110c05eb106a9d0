import { createHmac, randomUUID } from 'node:crypto';
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { ErrorResponse, WebChatInitResponse } from '../../contracts/token-service.ts';
import { loadTokenServiceConfig, type EnvInput } from './env.ts';
import { createTokenService, type TokenService, type TokenServiceDeps } from './app.ts';
import { testForm, validSubmission, WIDGET_ORIGIN } from './testing/fixtures.ts';
import { createTwilioApis } from './twilio-client.ts';

// Who may touch which conversation (server/README.md, "Authorization"): every
// endpoint × {own, another visitor's, forged, expired, replayed} credential ×
// {own, another visitor's, guessed/non-existent, ended} conversation, in every
// mode, against a real Flex emulator through the real twilio helper library.
// Visitor B attacks visitor A. Every cross-visitor attempt must be refused with
// the very answer a non-existent conversation gets, and A's chat must stay open.

const TTL_SECONDS = 3600;
const GRACE_SECONDS = 900;
const LEGACY_NEEDS_PROOF = { code: 'invalid_body', message: 'Send the sessionProof (with identity) for a legacy Flex chat' };
const TOKEN_INVALID = { code: 'token_invalid', message: 'The token is invalid or has expired; start a new chat' };

const services: TokenService[] = [];

const it = emulatorTest({ rateLimits: { mode: 'off' }, logLevel: 'silent' });
it.afterAll(async () => {
  for (const service of services) await service.close();
});

type ModeName = 'local' | 'conversations' | 'local legacy flow' | 'legacy';

/**
 * A token service in `mode`. The real modes (`conversations`, `legacy`) get the
 * helper library pointed at the emulator as their Twilio, everything else as in
 * production (strict checks, no twilsockUri).
 */
function serviceIn(emulator: RunningEmulator, mode: ModeName, extraEnv: EnvInput = {}) {
  const credentials = emulator.credentials;
  const noLimits = Object.fromEntries(
    ['INIT', 'REFRESH', 'END', 'MESSAGE'].flatMap((route) => [`FLEXCHAT_RATE_LIMIT_${route}_PER_IP`, `FLEXCHAT_RATE_LIMIT_${route}_PER_DEPLOYMENT`].map((name) => [name, '0'])),
  );
  const base: EnvInput = {
    FLEX_EMULATOR_URL: emulator.url,
    FLEXCHAT_ALLOWED_ORIGINS: WIDGET_ORIGIN,
    FLEXCHAT_TOKEN_TTL_SECONDS: String(TTL_SECONDS),
    FLEXCHAT_REFRESH_GRACE_SECONDS: String(GRACE_SECONDS),
    FLEXCHAT_SESSION_SECRET: 'authorization-test-session-secret-0123456789',
    ...noLimits,
  };
  const real: EnvInput = {
    TWILIO_ACCOUNT_SID: credentials.accountSid,
    TWILIO_AUTH_TOKEN: credentials.authToken,
    TWILIO_API_KEY_SID: credentials.apiKeySid,
    TWILIO_API_KEY_SECRET: credentials.apiKeySecret,
  };
  const env: EnvInput =
    mode === 'local'
      ? base
      : mode === 'local legacy flow'
        ? { ...base, FLEXCHAT_LOCAL_FLOW: 'legacy' }
        : mode === 'conversations'
          ? {
              ...base,
              ...real,
              FLEXCHAT_MODE: 'conversations',
              TWILIO_CONVERSATIONS_SERVICE_SID: credentials.conversationsServiceSid,
              TWILIO_WEBCHAT_ADDRESS_SID: credentials.webChatAddressSid,
            }
          : { ...base, ...real, FLEXCHAT_MODE: 'legacy', TWILIO_FLEX_FLOW_SID: credentials.webFlexFlowSid, TWILIO_FLEX_CHAT_SERVICE_SID: credentials.flexChatServiceSid };
  const config = loadTokenServiceConfig({ ...env, ...extraEnv });
  const clock = { offsetMs: 0 };
  const deps: TokenServiceDeps = { preEngagement: testForm, log: () => {}, now: () => Date.now() + clock.offsetMs };
  if (config.mode !== 'local') {
    // Real Twilio is the emulator here: same helper library, re-targeted.
    const apis = createTwilioApis({ ...config, mode: 'local', emulator: { url: emulator.url, twilsockUri: emulator.twilsockUri } });
    Object.assign(deps, { flex: apis.flex, conversations: apis.conversations, channels: apis.channels, webChannels: apis.webChannels });
  }
  const service = createTokenService(config, deps);
  services.push(service);
  let client = 0;
  const call = (path: string, body: unknown) =>
    service.fetch(
      new Request(`http://127.0.0.1${path}`, {
        method: 'POST',
        headers: { origin: WIDGET_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
      { remoteAddress: `192.0.2.${(client++ % 250) + 1}` },
    );
  const init = async (): Promise<WebChatInitResponse> => {
    const response = await call('/webchat/init', { preEngagementData: validSubmission });
    expect(response.status).toBe(200);
    return (await response.json()) as WebChatInitResponse;
  };
  return { config, clock, call, init, service, legacy: mode.includes('legacy') };
}

/** The state of a conversation (or legacy chat channel) as the emulator holds it. */
const stateOf = (emulator: RunningEmulator, sid: string) => emulator.model.get(sid).state;

const randomConversationSid = () => `CH${randomUUID().replace(/-/g, '')}`;

/** A copy of `sid` with its last hex digit changed: a "guessed" neighbour. */
const neighbourOf = (sid: string) => sid.slice(0, -1) + (sid.endsWith('0') ? '1' : '0');

/** An HS256 token shaped like Twilio's AccessToken, signed with `secret`. */
function signToken(claims: { identity: string; serviceSid: string; accountSid: string; apiKeySid: string; exp: number }, secret: string, alg = 'HS256'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ typ: 'JWT', alg, cty: 'twilio-fpa;v=1' });
  const payload = part({
    jti: `${claims.apiKeySid}-${Date.now()}`,
    grants: { identity: claims.identity, chat: { service_sid: claims.serviceSid } },
    iat: claims.exp - TTL_SECONDS,
    exp: claims.exp,
    iss: claims.apiKeySid,
    sub: claims.accountSid,
  });
  const signature = alg === 'none' ? '' : createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** Re-encodes `token`'s payload with another identity, keeping the original signature. */
function withIdentity(token: string, identity: string): string {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { grants: { identity: string } };
  claims.grants.identity = identity;
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

interface Attempt {
  credential: string;
  body: Record<string, unknown>;
}

describe.each<ModeName>(['local', 'conversations', 'local legacy flow', 'legacy'])('authorization in %s mode', (mode) => {
  let ctx: ReturnType<typeof serviceIn>;
  let a: WebChatInitResponse;
  let b: WebChatInitResponse;
  /** A third visitor whose chat has ended: an existing conversation that is not B's. */
  let ended: WebChatInitResponse;
  /** B's earlier chat, ended: its credentials are replayed against A. */
  let bEarlier: WebChatInitResponse;

  it.beforeAll(async ({ emulator }) => {
    ctx = serviceIn(emulator, mode);
    [a, b, ended, bEarlier] = [await ctx.init(), await ctx.init(), await ctx.init(), await ctx.init()];
    for (const chat of [ended, bEarlier]) {
      const response = await ctx.call('/webchat/end', { identity: chat.identity, conversationSid: chat.conversationSid, sessionProof: chat.sessionProof });
      expect(response.status).toBe(200);
    }
    expect(stateOf(emulator, a.conversationSid)).toBe('active');
  });

  /** B's attempts on `conversationSid`, one per credential B could present (its own, someone else's, forged, replayed). */
  function attempts(conversationSid: string, path: string): Attempt[] {
    const { config } = ctx;
    const serviceSid = ctx.legacy ? (config.legacy?.chatServiceSid ?? '') : (config.conversationsServiceSid ?? '');
    const claims = { serviceSid, accountSid: config.accountSid, apiKeySid: config.apiKeySid, exp: Math.floor(Date.now() / 1000) + 600 };
    const forgedProof = `v1.${Math.floor(Date.now() / 1000)}.${Buffer.alloc(32, 7).toString('base64url')}`;
    const list: Attempt[] = [
      { credential: "own token + proof, own identity", body: { token: b.token, sessionProof: b.sessionProof, identity: b.identity, conversationSid } },
      { credential: 'own proof, own identity', body: { sessionProof: b.sessionProof, identity: b.identity, conversationSid } },
      { credential: "own proof, the victim's identity", body: { sessionProof: b.sessionProof, identity: a.identity, conversationSid } },
      { credential: "own token, the victim's identity", body: { token: b.token, sessionProof: b.sessionProof, identity: a.identity, conversationSid } },
      { credential: "own token + the victim's proof", body: { token: b.token, sessionProof: a.sessionProof, identity: b.identity, conversationSid } },
      { credential: "forged: own token re-labelled with the victim's identity", body: { token: withIdentity(b.token, a.identity), sessionProof: b.sessionProof, identity: a.identity, conversationSid } },
      { credential: "forged: token signed with another key for the victim's identity", body: { token: signToken({ ...claims, identity: a.identity }, 'not-our-api-key-secret'), sessionProof: b.sessionProof, identity: a.identity, conversationSid } },
      { credential: 'forged: unsigned token (alg none)', body: { token: signToken({ ...claims, identity: a.identity }, '', 'none'), sessionProof: b.sessionProof, identity: a.identity, conversationSid } },
      { credential: 'forged: proof with a made-up MAC', body: { sessionProof: forgedProof, identity: a.identity, conversationSid } },
      { credential: 'replayed: proof of an earlier, ended chat', body: { sessionProof: bEarlier.sessionProof, identity: bEarlier.identity, conversationSid } },
      { credential: 'replayed: token + proof of an earlier, ended chat', body: { token: bEarlier.token, sessionProof: bEarlier.sessionProof, identity: bEarlier.identity, conversationSid } },
    ];
    {
      // Conversations flow: a token alone is tied to a conversation by Twilio's participant list.
      // Legacy: the Flex API has no membership lookup, so a token alone is refused outright.
      list.push(
        { credential: 'own token alone', body: { token: b.token, identity: b.identity, conversationSid } },
        ...(path === '/webchat/end' ? [{ credential: 'own token alone, identity left out', body: { token: b.token, conversationSid } }] : []),
        { credential: 'replayed: token alone of an earlier, ended chat', body: { token: bEarlier.token, identity: bEarlier.identity, conversationSid } },
      );
    }
    return list;
  }

  const targets = () => ({
    "the victim's conversation": a.conversationSid,
    'a guessed neighbour SID': neighbourOf(a.conversationSid),
    'a random, non-existent SID': randomConversationSid(),
    "another visitor's ended conversation": ended.conversationSid,
  });

  it.for(['/webchat/refresh', '/webchat/end'])(
    "%s: every attempt on a conversation that is not B's is refused, with the same answer as for a non-existent one",
    async (path, { emulator }) => {
      const answers = new Map<string, { status: number; body: unknown }>();
      for (const [target, sid] of Object.entries(targets())) {
        for (const attempt of attempts(sid, path)) {
          const response = await ctx.call(path, attempt.body);
          const body = (await response.json()) as ErrorResponse;
          const label = `${path} ${attempt.credential} → ${target}`;
          expect(response.status, label).toBeGreaterThanOrEqual(400);
          expect(body, label).not.toHaveProperty('token');
          expect(body, label).not.toHaveProperty('sessionProof');
          expect(body, label).not.toHaveProperty('state');
          // The answer depends on the credential only, never on which conversation it names.
          const reference = answers.get(attempt.credential);
          if (reference) expect({ status: response.status, body }, label).toEqual(reference);
          else answers.set(attempt.credential, { status: response.status, body });
        }
      }
      for (const [credential, answer] of answers) {
        const withoutProof = !('sessionProof' in (attempts(a.conversationSid, path).find((x) => x.credential === credential)?.body ?? {}));
        if (ctx.legacy && withoutProof) expect(answer, credential).toEqual({ status: 400, body: { error: LEGACY_NEEDS_PROOF } });
        else expect(answer, credential).toEqual({ status: 401, body: { error: TOKEN_INVALID } });
      }
      expect(stateOf(emulator, a.conversationSid)).toBe('active');
    },
  );

  it("issue 12's attack: B's refresh on A's conversation yields no proof, so B cannot end A's chat", async ({ emulator }) => {
    const stolen = await ctx.call('/webchat/refresh', { token: b.token, identity: b.identity, conversationSid: a.conversationSid });
    expect(stolen.status).toBeGreaterThanOrEqual(400);
    const { sessionProof } = (await stolen.json()) as { sessionProof?: string };
    expect(sessionProof).toBeUndefined();
    const end = await ctx.call('/webchat/end', { token: b.token, identity: b.identity, conversationSid: a.conversationSid, sessionProof: b.sessionProof });
    expect(end.status).toBe(401);
    expect(stateOf(emulator, a.conversationSid)).toBe('active');
  });

  it("expired credentials are refused on the victim's conversation and on B's own, alike", async ({ emulator }) => {
    ctx.clock.offsetMs = (TTL_SECONDS + GRACE_SECONDS + 60) * 1000;
    try {
      for (const path of ['/webchat/refresh', '/webchat/end']) {
        for (const sid of [a.conversationSid, randomConversationSid(), b.conversationSid]) {
          for (const body of [
            { token: b.token, sessionProof: b.sessionProof, identity: b.identity, conversationSid: sid },
            { sessionProof: b.sessionProof, identity: b.identity, conversationSid: sid },
            ...(ctx.legacy ? [] : [{ token: b.token, identity: b.identity, conversationSid: sid }]),
          ]) {
            const response = await ctx.call(path, body);
            expect([response.status, await response.json()], `${path} ${JSON.stringify(Object.keys(body))}`).toEqual([401, { error: TOKEN_INVALID }]);
          }
        }
      }
    } finally {
      ctx.clock.offsetMs = 0;
    }
    expect(stateOf(emulator, a.conversationSid)).toBe('active');
    expect(stateOf(emulator, b.conversationSid)).toBe('active');
  });

  it('a credential from another deployment (other session secret and API key) is refused', async ({ emulator }) => {
    const other = serviceIn(emulator, mode, { FLEXCHAT_SESSION_SECRET: 'another-deployments-session-secret-987654321' });
    const theirs = await other.init();
    for (const path of ['/webchat/refresh', '/webchat/end']) {
      const response = await ctx.call(path, { sessionProof: theirs.sessionProof, identity: theirs.identity, conversationSid: a.conversationSid });
      expect([response.status, await response.json()]).toEqual([401, { error: TOKEN_INVALID }]);
    }
    expect(stateOf(emulator, a.conversationSid)).toBe('active');
  });

  it("init never joins or names an existing conversation or identity", async ({ emulator }) => {
    for (const extra of [{ conversationSid: a.conversationSid }, { identity: a.identity }, { token: a.token }]) {
      const response = await ctx.call('/webchat/init', { preEngagementData: validSubmission, ...extra });
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorResponse).error.code).toBe('invalid_body');
    }
    const fresh = await ctx.init();
    expect(fresh.identity).not.toBe(a.identity);
    expect(fresh.conversationSid).not.toBe(a.conversationSid);
    const participants = [...emulator.model.get(a.conversationSid).participants.values()].map((p) => p.identity);
    expect(participants).not.toContain(fresh.identity);
  });

  it('/webchat/message names no conversation; /healthz and /readyz reveal none', async () => {
    const message = await ctx.call('/webchat/message', { name: 'B', email: 'b@example.com', message: 'hi', conversationSid: a.conversationSid });
    expect([400, 501]).toContain(message.status); // 501: real mode without a webhook
    for (const path of ['/healthz', '/readyz']) {
      const response = await ctx.service.fetch(new Request(`http://127.0.0.1${path}`));
      const text = await response.text();
      expect(text).not.toContain(a.conversationSid);
      expect(text).not.toContain(a.identity);
    }
  });

  it("the victim's own credentials still work afterwards: refresh, then end", async ({ emulator }) => {
    const session = { identity: a.identity, conversationSid: a.conversationSid };
    const refreshed = await ctx.call('/webchat/refresh', { ...session, token: a.token, sessionProof: a.sessionProof });
    expect(refreshed.status).toBe(200);
    expect(stateOf(emulator, a.conversationSid)).toBe('active');
    const endedNow = await ctx.call('/webchat/end', { ...session, sessionProof: a.sessionProof });
    expect(endedNow.status).toBe(200);
    expect(['closed', 'inactive']).toContain(stateOf(emulator, a.conversationSid));
    if (!ctx.legacy) {
      // Replaying A's credentials after the end reopens nothing and mints nothing. (A legacy channel set
      // inactive lives on until the agent wraps up, as in Flex, so there refresh still answers.)
      const replay = await ctx.call('/webchat/refresh', { ...session, token: a.token, sessionProof: a.sessionProof });
      expect([replay.status, ((await replay.json()) as ErrorResponse).error.code]).toEqual([410, 'conversation_closed']);
    }
  });
});
