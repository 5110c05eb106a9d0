// Credentials and SIDs of the local Flex account the emulator pretends to be.
// Every value can be overridden by environment variable (see emulator/README.md).

export interface EmulatorCredentials {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  conversationsServiceSid: string;
  /** Flex conversation address (AddressSid for POST /v2/WebChats). */
  webChatAddressSid: string;
  /** Legacy Flex Programmable Chat service. */
  flexChatServiceSid: string;
  /** Legacy web Flex Flow. */
  webFlexFlowSid: string;
}

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

export const defaultCredentials: EmulatorCredentials = {
  accountSid: sid('AC', 1),
  authToken: 'emulator-auth-token',
  apiKeySid: sid('SK', 1),
  apiKeySecret: 'emulator-api-key-secret',
  conversationsServiceSid: sid('IS', 1),
  webChatAddressSid: sid('IG', 1),
  flexChatServiceSid: sid('IS', 2),
  webFlexFlowSid: sid('FO', 1),
};

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
  };
}
