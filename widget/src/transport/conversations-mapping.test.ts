import { describe, expect, it } from 'vitest';
import { TransportError } from './chat-transport.ts';
import {
  clientMessageIdOf,
  toConnectionState,
  toTransportError,
  toTransportMessage,
  toTransportParticipant,
  type SdkMessageLike,
} from './conversations-mapping.ts';

const sdkMessage = (extra: Partial<SdkMessageLike> = {}): SdkMessageLike => ({
  sid: 'IM1',
  index: 4,
  author: 'agent-1',
  body: 'Hello',
  dateCreated: new Date(Date.UTC(2025, 0, 1)),
  attributes: {},
  ...extra,
});

describe('toTransportMessage', () => {
  const names = new Map([['agent-1', 'Ana']]);

  it('maps an agent message with its display name', () => {
    expect(toTransportMessage(sdkMessage(), 'me', names)).toEqual({
      sid: 'IM1',
      index: 4,
      author: 'agent-1',
      role: 'agent',
      authorName: 'Ana',
      body: 'Hello',
      createdAt: Date.UTC(2025, 0, 1),
    });
  });

  it('own messages are the visitor and carry their clientMessageId back', () => {
    const mapped = toTransportMessage(sdkMessage({ author: 'me', attributes: { clientMessageId: 'c-1' } }), 'me', names);
    expect(mapped).toMatchObject({ role: 'visitor', clientMessageId: 'c-1' });
  });

  it('authorless messages are system messages; missing body and date have safe fallbacks', () => {
    const mapped = toTransportMessage(sdkMessage({ author: null, body: null, dateCreated: null }), 'me', names, () => 42);
    expect(mapped).toMatchObject({ role: 'system', author: '', body: '', createdAt: 42 });
  });
});

describe('clientMessageIdOf', () => {
  it('reads only a non-empty string attribute', () => {
    expect(clientMessageIdOf({ clientMessageId: 'x' })).toBe('x');
    expect(clientMessageIdOf({ clientMessageId: 3 })).toBeUndefined();
    expect(clientMessageIdOf('x')).toBeUndefined();
    expect(clientMessageIdOf(null)).toBeUndefined();
    expect(clientMessageIdOf(['x'])).toBeUndefined();
  });
});

describe('participants and states', () => {
  it('participants without identity use their sid', () => {
    expect(toTransportParticipant({ sid: 'MB1', identity: null }, 'me', new Map())).toEqual({ identity: 'MB1', role: 'agent' });
    expect(toTransportParticipant({ sid: 'MB2', identity: 'me' }, 'me', new Map())).toEqual({ identity: 'me', role: 'visitor' });
  });

  it.each([
    ['connected', 'connected'],
    ['connecting', 'connecting'],
    ['retrying', 'connecting'],
    ['unknown', 'connecting'],
    ['disconnecting', 'disconnecting'],
    ['disconnected', 'disconnected'],
    ['error', 'disconnected'],
    ['denied', 'denied'],
  ])('twilsock %s → %s', (sdk, ours) => expect(toConnectionState(sdk)).toBe(ours));

  it('SDK error statuses map to transport error codes', () => {
    const withStatus = (status: number) => Object.assign(new Error('x'), { status });
    expect(toTransportError(withStatus(403), 'unknown', 'ctx').code).toBe('auth');
    expect(toTransportError(withStatus(404), 'unknown', 'ctx').code).toBe('not-found');
    expect(toTransportError(withStatus(400), 'unknown', 'ctx').code).toBe('rejected');
    expect(toTransportError(withStatus(503), 'unknown', 'ctx').code).toBe('network');
    expect(toTransportError(new Error('?'), 'network', 'ctx')).toMatchObject({ code: 'network', message: 'ctx: ?' });
    const original = new TransportError('auth', 'kept');
    expect(toTransportError(original, 'network', 'ctx')).toBe(original);
  });
});
