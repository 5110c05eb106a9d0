// flexchat CLI: `setup` and `doctor` for the token service's Flex account.
//   npm run flexchat -- setup [options]      npx flexchat doctor
//   npx tsx server/src/cli.ts doctor --env-file server/.env
// Reads the same environment as the token service (plus --env-file); local
// mode (no TWILIO_ACCOUNT_SID) talks to the emulator.
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { fileURLToPath } from 'node:url';
import type { EnvInput } from './env.ts';
import { runDoctor } from './doctor.ts';
import { CREATABLE_CHANNEL_TYPES, runSetup, type CliIo, type CreatableChannelType, type SetupOptions } from './setup.ts';

export const USAGE = `Usage: flexchat <command> [options]

Commands:
  setup     List Flex Flows and Conversations addresses, find the web chat ones,
            optionally create Flex Flows, and print the .env lines to use.
  doctor    Check credentials, every SID's prefix, existence and how they relate;
            print a fix for each problem. Exit code 1 when there is a problem.
  help      This text.

Options (all commands):
  --env-file <path>          read variables from this file (over the environment)

Options (setup):
  --create-web-flow          create a web Flex Flow unless a web/custom one exists
  --create-flow <type>       create a Flex Flow: web, custom, sms, whatsapp, facebook
  --contact-identity <id>    sms: +E.164 number; whatsapp: whatsapp:+E.164; facebook: messenger:<page ID>
  --studio-flow <FW…>        integration.flow_sid (studio integration, the default)
  --integration <type>       integration_type: studio, external or task
  --webhook-url <url>        integration.url (external)
  --workspace <WS…>          integration.workspace_sid (task)
  --workflow <WW…>           integration.workflow_sid (task)
  --chat-service <IS…>       chat_service_sid (default: TWILIO_FLEX_CHAT_SERVICE_SID,
                             else the chat service the account's flows use)
  --friendly-name <name>     friendly_name
  --long-lived, --no-long-lived    long_lived (default: off for web/custom, on for messaging)
  --janitor, --no-janitor          janitor_enabled (default: on)
  --proxy-service <KS…>      Flex Proxy Service, to print the messaging webhook URL
  --force                    create even if a matching flow exists

Environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and/or TWILIO_API_KEY_SID +
TWILIO_API_KEY_SECRET, and the SIDs of server/.env.example. Without
TWILIO_ACCOUNT_SID it runs against the local emulator (FLEX_EMULATOR_URL).`;

export class UsageError extends Error {}

export interface ParsedArgs {
  command: 'setup' | 'doctor' | 'help';
  envFile?: string;
  setup: SetupOptions;
}

const VALUE_OPTIONS = new Set([
  'env-file',
  'create-flow',
  'contact-identity',
  'studio-flow',
  'integration',
  'webhook-url',
  'workspace',
  'workflow',
  'chat-service',
  'friendly-name',
  'proxy-service',
]);
const FLAG_OPTIONS = new Set(['create-web-flow', 'long-lived', 'no-long-lived', 'janitor', 'no-janitor', 'force', 'help']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help', setup: {} };
  if (command !== 'setup' && command !== 'doctor') throw new UsageError(`Unknown command "${command}"; expected setup, doctor or help`);
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match) throw new UsageError(`Unexpected argument "${arg}"`);
    const name = match[1] as string;
    if (VALUE_OPTIONS.has(name)) {
      const value = match[2] ?? rest[++i];
      if (value === undefined || value === '') throw new UsageError(`--${name} needs a value`);
      values.set(name, value);
    } else if (FLAG_OPTIONS.has(name) && match[2] === undefined) {
      flags.add(name);
    } else {
      throw new UsageError(`Unknown option --${name}`);
    }
  }
  if (flags.has('help')) return { command: 'help', setup: {} };
  if (command === 'doctor') {
    const extra = [...values.keys(), ...flags].filter((name) => name !== 'env-file');
    if (extra.length) throw new UsageError(`doctor takes no --${extra[0]}`);
  }

  const setup: SetupOptions = {};
  const createFlow = values.get('create-flow');
  if (createFlow !== undefined) {
    if (!(CREATABLE_CHANNEL_TYPES as readonly string[]).includes(createFlow)) {
      throw new UsageError(`--create-flow must be one of ${CREATABLE_CHANNEL_TYPES.join(', ')} (got "${createFlow}")`);
    }
    setup.createFlow = createFlow as CreatableChannelType;
  }
  const integration = values.get('integration');
  if (integration !== undefined) {
    if (integration !== 'studio' && integration !== 'external' && integration !== 'task') {
      throw new UsageError(`--integration must be studio, external or task (got "${integration}")`);
    }
    setup.integrationType = integration;
  }
  if (flags.has('create-web-flow')) setup.createWebFlow = true;
  if (flags.has('force')) setup.force = true;
  if (flags.has('long-lived') && flags.has('no-long-lived')) throw new UsageError('--long-lived and --no-long-lived contradict each other');
  if (flags.has('janitor') && flags.has('no-janitor')) throw new UsageError('--janitor and --no-janitor contradict each other');
  if (flags.has('long-lived')) setup.longLived = true;
  if (flags.has('no-long-lived')) setup.longLived = false;
  if (flags.has('janitor')) setup.janitorEnabled = true;
  if (flags.has('no-janitor')) setup.janitorEnabled = false;
  const copy: Array<[string, keyof SetupOptions]> = [
    ['contact-identity', 'contactIdentity'],
    ['studio-flow', 'studioFlowSid'],
    ['webhook-url', 'webhookUrl'],
    ['workspace', 'workspaceSid'],
    ['workflow', 'workflowSid'],
    ['chat-service', 'chatServiceSid'],
    ['friendly-name', 'friendlyName'],
    ['proxy-service', 'proxyServiceSid'],
  ];
  for (const [option, key] of copy) {
    const value = values.get(option);
    if (value !== undefined) (setup as Record<string, unknown>)[key] = value;
  }
  const parsed: ParsedArgs = { command, setup };
  const envFile = values.get('env-file');
  if (envFile !== undefined) parsed.envFile = envFile;
  return parsed;
}

/** Runs one CLI invocation; returns the exit code (2 for usage errors). */
export async function runCli(argv: readonly string[], env: EnvInput, io: CliIo & { err(line: string): void }): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(error.message);
    io.err('Run `flexchat help` for the options.');
    return 2;
  }
  if (args.command === 'help') {
    io.out(USAGE);
    return 0;
  }
  let effective: EnvInput = env;
  if (args.envFile !== undefined) {
    try {
      effective = { ...env, ...parseEnv(readFileSync(args.envFile, 'utf8')) };
    } catch (error) {
      io.err(`Cannot read --env-file ${args.envFile}: ${(error as Error).message}`);
      return 2;
    }
  }
  if (args.command === 'setup') return runSetup(effective, args.setup, io);
  return (await runDoctor(effective, io)).exitCode;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await runCli(process.argv.slice(2), process.env, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  });
  process.exitCode = code;
}
