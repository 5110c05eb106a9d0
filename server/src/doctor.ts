// `flexchat doctor`: checks the token service's environment against the Flex
// account it names. Every SID's prefix (the same rules as start-up), the
// credentials (auth token and API key, each on its own), and how the SIDs
// relate: the web chat address exists in this account, is of type webchat and
// feeds the configured Conversations service; the Flex Flow is a web/custom
// flow of this account whose chat service is the configured one; the services
// exist. Each problem comes with a concrete fix; the exit code is 1 when there
// is any. Works against the emulator (local mode) and real Twilio alike.
import { localAccount as defaultCredentials } from '../../contracts/local-account.ts';
import { loadDeploymentConfig } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import {
  adminConnectionFromEnv,
  createAdminApi,
  describeTarget,
  type AdminApi,
  type AdminAuth,
  type AdminConnection,
  type FlexFlowInfo,
} from './admin-api.ts';
import { checkSid, DEFAULT_EMULATOR_URL, parseTokenServiceEnv, type ChatFlow, type EnvInput } from './env.ts';
import { explainUpstream, type CliIo } from './setup.ts';
import { checkHostedDeployment } from './hosted-check.ts';
import { tokenSourceOf, type HostedSource } from '../../config/token-source.ts';
import { describeUpstreamError } from './twilio-client.ts';

export type FindingStatus = 'ok' | 'problem' | 'warning' | 'skipped';

export interface Finding {
  status: FindingStatus;
  message: string;
  /** What to do about it (problems and warnings). */
  fix?: string;
}

export interface DoctorDeps {
  /** The REST API for one credential pair. Default: the helper library for the environment's connection. */
  apiFor?: (auth: AdminAuth) => AdminApi;
  /** For the emulator health check (local mode). Default: global fetch. */
  fetch?: typeof fetch;
  /** Default origins when FLEXCHAT_ALLOWED_ORIGINS is unset. Default: widgetOrigin of flexchat.config.json. */
  allowedOrigins?: string[];
  /** The deployment's business hours and offline screen. Default: read from flexchat.config.json (FLEXCHAT_CONFIG). */
  deployment?: Pick<DeploymentConfig, 'businessHours' | 'offline'>;
  /** The deployment's hosted token source and widget origin, if it uses Twilio's hosted init. Default: from flexchat.config.json. */
  hosted?: { source: HostedSource; widgetOrigin: string } | null;
}

/** The deployment's hosted init settings, when flexchat.config.json chooses it. */
function hostedDeployment(env: EnvInput, given: DoctorDeps['hosted']): { source: HostedSource; widgetOrigin: string } | null {
  if (given !== undefined) return given;
  try {
    const config = loadDeploymentConfig(get(env, 'FLEXCHAT_CONFIG'));
    const source = tokenSourceOf(config);
    return source.type === 'hosted' ? { source, widgetOrigin: config.widgetOrigin } : null;
  } catch {
    return null; // reported with the allowed origins
  }
}

export interface DoctorResult {
  exitCode: number;
  findings: Finding[];
}

const SETUP = '`npm run flexchat -- setup`';

/** The fix for a start-up problem, by the variable it names first. */
const FIXES: Record<string, string> = {
  TWILIO_ACCOUNT_SID: 'copy the Account SID (AC…) from the Twilio Console home page',
  TWILIO_AUTH_TOKEN: "copy the Auth Token from the Console home page (Account info), or remove the variable to use the API key",
  TWILIO_API_KEY_SID: 'create a standard API key (Console → Account → API keys & tokens) and use its SID (SK…)',
  TWILIO_API_KEY_SECRET: 'use the secret shown once when the API key was created (create a new key if it is lost)',
  TWILIO_CONVERSATIONS_SERVICE_SID: `use the Flex Conversations service (IS…) your web chat address feeds; ${SETUP} prints it`,
  TWILIO_WEBCHAT_ADDRESS_SID: `use the IG… of the account's address of type webchat; ${SETUP} lists the addresses`,
  TWILIO_FLEX_FLOW_SID: `use the FO… of a Flex Flow with channel_type web; ${SETUP} lists them (--create-web-flow makes one)`,
  TWILIO_FLEX_CHAT_SERVICE_SID: `use the chat_service_sid of your web Flex Flow; ${SETUP} prints it`,
  FLEXCHAT_ALLOWED_ORIGINS: 'set it to the widget origin(s), e.g. FLEXCHAT_ALLOWED_ORIGINS=https://chat.example.com',
  FLEXCHAT_MODE: 'use local, conversations or legacy, or leave it unset to infer it',
  FLEXCHAT_LOCAL_FLOW: 'use conversations or legacy (local mode only)',
  FLEX_EMULATOR_URL: 'point it at the emulator, e.g. http://127.0.0.1:4010 (`npm run emulator` starts one)',
};

