import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import { emulatorPerTest } from '../../emulator/test/fixture.ts';
import type { AddressInfo, AdminApi, FlexFlowInfo, ServiceInfo } from './admin-api.ts';
import { parseArgs, runCli, UsageError } from './cli.ts';
import { runDoctor, type DoctorDeps, type Finding } from './doctor.ts';
import type { EnvInput } from './env.ts';
import { normaliseContactIdentity, runSetup, type SetupOptions } from './setup.ts';

// setup and doctor against a real Flex emulator started in-process, through the
// official twilio helper library, as they run against real Twilio.

const sid = (prefix: string, n: number | string) => prefix + n.toString(16).padStart(32, '0');
const ORIGIN = 'http://127.0.0.1:4030';

// A fresh emulator for each test: setup creates flows and addresses that a later test must not see.
const it = emulatorPerTest({ logLevel: 'silent' });

/** The local-mode environment, pointed at this test's emulator. */
const localEnv = (emulator: RunningEmulator, extra: EnvInput = {}): EnvInput => ({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: ORIGIN, ...extra });

async function setup(emulator: RunningEmulator, options: SetupOptions = {}, env: EnvInput = localEnv(emulator)) {
  const lines: string[] = [];
  const code = await runSetup(env, options, { out: (line) => lines.push(line) });
  return { code, output: lines.join('\n'), lines };
}

async function doctor(env: EnvInput) {
  const lines: string[] = [];
  const result = await runDoctor(env, { out: (line) => lines.push(line) });
  const problems = result.findings.filter((f) => f.status === 'problem');
  return { ...result, problems, output: lines.join('\n') };
}

const auth = (emulator: RunningEmulator) => `Basic ${Buffer.from(`${emulator.credentials.accountSid}:${emulator.credentials.authToken}`).toString('base64')}`;

