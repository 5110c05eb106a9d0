// Node runtime: serves the token service with @hono/node-server. The peer
// address comes from the socket; each request is logged as one JSON line.
import { serve, type HttpBindings, type Http2Bindings } from '@hono/node-server';
import { Hono } from 'hono';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { DeploymentConfig } from '../../../config/types.ts';
import type { RequestLogLine, TokenService, TokenServiceDeps } from '../app.ts';
import { flowOf, type ChatFlow, type EnvInput, type TokenServiceMode } from '../env.ts';
import { SERVICE_PATHS } from '../app.ts';
import { composeTokenService } from './compose.ts';
import { rehearseChatStarts } from './rehearsal.ts';
import { widgetStaticFiles, type WidgetFiles } from './static-files.ts';

export type { RequestLogLine };

export interface RunningServer {
  /** e.g. http://127.0.0.1:4020 (no trailing slash) */
  url: string;
  close(): Promise<void>;
}

export interface ServeOptions {
  port: number;
  host?: string;
  /** Also serve the widget origin's static files (the container does). */
  widget?: WidgetFiles | undefined;
}

const stdoutLog = (line: RequestLogLine) => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

/** Serves `service` on host:port (port 0 picks a free port). */
export async function serveTokenService(service: Pick<TokenService, 'fetch'>, options: ServeOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const api = (request: Request, env: HttpBindings | Http2Bindings) => service.fetch(request, { remoteAddress: env.incoming.socket.remoteAddress });
  let fetch: (request: Request, env: HttpBindings | Http2Bindings) => Response | Promise<Response> = api;
  if (options.widget) {
    const site = new Hono<{ Bindings: HttpBindings | Http2Bindings }>()
      .use(widgetStaticFiles(options.widget, (path) => SERVICE_PATHS.has(path)))
      .all('*', (c) => api(c.req.raw, c.env));
    fetch = (request, env) => site.fetch(request, env);
  }
  const server = serve({ fetch, port: options.port, hostname: host });
  // Idle keep-alive sockets are kept longer than a load balancer keeps its own (60 s is the
  // usual idle timeout): with Node's 5 s default, a balancer or client that reuses a socket
  // just as the service closes it gets a reset. close() ends every connection.
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
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
  /** Also serve the widget origin's static files. */
  widget?: WidgetFiles;
}

/** Validates env (throws EnvError listing every problem), then serves the token service. */
export async function startTokenService(
  options: StartTokenServiceOptions,
): Promise<RunningServer & { mode: TokenServiceMode; flow: ChatFlow; /** Settles when /readyz may say ready (warm-up and rehearsal over). */ warmUp: Promise<void> }> {
  const { deployment } = options;
  const { config, service } = composeTokenService({
    env: options.env ?? process.env,
    deployment,
    deps: {
      requestLog: options.log ?? stdoutLog,
      rehearse: async (serviceConfig, signal) =>
        serviceConfig.warmUpChatStarts
          ? rehearseChatStarts(serviceConfig, {
              preEngagement: deployment.preEngagement,
              survey: deployment.survey,
              chatStarts: serviceConfig.warmUpChatStarts,
              signal,
              serve: (twin) => serveTokenService(twin, { port: 0, host: '127.0.0.1' }),
            })
          : { requests: 0, succeeded: 0, upstreamCalls: 0, ms: 0 },
      ...options.deps,
    },
  });
  let server: RunningServer;
  try {
    server = await serveTokenService(service, { port: options.port, host: options.host ?? '127.0.0.1', widget: options.widget });
  } catch (error) {
    await service.close();
    throw error;
  }
  return {
    url: server.url,
    mode: config.mode,
    flow: flowOf(config),
    warmUp: service.warmUp,
    close: async () => {
      try {
        await server.close();
      } finally {
        await service.close();
      }
    },
  };
}
