import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeploymentConfig } from '../config/load.ts';
import { demoPageHeaders, demoSpaPrefixes } from '../demo-site/server/page-headers.ts';
import { startEmulator } from '../emulator/src/emulator.ts';
import { startTokenService } from '../server/src/node-adapter.ts';
import { widgetDocumentHeaders } from '../widget/deploy/security-headers.ts';
import { applyLocalPortOverrides, localHost, localPorts } from './local-origins.ts';
import { startStaticServer } from './static-server.ts';

// `npm start`: the whole product on four local origins, no Twilio account needed.
//   emulator  - local Flex (REST + Twilsock + agent API)
//   token     - the token service, in local mode against the emulator
//   widget    - dist/widget: the iframe app and loader.js
//   demo      - dist/demo: host pages that embed the widget

const root = resolve(import.meta.dirname, '..');
for (const folder of ['dist/widget', 'dist/demo']) {
  if (!existsSync(resolve(root, folder, 'index.html'))) {
    console.error(`${folder} is missing: run "npm run build" first (npm start does this for you).`);
    process.exit(1);
  }
}

applyLocalPortOverrides();
const deployment = loadDeploymentConfig();

const emulator = await startEmulator({
  port: localPorts.emulator,
  host: localHost,
  agentDelayMs: process.env.EMULATOR_AGENT_DELAY_MS === undefined ? undefined : Number(process.env.EMULATOR_AGENT_DELAY_MS),
});

const tokenService = await startTokenService({
  port: localPorts.tokenService,
  host: localHost,
  env: {
    ...process.env,
    FLEXCHAT_ALLOWED_ORIGINS: process.env.FLEXCHAT_ALLOWED_ORIGINS ?? deployment.widgetOrigin,
    FLEX_EMULATOR_URL: emulator.url,
    FLEX_EMULATOR_TWILSOCK_URI: emulator.twilsockUri,
  },
});

const widget = await startStaticServer({
  root: resolve(root, 'dist/widget'),
  port: localPorts.widget,
  host: localHost,
  documentHeaders: widgetDocumentHeaders(deployment, [emulator.url, emulator.twilsockUri.replace(/\/v3\/wsconnect$/, '')]),
});
// The demo origin: a strict CSP on the strict-CSP example page, and the SPA example's client-side routes.
const demo = await startStaticServer({
  root: resolve(root, 'dist/demo'),
  port: localPorts.demo,
  host: localHost,
  pageHeaders: demoPageHeaders(deployment.widgetOrigin),
  spaPrefixes: demoSpaPrefixes,
});

console.log(`
flexchat is running locally (no Twilio account needed):

  Demo site       ${demo.url}/          <- open this
  Agent console   ${demo.url}/agent.html  (play the Flex agent)
  Form builder    ${demo.url}/builder.html
  Widget origin   ${widget.url}/loader.js
  Token service   ${tokenService.url}/healthz
  Flex emulator   ${emulator.url}/agent/conversations  (agent API; Twilsock ${emulator.twilsockUri})

Press Ctrl+C to stop.
`);

async function shutdown(): Promise<void> {
  await Promise.allSettled([
    emulator.close(),
    tokenService.close(),
    new Promise((done) => widget.server.close(done)),
    new Promise((done) => demo.server.close(done)),
  ]);
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
