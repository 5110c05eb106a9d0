import type { ClientInfo } from '../client-ip.ts';

/** What every route handler of the token service sees on the Hono context. */
export interface TokenServiceEnv {
  /** Set by the runtime adapter: what it knows about the connection (the peer address). */
  Bindings: ClientInfo;
  Variables: {
    requestId: string;
    /** The parsed JSON body of a browser POST (middleware/browser-post.ts). */
    body: unknown;
  };
}
