import { startEmulator } from './emulator.ts';

// `npm run emulator`: the local Flex on its own, with what a client needs to reach it.

const port = Number(process.env.FLEXCHAT_EMULATOR_PORT ?? process.env.PORT ?? 4010);
const agentDelayMs = process.env.EMULATOR_AGENT_DELAY_MS === undefined ? undefined : Number(process.env.EMULATOR_AGENT_DELAY_MS);

const emulator = await startEmulator({ port, agentDelayMs, echo: process.env.EMULATOR_AGENT_MODE === 'echo' });
const { credentials } = emulator;
console.log(`
Flex emulator running (no Twilio account involved)

  REST          ${emulator.url}/flex-api/... /conversations/... /preview/...  (Basic auth)
  Twilsock      ${emulator.twilsockUri}
  Agent API     ${emulator.url}/agent/conversations
  Fault API     ${emulator.url}/faults

  Account SID          ${credentials.accountSid}
  Auth token           ${credentials.authToken}
  API key / secret     ${credentials.apiKeySid} / ${credentials.apiKeySecret}
  Conversations (IS)   ${credentials.conversationsServiceSid}
  Web chat address     ${credentials.webChatAddressSid}
  Flex chat service    ${credentials.flexChatServiceSid}
  Web Flex Flow        ${credentials.webFlexFlowSid}
`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
