// The token service of `npm run bench:token`, alone in its own process, started
// the way production starts it (startTokenService: @hono/node-server, one JSON
// request-log line per request on stdout, which the benchmark sends to
// /dev/null). The environment comes from the parent (FLEX_EMULATOR_URL, lifted
// rate limits). Talks over the IPC channel:
//   → { type: 'ready', url }   once it listens (the parent then waits for /readyz)
//   ← { type: 'usage' }        → { type: 'usage', cpuMs }: CPU time used so far
// It exits when the IPC channel closes (its parent ended or killed it).
import { loadDeploymentConfig } from '../../config/load.ts';
import { startTokenService } from '../../server/src/runtimes/node.ts';

export type TokenServiceProcessMessage = { type: 'ready'; url: string } | { type: 'usage'; cpuMs: number };

if (!process.send) throw new Error('token-service-process.ts runs as a child of the token benchmark (IPC channel missing)');
const send = process.send.bind(process) as (message: TokenServiceProcessMessage) => boolean;

const service = await startTokenService({ port: 0, env: process.env, deployment: loadDeploymentConfig() });
send({ type: 'ready', url: service.url });

process.on('message', (message: { type?: string }) => {
  if (message.type !== 'usage') return;
  const cpu = process.cpuUsage();
  send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000 });
});
process.on('disconnect', () => {
  void service.close().finally(() => process.exit(0));
});
