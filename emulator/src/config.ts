// Credentials and SIDs of the local Flex account the emulator pretends to be.
// Every value can be overridden by environment variable (see emulator/README.md).
import { localAccount, type LocalAccount } from '../../contracts/local-account.ts';

/** The local account's credentials and SIDs; defaults shared with the token service's local mode. */
export type EmulatorCredentials = LocalAccount;

export const defaultCredentials: EmulatorCredentials = localAccount;

export function credentialsFromEnv(env: NodeJS.ProcessEnv = process.env): EmulatorCredentials {
  return {
    accountSid: env.EMULATOR_ACCOUNT_SID ?? defaultCredentials.accountSid,
    authToken: env.EMULATOR_AUTH_TOKEN ?? defaultCredentials.authToken,
    apiKeySid: env.EMULATOR_API_KEY_SID ?? defaultCredentials.apiKeySid,
    apiKeySecret: env.EMULATOR_API_KEY_SECRET ?? defaultCredentials.apiKeySecret,
    conversationsServiceSid: env.EMULATOR_CONVERSATIONS_SERVICE_SID ?? defaultCredentials.conversationsServiceSid,
    webChatAddressSid: env.EMULATOR_WEBCHAT_ADDRESS_SID ?? defaultCredentials.webChatAddressSid,
    flexChatServiceSid: env.EMULATOR_FLEX_CHAT_SERVICE_SID ?? defaultCredentials.flexChatServiceSid,
    webFlexFlowSid: env.EMULATOR_WEB_FLEX_FLOW_SID ?? defaultCredentials.webFlexFlowSid,
    taskRouterWorkspaceSid: env.EMULATOR_TASKROUTER_WORKSPACE_SID ?? defaultCredentials.taskRouterWorkspaceSid,
  };
}
