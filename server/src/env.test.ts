import { describe, expect, it } from 'vitest';
import { localAccount as defaultCredentials } from '../../contracts/local-account.ts';
import {
  deriveTwilsockUri,
  EnvError,
  loadTokenServiceConfig,
  parseListenAddress,
  parseTokenServiceEnv,
  resolveChat,
  type EnvInput,
} from './env.ts';

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

const real: EnvInput = {
  TWILIO_ACCOUNT_SID: sid('AC', 7),
  TWILIO_AUTH_TOKEN: 'real-auth-token',
  TWILIO_API_KEY_SID: sid('SK', 7),
  TWILIO_API_KEY_SECRET: 'real-api-key-secret',
  TWILIO_CONVERSATIONS_SERVICE_SID: sid('IS', 7),
  TWILIO_WEBCHAT_ADDRESS_SID: sid('IG', 7),
  FLEXCHAT_ALLOWED_ORIGINS: 'https://chat.example.com',
};

function problemsOf(env: EnvInput, defaults = {}): string[] {
  const result = parseTokenServiceEnv(env, defaults);
  if (result.ok) throw new Error('expected problems, got a config');
  return result.problems;
}

describe('local mode', () => {
  it('is the default without TWILIO_ACCOUNT_SID and uses the emulator credentials', () => {
    const config = loadTokenServiceConfig({ FLEXCHAT_ALLOWED_ORIGINS: 'http://127.0.0.1:4030' });
    expect(config).toEqual({
      mode: 'local',
      flow: 'conversations',
      accountSid: defaultCredentials.accountSid,
      authToken: defaultCredentials.authToken,
      apiKeySid: defaultCredentials.apiKeySid,
      apiKeySecret: defaultCredentials.apiKeySecret,
      conversationsServiceSid: defaultCredentials.conversationsServiceSid,
      webChatAddressSid: defaultCredentials.webChatAddressSid,
      taskRouterWorkspaceSid: defaultCredentials.taskRouterWorkspaceSid,
      allowedOrigins: ['http://127.0.0.1:4030'],
      tokenTtlSeconds: 3600,
      emulator: { url: 'http://127.0.0.1:4010', twilsockUri: 'ws://127.0.0.1:4010/v3/wsconnect' },
      rateLimits: {
        init: { perIp: 10, perDeployment: 300 },
        refresh: { perIp: 60, perDeployment: 3000 },
        end: { perIp: 60, perDeployment: 3000 },
        message: { perIp: 5, perDeployment: 120 },
      },
      orchestrationPerSecond: 4,
      trustProxyHops: 0,
      refreshGraceSeconds: 900,
      warmUpChatStarts: 1000,
    });
  });

  it('derives the Twilsock URI from FLEX_EMULATOR_URL', () => {
    const config = loadTokenServiceConfig({ FLEX_EMULATOR_URL: 'http://localhost:5555/' }, { allowedOrigins: ['http://a.test'] });
    expect(config.emulator).toEqual({ url: 'http://localhost:5555', twilsockUri: 'ws://localhost:5555/v3/wsconnect' });
  });

  it('derives wss from https and keeps a base path', () => {
    expect(deriveTwilsockUri('https://emu.example.com/flex')).toBe('wss://emu.example.com/flex/v3/wsconnect');
  });

  it('takes an explicit FLEX_EMULATOR_TWILSOCK_URI', () => {
    const config = loadTokenServiceConfig(
      { FLEX_EMULATOR_TWILSOCK_URI: 'ws://127.0.0.1:9999/v3/wsconnect' },
      { allowedOrigins: ['http://a.test'] },
    );
    expect(config.emulator?.twilsockUri).toBe('ws://127.0.0.1:9999/v3/wsconnect');
  });

  it('lets TWILIO_* values override the emulator defaults when FLEXCHAT_MODE=local', () => {
    const config = loadTokenServiceConfig({ ...real, FLEXCHAT_MODE: 'local' });
    expect(config.mode).toBe('local');
    expect(config.accountSid).toBe(real.TWILIO_ACCOUNT_SID);
    expect(config.emulator?.url).toBe('http://127.0.0.1:4010');
  });

  it('rejects a non-http emulator URL', () => {
    expect(problemsOf({ FLEX_EMULATOR_URL: 'ftp://x' }, { allowedOrigins: ['http://a.test'] })).toEqual([
      'FLEX_EMULATOR_URL must be a http or https URL ("ftp://x")',
    ]);
  });

  it('rejects an http Twilsock URI', () => {
    expect(problemsOf({ FLEX_EMULATOR_TWILSOCK_URI: 'http://127.0.0.1:4010/v3/wsconnect' }, { allowedOrigins: ['http://a.test'] })).toEqual([
      'FLEX_EMULATOR_TWILSOCK_URI must be a ws or wss URL ("http://127.0.0.1:4010/v3/wsconnect")',
    ]);
  });
});