function fixFor(problem: string): string {
  const variable = /^([A-Z][A-Z0-9_]+)/.exec(problem)?.[1] ?? '';
  return FIXES[variable] ?? 'see server/.env.example and server/README.md (Environment) for the allowed values';
}

const get = (env: EnvInput, name: string): string | undefined => env[name]?.trim() || undefined;

/** The SID a check would use: the variable, else the emulator's default in local mode (only for the flow in use). */
function sidFor(env: EnvInput, name: string, localDefault: string, local: boolean, inUse: boolean): string | undefined {
  return get(env, name) ?? (local && inUse ? localDefault : undefined);
}

function flowOfEnv(env: EnvInput, mode: string): ChatFlow {
  if (mode === 'legacy') return 'legacy';
  if (mode === 'local' && get(env, 'FLEXCHAT_LOCAL_FLOW') === 'legacy') return 'legacy';
  return 'conversations';
}

function credentialProblem(error: unknown, auth: AdminAuth, connection: AdminConnection): Finding {
  const summary = describeUpstreamError(error);
  const which = auth === 'authToken' ? 'TWILIO_AUTH_TOKEN' : 'the API key (TWILIO_API_KEY_SID / TWILIO_API_KEY_SECRET)';
  if (summary.status === 401 || summary.status === 403) {
    return {
      status: 'problem',
      message: `credentials: ${which} rejected for ${connection.accountSid} (${explainUpstream(error, connection)})`,
      fix:
        auth === 'authToken'
          ? 'TWILIO_AUTH_TOKEN must be the auth token of TWILIO_ACCOUNT_SID (Console → Account info; a subaccount has its own)'
          : 'TWILIO_API_KEY_SECRET must be the secret of TWILIO_API_KEY_SID, and the key must belong to TWILIO_ACCOUNT_SID (create a new standard key if unsure)',
    };
  }
  if (summary.status === 404) {
    return {
      status: 'problem',
      message: `credentials: the Flex API answered 404 for ${connection.accountSid} (${explainUpstream(error, connection)})`,
      fix: 'is Flex set up on this account? Use the account (or subaccount) that runs your Flex instance',
    };
  }
  return {
    status: 'problem',
    message: `credentials: could not check ${which}: ${explainUpstream(error, connection)}`,
    fix: connection.emulatorUrl ? 'start the emulator (`npm run emulator`) or fix FLEX_EMULATOR_URL' : 'check the network connection to Twilio and try again',
  };
}

