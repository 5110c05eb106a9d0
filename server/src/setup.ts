// `flexchat setup`: finds (or creates) what the token service needs in a Flex
// account and prints the .env lines to use. Lists Flex Flows and picks the web
// (or custom) one for the legacy flow; creates a web Flex Flow when asked, and
// Flex Flows for SMS, WhatsApp and Facebook Messenger as the Flex docs describe
// (one flow per contact identity, then the channel's incoming-message webhook
// goes to the Flex Proxy Service); lists Conversations addresses and picks the
// web chat one for the conversations flow. Same code against the emulator
// (local mode) and real Twilio.
import { checkSid, type EnvInput } from './env.ts';
import { CONSOLE_STEPS, describeDeploymentKeys, listLocalDeploymentKeys } from './hosted-check.ts';
import {
  adminConnectionFromEnv,
  createAdminApi,
  describeTarget,
  type AddressInfo,
  type AdminApi,
  type AdminConnection,
  type CreateFlexFlowParams,
  type FlexFlowInfo,
  type FlexFlowIntegrationType,
} from './admin-api.ts';
import { describeUpstreamError } from './twilio-client.ts';

export const CREATABLE_CHANNEL_TYPES = ['web', 'custom', 'sms', 'whatsapp', 'facebook'] as const;
export type CreatableChannelType = (typeof CREATABLE_CHANNEL_TYPES)[number];
const MESSAGING_CHANNELS: readonly string[] = ['sms', 'whatsapp', 'facebook'];
const WEB_CHANNELS: readonly string[] = ['web', 'custom'];

export interface SetupOptions {
  /** Create a web Flex Flow unless a web or custom one exists (or `force`). */
  createWebFlow?: boolean;
  /** Create a Flex Flow of this channel type (sms, whatsapp, facebook need `contactIdentity`). */
  createFlow?: CreatableChannelType;
  /** sms: +E.164 number; whatsapp: +E.164 or whatsapp:+E.164; facebook: page ID or messenger:<page ID>. */
  contactIdentity?: string;
  /** integration.flow_sid (FW…) for the studio integration. */
  studioFlowSid?: string;
  integrationType?: FlexFlowIntegrationType;
  /** integration.url for the external integration. */
  webhookUrl?: string;
  /** integration.workspace_sid / workflow_sid for the task integration. */
  workspaceSid?: string;
  workflowSid?: string;
  /** chat_service_sid: default TWILIO_FLEX_CHAT_SERVICE_SID, else the chat service the account's flows use. */
  chatServiceSid?: string;
  friendlyName?: string;
  /** Default: false for web/custom, true for messaging channels (as the Flex docs' example). */
  longLived?: boolean;
  /** Default true. */
  janitorEnabled?: boolean;
  /** KS… Flex Proxy Service: prints the exact incoming-message webhook for messaging flows. */
  proxyServiceSid?: string;
  /** Create even when a matching flow exists. */
  force?: boolean;
}

export interface CliIo {
  out(line: string): void;
}

export interface SetupDeps {
  /** Default: the helper library for the environment's connection. */
  api?: AdminApi;
  /** For the emulator's deployment keys (local mode). Default: global fetch. */
  fetch?: typeof fetch;
}

export class SetupError extends Error {}

/** Twilio's answer, for an operator's terminal: status, Twilio code and message (Twilio's messages hold no secrets). */
export function explainUpstream(error: unknown, connection?: AdminConnection): string {
  const summary = describeUpstreamError(error);
  const message = error instanceof Error && error.message ? error.message : '';
  if (summary.status !== undefined) {
    return `HTTP ${summary.status}${summary.twilioCode !== undefined ? `, Twilio error ${summary.twilioCode}` : ''}${message ? `: ${message}` : ''}`;
  }
  if (summary.kind.startsWith('network:')) {
    const where = connection?.emulatorUrl ? `the Flex emulator at ${connection.emulatorUrl}` : 'Twilio';
    return `cannot reach ${where} (${summary.kind.slice('network:'.length)})`;
  }
  return message || summary.kind;
}