describe('conversations mode', () => {
  it('is chosen by TWILIO_ACCOUNT_SID and has no emulator', () => {
    const config = loadTokenServiceConfig(real);
    expect(config.mode).toBe('conversations');
    expect(config.emulator).toBeUndefined();
    expect(config.authToken).toBe('real-auth-token');
    expect(config.webChatAddressSid).toBe(sid('IG', 7));
  });

  it('works without an auth token (REST then uses the API key)', () => {
    const { TWILIO_AUTH_TOKEN: _omit, ...env } = real;
    const config = loadTokenServiceConfig(env);
    expect(config.authToken).toBeUndefined();
  });

  it('names every missing variable', () => {
    expect(problemsOf({ TWILIO_ACCOUNT_SID: sid('AC', 1), FLEXCHAT_ALLOWED_ORIGINS: 'https://chat.example.com' })).toEqual([
      'TWILIO_API_KEY_SID is required when talking to real Twilio (mode "conversations")',
      'TWILIO_API_KEY_SECRET is required when talking to real Twilio (mode "conversations")',
      'TWILIO_CONVERSATIONS_SERVICE_SID is required when talking to real Twilio (mode "conversations")',
      'TWILIO_WEBCHAT_ADDRESS_SID is required when talking to real Twilio (mode "conversations")',
    ]);
  });

  it('treats blank values as missing', () => {
    expect(problemsOf({ ...real, TWILIO_API_KEY_SECRET: '   ' })).toEqual([
      'TWILIO_API_KEY_SECRET is required when talking to real Twilio (mode "conversations")',
    ]);
  });
});