/** Runs every check; prints one line per finding (and its fix). */
export async function runDoctor(env: EnvInput, io: CliIo, deps: DoctorDeps = {}): Promise<DoctorResult> {
  const findings: Finding[] = [];
  const add = (finding: Finding) => {
    findings.push(finding);
    const mark = { ok: '✔', problem: '✘', warning: '!', skipped: '-' }[finding.status];
    io.out(`${mark} ${finding.message}`);
    if (finding.fix && finding.status !== 'ok') io.out(`    fix: ${finding.fix}`);
  };
  const connection = adminConnectionFromEnv(env);
  const local = connection.mode === 'local';
  const flow = flowOfEnv(env, connection.mode);
  io.out(`flexchat doctor — ${describeTarget(connection)}, ${flow} flow${connection.accountSid ? `, account ${connection.accountSid}` : ''}`);

  // 1. The environment, by the token service's own rules (one message per mistake).
  let allowedOrigins = deps.allowedOrigins;
  if (allowedOrigins === undefined && get(env, 'FLEXCHAT_ALLOWED_ORIGINS') === undefined) {
    try {
      allowedOrigins = [loadDeploymentConfig(get(env, 'FLEXCHAT_CONFIG')).widgetOrigin];
    } catch (error) {
      add({ status: 'warning', message: `deployment config: ${(error as Error).message.split('\n')[0]}`, fix: 'fix flexchat.config.json (or FLEXCHAT_CONFIG), or set FLEXCHAT_ALLOWED_ORIGINS' });
    }
  }
  const parsed = parseTokenServiceEnv(env, allowedOrigins ? { allowedOrigins } : {});
  if (parsed.ok) add({ status: 'ok', message: 'environment: every variable is valid' });
  else for (const problem of parsed.problems) add({ status: 'problem', message: problem, fix: fixFor(problem) });
  if (!local && get(env, 'FLEXCHAT_SESSION_SECRET') === undefined) {
    add({
      status: 'warning',
      message: 'FLEXCHAT_SESSION_SECRET is unset: session proofs die with each process and are not shared between instances',
      fix: `set it (the same value on every instance): node -e "console.log(require('crypto').randomBytes(32).toString('base64url'))"`,
    });
  }

  const offlineWarning = leaveMessageWithoutWebhook(env, local, deps.deployment);
  if (offlineWarning) add(offlineWarning);

  // 2. Can we reach the account at all?
  if (local) {
    const url = connection.emulatorUrl ?? DEFAULT_EMULATOR_URL;
    try {
      const response = await (deps.fetch ?? fetch)(`${url}/healthz`, { signal: AbortSignal.timeout(3000) });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      add({ status: 'ok', message: `Flex emulator answers at ${url}` });
      // A deployment on Twilio's hosted init: its key and allowed origins, against the emulator.
      const hosted = hostedDeployment(env, deps.hosted);
      if (hosted) {
        for (const finding of await checkHostedDeployment(hosted.source, hosted.widgetOrigin, { emulatorUrl: url, ...(deps.fetch ? { fetch: deps.fetch } : {}) })) add(finding);
      }
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      add({ status: 'problem', message: `Flex emulator not reachable at ${url} (${code})`, fix: 'start it with `npm run emulator` (or `npm start`), or set FLEX_EMULATOR_URL' });
      add({ status: 'skipped', message: 'account checks skipped: nothing to talk to' });
      return finish(findings, io);
    }
  }

  if (!local) {
    const hosted = hostedDeployment(env, deps.hosted);
    if (hosted) for (const finding of await checkHostedDeployment(hosted.source, hosted.widgetOrigin, deps.fetch ? { fetch: deps.fetch } : {})) add(finding);
  }

  const accountOk = connection.accountSid !== '' && checkSid('TWILIO_ACCOUNT_SID', connection.accountSid, 'AC') === undefined;
  const apiFor = deps.apiFor ?? ((auth: AdminAuth) => createAdminApi(connection, auth));
  let api: AdminApi | undefined;
  if (!accountOk) {
    add({ status: 'skipped', message: 'credentials not checked: fix TWILIO_ACCOUNT_SID first' });
  } else {
    const pairs: AdminAuth[] = [];
    if (connection.authToken) pairs.push('authToken');
    if (connection.apiKeySid && connection.apiKeySecret && checkSid('TWILIO_API_KEY_SID', connection.apiKeySid, 'SK') === undefined) pairs.push('apiKey');
    for (const auth of pairs) {
      const candidate = apiFor(auth);
      let flows: FlexFlowInfo[];
      try {
        flows = await candidate.flexFlows.list({ limit: 20 });
      } catch (error) {
        add(credentialProblem(error, auth, connection));
        continue;
      }
      const foreign = flows.find((f) => f.accountSid !== connection.accountSid);
      if (foreign) {
        add({
          status: 'problem',
          message: `credentials: ${auth === 'apiKey' ? 'the API key' : 'TWILIO_AUTH_TOKEN'} belongs to account ${foreign.accountSid}, not TWILIO_ACCOUNT_SID ${connection.accountSid}`,
          fix: 'use credentials of the account that runs your Flex instance, or set TWILIO_ACCOUNT_SID to that account',
        });
        continue;
      }
      add({
        status: 'ok',
        message:
          auth === 'authToken'
            ? `credentials: TWILIO_AUTH_TOKEN works for ${connection.accountSid} (REST calls use it)`
            : `credentials: API key ${connection.apiKeySid} works for ${connection.accountSid} (it signs the visitors' tokens)`,
      });
      api ??= candidate;
    }
    if (!api) add({ status: 'skipped', message: 'SID checks skipped: no working credentials' });
  }

  if (api) {
    const conversationsInUse = flow === 'conversations';
    const legacyInUse = flow === 'legacy';
    const validSid = (name: string, value: string | undefined, prefix: string) => value !== undefined && checkSid(name, value, prefix) === undefined;
    const serviceSid = sidFor(env, 'TWILIO_CONVERSATIONS_SERVICE_SID', defaultCredentials.conversationsServiceSid, local, conversationsInUse);
    const addressSid = sidFor(env, 'TWILIO_WEBCHAT_ADDRESS_SID', defaultCredentials.webChatAddressSid, local, conversationsInUse);
    const flowSid = sidFor(env, 'TWILIO_FLEX_FLOW_SID', defaultCredentials.webFlexFlowSid, local, legacyInUse);
    const chatServiceSid = sidFor(env, 'TWILIO_FLEX_CHAT_SERVICE_SID', defaultCredentials.flexChatServiceSid, local, legacyInUse);

    const checkService = async (name: string, sid: string, what: string) => {
      try {
        const service = await api.services(sid).fetch();
        if (service.accountSid !== connection.accountSid) {
          add({ status: 'problem', message: `${name} ${sid} belongs to account ${service.accountSid}, not ${connection.accountSid}`, fix: fixFor(name) });
        } else {
          add({ status: 'ok', message: `${name} ${sid} exists ("${service.friendlyName ?? ''}")` });
        }
      } catch (error) {
        if (describeUpstreamError(error).status === 404) {
          add({ status: 'problem', message: `${name} ${sid} is not ${what} of account ${connection.accountSid} (HTTP 404)`, fix: fixFor(name) });
        } else {
          add({ status: 'problem', message: `${name} ${sid} could not be checked: ${explainUpstream(error, connection)}`, fix: 'try again; `npm run flexchat -- doctor` is safe to repeat' });
        }
      }
    };

    // Flex Conversations: address → account, type, service; the service itself.
    if (validSid('TWILIO_CONVERSATIONS_SERVICE_SID', serviceSid, 'IS') && serviceSid) {
      await checkService('TWILIO_CONVERSATIONS_SERVICE_SID', serviceSid, 'a Conversations service');
    }
    if (validSid('TWILIO_WEBCHAT_ADDRESS_SID', addressSid, 'IG') && addressSid) {
      try {
        const address = await api.addresses(addressSid).fetch();
        const feeds = address.autoCreation?.conversation_service_sid;
        const problems: Finding[] = [];
        if (address.accountSid !== connection.accountSid) {
          problems.push({ status: 'problem', message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} belongs to account ${address.accountSid}, not ${connection.accountSid}`, fix: fixFor('TWILIO_WEBCHAT_ADDRESS_SID') });
        }
        if (address.type !== 'webchat') {
          problems.push({
            status: 'problem',
            message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} is an address of type ${address.type} (${address.address}), not webchat`,
            fix: fixFor('TWILIO_WEBCHAT_ADDRESS_SID'),
          });
        }
        if (typeof feeds === 'string' && serviceSid !== undefined && feeds !== serviceSid) {
          problems.push({
            status: 'problem',
            message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} starts conversations in service ${feeds}, but TWILIO_CONVERSATIONS_SERVICE_SID is ${serviceSid}: visitors' tokens would grant the wrong service`,
            fix: `set TWILIO_CONVERSATIONS_SERVICE_SID=${feeds}`,
          });
        }
        if (problems.length) for (const problem of problems) add(problem);
        else add({ status: 'ok', message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} is this account's webchat address${typeof feeds === 'string' ? `, feeding ${feeds}` : ''}` });
      } catch (error) {
        if (describeUpstreamError(error).status === 404) {
          add({ status: 'problem', message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} is not an address of account ${connection.accountSid} (HTTP 404)`, fix: fixFor('TWILIO_WEBCHAT_ADDRESS_SID') });
        } else {
          add({ status: 'problem', message: `TWILIO_WEBCHAT_ADDRESS_SID ${addressSid} could not be checked: ${explainUpstream(error, connection)}`, fix: 'try again' });
        }
      }
    }

    // Legacy: the Flex Flow → account, channel type, enabled, chat service; the chat service itself.
    if (validSid('TWILIO_FLEX_FLOW_SID', flowSid, 'FO') && flowSid) {
      try {
        const flexFlow = await api.flexFlows(flowSid).fetch();
        const problems: Finding[] = [];
        if (flexFlow.accountSid !== connection.accountSid) {
          problems.push({ status: 'problem', message: `TWILIO_FLEX_FLOW_SID ${flowSid} belongs to account ${flexFlow.accountSid}, not ${connection.accountSid}`, fix: fixFor('TWILIO_FLEX_FLOW_SID') });
        }
        if (flexFlow.channelType !== 'web' && flexFlow.channelType !== 'custom') {
          problems.push({
            status: 'problem',
            message: `TWILIO_FLEX_FLOW_SID ${flowSid} is a ${flexFlow.channelType} Flex Flow ("${flexFlow.friendlyName}"); web chat needs channel_type web or custom`,
            fix: `use the web Flex Flow ${SETUP} finds, or create one: ${SETUP.slice(0, -1)} --create-web-flow --studio-flow FW…\``,
          });
        }
        if (!flexFlow.enabled) {
          problems.push({ status: 'problem', message: `TWILIO_FLEX_FLOW_SID ${flowSid} is disabled`, fix: `enable it (Console → Flex → Messaging, or POST /v1/FlexFlows/${flowSid} with Enabled=true)` });
        }
        if (chatServiceSid !== undefined && flexFlow.chatServiceSid !== chatServiceSid) {
          problems.push({
            status: 'problem',
            message: `TWILIO_FLEX_FLOW_SID ${flowSid} uses chat service ${flexFlow.chatServiceSid}, but TWILIO_FLEX_CHAT_SERVICE_SID is ${chatServiceSid}: visitors' tokens would grant the wrong service`,
            fix: `set TWILIO_FLEX_CHAT_SERVICE_SID=${flexFlow.chatServiceSid}`,
          });
        }
        if (problems.length) for (const problem of problems) add(problem);
        else add({ status: 'ok', message: `TWILIO_FLEX_FLOW_SID ${flowSid} is this account's ${flexFlow.channelType} Flex Flow "${flexFlow.friendlyName}", on chat service ${flexFlow.chatServiceSid}` });
      } catch (error) {
        if (describeUpstreamError(error).status === 404) {
          add({ status: 'problem', message: `TWILIO_FLEX_FLOW_SID ${flowSid} is not a Flex Flow of account ${connection.accountSid} (HTTP 404)`, fix: fixFor('TWILIO_FLEX_FLOW_SID') });
        } else {
          add({ status: 'problem', message: `TWILIO_FLEX_FLOW_SID ${flowSid} could not be checked: ${explainUpstream(error, connection)}`, fix: 'try again' });
        }
      }
    }
    if (validSid('TWILIO_FLEX_CHAT_SERVICE_SID', chatServiceSid, 'IS') && chatServiceSid) {
      await checkService('TWILIO_FLEX_CHAT_SERVICE_SID', chatServiceSid, 'a chat service');
    }
  }
  return finish(findings, io);
}

