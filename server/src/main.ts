// Node entry point: `node dist/server/server/src/main.js` (the compiled build, the
// container) or `tsx server/src/main.ts`. Reads the environment and the
// deployment config, starts the token service (and, with FLEXCHAT_WIDGET_ROOT,
// the widget origin's static files), prints its URL; on a bad environment
// prints every problem and exits 1.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadDeploymentConfig } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import type { HeaderRules } from '../../contracts/static-headers.ts';
import { EnvError, parseListenAddress } from './env.ts';
import { startTokenService } from './runtimes/node.ts';
import type { WidgetFiles } from './runtimes/static-files.ts';

/** In the compiled build: dist/server/widget-headers.json, written by `npm run build`. */
const DEFAULT_WIDGET_HEADERS = resolve(import.meta.dirname, '../../widget-headers.json');

/** FLEXCHAT_WIDGET_ROOT (the built widget, dist/widget) and its header rules (FLEXCHAT_WIDGET_HEADERS). */
function widgetFiles(env: NodeJS.ProcessEnv): WidgetFiles | undefined {
  const root = env.FLEXCHAT_WIDGET_ROOT?.trim();
  if (!root) return undefined;
  const headersFile = env.FLEXCHAT_WIDGET_HEADERS?.trim() || DEFAULT_WIDGET_HEADERS;
  let rules: HeaderRules;
  try {
    rules = JSON.parse(readFileSync(headersFile, 'utf8')) as HeaderRules;
  } catch (error) {
    throw new EnvError([
      `FLEXCHAT_WIDGET_ROOT is set, but the widget's header rules cannot be read from ${headersFile} (${(error as Error).message}); run \`npm run build\` or set FLEXCHAT_WIDGET_HEADERS`,
    ]);
  }
  if (!Array.isArray(rules.rules)) throw new EnvError([`${headersFile} holds no header rules`]);
  return { root: resolve(root), rules: rules.rules };
}

async function main(): Promise<void> {
  let deployment: DeploymentConfig;
  try {
    deployment = loadDeploymentConfig(process.env.FLEXCHAT_CONFIG || undefined);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
  const listen = parseListenAddress(process.env, deployment.tokenUrl);
  if (!listen.ok) {
    console.error(new EnvError(listen.problems).message);
    process.exit(1);
  }
  let server;
  try {
    const widget = widgetFiles(process.env);
    server = await startTokenService({ port: listen.port, host: listen.host, env: process.env, deployment, ...(widget ? { widget } : {}) });
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    const code = (error as { code?: unknown }).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      console.error(`Token service cannot listen on ${listen.host}:${listen.port} (${code}); set FLEXCHAT_TOKEN_PORT`);
      process.exit(1);
    }
    throw error;
  }
  const flow = server.mode === 'local' && server.flow === 'legacy' ? ', legacy flow' : '';
  console.log(`flexchat token service (${server.mode} mode${flow}) listening on ${server.url}`);

  const stop = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