describe('legacy mode (Flex Programmable Chat)', () => {
  const { TWILIO_CONVERSATIONS_SERVICE_SID: _s, TWILIO_WEBCHAT_ADDRESS_SID: _a, ...credentials } = real;
  const legacyEnv: EnvInput = { ...credentials, TWILIO_FLEX_FLOW_SID: sid('FO', 7), TWILIO_FLEX_CHAT_SERVICE_SID: sid('IS', 8) };

  it('is inferred from the Flex Flow + chat service pair when no web chat address is set', () => {
    const config = loadTokenServiceConfig(legacyEnv);
    expect(config).toMatchObject({ mode: 'legacy', flow: 'legacy', legacy: { flexFlowSid: sid('FO', 7), chatServiceSid: sid('IS', 8) } });
    expect(config.conversationsServiceSid).toBeUndefined();
    expect(config.webChatAddressSid).toBeUndefined();
    expect(config.emulator).toBeUndefined();
    expect(resolveChat(config)).toEqual({ flow: 'legacy', serviceSid: sid('IS', 8), flexFlowSid: sid('FO', 7) });
  });

  it('is not inferred while a web chat address is set (conversations wins), but FLEXCHAT_MODE=legacy forces it', () => {
    expect(loadTokenServiceConfig({ ...real, TWILIO_FLEX_FLOW_SID: sid('FO', 7), TWILIO_FLEX_CHAT_SERVICE_SID: sid('IS', 8) }).mode).toBe('conversations');
    const forced = loadTokenServiceConfig({ ...real, FLEXCHAT_MODE: 'legacy', TWILIO_FLEX_FLOW_SID: sid('FO', 7), TWILIO_FLEX_CHAT_SERVICE_SID: sid('IS', 8) });
    expect(forced.mode).toBe('legacy');
    expect(resolveChat(forced).flow).toBe('legacy');
  });

  it('reads FLEXCHAT_LEGACY_LONG_LIVED', () => {
    expect(loadTokenServiceConfig({ ...legacyEnv, FLEXCHAT_LEGACY_LONG_LIVED: 'true' }).legacy?.longLived).toBe(true);
    expect(problemsOf({ ...legacyEnv, FLEXCHAT_LEGACY_LONG_LIVED: 'yes' })).toEqual([
      'FLEXCHAT_LEGACY_LONG_LIVED must be "true" or "false" (got "yes"); leave it unset to use the Flex Flow\'s own setting',
    ]);
  });

  it('names the missing legacy SIDs, with where to find them', () => {
    expect(problemsOf({ ...credentials, FLEXCHAT_MODE: 'legacy' })).toEqual([
      'TWILIO_FLEX_FLOW_SID is required when talking to real Twilio (mode "legacy") (run `npm run flexchat -- setup` to find it)',
      'TWILIO_FLEX_CHAT_SERVICE_SID is required when talking to real Twilio (mode "legacy") (run `npm run flexchat -- setup` to find it)',
    ]);
  });

  it('points a conversations setup that only has the legacy flow at FLEXCHAT_MODE=legacy', () => {
    expect(problemsOf({ ...credentials, FLEXCHAT_MODE: 'conversations', TWILIO_FLEX_FLOW_SID: sid('FO', 7) })).toEqual([
      'TWILIO_CONVERSATIONS_SERVICE_SID is required when talking to real Twilio (mode "conversations") (TWILIO_FLEX_FLOW_SID is set: for the legacy Flex chat flow set FLEXCHAT_MODE=legacy)',
      'TWILIO_WEBCHAT_ADDRESS_SID is required when talking to real Twilio (mode "conversations") (TWILIO_FLEX_FLOW_SID is set: for the legacy Flex chat flow set FLEXCHAT_MODE=legacy)',
    ]);
  });

  it.each([
    [{ TWILIO_FLEX_FLOW_SID: sid('IS', 8) }, 'TWILIO_FLEX_FLOW_SID must start with FO (got an IS… SID: that is a Conversations or chat service, not a Flex Flow)'],
    [{ TWILIO_FLEX_CHAT_SERVICE_SID: sid('FO', 7) }, 'TWILIO_FLEX_CHAT_SERVICE_SID must start with IS (got an FO… SID: that is a Flex Flow, not a Conversations or chat service)'],
    [
      { TWILIO_FLEX_FLOW_SID: sid('IS', 8), TWILIO_FLEX_CHAT_SERVICE_SID: sid('FO', 7) },
      'TWILIO_FLEX_FLOW_SID and TWILIO_FLEX_CHAT_SERVICE_SID are swapped: the Flex Flow is the FO… SID, the chat service the IS… SID',
    ],
    [
      { TWILIO_FLEX_FLOW_SID: sid('FW', 1) },
      'TWILIO_FLEX_FLOW_SID must start with FO (got an FW… SID: that is a Studio Flow, not a Flex Flow; the Flex Flow (FO…) points at that Studio Flow: run `npm run flexchat -- setup` to list Flex Flows)',
    ],
    [
      { TWILIO_FLEX_FLOW_SID: sid('IG', 1) },
      'TWILIO_FLEX_FLOW_SID must start with FO (got an IG… SID: that is a Conversations address, not a Flex Flow; for Flex Conversations put it in TWILIO_WEBCHAT_ADDRESS_SID instead)',
    ],
    [{ FLEXCHAT_LOCAL_FLOW: 'legacy' }, 'FLEXCHAT_LOCAL_FLOW only applies in local mode (the mode is "legacy"); against real Twilio set FLEXCHAT_MODE=legacy instead'],
  ])('one message for %j', (override, message) => {
    expect(problemsOf({ ...legacyEnv, FLEXCHAT_MODE: 'legacy', ...override })).toEqual([message]);
  });

  it('says where an FO… belongs when it lands in TWILIO_WEBCHAT_ADDRESS_SID', () => {
    expect(problemsOf({ ...real, TWILIO_WEBCHAT_ADDRESS_SID: sid('FO', 7) })).toEqual([
      'TWILIO_WEBCHAT_ADDRESS_SID must start with IG (got an FO… SID: that is a Flex Flow, not a Conversations address; for the legacy Flex chat flow put it in TWILIO_FLEX_FLOW_SID instead)',
    ]);
  });

  it('runs against the emulator with FLEXCHAT_LOCAL_FLOW=legacy (seeded flow FO…01, chat service IS…02)', () => {
    const config = loadTokenServiceConfig({ FLEXCHAT_LOCAL_FLOW: 'legacy', FLEXCHAT_ALLOWED_ORIGINS: 'http://127.0.0.1:4030' });
    expect(config).toMatchObject({
      mode: 'local',
      flow: 'legacy',
      legacy: { flexFlowSid: defaultCredentials.webFlexFlowSid, chatServiceSid: defaultCredentials.flexChatServiceSid },
    });
    expect(config.emulator).toBeDefined();
    expect(problemsOf({ FLEXCHAT_LOCAL_FLOW: 'chat', FLEXCHAT_ALLOWED_ORIGINS: 'http://127.0.0.1:4030' })).toEqual([
      'FLEXCHAT_LOCAL_FLOW must be "conversations" or "legacy" (got "chat")',
    ]);
  });

  it('refuses a hand-built legacy config without its SIDs', () => {
    const config = loadTokenServiceConfig(legacyEnv);
    delete config.legacy;
    expect(() => resolveChat(config)).toThrow(EnvError);
  });
});

