// The failure table: where a failure happened and what it was decide the code and Retry.
import { describe, expect, it } from 'vitest';
import { TransportError } from '../transport/chat-transport.ts';
import { classify } from './failures.ts';
import { TokenServiceError, type TokenServiceErrorKind } from './token-service.ts';

const service = (kind: TokenServiceErrorKind) => new TokenServiceError(kind, 'x');
const transport = (code: ConstructorParameters<typeof TransportError>[0]) => new TransportError(code, 'x');

describe('classify', () => {
  it('init: Retry asks the token service again, except after a refusal (back to the form)', () => {
    expect(classify('init', service('network'))).toEqual({ code: 'network', recovery: 'retry-init' });
    expect(classify('init', service('server'))).toEqual({ code: 'server', recovery: 'retry-init' });
    expect(classify('init', service('busy'))).toEqual({ code: 'busy', recovery: 'retry-init' });
    expect(classify('init', service('rejected'))).toEqual({ code: 'rejected', recovery: 'restart' });
    expect(classify('init', service('fields'))).toEqual({ code: 'rejected', recovery: 'restart' });
    expect(classify('init', new Error('a bug'))).toEqual({ code: 'unknown', recovery: 'retry-init' });
    expect(classify('init', service('deployment-key'))).toEqual({ code: 'deployment-key', recovery: 'retry-init' });
    expect(classify('init', service('origin'))).toEqual({ code: 'origin-not-allowed', recovery: 'retry-init' });
  });

  it('load: an unknown mode is unsupported; a chunk that did not arrive is retried', () => {
    expect(classify('load', transport('rejected'))).toEqual({ code: 'unsupported-mode', recovery: 'restart' });
    expect(classify('load', new TypeError('Failed to fetch dynamically imported module'))).toEqual({ code: 'network', recovery: 'retry-connect' });
  });

  it('connect: a session the service no longer has is gone; a lost connection is retried with the same credentials', () => {
    expect(classify('connect', transport('auth'))).toEqual({ code: 'auth', recovery: 'retry-init', gone: true });
    expect(classify('connect', transport('not-found'))).toMatchObject({ recovery: 'retry-init', gone: true });
    expect(classify('connect', transport('network'))).toEqual({ code: 'network', recovery: 'retry-connect' });
    expect(classify('connect', transport('unknown'))).toEqual({ code: 'unknown', recovery: 'retry-connect' });
  });

  it('renew: only a refusal ends the session; busy, 5xx and the rest keep the conversation for Retry', () => {
    for (const kind of ['auth', 'rejected', 'fields'] as const) {
      expect(classify('renew', service(kind))).toEqual({ code: 'session-expired', recovery: 'restart', gone: true });
    }
    expect(classify('renew', service('network'))).toEqual({ code: 'network', recovery: 'retry-connect' });
    expect(classify('renew', service('busy'))).toEqual({ code: 'busy', recovery: 'retry-connect' });
    expect(classify('renew', service('server'))).toEqual({ code: 'server', recovery: 'retry-connect' });
    expect(classify('renew', service('bad-response'))).toEqual({ code: 'bad-response', recovery: 'retry-connect' });
    expect(classify('renew', new Error('a bug'))).toEqual({ code: 'unknown', recovery: 'retry-connect' });
  });
});
