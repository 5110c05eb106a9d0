import { describe, expect, it } from 'vitest';
import { TransportError } from './chat-transport.ts';
import {
  clientMessageIdOf,
  memberTypeOf,
  queuePositionOf,
  toTransportAttachments,
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

  it('timeouts and throttling are passing troubles; refusals carry their reason from Twilio\'s code or the status', () => {
    const sdkError = (status: number, code?: number) => Object.assign(new Error('x'), { status, ...(code !== undefined ? { code } : {}) });
    expect(toTransportError(sdkError(408), 'unknown', 'ctx').code).toBe('network');
    expect(toTransportError(sdkError(429, 20429), 'unknown', 'ctx').code).toBe('network');
    expect(toTransportError(sdkError(400, 50504), 'network', 'ctx')).toMatchObject({ code: 'rejected', reason: 'too-long' });
    expect(toTransportError(sdkError(400, 50512), 'network', 'ctx')).toMatchObject({ code: 'rejected', reason: 'file-too-large' });
    expect(toTransportError(sdkError(400, 50511), 'network', 'ctx')).toMatchObject({ code: 'rejected', reason: 'file-type' });
    expect(toTransportError(sdkError(413), 'network', 'ctx')).toMatchObject({ code: 'rejected', reason: 'file-too-large' });
    expect(toTransportError(sdkError(415), 'network', 'ctx')).toMatchObject({ code: 'rejected', reason: 'file-type' });
    expect(toTransportError(sdkError(400, 50000), 'network', 'ctx').reason).toBeUndefined();
    expect(toTransportError(sdkError(503, 50512), 'network', 'ctx').reason).toBeUndefined();
  });
});

describe('Flex specifics', () => {
  it('queue position from conversation attributes', () => {
    expect(queuePositionOf({ queue: { position: 3 } })).toBe(3);
    expect(queuePositionOf({ queue: { position: null } })).toBeNull();
    expect(queuePositionOf({ queue: null })).toBeNull();
    expect(queuePositionOf({})).toBeNull();
    expect(queuePositionOf({ queue: { position: 0 } })).toBeNull();
    expect(queuePositionOf({ queue: { position: '2' } })).toBeNull();
    expect(queuePositionOf('{"queue":{"position":2}}')).toBeNull();
  });

  it('participants: member_type tells agents from other guests; read horizons come along', () => {
    expect(memberTypeOf({ member_type: 'agent' })).toBe('agent');
    expect(memberTypeOf(null)).toBeUndefined();
    expect(toTransportParticipant({ sid: 'MB1', identity: 'alex', attributes: { member_type: 'agent' }, lastReadMessageIndex: 4 }, 'me', new Map([['alex', 'Alex']]))).toEqual({
      identity: 'alex',
      role: 'agent',
      displayName: 'Alex',
      lastReadIndex: 4,
    });
    expect(toTransportParticipant({ sid: 'MB2', identity: 'other-guest', attributes: { member_type: 'guest' } }, 'me', new Map()).role).toBe('visitor');
    expect(toTransportParticipant({ sid: 'MB3', identity: 'alex', lastReadMessageIndex: null }, 'me', new Map())).toEqual({ identity: 'alex', role: 'agent', lastReadIndex: null });
  });

  it('messages carry their media (only the "media" category), and "system" authors are system messages', () => {
    const media = [
      { sid: 'ME1', filename: 'a.pdf', contentType: 'application/pdf', size: 10, category: 'media' },
      { sid: 'ME2', filename: null, contentType: 'text/html', size: 5, category: 'body' },
    ];
    expect(toTransportAttachments(media)).toEqual([{ sid: 'ME1', filename: 'a.pdf', contentType: 'application/pdf', size: 10 }]);
    expect(toTransportMessage(sdkMessage({ attachedMedia: media }), 'me', new Map()).attachments).toHaveLength(1);
    expect(toTransportMessage(sdkMessage({ attachedMedia: null }), 'me', new Map())).not.toHaveProperty('attachments');
    expect(toTransportMessage(sdkMessage({ author: 'system' }), 'me', new Map()).role).toBe('system');
  });
});