describe('one clear message per mistake', () => {
  it.each([
    ['TWILIO_CONVERSATIONS_SERVICE_SID', sid('CH', 1), 'TWILIO_CONVERSATIONS_SERVICE_SID must start with IS (got a CH… SID: that is a conversation, not a Conversations or chat service)'],
    ['TWILIO_CONVERSATIONS_SERVICE_SID', 'ZZ123', 'TWILIO_CONVERSATIONS_SERVICE_SID must start with IS'],
    ['TWILIO_WEBCHAT_ADDRESS_SID', sid('IS', 1), 'TWILIO_WEBCHAT_ADDRESS_SID must start with IG (got an IS… SID: that is a Conversations or chat service, not a Conversations address)'],
    ['TWILIO_ACCOUNT_SID', sid('SK', 1), 'TWILIO_ACCOUNT_SID must start with AC (got an SK… SID: that is an API key, not an account)'],
    ['TWILIO_API_KEY_SID', sid('AC', 1), 'TWILIO_API_KEY_SID must start with SK (got an AC… SID: that is an account, not an API key)'],
    ['TWILIO_ACCOUNT_SID', `AC${'0'.repeat(31)}`, 'TWILIO_ACCOUNT_SID must be AC followed by 32 lowercase hex digits (34 characters; got 33)'],
    ['TWILIO_ACCOUNT_SID', `AC${'G'.repeat(32)}`, 'TWILIO_ACCOUNT_SID must be AC followed by 32 lowercase hex digits (34 characters; got 34)'],
    ['TWILIO_ACCOUNT_SID', `ac${'0'.repeat(32)}`, 'TWILIO_ACCOUNT_SID must start with AC in capitals'],
    ['TWILIO_AUTH_TOKEN', sid('AC', 3), 'TWILIO_AUTH_TOKEN looks like a SID; it must be the auth token (a secret), not an identifier'],
    ['TWILIO_API_KEY_SECRET', sid('SK', 3), 'TWILIO_API_KEY_SECRET looks like a SID; it must be the secret shown once when the API key was created'],
    ['FLEXCHAT_TOKEN_TTL_SECONDS', 'abc', 'FLEXCHAT_TOKEN_TTL_SECONDS must be a whole number of seconds between 60 and 86400 (got "abc")'],
    ['FLEXCHAT_TOKEN_TTL_SECONDS', '59', 'FLEXCHAT_TOKEN_TTL_SECONDS must be a whole number of seconds between 60 and 86400 (got "59")'],
    ['FLEXCHAT_TOKEN_TTL_SECONDS', '86401', 'FLEXCHAT_TOKEN_TTL_SECONDS must be a whole number of seconds between 60 and 86400 (got "86401")'],
    ['FLEXCHAT_TOKEN_TTL_SECONDS', '3600.5', 'FLEXCHAT_TOKEN_TTL_SECONDS must be a whole number of seconds between 60 and 86400 (got "3600.5")'],
    ['FLEXCHAT_ALLOWED_ORIGINS', '*', 'FLEXCHAT_ALLOWED_ORIGINS: must list exact origins; "*" is not allowed'],
    ['FLEXCHAT_ALLOWED_ORIGINS', 'chat.example.com', 'FLEXCHAT_ALLOWED_ORIGINS: "chat.example.com" is not an origin like https://chat.example.com'],
    ['FLEXCHAT_ALLOWED_ORIGINS', 'https://chat.example.com/widget', 'FLEXCHAT_ALLOWED_ORIGINS: "https://chat.example.com/widget" must be an origin only (scheme://host[:port]), without path, query or credentials'],
    ['FLEXCHAT_ALLOWED_ORIGINS', 'file:///tmp/x', 'FLEXCHAT_ALLOWED_ORIGINS: "file:///tmp/x" must use http or https'],
    ['FLEXCHAT_ALLOWED_ORIGINS', ' , ', 'FLEXCHAT_ALLOWED_ORIGINS lists no origin'],
    ['FLEXCHAT_MODE', 'prod', 'FLEXCHAT_MODE must be "local", "conversations" or "legacy" (got "prod")'],
    ['FLEXCHAT_RATE_LIMIT_INIT_PER_IP', 'ten', 'FLEXCHAT_RATE_LIMIT_INIT_PER_IP must be a whole number of requests per minute (0 = no limit) between 0 and 1000000 (got "ten")'],
    ['FLEXCHAT_RATE_LIMIT_REFRESH_PER_DEPLOYMENT', '-1', 'FLEXCHAT_RATE_LIMIT_REFRESH_PER_DEPLOYMENT must be a whole number of requests per minute (0 = no limit) between 0 and 1000000 (got "-1")'],
    ['FLEXCHAT_TRUST_PROXY', 'true', 'FLEXCHAT_TRUST_PROXY must be the number of reverse proxies in front of the service, 0 to 10 (got "true"; e.g. 1 behind one load balancer)'],
    ['FLEXCHAT_TRUST_PROXY', '11', 'FLEXCHAT_TRUST_PROXY must be the number of reverse proxies in front of the service, 0 to 10 (got "11"; e.g. 1 behind one load balancer)'],
    ['FLEXCHAT_REDIS_URL', 'localhost:6379', 'FLEXCHAT_REDIS_URL must be a redis:// or rediss:// URL such as redis://redis.internal:6379/0'],
    ['FLEXCHAT_REDIS_URL', 'http://:pw@redis:6379', 'FLEXCHAT_REDIS_URL must be a redis:// or rediss:// URL such as redis://redis.internal:6379/0'],
    ['FLEXCHAT_REFRESH_GRACE_SECONDS', '86401', 'FLEXCHAT_REFRESH_GRACE_SECONDS must be a whole number of seconds between 0 and 86400 (got "86401")'],
    ['FLEXCHAT_FIRST_MESSAGE_FIELD', 'the question', 'FLEXCHAT_FIRST_MESSAGE_FIELD must be the name of a pre-engagement form field, e.g. question (got "the question")'],
  ])('%s=%s', (name, value, message) => {
    expect(problemsOf({ ...real, [name]: value })).toEqual([message]);
  });

  it('reports every mistake at once, and EnvError lists them', () => {
    const env = { ...real, TWILIO_WEBCHAT_ADDRESS_SID: sid('IS', 1), FLEXCHAT_TOKEN_TTL_SECONDS: '0' };
    expect(problemsOf(env)).toHaveLength(2);
    let thrown: unknown;
    try {
      loadTokenServiceConfig(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EnvError);
    expect((thrown as EnvError).problems).toHaveLength(2);
    expect((thrown as EnvError).message).toContain('  - TWILIO_WEBCHAT_ADDRESS_SID must start with IG');
    expect((thrown as EnvError).message).toContain('  - FLEXCHAT_TOKEN_TTL_SECONDS must be');
  });

  it('never echoes secrets in messages', () => {
    const problems = problemsOf({ ...real, TWILIO_ACCOUNT_SID: 'nope', FLEXCHAT_TOKEN_TTL_SECONDS: 'x' });
    expect(problems.join('\n')).not.toContain('real-auth-token');
    expect(problems.join('\n')).not.toContain('real-api-key-secret');
  });
});

describe('allowed origins', () => {
  it('normalises, de-duplicates and keeps order', () => {
    const config = loadTokenServiceConfig({
      ...real,
      FLEXCHAT_ALLOWED_ORIGINS: 'https://Chat.Example.com:443/, http://localhost:4030 ,https://chat.example.com',
    });
    expect(config.allowedOrigins).toEqual(['https://chat.example.com', 'http://localhost:4030']);
  });

  it('falls back to the given default (the deployment widget origin)', () => {
    const { FLEXCHAT_ALLOWED_ORIGINS: _omit, ...env } = real;
    expect(loadTokenServiceConfig(env, { allowedOrigins: ['https://w.example.com'] }).allowedOrigins).toEqual([
      'https://w.example.com',
    ]);
  });

  it('is required when there is no default', () => {
    const { FLEXCHAT_ALLOWED_ORIGINS: _omit, ...env } = real;
    expect(problemsOf(env)).toEqual([
      'FLEXCHAT_ALLOWED_ORIGINS is required: the widget origin(s), comma separated, e.g. https://chat.example.com',
    ]);
  });
});

describe('rate limits, proxies and Redis', () => {
  it('default to 10/300 per minute for init, 60/3000 for refresh and end, 5/120 for message, no trusted proxy, memory store', () => {
    const config = loadTokenServiceConfig(real);
    expect(config.rateLimits).toEqual({
      init: { perIp: 10, perDeployment: 300 },
      refresh: { perIp: 60, perDeployment: 3000 },
      end: { perIp: 60, perDeployment: 3000 },
      message: { perIp: 5, perDeployment: 120 },
    });
    expect(config.trustProxyHops).toBe(0);
    expect('redisUrl' in config).toBe(false);
  });

  it('read every limit, 0 meaning off', () => {
    const config = loadTokenServiceConfig({
      ...real,
      FLEXCHAT_RATE_LIMIT_INIT_PER_IP: '5',
      FLEXCHAT_RATE_LIMIT_INIT_PER_DEPLOYMENT: '0',
      FLEXCHAT_RATE_LIMIT_REFRESH_PER_IP: '30',
      FLEXCHAT_RATE_LIMIT_REFRESH_PER_DEPLOYMENT: '1000000',
      FLEXCHAT_RATE_LIMIT_END_PER_IP: '3',
      FLEXCHAT_RATE_LIMIT_END_PER_DEPLOYMENT: '0',
      FLEXCHAT_RATE_LIMIT_MESSAGE_PER_IP: '0',
      FLEXCHAT_RATE_LIMIT_MESSAGE_PER_DEPLOYMENT: '7',
      FLEXCHAT_TRUST_PROXY: '2',
      FLEXCHAT_REDIS_URL: 'rediss://:pw@redis.internal:6380/1',
    });
    expect(config.rateLimits).toEqual({
      init: { perIp: 5, perDeployment: 0 },
      refresh: { perIp: 30, perDeployment: 1_000_000 },
      end: { perIp: 3, perDeployment: 0 },
      message: { perIp: 0, perDeployment: 7 },
    });
    expect(config.trustProxyHops).toBe(2);
    expect(config.redisUrl).toBe('rediss://:pw@redis.internal:6380/1');
  });

  it('never echo a Redis URL (it may hold a password)', () => {
    expect(problemsOf({ ...real, FLEXCHAT_REDIS_URL: 'tcp://:hunter2@redis:6379' }).join('\n')).not.toContain('hunter2');
  });
});

describe('secrets, first message and grace period', () => {
  const long = (c: string) => c.repeat(32);

  it('are optional, with a 900 s grace period by default', () => {
    const config = loadTokenServiceConfig(real);
    expect(config.refreshGraceSeconds).toBe(900);
    for (const key of ['identitySecret', 'sessionSecret', 'firstMessageField'] as const) expect(key in config).toBe(false);
  });

  it('are read when set', () => {
    const config = loadTokenServiceConfig({
      ...real,
      FLEXCHAT_IDENTITY_SECRET: long('i'),
      FLEXCHAT_SESSION_SECRET: long('s'),
      FLEXCHAT_FIRST_MESSAGE_FIELD: 'question',
      FLEXCHAT_REFRESH_GRACE_SECONDS: '0',
    });
    expect(config).toMatchObject({ identitySecret: long('i'), sessionSecret: long('s'), firstMessageField: 'question', refreshGraceSeconds: 0 });
  });

  it('refuse short secrets without echoing them', () => {
    const problems = problemsOf({ ...real, FLEXCHAT_IDENTITY_SECRET: 'tooshort-secret', FLEXCHAT_SESSION_SECRET: 'also-short' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^FLEXCHAT_IDENTITY_SECRET must be at least 32 characters \(got 15\)/);
    expect(problems[1]).toMatch(/^FLEXCHAT_SESSION_SECRET must be at least 32 characters \(got 10\)/);
    expect(problems.join('\n')).not.toMatch(/tooshort-secret|also-short/);
  });

  it('refuse one secret for both purposes', () => {
    expect(problemsOf({ ...real, FLEXCHAT_IDENTITY_SECRET: long('x'), FLEXCHAT_SESSION_SECRET: long('x') })).toEqual([
      'FLEXCHAT_IDENTITY_SECRET and FLEXCHAT_SESSION_SECRET must differ: the site owner knows the first, only this service may know the second',
    ]);
  });
});

describe('message webhook', () => {
  const secret = 'whsec-'.padEnd(40, 'x');

  it('is off by default; reads the URL and the optional signing secret', () => {
    expect('messageWebhook' in loadTokenServiceConfig(real)).toBe(false);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_MESSAGE_WEBHOOK_URL: 'https://hooks.example.com/flexchat?token=t' }).messageWebhook).toEqual({
      url: 'https://hooks.example.com/flexchat?token=t',
    });
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_MESSAGE_WEBHOOK_URL: 'http://127.0.0.1:9000/in', FLEXCHAT_MESSAGE_WEBHOOK_SECRET: secret }).messageWebhook).toEqual({
      url: 'http://127.0.0.1:9000/in',
      secret,
    });
  });

  it.each([
    [{ FLEXCHAT_MESSAGE_WEBHOOK_URL: 'hooks.example.com/flexchat' }, 'must be an absolute https URL'],
    [{ FLEXCHAT_MESSAGE_WEBHOOK_URL: 'ftp://hooks.example.com/x' }, 'must be an absolute https URL'],
    [{ FLEXCHAT_MESSAGE_WEBHOOK_URL: 'http://hooks.example.com/x?token=hunter2' }, 'must use https'],
    [{ FLEXCHAT_MESSAGE_WEBHOOK_URL: 'https://hooks.example.com/x', FLEXCHAT_MESSAGE_WEBHOOK_SECRET: 'short' }, 'at least 32 characters'],
    [{ FLEXCHAT_MESSAGE_WEBHOOK_SECRET: 'whsec-'.padEnd(40, 'y') }, 'FLEXCHAT_MESSAGE_WEBHOOK_URL is not'],
  ])('refuses %j with one clear message, never echoing the URL', (env, expected) => {
    const problems = problemsOf({ ...real, ...env });
    expect(problems).toEqual([expect.stringContaining(expected)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });
});

