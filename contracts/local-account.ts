// The local Flex account: the credentials and SIDs the emulator pretends to own
// and the token service uses in local mode. Shared by both, owned by neither;
// plain values, imports nothing. Not secrets: they only open the local emulator.

export interface LocalAccount {
  accountSid: string;
  authToken: string;
  apiKeySid: string;
  apiKeySecret: string;
  /** IS… Flex Conversations service. */
  conversationsServiceSid: string;
  /** IG… Flex conversation address of type webchat (AddressSid for POST /v2/WebChats). */
  webChatAddressSid: string;
  /** IS… legacy Flex Programmable Chat service. */
  flexChatServiceSid: string;
  /** FO… legacy web Flex Flow. */
  webFlexFlowSid: string;
  /** WS… TaskRouter workspace of Flex (where chat tasks live; the post-chat survey is recorded on them). */
  taskRouterWorkspaceSid: string;
}

const sid = (prefix: string, n: number) => prefix + n.toString(16).padStart(32, '0');

export const localAccount: Readonly<LocalAccount> = Object.freeze({
  accountSid: sid('AC', 1),
  authToken: 'emulator-auth-token',
  apiKeySid: sid('SK', 1),
  apiKeySecret: 'emulator-api-key-secret',
  conversationsServiceSid: sid('IS', 1),
  webChatAddressSid: sid('IG', 1),
  flexChatServiceSid: sid('IS', 2),
  webFlexFlowSid: sid('FO', 1),
  taskRouterWorkspaceSid: sid('WS', 1),
});

/** CV… Webchat 3 deployment key the hosted switch (`npm start -- --hosted`) creates in the emulator (Twilio's hosted init). */
export const localDeploymentKey = sid('CV', 1);
