import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransportError } from './chat-transport.ts';
import { renewClientToken, type RenewableClient } from './token-renewal.ts';

// A stand-in with the token behaviour of Twilsock 1.x (twilsock/dist/twilsock.js and
// @twilio/conversations' Client.updateToken): an update while the socket is closing is
// dropped, the token the client holds is ignored, any other one reconnects a stopped client.
class FakeSdkClient implements RenewableClient {
  state = 'connected';
  token: string;
  updates: string[] = [];
  /** What the server answers to the next new token. */
  answer: 'accept' | 'deny' | 'silence' = 'accept';
  /** The SDK resolves the update but leaves the socket closed (a token it already had in its config). */
  resolveWithoutReconnecting = false;
  private readonly listeners = new Set<(state: string) => void>();

  constructor(token: string) {
    this.token = token;
  }

  connectionState(): string {
    return this.state;
  }

  onConnectionState(listener: (state: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  setState(state: string): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener(state);
  }

  /** The server closed the socket with 410: 'disconnecting' until the close completes. */
  expire(): void {
    this.setState('disconnecting');
  }

  async updateToken(token: string): Promise<void> {
    this.updates.push(token);
    if (token === this.token) return;
    if (this.state === 'disconnecting') return new Promise<never>(() => {});
    this.token = token;
    if (this.resolveWithoutReconnecting) return;
    if (this.answer === 'silence') return new Promise<never>(() => {});
    if (this.state !== 'connected') this.setState('connecting');
    if (this.answer === 'deny') {
      this.setState('denied');
      throw new Error('Token rejected');
    }
    this.setState('connected');
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('renewClientToken', () => {
  it('updates a connected client in place (refresh before expiry)', async () => {
    const client = new FakeSdkClient('t1');
    await renewClientToken(client, 't1', 't2');
    expect(client.updates).toEqual(['t2']);
    expect(client.token).toBe('t2');
    expect(client.state).toBe('connected');
  });

  it('after a 410 waits until the socket has closed, then reconnects the client with the new token', async () => {
    const client = new FakeSdkClient('t1');
    client.expire();
    const renewal = renewClientToken(client, 't1', 't2');
    await Promise.resolve();
    expect(client.updates).toEqual([]); // issued now, the SDK would drop it
    client.setState('disconnected');
    await renewal;
    expect(client.updates).toEqual(['t2']);
    expect(client.state).toBe('connected');
    expect(client.listenerCount).toBe(0);
  });

  it('refuses the token a stopped client already holds, which the SDK would ignore and stay disconnected', async () => {
    const client = new FakeSdkClient('t1');
    client.expire();
    const renewal = renewClientToken(client, 't1', 't1');
    client.setState('disconnected');
    await expect(renewal).rejects.toMatchObject({ name: 'TransportError', code: 'auth' });
    expect(client.updates).toEqual([]);
    expect(client.state).toBe('disconnected');
  });

  it('accepts the same token while the client is still connected: nothing to do', async () => {
    const client = new FakeSdkClient('t1');
    await renewClientToken(client, 't1', 't1');
    expect(client.updates).toEqual([]);
    expect(client.state).toBe('connected');
  });

  it('rejects when the SDK resolves the update but the client stays disconnected', async () => {
    const client = new FakeSdkClient('t1');
    client.setState('disconnected');
    client.resolveWithoutReconnecting = true;
    await expect(renewClientToken(client, 't1', 't2')).rejects.toMatchObject({ name: 'TransportError', code: 'network' });
    expect(client.updates).toEqual(['t2']);
  });

  it('passes a refusal of the new token on as an auth error', async () => {
    const client = new FakeSdkClient('t1');
    client.setState('disconnected');
    client.answer = 'deny';
    const error = await renewClientToken(client, 't1', 't2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'auth', message: 'Cannot update the access token' });
  });

  it('never waits forever: neither for a socket stuck closing nor for an update without an answer', async () => {
    vi.useFakeTimers();
    const stuck = new FakeSdkClient('t1');
    stuck.expire();
    const closing = expect(renewClientToken(stuck, 't1', 't2', 1_000)).rejects.toMatchObject({ code: 'network' });
    await vi.advanceTimersByTimeAsync(1_000);
    await closing;
    expect(stuck.updates).toEqual([]);
    expect(stuck.listenerCount).toBe(0);

    const silent = new FakeSdkClient('t1');
    silent.answer = 'silence';
    const unanswered = expect(renewClientToken(silent, 't1', 't2', 1_000)).rejects.toMatchObject({ code: 'network' });
    await vi.advanceTimersByTimeAsync(1_000);
    await unanswered;
    expect(silent.updates).toEqual(['t2']);
  });
});