describe('token TTL', () => {
  it('defaults to 3600 and accepts the bounds', () => {
    expect(loadTokenServiceConfig(real).tokenTtlSeconds).toBe(3600);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_TOKEN_TTL_SECONDS: '60' }).tokenTtlSeconds).toBe(60);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_TOKEN_TTL_SECONDS: '86400' }).tokenTtlSeconds).toBe(86400);
  });
});

describe('listen address', () => {
  it('defaults to the tokenUrl port, then 4020, on 127.0.0.1', () => {
    expect(parseListenAddress({}, 'http://127.0.0.1:4555')).toEqual({ ok: true, port: 4555, host: '127.0.0.1' });
    expect(parseListenAddress({}, 'https://tokens.example.com')).toEqual({ ok: true, port: 4020, host: '127.0.0.1' });
    expect(parseListenAddress({})).toEqual({ ok: true, port: 4020, host: '127.0.0.1' });
  });

  it('reads FLEXCHAT_TOKEN_PORT and FLEXCHAT_TOKEN_HOST', () => {
    expect(parseListenAddress({ FLEXCHAT_TOKEN_PORT: '0', FLEXCHAT_TOKEN_HOST: '0.0.0.0' })).toEqual({ ok: true, port: 0, host: '0.0.0.0' });
  });

  it('rejects a bad port', () => {
    expect(parseListenAddress({ FLEXCHAT_TOKEN_PORT: '70000' })).toEqual({
      ok: false,
      problems: ['FLEXCHAT_TOKEN_PORT must be a port number between 0 and 65535 (got "70000")'],
    });
  });
});