const get = (env: EnvInput, name: string): string | undefined => env[name]?.trim() || undefined;

/** Normalises a contact identity the way Flex Flows expect it per channel type; throws SetupError when it cannot be one. */
export function normaliseContactIdentity(channelType: CreatableChannelType, raw: string | undefined): string | undefined {
  const value = raw?.trim();
  switch (channelType) {
    case 'sms':
      if (!value || !/^\+[1-9]\d{6,14}$/.test(value)) {
        throw new SetupError('An SMS Flex Flow needs --contact-identity with the Twilio phone number in E.164 form, e.g. +15005550006');
      }
      return value;
    case 'whatsapp': {
      const number = value?.replace(/^whatsapp:/, '');
      if (!number || !/^\+[1-9]\d{6,14}$/.test(number)) {
        throw new SetupError('A WhatsApp Flex Flow needs --contact-identity with the WhatsApp sender, e.g. whatsapp:+14155238886 (or +14155238886)');
      }
      return `whatsapp:${number}`;
    }
    case 'facebook': {
      const page = value?.replace(/^messenger:/, '');
      if (!page || !/^\d{5,20}$/.test(page)) {
        throw new SetupError('A Facebook Messenger Flex Flow needs --contact-identity with the Facebook page ID, e.g. messenger:1234567890 (or 1234567890)');
      }
      return `messenger:${page}`;
    }
    default:
      return value || undefined;
  }
}

const short = (value: string | null | undefined) => value ?? '–';

function describeFlow(flow: FlexFlowInfo): string {
  const integration = flow.integration ?? {};
  const target =
    flow.integrationType === 'studio'
      ? `studio ${short(integration.flow_sid as string | undefined)}`
      : flow.integrationType === 'external'
        ? `external ${short(integration.url as string | undefined)}`
        : `task ${short(integration.workflow_sid as string | undefined)}`;
  const contact = flow.contactIdentity ? ` ${flow.contactIdentity}` : '';
  return `  ${flow.sid}  ${flow.channelType.padEnd(8)} ${flow.enabled ? 'enabled ' : 'disabled'}  "${flow.friendlyName}"${contact}  chat service ${flow.chatServiceSid}  ${target}  long_lived=${flow.longLived} janitor_enabled=${flow.janitorEnabled}`;
}

function describeAddress(address: AddressInfo): string {
  const service = (address.autoCreation?.conversation_service_sid as string | undefined) ?? '–';
  return `  ${address.sid}  ${address.type.padEnd(8)} "${short(address.friendlyName)}"  address ${address.address}  conversations service ${service}`;
}

/** The web chat Flex Flow: the configured one if it is web/custom, else enabled web, then enabled custom, then any web/custom. */
export function pickWebFlow(flows: FlexFlowInfo[], preferredSid?: string): FlexFlowInfo | undefined {
  const web = flows.filter((f) => WEB_CHANNELS.includes(f.channelType));
  return (
    web.find((f) => f.sid === preferredSid) ??
    web.find((f) => f.enabled && f.channelType === 'web') ??
    web.find((f) => f.enabled && f.channelType === 'custom') ??
    web[0]
  );
}

/** The web chat address: the configured one if it is webchat, else the first webchat address. */
export function pickWebChatAddress(addresses: AddressInfo[], preferredSid?: string): AddressInfo | undefined {
  const web = addresses.filter((a) => a.type === 'webchat');
  return web.find((a) => a.sid === preferredSid) ?? web[0];
}

