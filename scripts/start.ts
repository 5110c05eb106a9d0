import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeploymentConfig } from '../config/load.ts';
import { tokenSourceOf } from '../config/token-source.ts';
import { applyLocalPortOverrides, describeEmbedding, distDir, localHost, localPorts } from './local-origins.ts';
import { startLocalStack } from './local-stack.ts';
import { installProcessSafetyNet } from './process-safety-net.ts';

// `npm start`: the whole product on four local origins, no Twilio account needed
// (what runs where: scripts/local-stack.ts). FLEXCHAT_TOKEN_SOURCE=hosted
// (`npm run start:hosted`) runs it on Twilio's hosted init instead of the token
// service: the emulator serves /v2/Webchat/Init with a local deployment key
// whose allowed origin is the widget origin.

const root = resolve(import.meta.dirname, '..');
for (const folder of [`${distDir()}/widget`, `${distDir()}/demo`]) {
  if (!existsSync(resolve(root, folder, 'index.html'))) {
    console.error(`${folder} is missing: run "npm run build" first (npm start does this for you).`);
    process.exit(1);
  }
}

applyLocalPortOverrides();
const deployment = loadDeploymentConfig();

const stack = await startLocalStack({
  host: localHost,
  ports: localPorts,
  deployment,
  agentDelayMs: process.env.EMULATOR_AGENT_DELAY_MS === undefined ? undefined : Number(process.env.EMULATOR_AGENT_DELAY_MS),
});
installProcessSafetyNet();

const { urls, emulator } = stack;
const source = tokenSourceOf(deployment);
let hostedLine = '';
if (source.type === 'hosted') {
  // The console step of Webchat 3's setup, done in the emulator: a deployment key for the widget origin.
  const response = await fetch(`${urls.emulator}/agent/deployment-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: source.deploymentKey, friendlyName: 'npm start (hosted)', allowedOrigins: [deployment.widgetOrigin] }),
  });
  if (!response.ok) {
    console.error(`Could not create the deployment key ${source.deploymentKey} in the emulator: HTTP ${response.status} ${await response.text()}`);
    await stack.close();
    process.exit(1);
  }
  hostedLine = `\n  Hosted init     ${source.emulatorUrl ?? 'Twilio'}/flex-api/v2/Webchat/Init, deployment key ${source.deploymentKey} (allowed origin ${deployment.widgetOrigin}); the widget does not use the token service\n`;
}
console.log(`
flexchat is running locally (no Twilio account needed):

  Demo site       ${urls.demo}/          <- open this
  Agent console   ${urls.demo}/agent.html  (play the Flex agent)
  Form builder    ${urls.demo}/builder.html
  Widget origin   ${urls.widget}/loader.js
  Token service   ${urls.tokenService}/healthz
  Flex emulator   ${urls.emulator}/agent/conversations  (agent API; Twilsock ${emulator.twilsockUri})${hostedLine}

${describeEmbedding(deployment, urls.demo)}

Press Ctrl+C to stop.
`);

const SHUTDOWN_DEADLINE_MS = 5000;
async function shutdown(): Promise<void> {
  // Stop even if a component does not finish closing (a client that never lets go).
  setTimeout(() => process.exit(0), SHUTDOWN_DEADLINE_MS).unref();
  await stack.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