describe('documentation', () => {
  it('lists every variable env.ts reads in .env.example and in the README table', async () => {
    const { readFileSync } = await import('node:fs');
    const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');
    const source = read('./env.ts');
    const names = new Set([...source.matchAll(/'((?:FLEXCHAT|TWILIO|FLEX)_[A-Z0-9_]+)'/g)].map((m) => m[1]!));
    names.add('FLEXCHAT_TOKEN_PORT');
    names.add('FLEXCHAT_TOKEN_HOST');
    expect(names.size).toBeGreaterThan(20);
    const example = new Set([...read('../.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]!));
    const readmeTable = new Set([...read('../README.md').matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
    expect([...names].filter((n) => !example.has(n))).toEqual([]);
    expect([...names].filter((n) => !readmeTable.has(n))).toEqual([]);
  });
});

describe('FLEXCHAT_WARM_UP_CHAT_STARTS (the Node runtime rehearsal before /readyz)', () => {
  it('defaults to 1000; takes a whole number up to 5000, 0 switching the rehearsal off', () => {
    expect(loadTokenServiceConfig(real).warmUpChatStarts).toBe(1000);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_WARM_UP_CHAT_STARTS: '0' }).warmUpChatStarts).toBe(0);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_WARM_UP_CHAT_STARTS: '5000' }).warmUpChatStarts).toBe(5000);
    expect(problemsOf({ ...real, FLEXCHAT_WARM_UP_CHAT_STARTS: '5001' })).toEqual([
      'FLEXCHAT_WARM_UP_CHAT_STARTS must be a whole number of chat starts (0 = no rehearsal) between 0 and 5000 (got "5001")',
    ]);
    expect(problemsOf({ ...real, FLEXCHAT_WARM_UP_CHAT_STARTS: 'lots' })).toHaveLength(1);
  });
});

describe('FLEXCHAT_ORCHESTRATION_PER_SECOND (chat starts per second for the account)', () => {
  it("defaults to 4, under Twilio's documented 5 per second", () => {
    expect(loadTokenServiceConfig(real).orchestrationPerSecond).toBe(4);
  });

  it('takes a whole number, 0 switching the limit off', () => {
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_ORCHESTRATION_PER_SECOND: '0' }).orchestrationPerSecond).toBe(0);
    expect(loadTokenServiceConfig({ ...real, FLEXCHAT_ORCHESTRATION_PER_SECOND: '2' }).orchestrationPerSecond).toBe(2);
    expect(problemsOf({ ...real, FLEXCHAT_ORCHESTRATION_PER_SECOND: '4.5' })).toEqual([
      'FLEXCHAT_ORCHESTRATION_PER_SECOND must be a whole number of chat starts per second for the account (0 = no limit) between 0 and 1000 (got "4.5")',
    ]);
  });
});