/** The chat service most of the account's flows use: the Flex chat service. */
function commonChatService(flows: FlexFlowInfo[]): string | undefined {
  const counts = new Map<string, number>();
  for (const flow of flows) counts.set(flow.chatServiceSid, (counts.get(flow.chatServiceSid) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

const DEFAULT_FRIENDLY_NAMES: Record<CreatableChannelType, string> = {
  web: 'flexchat Web Chat Flex Flow',
  custom: 'flexchat Custom Chat Flex Flow',
  sms: 'SMS Flex Flow',
  whatsapp: 'WhatsApp Flex Flow',
  facebook: 'Facebook Messenger Flex Flow',
};

function sidOption(name: string, value: string | undefined, prefix: string): string | undefined {
  if (value === undefined) return undefined;
  const problem = checkSid(name, value, prefix);
  if (problem) throw new SetupError(problem);
  return value;
}

/** The CreateFlexFlow parameters for `channelType` from the options; throws SetupError with what is missing. */
export function flexFlowParams(
  channelType: CreatableChannelType,
  options: SetupOptions,
  chatServiceSid: string | undefined,
): CreateFlexFlowParams {
  if (!chatServiceSid) {
    throw new SetupError(
      'No chat service to attach the Flex Flow to: pass --chat-service IS… (the "Flex Chat Service" of the account; an existing Flex Flow shows it as chat_service_sid) or set TWILIO_FLEX_CHAT_SERVICE_SID',
    );
  }
  sidOption('--chat-service', chatServiceSid, 'IS');
  const contactIdentity = normaliseContactIdentity(channelType, options.contactIdentity);
  const integrationType = options.integrationType ?? 'studio';
  const params: CreateFlexFlowParams = {
    friendlyName: options.friendlyName ?? (contactIdentity && MESSAGING_CHANNELS.includes(channelType) ? `${DEFAULT_FRIENDLY_NAMES[channelType]} (${contactIdentity})` : DEFAULT_FRIENDLY_NAMES[channelType]),
    chatServiceSid,
    channelType,
    integrationType,
    enabled: true,
    longLived: options.longLived ?? MESSAGING_CHANNELS.includes(channelType),
    janitorEnabled: options.janitorEnabled ?? true,
  };
  if (contactIdentity !== undefined) params.contactIdentity = contactIdentity;
  switch (integrationType) {
    case 'studio': {
      const flowSid = sidOption('--studio-flow', options.studioFlowSid, 'FW');
      if (!flowSid) {
        throw new SetupError(
          'A studio integration needs --studio-flow FW… (integration.flow_sid): the Studio Flow that receives the chats, e.g. "Webchat Flow" or "Messaging Flow" in Console → Studio',
        );
      }
      params['integration.flowSid'] = flowSid;
      break;
    }
    case 'external':
      if (!options.webhookUrl || !/^https?:\/\//.test(options.webhookUrl)) {
        throw new SetupError('An external integration needs --webhook-url https://… (integration.url)');
      }
      params['integration.url'] = options.webhookUrl;
      break;
    case 'task': {
      const workspace = sidOption('--workspace', options.workspaceSid, 'WS');
      const workflow = sidOption('--workflow', options.workflowSid, 'WW');
      if (!workspace || !workflow) throw new SetupError('A task integration needs --workspace WS… and --workflow WW… (TaskRouter)');
      params['integration.workspaceSid'] = workspace;
      params['integration.workflowSid'] = workflow;
      break;
    }
  }
  return params;
}

/** The next step for a messaging Flex Flow, from the Flex docs: the channel's webhook goes to the Flex Proxy Service. */
function proxyWebhookAdvice(channelType: string, accountSid: string, proxyServiceSid: string | undefined): string[] {
  const url = `https://webhooks.twilio.com/v1/Accounts/${accountSid}/Proxy/${proxyServiceSid ?? 'KSxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'}/Webhooks/Message`;
  const where: Record<string, string> = {
    sms: 'Console → Phone Numbers → the number → Messaging → "A message comes in"',
    whatsapp: 'the WhatsApp sender (or the WhatsApp Sandbox) → "When a message comes in"',
    facebook: 'Console → Channels → Facebook Messenger → the page → callback URL',
  };
  return [
    `Next: point the ${channelType} channel's incoming-message webhook at the Flex Proxy Service (${where[channelType] ?? 'the channel settings'}):`,
    `  ${url}`,
    ...(proxyServiceSid ? [] : ['  (replace KSxx… with your Flex Proxy Service SID: Console → Proxy; or pass --proxy-service KS… to print it filled in)']),
  ];
}

/**
 * Runs `flexchat setup`. Returns the exit code: 0 when it found (or made)
 * something to put in .env, 1 on errors or when there is nothing usable.
 */
export async function runSetup(env: EnvInput, options: SetupOptions, io: CliIo, deps: SetupDeps = {}): Promise<number> {
  const { out } = io;
  const connection = adminConnectionFromEnv(env);
  if (!connection.accountSid) {
    out('TWILIO_ACCOUNT_SID is not set: set your Twilio credentials (see server/.env.example), or unset FLEXCHAT_MODE to use the local emulator.');
    return 1;
  }
  if (!connection.authToken && !(connection.apiKeySid && connection.apiKeySecret)) {
    out('No credentials: set TWILIO_AUTH_TOKEN, or TWILIO_API_KEY_SID and TWILIO_API_KEY_SECRET.');
    return 1;
  }
  const api = deps.api ?? createAdminApi(connection);
  out(`flexchat setup — ${describeTarget(connection)}, account ${connection.accountSid}`);
  out('');

  try {
    if (options.createWebFlow && options.createFlow && options.createFlow !== 'web') {
      throw new SetupError('Use either --create-web-flow or --create-flow <type>, not both');
    }
    let flows: FlexFlowInfo[];
    try {
      flows = await api.flexFlows.list({ pageSize: 100 });
    } catch (error) {
      out(`Could not list Flex Flows: ${explainUpstream(error, connection)}`);
      out('Check TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (or the API key); `npm run flexchat -- doctor` says more.');
      return 1;
    }

    const createType: CreatableChannelType | undefined = options.createFlow ?? (options.createWebFlow ? 'web' : undefined);
    let created: FlexFlowInfo | undefined;
    if (createType !== undefined) {
      const contact = options.contactIdentity === undefined ? undefined : normaliseContactIdentity(createType, options.contactIdentity);
      const existing = WEB_CHANNELS.includes(createType)
        ? pickWebFlow(flows)
        : flows.find((f) => f.channelType === createType && f.contactIdentity === contact);
      if (existing && !options.force) {
        out(`Not creating a ${createType} Flex Flow: ${existing.sid} "${existing.friendlyName}" (channel_type ${existing.channelType}${existing.contactIdentity ? `, ${existing.contactIdentity}` : ''}) already exists. Pass --force to create another.`);
        out('');
      } else {
        const params = flexFlowParams(createType, options, options.chatServiceSid ?? get(env, 'TWILIO_FLEX_CHAT_SERVICE_SID') ?? commonChatService(flows));
        try {
          created = await api.flexFlows.create(params);
        } catch (error) {
          out(`Could not create the ${createType} Flex Flow: ${explainUpstream(error, connection)}`);
          return 1;
        }
        flows = [...flows.filter((f) => f.sid !== created?.sid), created];
        out(`Created ${createType} Flex Flow ${created.sid} "${created.friendlyName}": chat_service_sid ${created.chatServiceSid}, integration_type ${created.integrationType}, long_lived ${created.longLived}, janitor_enabled ${created.janitorEnabled}.`);
        if (MESSAGING_CHANNELS.includes(createType)) {
          for (const line of proxyWebhookAdvice(createType, connection.accountSid, sidOption('--proxy-service', options.proxyServiceSid, 'KS'))) out(line);
        }
        out('');
      }
    }

    out(`Flex Flows (${flows.length}):`);
    for (const flow of flows) out(describeFlow(flow));
    if (flows.length === 0) out('  (none)');
    const webFlow = pickWebFlow(flows, created && WEB_CHANNELS.includes(created.channelType) ? created.sid : get(env, 'TWILIO_FLEX_FLOW_SID'));
    if (webFlow) {
      out(`→ web chat Flex Flow: ${webFlow.sid} "${webFlow.friendlyName}" (channel_type ${webFlow.channelType}${webFlow.enabled ? '' : ', DISABLED: enable it before use'})`);
    } else {
      out('→ no Flex Flow with channel_type web or custom. For the legacy flow, create one:');
      out('    npm run flexchat -- setup --create-web-flow --studio-flow FW… [--chat-service IS…]');
    }
    out('');

    let addresses: AddressInfo[] = [];
    let addressesListed = true;
    try {
      addresses = await api.addresses.list({ pageSize: 50 });
    } catch (error) {
      addressesListed = false;
      out(`Could not list Conversations addresses: ${explainUpstream(error, connection)}`);
    }
    if (addressesListed) {
      out(`Conversations addresses (${addresses.length}):`);
      for (const address of addresses) out(describeAddress(address));
      if (addresses.length === 0) out('  (none)');
    }
    const address = pickWebChatAddress(addresses, get(env, 'TWILIO_WEBCHAT_ADDRESS_SID'));
    if (address) {
      out(`→ web chat address: ${address.sid} "${short(address.friendlyName)}"`);
    } else if (addressesListed) {
      out('→ no address of type webchat. Flex Conversations accounts have one ("Flex Web Chat"); create it in Console → Flex → Messaging → Conversations addresses, or use the legacy flow.');
    }
    out('');

    // Webchat 3 deployment keys (tokenSource "hosted" in flexchat.config.json): the emulator lists its own;
    // a real account's are in the Flex console.
    if (connection.mode === 'local' && connection.emulatorUrl) {
      try {
        const keys = await listLocalDeploymentKeys(connection.emulatorUrl, deps.fetch);
        out(`Webchat 3 deployment keys (${keys.length}), for tokenSource "hosted" (no token service):`);
        for (const line of describeDeploymentKeys(keys)) out(line);
        if (keys.length === 0) out(`  create one: curl -H 'Content-Type: application/json' -d '{"allowedOrigins":["http://127.0.0.1:4030"]}' ${connection.emulatorUrl}/agent/deployment-keys`);
      } catch (error) {
        out(`Could not list the emulator's deployment keys: ${(error as Error).message}`);
      }
    } else {
      out(`Webchat 3 deployment keys (for tokenSource "hosted", no token service): ${CONSOLE_STEPS.replace(' → your deployment key', '')}.`);
    }
    out('');

    const keyLines = [
      `TWILIO_ACCOUNT_SID=${connection.accountSid}`,
      `TWILIO_API_KEY_SID=${get(env, 'TWILIO_API_KEY_SID') ?? 'SKxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  # Console → API keys & tokens → create a standard key'}`,
      'TWILIO_API_KEY_SECRET=<the secret shown once when the key was created>',
    ];
    if (connection.mode === 'local') {
      out('Local mode needs none of the lines below (they are the emulator\'s defaults); they show what a real account\'s .env looks like.');
      out('Try the legacy flow locally with FLEXCHAT_LOCAL_FLOW=legacy.');
      out('');
    }
    const conversationsService = address?.autoCreation?.conversation_service_sid as string | undefined;
    if (address) {
      out('# .env — Flex Conversations (default; widget uses @twilio/conversations)');
      for (const line of keyLines) out(line);
      out(`TWILIO_CONVERSATIONS_SERVICE_SID=${conversationsService ?? 'ISxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx  # the Flex Conversations service'}`);
      out(`TWILIO_WEBCHAT_ADDRESS_SID=${address.sid}`);
      out('');
    }
    if (webFlow) {
      out('# .env — legacy Flex Programmable Chat (Flex UI 1.x; widget uses twilio-chat)');
      if (address) out('# (with the TWILIO_ACCOUNT_SID and API key lines above)');
      else for (const line of keyLines) out(line);
      out('FLEXCHAT_MODE=legacy');
      out(`TWILIO_FLEX_FLOW_SID=${webFlow.sid}`);
      out(`TWILIO_FLEX_CHAT_SERVICE_SID=${webFlow.chatServiceSid}`);
      out('');
    }
    if (!address && !webFlow) {
      out('Nothing to put in .env yet: this account has neither a web chat address nor a web Flex Flow (see above).');
      return 1;
    }
    out('Then check everything with: npm run flexchat -- doctor');
    return 0;
  } catch (error) {
    if (error instanceof SetupError) {
      out(error.message);
      return 1;
    }
    throw error;
  }
}
