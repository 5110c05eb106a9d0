// What the setup and doctor commands need from Twilio, as narrow structural
// interfaces over the official helper library (so tests can also hand in
// fakes), plus how the CLI connects: the emulator in local mode, real Twilio
// otherwise, from the same environment variables the token service reads.
import { localAccount as defaultCredentials } from '../../contracts/local-account.ts';
import { defaultEmulatorUrl, resolveMode, type EnvInput, type TokenServiceMode } from './env.ts';
import { createTwilioClientFor, type TwilioConnection } from './twilio-client.ts';

export type FlexFlowChannelType = 'web' | 'sms' | 'facebook' | 'whatsapp' | 'line' | 'custom';
export type FlexFlowIntegrationType = 'studio' | 'external' | 'task';

/** A Flex Flow as the helper library returns it (FlexFlowInstance, the fields we read). */
export interface FlexFlowInfo {
  sid: string;
  accountSid: string;
  friendlyName: string;
  chatServiceSid: string;
  channelType: string;
  contactIdentity: string | null;
  enabled: boolean;
  integrationType: string;
  /** snake_case JSON as Twilio sends it: flow_sid, url, workspace_sid, … */
  integration: Record<string, unknown> | null;
  longLived: boolean;
  janitorEnabled: boolean;
}

export interface CreateFlexFlowParams {
  friendlyName: string;
  chatServiceSid: string;
  channelType: FlexFlowChannelType;
  contactIdentity?: string;
  enabled?: boolean;
  integrationType?: FlexFlowIntegrationType;
  'integration.flowSid'?: string;
  'integration.url'?: string;
  'integration.workspaceSid'?: string;
  'integration.workflowSid'?: string;
  'integration.retryCount'?: number;
  longLived?: boolean;
  janitorEnabled?: boolean;
}

/** A Conversations address configuration (AddressConfigurationInstance, the fields we read). */
export interface AddressInfo {
  sid: string;
  accountSid: string;
  type: string;
  address: string;
  friendlyName: string | null;
  /** snake_case JSON: enabled, type, conversation_service_sid, studio_flow_sid, … */
  autoCreation: Record<string, unknown> | null;
}

export interface ServiceInfo {
  sid: string;
  accountSid: string;
  friendlyName: string | null;
}

export interface AdminApi {
  /** `client.flexApi.v1.flexFlow` */
  flexFlows: {
    (sid: string): { fetch(): Promise<FlexFlowInfo> };
    list(options?: { pageSize?: number; limit?: number }): Promise<FlexFlowInfo[]>;
    create(params: CreateFlexFlowParams): Promise<FlexFlowInfo>;
  };
  /** `client.conversations.v1.addressConfigurations` */
  addresses: {
    (sid: string): { fetch(): Promise<AddressInfo> };
    list(options?: { type?: string; pageSize?: number; limit?: number }): Promise<AddressInfo[]>;
  };
  /** `client.conversations.v1.services` (Conversations services; Flex chat services are Conversations services too) */
  services: (sid: string) => { fetch(): Promise<ServiceInfo> };
}

export interface AdminConnection {
  mode: TokenServiceMode;
  /** Local mode: the emulator's base URL. */
  emulatorUrl?: string;
  accountSid: string;
  authToken?: string;
  apiKeySid?: string;
  apiKeySecret?: string;
}

const get = (env: EnvInput, name: string): string | undefined => env[name]?.trim() || undefined;

/**
 * Who the CLI talks to, from the token service's environment: local mode → the
 * emulator (FLEX_EMULATOR_URL) with its credentials unless TWILIO_* override
 * them; otherwise real Twilio with TWILIO_ACCOUNT_SID and the auth token and/or
 * API key pair. Values are taken as given: the doctor judges them.
 */
export function adminConnectionFromEnv(env: EnvInput): AdminConnection {
  const mode = resolveMode(env);
  const local = mode === 'local';
  const connection: AdminConnection = {
    mode,
    accountSid: get(env, 'TWILIO_ACCOUNT_SID') ?? (local ? defaultCredentials.accountSid : ''),
  };
  const authToken = get(env, 'TWILIO_AUTH_TOKEN') ?? (local ? defaultCredentials.authToken : undefined);
  const apiKeySid = get(env, 'TWILIO_API_KEY_SID') ?? (local ? defaultCredentials.apiKeySid : undefined);
  const apiKeySecret = get(env, 'TWILIO_API_KEY_SECRET') ?? (local ? defaultCredentials.apiKeySecret : undefined);
  if (authToken !== undefined) connection.authToken = authToken;
  if (apiKeySid !== undefined) connection.apiKeySid = apiKeySid;
  if (apiKeySecret !== undefined) connection.apiKeySecret = apiKeySecret;
  if (local) connection.emulatorUrl = (get(env, 'FLEX_EMULATOR_URL') ?? defaultEmulatorUrl(env)).replace(/\/+$/, '');
  return connection;
}

/** Which credential pair a client authenticates with. */
export type AdminAuth = 'authToken' | 'apiKey';

/** The helper library's client for one credential pair, narrowed to AdminApi. */
export function createAdminApi(connection: AdminConnection, auth: AdminAuth = connection.authToken ? 'authToken' : 'apiKey'): AdminApi {
  const twilioConnection: TwilioConnection = {
    accountSid: connection.accountSid,
    authToken: auth === 'authToken' ? connection.authToken : undefined,
    apiKeySid: connection.apiKeySid ?? '',
    apiKeySecret: connection.apiKeySecret ?? '',
    emulatorUrl: connection.emulatorUrl,
    useApiKey: auth === 'apiKey',
    userAgent: 'flexchat-cli',
  };
  const client = createTwilioClientFor(twilioConnection);
  return {
    flexFlows: client.flexApi.v1.flexFlow,
    addresses: client.conversations.v1.addressConfigurations,
    services: (sid) => client.conversations.v1.services(sid),
  };
}

/** "local mode (Flex emulator at …)" / "legacy mode (real Twilio)", for headers. */
export function describeTarget(connection: AdminConnection): string {
  return connection.mode === 'local' ? `local mode (Flex emulator at ${connection.emulatorUrl})` : `${connection.mode} mode (real Twilio)`;
}