async function flexFlow(emulator: RunningEmulator, flowSid: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${emulator.url}/flex-api/v1/FlexFlows/${flowSid}`, { headers: { authorization: auth(emulator) } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function flexFlows(emulator: RunningEmulator): Promise<Array<Record<string, unknown>>> {
  const response = await fetch(`${emulator.url}/flex-api/v1/FlexFlows`, { headers: { authorization: auth(emulator) } });
  return ((await response.json()) as { flex_flows: Array<Record<string, unknown>> }).flex_flows;
}

const STUDIO = sid('FW', 0xabc);

describe('flexchat setup', () => {
  it('lists the Flex Flows and addresses, finds the web ones and prints the .env lines for both flows', async ({ emulator }) => {
    const { code, output } = await setup(emulator);
    expect(code).toBe(0);
    const { webFlexFlowSid, webChatAddressSid, conversationsServiceSid, flexChatServiceSid, accountSid } = emulator.credentials;
    expect(output).toContain(`flexchat setup — local mode (Flex emulator at ${emulator.url}), account ${accountSid}`);
    expect(output).toContain('Flex Flows (1):');
    expect(output).toContain(`→ web chat Flex Flow: ${webFlexFlowSid} "Flex WebChat Flow" (channel_type web)`);
    expect(output).toContain('Conversations addresses (1):');
    expect(output).toContain(`→ web chat address: ${webChatAddressSid} "Flex Web Chat"`);
    expect(output).toContain(
      [
        '# .env — Flex Conversations (default; widget uses @twilio/conversations)',
        `TWILIO_ACCOUNT_SID=${accountSid}`,
        'TWILIO_API_KEY_SID=SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  # Console → API keys & tokens → create a standard key',
        'TWILIO_API_KEY_SECRET=<the secret shown once when the key was created>',
        `TWILIO_CONVERSATIONS_SERVICE_SID=${conversationsServiceSid}`,
        `TWILIO_WEBCHAT_ADDRESS_SID=${webChatAddressSid}`,
      ].join('\n'),
    );
    expect(output).toContain(['FLEXCHAT_MODE=legacy', `TWILIO_FLEX_FLOW_SID=${webFlexFlowSid}`, `TWILIO_FLEX_CHAT_SERVICE_SID=${flexChatServiceSid}`].join('\n'));
  });

  it('never prints a secret', async ({ emulator }) => {
    const { output } = await setup(emulator, {}, localEnv(emulator, { FLEXCHAT_MODE: 'local', TWILIO_API_KEY_SID: emulator.credentials.apiKeySid }));
    expect(output).toContain(`TWILIO_API_KEY_SID=${emulator.credentials.apiKeySid}`);
    expect(output).not.toContain(emulator.credentials.authToken);
    expect(output).not.toContain(emulator.credentials.apiKeySecret);
  });

  it('--create-web-flow leaves an existing web flow alone, and creates one with every field once there is none', async ({ emulator }) => {
    const kept = await setup(emulator, { createWebFlow: true, studioFlowSid: STUDIO });
    expect(kept.output).toContain(`Not creating a web Flex Flow: ${emulator.credentials.webFlexFlowSid} "Flex WebChat Flow" (channel_type web) already exists`);
    expect(await flexFlows(emulator)).toHaveLength(1);

    await fetch(`${emulator.url}/flex-api/v1/FlexFlows/${emulator.credentials.webFlexFlowSid}`, { method: 'DELETE', headers: { authorization: auth(emulator) } });
    const missing = await setup(emulator);
    expect(missing.output).toContain('→ no Flex Flow with channel_type web or custom');

    const noStudio = await setup(emulator, { createWebFlow: true, chatServiceSid: emulator.credentials.flexChatServiceSid });
    expect(noStudio.code).toBe(1);
    expect(noStudio.output).toContain('A studio integration needs --studio-flow FW…');

    const noService = await setup(emulator, { createWebFlow: true, studioFlowSid: STUDIO });
    expect(noService.code).toBe(1);
    expect(noService.output).toContain('No chat service to attach the Flex Flow to: pass --chat-service IS…');

    const created = await setup(emulator, { createWebFlow: true, studioFlowSid: STUDIO }, localEnv(emulator, { TWILIO_FLEX_CHAT_SERVICE_SID: emulator.credentials.flexChatServiceSid }));
    expect(created.code).toBe(0);
    const flows = await flexFlows(emulator);
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      channel_type: 'web',
      chat_service_sid: emulator.credentials.flexChatServiceSid,
      integration_type: 'studio',
      integration: { flow_sid: STUDIO },
      long_lived: false,
      janitor_enabled: true,
      enabled: true,
      friendly_name: 'flexchat Web Chat Flex Flow',
    });
    expect(created.output).toContain(`Created web Flex Flow ${flows[0]!.sid as string}`);
    expect(created.output).toContain(`TWILIO_FLEX_FLOW_SID=${flows[0]!.sid as string}`);
  });

  it('--force creates another web flow; options set long_lived, janitor_enabled and the integration', async ({ emulator }) => {
    const { code } = await setup(emulator, {
      createWebFlow: true,
      force: true,
      integrationType: 'external',
      webhookUrl: 'https://hooks.example.com/flex',
      longLived: true,
      janitorEnabled: false,
      friendlyName: 'Support web chat',
    });
    expect(code).toBe(0);
    const created = (await flexFlows(emulator)).find((f) => f.friendly_name === 'Support web chat');
    expect(created).toMatchObject({
      channel_type: 'web',
      chat_service_sid: emulator.credentials.flexChatServiceSid, // the chat service the account's flows use
      integration_type: 'external',
      integration: { url: 'https://hooks.example.com/flex' },
      long_lived: true,
      janitor_enabled: false,
    });
  });

  it.for([
    ['sms', '+15005550006', '+15005550006', 'Console → Phone Numbers'],
    ['whatsapp', '+14155238886', 'whatsapp:+14155238886', 'WhatsApp sender'],
    ['facebook', 'messenger:1234567890', 'messenger:1234567890', 'Facebook Messenger'],
  ] as const)('creates a %s Flex Flow as the Flex docs describe, with the Proxy webhook to set next', async ([channelType, contact, stored, where], { emulator }) => {
    const proxy = sid('KS', 0xabc);
    const { code, output } = await setup(emulator, { createFlow: channelType, contactIdentity: contact, studioFlowSid: STUDIO, proxyServiceSid: proxy });
    expect(code).toBe(0);
    const created = (await flexFlows(emulator)).find((f) => f.channel_type === channelType);
    expect(created).toMatchObject({
      contact_identity: stored,
      chat_service_sid: emulator.credentials.flexChatServiceSid,
      integration_type: 'studio',
      integration: { flow_sid: STUDIO },
      long_lived: true,
      janitor_enabled: true,
      enabled: true,
    });
    expect(await flexFlow(emulator, created!.sid as string)).toMatchObject({ channel_type: channelType });
    expect(output).toContain(where);
    expect(output).toContain(`https://webhooks.twilio.com/v1/Accounts/${emulator.credentials.accountSid}/Proxy/${proxy}/Webhooks/Message`);
    // The web chat flow is still the one to use.
    expect(output).toContain(`TWILIO_FLEX_FLOW_SID=${emulator.credentials.webFlexFlowSid}`);

    const again = await setup(emulator, { createFlow: channelType, contactIdentity: contact, studioFlowSid: STUDIO });
    expect(again.output).toContain(`Not creating a ${channelType} Flex Flow: ${created!.sid as string}`);
  });

  it('refuses a contact identity that cannot be one, and names the shape it needs', async ({ emulator }) => {
    const { code, output } = await setup(emulator, { createFlow: 'sms', contactIdentity: '555-0100', studioFlowSid: STUDIO });
    expect(code).toBe(1);
    expect(output).toContain('An SMS Flex Flow needs --contact-identity with the Twilio phone number in E.164 form, e.g. +15005550006');
    expect(() => normaliseContactIdentity('whatsapp', undefined)).toThrow('whatsapp:+14155238886');
    expect(normaliseContactIdentity('facebook', '1234567890')).toBe('messenger:1234567890');
  });

  it('reports Twilio refusing the credentials with exit code 1', async ({ emulator }) => {
    const { code, output } = await setup(emulator, {}, localEnv(emulator, { FLEXCHAT_MODE: 'local', TWILIO_AUTH_TOKEN: 'not-the-token' }));
    expect(code).toBe(1);
    expect(output).toContain('Could not list Flex Flows: HTTP 401, Twilio error 20003');
  });
});

