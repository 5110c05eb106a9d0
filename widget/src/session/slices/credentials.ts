// Credentials: the token service's answer kept for the session, renewed before
// it expires (with the session proof, so it also works within the grace period after).
import { classify } from '../failures.ts';
import type { InitResponse } from '../token-service.ts';
import type { Session } from './session.ts';

export interface Credentials extends InitResponse {
  sessionProof?: string;
}

/** Credentials are considered stale this long before they actually expire. */
const expiryMarginMs = 30_000;
/** Past the next whole second by this much before asking for a token again (clock skew). */
const sameSecondSlackMs = 50;

export interface CredentialsSlice {
  /** A renewal on its way (the transport's events share it). */
  refreshing: Promise<void> | null;
  credentialsStale(): boolean;
  /**
   * Asks the token service for fresh credentials (with the session proof, so it
   * works after expiry within the grace period). On a definitive refusal,
   * `onRefused` decides: quietly drop a resumed session, or fail with
   * "session expired".
   */
  renewCredentials(signal: AbortSignal, onRefused: 'abandon' | 'fail'): Promise<boolean>;
  /** The transport says the token is about to expire (`expired` false) or has. */
  refreshToken(expired: boolean): Promise<void>;
}

export function createCredentialsSlice(s: Session): CredentialsSlice {
  /**
   * Asks the token service to renew these credentials and keeps the answer,
   * unless the session moved on meanwhile (then false). Token service errors
   * are thrown for the caller to judge.
   */
  const fetchFreshCredentials = async (credentials: Credentials, signal: AbortSignal): Promise<boolean> => {
    const fresh = await s.tokens.refresh({
      token: credentials.token,
      identity: credentials.identity,
      conversationSid: credentials.conversationSid,
      ...(credentials.sessionProof !== undefined ? { sessionProof: credentials.sessionProof } : {}),
    });
    if (signal.aborted) return false;
    s.credentials = {
      ...credentials,
      token: fresh.token,
      expiresAt: fresh.expiresAt,
      ...(fresh.sessionProof !== undefined ? { sessionProof: fresh.sessionProof } : {}),
    };
    s.set((state) => ({ session: state.session ? { ...state.session, expiresAt: fresh.expiresAt } : null }));
    s.persist();
    return true;
  };

  return {
    refreshing: null,

    credentialsStale() {
      const expiresAt = s.credentials?.expiresAt;
      return expiresAt !== null && expiresAt !== undefined && expiresAt - expiryMarginMs <= s.now();
    },

    async renewCredentials(signal, onRefused) {
      const credentials = s.credentials;
      if (!credentials) return false;
      try {
        return await fetchFreshCredentials(credentials, signal);
      } catch (error) {
        if (signal.aborted) return false;
        const failure = classify('renew', error);
        if (failure.gone && onRefused === 'abandon') s.abandon();
        else s.fail(failure.code, failure.recovery);
        return false;
      }
    },

    refreshToken(expired) {
      if (s.refreshing) return s.refreshing;
      const credentials = s.credentials;
      const transport = s.transport;
      if (!credentials || !transport) return Promise.resolve();
      const { signal } = s.scope;
      const run = async () => {
        try {
          if (!(await fetchFreshCredentials(credentials, signal)) || !s.credentials) return;
          if (!expired && s.credentials.token === credentials.token) {
            // Tokens minted within the same second are byte for byte the same (Twilio's
            // AccessToken: iat, exp and jti are whole seconds), so this renewal changed
            // nothing and the warned socket would still close: ask again once that second is over.
            await new Promise((resolve) => setTimeout(resolve, 1000 - (s.now() % 1000) + sameSecondSlackMs));
            if (signal.aborted || !(await fetchFreshCredentials(s.credentials, signal)) || !s.credentials) return;
            if (s.credentials.token === credentials.token) return; // tokenExpired follows if it matters
          }
          try {
            await transport.updateToken(s.credentials.token);
          } catch {
            if (signal.aborted) return;
            // The client gave up on its old token: a new client with the new one, same conversation.
            await s.reconnect();
          }
        } catch (error) {
          if (signal.aborted) return;
          // Before expiry there is still time (tokenExpired follows); after it the session is over.
          if (!expired) return;
          const { code, recovery } = classify('renew', error);
          s.fail(code, recovery);
        } finally {
          if (!signal.aborted) s.refreshing = null;
        }
      };
      s.refreshing = run();
      return s.refreshing;
    },
  };
}