/**
 * The widget's offline screen posts to /webchat/message, which outside local
 * mode (emulator inbox) needs a webhook: without one visitors' messages are refused (501).
 */
function leaveMessageWithoutWebhook(env: EnvInput, local: boolean, given: DoctorDeps['deployment']): Finding | undefined {
  if (local || get(env, 'FLEXCHAT_MESSAGE_WEBHOOK_URL') !== undefined) return undefined;
  let deployment = given;
  if (deployment === undefined) {
    try {
      deployment = loadDeploymentConfig(get(env, 'FLEXCHAT_CONFIG'));
    } catch {
      return undefined; // reported with the allowed origins, or by the build
    }
  }
  // leaveMessage is the default once business hours exist; an explicit one counts without them too.
  const mode = deployment.offline?.mode ?? (deployment.businessHours ? 'leaveMessage' : undefined);
  if (mode !== 'leaveMessage') return undefined;
  return {
    status: 'warning',
    message:
      'offline.mode is "leaveMessage" but FLEXCHAT_MESSAGE_WEBHOOK_URL is unset: messages visitors leave outside business hours are refused (501 not_configured)',
    fix: 'set FLEXCHAT_MESSAGE_WEBHOOK_URL (and FLEXCHAT_MESSAGE_WEBHOOK_SECRET) to a receiver of your own (server/README.md, POST /webchat/message), or set offline.mode to "closedMessage" in flexchat.config.json',
  };
}

function finish(findings: Finding[], io: CliIo): DoctorResult {
  const problems = findings.filter((f) => f.status === 'problem').length;
  const warnings = findings.filter((f) => f.status === 'warning').length;
  io.out('');
  io.out(
    problems === 0
      ? `No problems found${warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : ''}.`
      : `${problems} problem${problems === 1 ? '' : 's'} found${warnings ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}.`,
  );
  return { exitCode: problems === 0 ? 0 : 1, findings };
}