describe('flexchat doctor', () => {
  it('passes a healthy local setup, conversations and legacy', async ({ emulator }) => {
    const conversations = await doctor(localEnv(emulator));
    expect(conversations.exitCode).toBe(0);
    expect(conversations.output).toContain('✔ environment: every variable is valid');
    expect(conversations.output).toContain(`✔ TWILIO_WEBCHAT_ADDRESS_SID ${emulator.credentials.webChatAddressSid} is this account's webchat address`);
    expect(conversations.output).toContain('No problems found.');

    const legacy = await doctor(localEnv(emulator, { FLEXCHAT_LOCAL_FLOW: 'legacy' }));
    expect(legacy.exitCode).toBe(0);
    expect(legacy.output).toContain(`✔ TWILIO_FLEX_FLOW_SID ${emulator.credentials.webFlexFlowSid} is this account's web Flex Flow "Flex WebChat Flow", on chat service ${emulator.credentials.flexChatServiceSid}`);
    expect(legacy.output).toContain(`✔ TWILIO_FLEX_CHAT_SERVICE_SID ${emulator.credentials.flexChatServiceSid} exists`);
  });

  it('reports each broken relation with its fix, and exits 1', async ({ emulator }) => {
    const sms = await setup(emulator, { createFlow: 'sms', contactIdentity: '+15005550006', studioFlowSid: STUDIO });
    expect(sms.code).toBe(0);
    const smsFlow = (await flexFlows(emulator)).find((f) => f.channel_type === 'sms')!.sid as string;
    const { conversationsServiceSid, flexChatServiceSid } = emulator.credentials;
    const result = await doctor(
      localEnv(emulator, {
        FLEXCHAT_MODE: 'local',
        TWILIO_CONVERSATIONS_SERVICE_SID: flexChatServiceSid, // exists, but not the service the address feeds
        TWILIO_FLEX_FLOW_SID: smsFlow, // not a web flow
        TWILIO_FLEX_CHAT_SERVICE_SID: conversationsServiceSid, // not the flow's chat service
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.problems).toEqual([
      {
        status: 'problem',
        message: `TWILIO_WEBCHAT_ADDRESS_SID ${emulator.credentials.webChatAddressSid} starts conversations in service ${conversationsServiceSid}, but TWILIO_CONVERSATIONS_SERVICE_SID is ${flexChatServiceSid}: visitors' tokens would grant the wrong service`,
        fix: `set TWILIO_CONVERSATIONS_SERVICE_SID=${conversationsServiceSid}`,
      },
      {
        status: 'problem',
        message: `TWILIO_FLEX_FLOW_SID ${smsFlow} is a sms Flex Flow ("SMS Flex Flow (+15005550006)"); web chat needs channel_type web or custom`,
        fix: 'use the web Flex Flow `npm run flexchat -- setup` finds, or create one: `npm run flexchat -- setup --create-web-flow --studio-flow FW…`',
      },
      {
        status: 'problem',
        message: `TWILIO_FLEX_FLOW_SID ${smsFlow} uses chat service ${flexChatServiceSid}, but TWILIO_FLEX_CHAT_SERVICE_SID is ${conversationsServiceSid}: visitors' tokens would grant the wrong service`,
        fix: `set TWILIO_FLEX_CHAT_SERVICE_SID=${flexChatServiceSid}`,
      },
    ]);
    expect(result.output).toContain('    fix: set TWILIO_CONVERSATIONS_SERVICE_SID=');
    expect(result.output).toContain('3 problems found.');
  });

  it('reports SIDs that do not exist in the account, and a disabled flow', async ({ emulator }) => {
    await fetch(`${emulator.url}/flex-api/v1/FlexFlows/${emulator.credentials.webFlexFlowSid}`, {
      method: 'POST',
      headers: { authorization: auth(emulator), 'content-type': 'application/x-www-form-urlencoded' },
      body: 'Enabled=false',
    });
    const result = await doctor(
      localEnv(emulator, {
        FLEXCHAT_MODE: 'local',
        TWILIO_CONVERSATIONS_SERVICE_SID: sid('IS', 0xfff),
        TWILIO_WEBCHAT_ADDRESS_SID: sid('IG', 0xfff),
        TWILIO_FLEX_FLOW_SID: emulator.credentials.webFlexFlowSid,
        TWILIO_FLEX_CHAT_SERVICE_SID: sid('IS', 0xeee),
      }),
    );
    const account = emulator.credentials.accountSid;
    expect(result.problems.map((p) => [p.message, p.fix])).toEqual([
      [
        `TWILIO_CONVERSATIONS_SERVICE_SID ${sid('IS', 0xfff)} is not a Conversations service of account ${account} (HTTP 404)`,
        'use the Flex Conversations service (IS…) your web chat address feeds; `npm run flexchat -- setup` prints it',
      ],
      [
        `TWILIO_WEBCHAT_ADDRESS_SID ${sid('IG', 0xfff)} is not an address of account ${account} (HTTP 404)`,
        "use the IG… of the account's address of type webchat; `npm run flexchat -- setup` lists the addresses",
      ],
      [
        `TWILIO_FLEX_FLOW_SID ${emulator.credentials.webFlexFlowSid} is disabled`,
        `enable it (Console → Flex → Messaging, or POST /v1/FlexFlows/${emulator.credentials.webFlexFlowSid} with Enabled=true)`,
      ],
      [
        `TWILIO_FLEX_FLOW_SID ${emulator.credentials.webFlexFlowSid} uses chat service ${emulator.credentials.flexChatServiceSid}, but TWILIO_FLEX_CHAT_SERVICE_SID is ${sid('IS', 0xeee)}: visitors' tokens would grant the wrong service`,
        `set TWILIO_FLEX_CHAT_SERVICE_SID=${emulator.credentials.flexChatServiceSid}`,
      ],
      [
        `TWILIO_FLEX_CHAT_SERVICE_SID ${sid('IS', 0xeee)} is not a chat service of account ${account} (HTTP 404)`,
        'use the chat_service_sid of your web Flex Flow; `npm run flexchat -- setup` prints it',
      ],
    ]);
    expect(result.exitCode).toBe(1);
  });

  it('reports prefix mix-ups and a rejected API key, each with its fix', async ({ emulator }) => {
    const result = await doctor(
      localEnv(emulator, {
        FLEXCHAT_MODE: 'local',
        TWILIO_WEBCHAT_ADDRESS_SID: emulator.credentials.conversationsServiceSid, // an IS… where the IG… belongs
        TWILIO_FLEX_FLOW_SID: emulator.credentials.flexChatServiceSid, // an IS… where the FO… belongs
        TWILIO_API_KEY_SECRET: 'not-the-secret',
      }),
    );
    expect(result.exitCode).toBe(1);
    expect(result.problems.map((p) => [p.message, p.fix])).toEqual([
      [
        'TWILIO_WEBCHAT_ADDRESS_SID must start with IG (got an IS… SID: that is a Conversations or chat service, not a Conversations address)',
        "use the IG… of the account's address of type webchat; `npm run flexchat -- setup` lists the addresses",
      ],
      [
        'TWILIO_FLEX_FLOW_SID must start with FO (got an IS… SID: that is a Conversations or chat service, not a Flex Flow)',
        'use the FO… of a Flex Flow with channel_type web; `npm run flexchat -- setup` lists them (--create-web-flow makes one)',
      ],
      [
        `credentials: the API key (TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET) rejected for ${emulator.credentials.accountSid} (HTTP 401, Twilio error 20003: Authentication Error - invalid username)`,
        'TWILIO_API_KEY_SECRET must be the secret of TWILIO_API_KEY_SID, and the key must belong to TWILIO_ACCOUNT_SID (create a new standard key if unsure)',
      ],
    ]);
    // The auth token still works, so the SIDs that parse are checked.
    expect(result.output).toContain(`✔ TWILIO_CONVERSATIONS_SERVICE_SID ${emulator.credentials.conversationsServiceSid} exists`);
  });

  it('skips the SID checks when no credentials work', async ({ emulator }) => {
    const result = await doctor(localEnv(emulator, { FLEXCHAT_MODE: 'local', TWILIO_AUTH_TOKEN: 'nope', TWILIO_API_KEY_SECRET: 'nope' }));
    expect(result.problems.map((p) => p.message.slice(0, 40))).toEqual(['credentials: TWILIO_AUTH_TOKEN rejected ', 'credentials: the API key (TWILIO_API_KEY']);
    expect(result.problems[0]?.fix).toBe('TWILIO_AUTH_TOKEN must be the auth token of TWILIO_ACCOUNT_SID (Console → Account info; a subaccount has its own)');
    expect(result.findings.at(-1)).toEqual({ status: 'skipped', message: 'SID checks skipped: no working credentials' });
  });

  it("finds npm start's emulator on a moved port (FLEXCHAT_EMULATOR_PORT) without FLEX_EMULATOR_URL", async ({ emulator }) => {
    const port = new URL(emulator.url).port;
    const result = await doctor({ FLEXCHAT_EMULATOR_PORT: port, FLEXCHAT_ALLOWED_ORIGINS: ORIGIN });
    expect(result.output).toContain(`local mode (Flex emulator at http://127.0.0.1:${port})`);
    expect(result.output).toContain(`✔ Flex emulator answers at http://127.0.0.1:${port}`);
    expect(result.problems).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  it('says when the emulator is not running', async ({ emulator }) => {
    const url = emulator.url;
    await emulator.close();
    const result = await doctor({ FLEX_EMULATOR_URL: url, FLEXCHAT_ALLOWED_ORIGINS: ORIGIN });
    expect(result.problems).toEqual([
      {
        status: 'problem',
        message: `Flex emulator not reachable at ${url} (ECONNREFUSED)`,
        fix: 'start it with `npm run emulator` (or `npm start`), or set FLEX_EMULATOR_URL',
      },
    ]);
  });
});

describe('flexchat doctor against real Twilio (fake REST API)', () => {
  // Mismatched accounts cannot be staged on the one-account emulator: a fake AdminApi stands in for Twilio.
  const ACCOUNT = sid('AC', 0x111);
  const OTHER = sid('AC', 0x222);
  const env: EnvInput = {
    TWILIO_ACCOUNT_SID: ACCOUNT,
    TWILIO_AUTH_TOKEN: 'real-auth-token',
    TWILIO_API_KEY_SID: sid('SK', 0x111),
    TWILIO_API_KEY_SECRET: 'real-api-key-secret',
    TWILIO_CONVERSATIONS_SERVICE_SID: sid('IS', 0x111),
    TWILIO_WEBCHAT_ADDRESS_SID: sid('IG', 0x111),
    FLEXCHAT_ALLOWED_ORIGINS: 'https://chat.example.com',
    FLEXCHAT_SESSION_SECRET: 's'.repeat(40),
  };

  function fakeApi(options: { flowAccount?: string; addressAccount?: string; serviceAccount?: string; addressType?: string }): AdminApi {
    const flow: FlexFlowInfo = {
      sid: sid('FO', 1),
      accountSid: options.flowAccount ?? ACCOUNT,
      friendlyName: 'Web',
      chatServiceSid: sid('IS', 0x999),
      channelType: 'web',
      contactIdentity: null,
      enabled: true,
      integrationType: 'studio',
      integration: { flow_sid: STUDIO },
      longLived: false,
      janitorEnabled: true,
    };
    const address: AddressInfo = {
      sid: sid('IG', 0x111),
      accountSid: options.addressAccount ?? ACCOUNT,
      type: options.addressType ?? 'webchat',
      address: 'web',
      friendlyName: 'Web',
      autoCreation: { conversation_service_sid: sid('IS', 0x111) },
    };
    const service: ServiceInfo = { sid: sid('IS', 0x111), accountSid: options.serviceAccount ?? ACCOUNT, friendlyName: 'Flex' };
    return {
      flexFlows: Object.assign(() => ({ fetch: async () => flow }), { list: async () => [flow], create: async () => flow }),
      addresses: Object.assign(() => ({ fetch: async () => address }), { list: async () => [address] }),
      services: () => ({ fetch: async () => service }),
    };
  }

  async function run(options: Parameters<typeof fakeApi>[0], overrides: EnvInput = {}) {
    const lines: string[] = [];
    const result = await runDoctor({ ...env, ...overrides }, { out: (line) => lines.push(line) }, { apiFor: () => fakeApi(options) });
    return { ...result, problems: result.findings.filter((f: Finding) => f.status === 'problem'), output: lines.join('\n') };
  }

  it('passes when everything belongs to the account', async () => {
    const result = await run({});
    expect(result.exitCode).toBe(0);
    expect(result.output).toContain('conversations mode (real Twilio)');
  });

  it('reports credentials, an address and a service of another account, and an address of the wrong type', async () => {
    const keyOfOtherAccount = await run({ flowAccount: OTHER });
    expect(keyOfOtherAccount.problems[0]?.message).toBe(`credentials: TWILIO_AUTH_TOKEN belongs to account ${OTHER}, not TWILIO_ACCOUNT_SID ${ACCOUNT}`);

    const elsewhere = await run({ addressAccount: OTHER, serviceAccount: OTHER, addressType: 'sms' });
    expect(elsewhere.problems.map((p) => p.message)).toEqual([
      `TWILIO_CONVERSATIONS_SERVICE_SID ${sid('IS', 0x111)} belongs to account ${OTHER}, not ${ACCOUNT}`,
      `TWILIO_WEBCHAT_ADDRESS_SID ${sid('IG', 0x111)} belongs to account ${OTHER}, not ${ACCOUNT}`,
      `TWILIO_WEBCHAT_ADDRESS_SID ${sid('IG', 0x111)} is an address of type sms (web), not webchat`,
    ]);
    expect(elsewhere.problems.every((p) => p.fix)).toBe(true);
  });

  it('warns (without failing) when FLEXCHAT_SESSION_SECRET is unset in real mode', async () => {
    const result = await run({}, { FLEXCHAT_SESSION_SECRET: '' });
    expect(result.exitCode).toBe(0);
    expect(result.findings.filter((f) => f.status === 'warning').map((f) => f.message)).toEqual([
      'FLEXCHAT_SESSION_SECRET is unset: session proofs die with each process and are not shared between instances',
    ]);
  });

  it('warns when the deployment offers leaving a message outside business hours but no webhook receives them', async () => {
    const lines: string[] = [];
    const hours = { timezone: 'Europe/Paris', weekly: { mon: [['09:00', '17:00']] as [string, string][] } };
    const doctorWith = async (deployment: NonNullable<DoctorDeps['deployment']>, overrides: EnvInput = {}) => {
      const result = await runDoctor({ ...env, ...overrides }, { out: (line) => lines.push(line) }, { apiFor: () => fakeApi({}), deployment });
      return result.findings.filter((f) => f.status === 'warning');
    };
    const [warning, ...others] = await doctorWith({ businessHours: hours });
    expect(others).toEqual([]);
    expect(warning?.message).toContain('offline.mode is "leaveMessage" but FLEXCHAT_MESSAGE_WEBHOOK_URL is unset');
    expect(warning?.fix).toContain('closedMessage');
    expect(await doctorWith({ offline: { mode: 'leaveMessage' } })).toHaveLength(1);
    expect(await doctorWith({ businessHours: hours, offline: { mode: 'closedMessage' } })).toEqual([]);
    expect(await doctorWith({})).toEqual([]); // no business hours: the offline screen never shows
    expect(await doctorWith({ businessHours: hours }, { FLEXCHAT_MESSAGE_WEBHOOK_URL: 'https://hooks.example.com/in' })).toEqual([]);
    expect(lines.join('\n')).toContain('! offline.mode is "leaveMessage"');
  });
});

describe('CLI arguments', () => {
  it('maps setup options', () => {
    expect(
      parseArgs([
        'setup',
        '--create-flow',
        'whatsapp',
        '--contact-identity=+14155238886',
        '--studio-flow',
        STUDIO,
        '--no-long-lived',
        '--janitor',
        '--force',
        '--env-file',
        'server/.env',
      ]),
    ).toEqual({
      command: 'setup',
      envFile: 'server/.env',
      setup: { createFlow: 'whatsapp', contactIdentity: '+14155238886', studioFlowSid: STUDIO, longLived: false, janitorEnabled: true, force: true },
    });
    expect(parseArgs([])).toEqual({ command: 'help', setup: {} });
    expect(parseArgs(['doctor', '--help']).command).toBe('help');
  });

  it.each([
    [['deploy'], 'Unknown command "deploy"; expected setup, doctor or help'],
    [['setup', '--create-flow', 'telegram'], '--create-flow must be one of web, custom, sms, whatsapp, facebook (got "telegram")'],
    [['setup', '--studio-flow'], '--studio-flow needs a value'],
    [['setup', '--colour', 'red'], 'Unknown option --colour'],
    [['setup', '--long-lived', '--no-long-lived'], '--long-lived and --no-long-lived contradict each other'],
    [['doctor', '--force'], 'doctor takes no --force'],
    [['setup', 'extra'], 'Unexpected argument "extra"'],
  ])('refuses %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(new UsageError(message));
  });

  it('runs doctor with --env-file over the environment; usage errors exit 2', async ({ emulator }) => {
    const dir = mkdtempSync(join(tmpdir(), 'flexchat-cli-'));
    try {
      const file = join(dir, '.env');
      writeFileSync(file, `FLEX_EMULATOR_URL=${emulator.url}\nFLEXCHAT_LOCAL_FLOW=legacy\n`);
      const out: string[] = [];
      const err: string[] = [];
      const io = { out: (line: string) => out.push(line), err: (line: string) => err.push(line) };
      expect(await runCli(['doctor', '--env-file', file], { FLEXCHAT_ALLOWED_ORIGINS: ORIGIN }, io)).toBe(0);
      expect(out.join('\n')).toContain('legacy flow');
      expect(await runCli(['setup', '--nope'], {}, io)).toBe(2);
      expect(err).toEqual(['Unknown option --nope', 'Run `flexchat help` for the options.']);
      expect(await runCli(['doctor', '--env-file', join(dir, 'missing')], {}, io)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
