import * as mcsDist from '@twilio/mcs-client/dist/index.js';
import { describe, expect, it, vi } from 'vitest';
import { CancellablePromise, Client, McsClient, McsMedia, Media, type LoadClient } from './mcs-lazy-client.ts';

/** A stand-in for the package's Client: records what it is made with and asked. */
function fakeClientClass() {
  const made: FakeClient[] = [];
  class FakeClient {
    tokens: string[] = [];
    calls: unknown[][] = [];
    cancelled = 0;
    answer: (value: unknown) => void = () => undefined;
    constructor(
      token: string,
      readonly baseUrl: string,
      readonly baseSetUrl: string | null,
      readonly options: object,
    ) {
      this.tokens.push(token);
      made.push(this);
    }
    updateToken(token: string) {
      this.tokens.push(token);
    }
    private request(...args: unknown[]) {
      this.calls.push(args);
      return new CancellablePromise((resolve, _reject, onCancel) => {
        onCancel(() => void this.cancelled++);
        this.answer = resolve;
      });
    }
    get(sid: string) {
      return this.request('get', sid);
    }
    post(...args: unknown[]) {
      return this.request('post', ...args);
    }
    postFormData(...args: unknown[]) {
      return this.request('postFormData', ...args);
    }
    mediaSetGet(sids: string[]) {
      return this.request('mediaSetGet', sids);
    }
    mediaSetGetContentUrls(sids: string[]) {
      return this.request('mediaSetGetContentUrls', sids);
    }
  }
  return { made, load: vi.fn(() => Promise.resolve(FakeClient as unknown as Awaited<ReturnType<LoadClient>>)) };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the media client loaded on the first media request (mcs-lazy-client.ts)', () => {
  it('exports the package’s own CancellablePromise and Media, which the SDK checks with instanceof', () => {
    expect(CancellablePromise).toBe(mcsDist.CancellablePromise);
    expect(Media).toBe(mcsDist.Media);
    expect(McsMedia).toBe(mcsDist.McsMedia);
    expect(Client).toBe(McsClient);
  });

  it('loads nothing until asked for media, then makes one Client with the latest token for every request', async () => {
    const { made, load } = fakeClientClass();
    const client = new McsClient('token-1', 'https://mcs/Media', 'https://mcs/MediaSet', { region: 'us1' } as object, load);
    client.updateToken('token-2');
    expect(load).not.toHaveBeenCalled();

    const first = client.get('ME1');
    const second = client.mediaSetGetContentUrls(['ME1', 'ME2']);
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    expect(made).toHaveLength(1);
    const real = made[0]!;
    expect([real.tokens, real.baseUrl, real.baseSetUrl, real.options]).toEqual([['token-2'], 'https://mcs/Media', 'https://mcs/MediaSet', { region: 'us1' }]);
    expect(real.calls).toEqual([['get', 'ME1'], ['mediaSetGetContentUrls', ['ME1', 'ME2']]]);

    real.answer('the media');
    expect(first).toBeInstanceOf(CancellablePromise);
    await expect(second).resolves.toBe('the media'); // the fake answers its latest request
    client.updateToken('token-3');
    await settle();
    expect(real.tokens).toEqual(['token-2', 'token-3']);
  });

  it('passes each method’s arguments through', async () => {
    const { made, load } = fakeClientClass();
    const client = new McsClient('t', 'u', null, {}, load);
    const blob = new Blob(['x']);
    const form = new FormData();
    void client.post('image/png', blob, 'media', 'a.png');
    void client.postFormData(form, null);
    void client.mediaSetGet(['ME3']);
    await settle();
    expect(made[0]!.calls).toEqual([['post', 'image/png', blob, 'media', 'a.png'], ['postFormData', form, null], ['mediaSetGet', ['ME3']]]);
  });

  it('a request cancelled while the Client loads is never sent; one cancelled later cancels the real request', async () => {
    const { made, load } = fakeClientClass();
    const client = new McsClient('t', 'u', 's', {}, load);
    const early = client.get('ME1');
    early.cancel();
    await expect(early).rejects.toThrow('Promise was cancelled');
    await settle();
    expect(made[0]!.calls).toEqual([]);

    const late = client.get('ME2');
    await settle();
    expect(made[0]!.calls).toEqual([['get', 'ME2']]);
    late.cancel();
    await expect(late).rejects.toThrow('Promise was cancelled');
    expect(made[0]!.cancelled).toBe(1);
  });

  it('a failed load fails that request and is tried again on the next', async () => {
    const { made, load } = fakeClientClass();
    const working = load.getMockImplementation()!;
    load.mockImplementationOnce(() => Promise.reject(new TypeError('Failed to fetch dynamically imported module')));
    const client = new McsClient('t', 'u', 's', {}, load);
    await expect(client.get('ME1')).rejects.toThrow('Failed to fetch dynamically imported module');
    load.mockImplementation(working);
    const again = client.get('ME1');
    await settle();
    expect(load).toHaveBeenCalledTimes(2);
    made[0]!.answer('media');
    await expect(again).resolves.toBe('media');
  });

  it('a Client that fails to be made fails that request and is made again on the next', async () => {
    const { made, load } = fakeClientClass();
    const Working = await load();
    let attempts = 0;
    class FailsOnce extends (Working as unknown as new (...args: unknown[]) => object) {
      constructor(...args: unknown[]) {
        if (attempts++ === 0) throw new Error('bad configuration');
        super(...args);
      }
    }
    load.mockImplementation(() => Promise.resolve(FailsOnce as unknown as Awaited<ReturnType<LoadClient>>));
    const client = new McsClient('t', 'u', 's', {}, load);
    await expect(client.get('ME1')).rejects.toThrow('bad configuration');
    void client.get('ME2');
    await settle();
    expect(made).toHaveLength(1);
    expect(made[0]!.calls).toEqual([['get', 'ME2']]);
  });

  it('refuses an empty token, as the package does', () => {
    const client = new McsClient('t', 'u', 's', {}, fakeClientClass().load);
    expect(() => client.updateToken('')).toThrow(TypeError);
  });
});
