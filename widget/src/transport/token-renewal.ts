// Handing a renewed access token to a Twilio client SDK (@twilio/conversations
// or twilio-chat), which share Twilsock and its pitfalls:
// - after a 410 "token expired" close the socket sits in 'disconnecting' for up
//   to 3 s, and an updateToken issued then is dropped and never settles;
// - after that close the client stays 'disconnected' (no retries of its own)
//   until updateToken gets a token *different* from the one it holds: the same
//   token resolves at once and reconnects nothing. The token service can hand
//   back that very token (tokens minted in the same second are identical).
// So: wait for the close to finish, refuse what the SDK would ignore, and check
// the client really came back. A rejection tells the caller to start a new
// client with the token.
import { TransportError } from './chat-transport.ts';

/** The parts of an SDK client the renewal needs, as the adapter wires them. */
export interface RenewableClient {
  /** The SDK's raw connection state ('connected', 'disconnecting', 'disconnected', 'denied', …). */
  connectionState(): string;
  /** Calls `listener` on every connection state change; returns the unsubscribe. */
  onConnectionState(listener: (state: string) => void): () => void;
  updateToken(token: string): Promise<unknown>;
}

/** States the SDK never leaves by itself: only a token it does not hold yet brings it back. */
const STOPPED = new Set(['disconnected', 'denied']);

export const TOKEN_RENEWAL_TIMEOUT_MS = 10_000;

/**
 * Gives `client` the token `next` (it currently holds `held`). Resolves once
 * the client works with it; rejects with a TransportError when it will not.
 */
export async function renewClientToken(client: RenewableClient, held: string, next: string, timeoutMs = TOKEN_RENEWAL_TIMEOUT_MS): Promise<void> {
  await settleWithin(untilNotDisconnecting(client), timeoutMs);
  if (next === held) {
    if (STOPPED.has(client.connectionState())) {
      throw new TransportError('auth', 'The chat client is disconnected and ignores the token it already holds');
    }
    return; // Still connected (or reconnecting by itself) with this very token.
  }
  try {
    await settleWithin(client.updateToken(next), timeoutMs);
  } catch (error) {
    throw error instanceof TransportError ? error : new TransportError('auth', 'Cannot update the access token', error);
  }
  if (STOPPED.has(client.connectionState())) {
    throw new TransportError('network', 'The chat client took the token but did not reconnect');
  }
}

function untilNotDisconnecting(client: RenewableClient): { promise: Promise<void>; cancel: () => void } {
  if (client.connectionState() !== 'disconnecting') return { promise: Promise.resolve(), cancel: () => {} };
  let stop = () => {};
  const promise = new Promise<void>((resolve) => {
    stop = client.onConnectionState((state) => {
      if (state === 'disconnecting') return;
      stop();
      resolve();
    });
  });
  return { promise, cancel: () => stop() };
}

function settleWithin<T>(work: Promise<T> | { promise: Promise<T>; cancel: () => void }, ms: number): Promise<T> {
  const { promise, cancel } = work instanceof Promise ? { promise: work, cancel: () => {} } : work;
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      cancel();
      reject(new TransportError('network', `No answer from the chat service within ${ms / 1000} s`));
    }, ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
