// The Fetch-standard entry, `{ fetch(request, env?) }`, for platforms that call
// a fetch handler (Bun, Deno, Vercel's Node.js runtime, Cloudflare Workers with
// Node.js compatibility). The service is built on the first request, from the
// environment given here or, failing that, the one the platform passes along
// with the request (Workers bindings). See server/README.md, "Deploying".
import type { DeploymentConfig } from '../../../config/types.ts';
import type { TokenService, TokenServiceDeps } from '../app.ts';
import type { EnvInput } from '../env.ts';
import { composeTokenService } from './compose.ts';

export interface FetchEntryOptions {
  deployment: DeploymentConfig;
  /** The environment; leave out to use the env the platform passes to fetch(). */
  env?: EnvInput;
  /**
   * How this platform tells the client address, e.g. Workers:
   * `(request) => request.headers.get('cf-connecting-ip') ?? undefined`.
   * Default: none (set FLEXCHAT_TRUST_PROXY behind a proxy that appends X-Forwarded-For).
   */
  clientAddress?: (request: Request) => string | undefined;
  deps?: Partial<TokenServiceDeps>;
}

export interface FetchEntry {
  fetch(request: Request, env?: unknown): Promise<Response>;
}

const isEnv = (value: unknown): value is EnvInput => typeof value === 'object' && value !== null;

export function createFetchEntry(options: FetchEntryOptions): FetchEntry {
  let service: TokenService | undefined;
  return {
    fetch(request, platformEnv) {
      if (!service) {
        const env = options.env ?? (isEnv(platformEnv) ? platformEnv : {});
        service = composeTokenService({ env, deployment: options.deployment, ...(options.deps ? { deps: options.deps } : {}) }).service;
      }
      const remoteAddress = options.clientAddress?.(request);
      return service.fetch(request, remoteAddress === undefined ? {} : { remoteAddress });
    },
  };
}
