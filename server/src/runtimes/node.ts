// Node runtime: serves the token service with @hono/node-server. The peer
// address comes from the socket; each request is logged as one JSON line.
import { serve, type HttpBindings, type Http2Bindings } from '@hono/node-server';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { DeploymentConfig } from '../../../config/types.ts';
import { createTokenService, type RequestLogLine, type TokenService, type TokenServiceDeps } from '../app.ts';
import { flowOf, loadTokenServiceConfig, type ChatFlow, type EnvInput, type TokenServiceMode } from '../env.ts';

export type { RequestLogLine };

export interface RunningServer {
  /** e.g. http://127.0.0.1:4020 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host?: string;
}

const stdoutLog = (line: RequestLogLine) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Serves `service` on host:port (port 0 picks a free port). */
export async function serveTokenService(service: Pick<TokenService, 'fetch'>, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const server = serve({
    fetch: (request: Request, env: HttpBindings | Http2Bindings) => service.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress }),
    port: options.port,
    hostname: host,
  });
  if (!server.listening) await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))]);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}

export interface StartTokenServiceOptions {
  port: number;
  host?: string;
  /** Environment to read (default process.env). */
  env?: EnvInput;
  /** The deployment config: supplies the form and the default allowed origin. */
  deployment: DeploymentConfig;
  /** Test seams, passed to createTokenService. */
  deps?: Partial<TokenServiceDeps>;
  /** One line per request. Default: JSON on stdout. */
  log?: (line: RequestLogLine) => void;
}

/** Validates env (throws EnvError listing every problem), then serves the token service. */
export async function startTokenService(options: StartTokenServiceOptions): Promise<RunningServer & { mode: TokenServiceMode; flow: ChatFlow }> {
  const env = options.env ?? process.env;
  const config = loadTokenServiceConfig(env, { allowedOrigins: [options.deployment.widgetOrigin] });
  const service = createTokenService(config, { preEngagement: options.deployment.preEngagement, requestLog: options.log ?? stdoutLog, ...options.deps });
  let server: RunningServer;
  try {
    server = await serveTokenService(service, { port: options.port, host: options.host ?? '127.0.0.1' });
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    url: server.url,
    mode: config.mode,
    flow: flowOf(config),
    close: async () => {
      try {
        await server.close();
      } finally {
        await service.close();
      }
    },
  };
}
