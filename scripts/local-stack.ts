import { resolve } from 'node:path';
import type { DeploymentConfig } from '../config/types.ts';
import { demoPageHeaders, demoSpaPrefixes } from '../demo-site/server/page-headers.ts';
import { startEmulator, type RunningEmulator } from '../emulator/src/emulator.ts';
import type { Logger } from '../emulator/src/log.ts';
import type { RequestLogLine } from '../server/src/runtimes/node.ts';
import { startTokenService } from '../server/src/runtimes/node.ts';
import { widgetDocumentHeaders } from '../widget/deploy/security-headers.ts';
import { distDir } from './local-origins.ts';
import { startStaticServer } from './static-server.ts';
import { widgetOriginHeaderRules } from './widget-origin-headers.ts';

// The whole product on four local origins in one process, as `npm start` runs
// it (and as the stack-survival test starts it):
//   emulator  - local Flex (REST + Twilsock + agent API)
//   token     - the token service, in local mode against the emulator
//   widget    - dist/widget: the iframe app and loader.js
//   demo      - dist/demo: host pages that embed the widget

export interface LocalStackOptions {
  host: string;
  ports: { emulator: number; tokenService: number; widget: number; demo: number };
  deployment: DeploymentConfig;
  /** Folders the widget and demo origins serve (default dist/widget and dist/demo). */
  widgetRoot?: string;
  demoRoot?: string;
  /** Delay before the simulated agent accepts a chat (emulator default when absent). */
  agentDelayMs?: number;
  /** Environment the token service reads (default process.env). */
  env?: NodeJS.ProcessEnv;
  emulatorLog?: Logger;
  tokenServiceLog?: (line: RequestLogLine) => void;
}

export interface LocalStack {
  emulator: RunningEmulator;
  urls: { emulator: string; tokenService: string; widget: string; demo: string };
  close(): Promise<void>;
}

const root = resolve(import.meta.dirname, '..');

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const { host, ports, deployment } = options;
  const env = options.env ?? process.env;
  const emulator = await startEmulator({
    port: ports.emulator,
    host,
    ...(options.agentDelayMs === undefined ? {} : { agentDelayMs: options.agentDelayMs }),
    ...(options.emulatorLog ? { log: options.emulatorLog } : {}),
  });
  const tokenService = await startTokenService({
    port: ports.tokenService,
    host,
    deployment,
    env: {
      ...env,
      FLEXCHAT_ALLOWED_ORIGINS: env.FLEXCHAT_ALLOWED_ORIGINS ?? deployment.widgetOrigin,
      FLEX_EMULATOR_URL: emulator.url,
      FLEX_EMULATOR_TWILSOCK_URI: emulator.twilsockUri,
    },
    ...(options.tokenServiceLog ? { log: options.tokenServiceLog } : {}),
  });
  const realtimeOrigins = [emulator.url, emulator.twilsockUri.replace(/\/v3\/wsconnect$/, '')];
  const widget = await startStaticServer({
    root: options.widgetRoot ?? resolve(root, distDir(env), 'widget'),
    port: ports.widget,
    host,
    documentHeaders: widgetDocumentHeaders(deployment, realtimeOrigins),
    // The caching of a deployment (immutable hashed assets), so a prefetch is reused as it would be.
    headerRules: widgetOriginHeaderRules(deployment, realtimeOrigins).rules,
  });
  // The demo origin: a strict CSP on the strict-CSP example page, and the SPA example's client-side routes.
  const demo = await startStaticServer({
    root: options.demoRoot ?? resolve(root, distDir(env), 'demo'),
    port: ports.demo,
    host,
    pageHeaders: demoPageHeaders(deployment.widgetOrigin),
    spaPrefixes: demoSpaPrefixes,
  });
  return {
    emulator,
    urls: { emulator: emulator.url, tokenService: tokenService.url, widget: widget.url, demo: demo.url },
    close: async () => {
      const closing = Promise.allSettled([
        emulator.close(),
        tokenService.close(),
        new Promise((done) => widget.server.close(done)),
        new Promise((done) => demo.server.close(done)),
      ]);
      // Browsers keep connections open: end them so closing does not wait for their timeouts.
      widget.server.closeAllConnections();
      demo.server.closeAllConnections();
      await closing;
    },
  };
}
