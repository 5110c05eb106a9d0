import { startEmulator } from './emulator.ts';

const port = Number(process.env.FLEXCHAT_EMULATOR_PORT ?? process.env.PORT ?? 4010);
const agentDelayMs = process.env.EMULATOR_AGENT_DELAY_MS === undefined ? undefined : Number(process.env.EMULATOR_AGENT_DELAY_MS);

const emulator = await startEmulator({ port, agentDelayMs, echo: process.env.EMULATOR_AGENT_MODE === 'echo' });
console.log(`Flex emulator on ${emulator.url} (Twilsock ${emulator.twilsockUri})`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void emulator.close().then(() => process.exit(0)));
}
