import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame, encodeNotification, FrameError, JsonText } from './frame.ts';

describe('Twilsock frame codec', () => {
  it('round-trips header and JSON payload with byte lengths, not character counts', () => {
    const payload = { body: 'Zoë 👋 李' };
    const frame = encodeFrame({ method: 'message', id: 'TM1' }, payload);
    const text = frame.toString('utf8');
    const [preamble, headerJson] = text.split('\r\n') as [string, string];
    expect(Number(preamble.split(' ')[2])).toBe(Buffer.byteLength(headerJson));
    const header = JSON.parse(headerJson) as { payload_size: number };
    expect(header.payload_size).toBe(Buffer.byteLength(JSON.stringify(payload)));
    expect(header.payload_size).toBeGreaterThan(JSON.stringify(payload).length);
    expect(decodeFrame(frame)).toEqual({ header: { method: 'message', id: 'TM1', payload_size: header.payload_size }, payload });
  });

  it('sends a JsonText payload as the JSON it holds, byte for byte as the object would go', () => {
    const payload = { event_type: 'list_item_added', event: { item_data: { text: 'Zoë 👋 李' } } };
    const header = { method: 'notification', id: 'TM2', message_type: 'com.twilio.rtd.cds.list' };
    expect(encodeFrame(header, new JsonText(JSON.stringify(payload)))).toEqual(encodeFrame(header, payload));
    expect(decodeFrame(encodeFrame(header, new JsonText(JSON.stringify(payload)))).payload).toEqual(payload);
  });

  it('decodes frames without payload', () => {
    expect(decodeFrame(encodeFrame({ method: 'reply', id: 'x' })).payload).toBeUndefined();
  });

  it('keeps non-JSON payloads as text', () => {
    const frame = encodeFrame({ method: 'message', payload_type: 'application/x-www-form-urlencoded' }, 'ChannelSid=CH1');
    expect(decodeFrame(frame).payload).toBe('ChannelSid=CH1');
  });

  it.each([
    ['not twilsock', Buffer.from('HELLO\r\n{}\r\n')],
    ['wrong version', Buffer.from('TWILSOCK V2.0 2\r\n{}\r\n')],
    ['bad header size', Buffer.from('TWILSOCK V3.0 abc\r\n{}\r\n')],
    ['truncated header', Buffer.from('TWILSOCK V3.0 400\r\n{"method":"init"}\r\n')],
    ['header not JSON', Buffer.from('TWILSOCK V3.0 5\r\n{nope\r\n')],
    ['header without method', Buffer.from('TWILSOCK V3.0 2\r\n{}\r\n')],
    ['truncated payload', Buffer.from('TWILSOCK V3.0 35\r\n{"method":"message","payload_size":9}\r\n{}')],
    ['payload not JSON', Buffer.from('TWILSOCK V3.0 35\r\n{"method":"message","payload_size":3}\r\nabc')],
  ])('rejects %s with a FrameError', (_, bytes) => {
    expect(() => decodeFrame(bytes)).toThrow(FrameError);
  });

  it.each([
    ['an object', { event_type: 'document_updated', event: { document_data: { text: 'Zoë 👋 李 "quoted" \\ back' } } }],
    ['serialised text', new JsonText(JSON.stringify({ event_type: 'map_item_added', event: { item_key: 'MB1' } }))],
    ['a string', 'raw text'],
    ['nothing', undefined],
  ])('writes a notification carrying %s byte for byte as encodeFrame writes it', (_, payload) => {
    const id = 'TM0123456789abcdef0123456789abcdef';
    const messageType = 'com.twilio.rtd.cds.document';
    const expected = encodeFrame({ method: 'notification', id, message_type: messageType, payload_type: 'application/json' }, payload);
    expect(encodeNotification(id, messageType, payload).equals(expected)).toBe(true);
  });

  it('finds the preamble only in the first 64 bytes, as a Twilsock preamble is short', () => {
    const header = '{"method":"reply"}';
    const padded = (spaces: number) => Buffer.from(`TWILSOCK V3.0 ${' '.repeat(spaces)}${header.length}\r\n${header}\r\n`);
    // "TWILSOCK V3.0 " is 14 bytes and the length 2: CRLF at byte 64 is the last place allowed.
    expect(decodeFrame(padded(48)).header.method).toBe('reply');
    expect(() => decodeFrame(padded(49))).toThrow('missing Twilsock preamble');
    expect(() => decodeFrame(Buffer.from('TWILSOCK V3.0 18'))).toThrow('missing Twilsock preamble');
    expect(() => decodeFrame(Buffer.from('\r'))).toThrow('missing Twilsock preamble');
  });
});
