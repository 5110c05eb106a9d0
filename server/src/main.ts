// Entry point: `tsx server/src/main.ts`. Reads the environment, starts the token
// service, prints its URL; on a bad environment prints every problem and exits 1.
import { loadDeploymentConfig } from '../../config/load.ts';
import type { DeploymentConfig } from '../../config/types.ts';
import { EnvError, parseListenAddress } from './env.ts';
import { startTokenService } from './runtimes/node.ts';

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
    server = await startTokenService({ port: listen.port, host: listen.host, env: process.env, deployment });
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
