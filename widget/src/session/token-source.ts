// Where the session's access tokens come from: flexchat's token service
// (token-service.ts, the default) or Twilio's hosted Webchat 3 init with a
// deployment key (hosted-init.ts, its own lazily loaded chunk). The session
// controller talks only to this interface.
import { tokenSourceOf } from '../../../config/token-source.ts';
import type { DeploymentConfig } from '../../../config/types.ts';
import {
  requestEnd,
  requestInit,
  requestMode,
  requestRefresh,
  requestAfterEnd,
  type AfterEndRoute,
  type EndRequestBody,
  type FetchLike,
  type InitRequestBody,
  type InitResponse,
  type RefreshRequestBody,
  type RefreshResponse,
  TokenServiceError,
} from './token-service.ts';

export interface TokenSource {
  readonly type: 'tokenService' | 'hosted';
  /**
   * Whether the visitor can end the chat from the widget. The hosted init has no
   * server to close the conversation with: as in Webchat 3, the agent ends it.
   */
  readonly visitorCanEnd: boolean;
  /** The chat mode ('conversations', 'local', 'legacy'), to preload the right SDK chunk; null when it cannot be told. */
  mode(): Promise<string | null>;
  init(body: InitRequestBody): Promise<InitResponse>;
  /** Renews the credentials; `sessionProof` is what init (or the last refresh) gave. */
  refresh(body: RefreshRequestBody): Promise<RefreshResponse>;
  /** Ends the chat where a server can; the hosted source only forgets it (nothing to call). */
  end(body: EndRequestBody): Promise<void>;
  /** Asks the token service about the ended chat (transcript by e-mail, survey); absent with the hosted init (no server). */
  afterEnd?: (route: AfterEndRoute, body: EndRequestBody & Record<string, unknown>) => Promise<void>;
}

type HostedInit = Pick<TokenSource, 'init' | 'refresh'>;

function chunkFailed(error: unknown): never {
  throw new TokenServiceError('network', `Could not load the hosted init: ${(error as Error)?.message ?? String(error)}`);
}

export function tokenServiceSource(fetchFn: FetchLike, tokenUrl: string): TokenSource {
  return {
    type: 'tokenService',
    visitorCanEnd: true,
    mode: () => requestMode(fetchFn, tokenUrl),
    init: (body) => requestInit(fetchFn, tokenUrl, body),
    refresh: (body) => requestRefresh(fetchFn, tokenUrl, body),
    end: (body) => requestEnd(fetchFn, tokenUrl, body),
    afterEnd: (route, body) => requestAfterEnd(fetchFn, tokenUrl, route, body),
  };
}

/** The source a deployment config names. The hosted client is a chunk of its own, loaded on first use. */
export function tokenSourceFor(config: DeploymentConfig, fetchFn: FetchLike): TokenSource {
  const source = tokenSourceOf(config);
  if (source.type === 'tokenService') return tokenServiceSource(fetchFn, source.tokenUrl);
  const friendlyNameField = config.preEngagement.friendlyNameField;
  let loading: Promise<HostedInit> | null = null;
  const hosted = (): Promise<HostedInit> => {
    loading ??= import('./hosted-init.ts').then((module) =>
      module.createHostedInit({ ...source, fetch: fetchFn, ...(friendlyNameField !== undefined ? { friendlyNameField } : {}) }),
    );
    // A chunk that failed to load (offline) is fetched again next time.
    loading.catch(() => (loading = null));
    return loading;
  };
  return {
    type: 'hosted',
    visitorCanEnd: false,
    mode: async () => (source.emulatorUrl ? 'local' : 'conversations'),
    init: async (body) => (await hosted().catch(chunkFailed)).init(body),
    refresh: async (body) => (await hosted().catch(chunkFailed)).refresh(body),
    end: async () => {},
  };
}
