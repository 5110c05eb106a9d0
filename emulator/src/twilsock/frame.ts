// Twilsock V3 frame codec:  "TWILSOCK V3.0 <header bytes>\r\n<header JSON>\r\n<payload>"
// Lengths are byte lengths of UTF-8, never character counts.

export interface TwilsockHeader {
  method: string;
  id?: string;
  payload_size?: number;
  payload_type?: string;
  [field: string]: unknown;
}

export interface TwilsockFrame {
  header: TwilsockHeader;
  /** Parsed JSON payload, or the raw text for non-JSON payload types, or undefined when empty. */
  payload: unknown;
}

const MAGIC = 'TWILSOCK V3.0 ';
const MAX_HEADER_BYTES = 64 * 1024;
/** The preamble's CRLF must start within this many bytes (as before: a longer first line is no Twilsock frame). */
const MAX_PREAMBLE_BYTES = 64;
const CR = 0x0d;
const LF = 0x0a;

export class FrameError extends Error {
  override readonly name = 'FrameError';
}

/**
 * A JSON payload serialised once, for a frame sent to many connections (a Sync
 * event reaching every subscriber): each frame copies the text instead of
 * stringifying the same object again.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

function payloadTextOf(payload: unknown): string {
  return payload === undefined ? '' : typeof payload === 'string' ? payload : payload instanceof JsonText ? payload.text : JSON.stringify(payload);
}

export function encodeFrame(header: TwilsockHeader, payload?: unknown): Buffer {
  const payloadText = payloadTextOf(payload);
  const payloadSize = Buffer.byteLength(payloadText, 'utf8');
  return assemble(JSON.stringify({ ...header, payload_size: payloadSize }), payloadText, payloadSize);
}

/**
 * A server push: the same bytes as encodeFrame({ method: 'notification', id, message_type,
 * payload_type: 'application/json' }, payload), its header written out directly. Every Sync
 * event and typing indicator is one, so it skips copying and serialising a header object.
 */
export function encodeNotification(id: string, messageType: string, payload: unknown): Buffer {
  const payloadText = payloadTextOf(payload);
  const payloadSize = Buffer.byteLength(payloadText, 'utf8');
  const headerText = `{"method":"notification","id":${JSON.stringify(id)},"message_type":${JSON.stringify(messageType)},"payload_type":"application/json","payload_size":${payloadSize}}`;
  return assemble(headerText, payloadText, payloadSize);
}

function assemble(headerText: string, payloadText: string, payloadSize: number): Buffer {
  const headerSize = Buffer.byteLength(headerText, 'utf8');
  const preamble = `${MAGIC}${headerSize}\r\n`;
  // One buffer written in place: no intermediate buffers to concatenate.
  const frame = Buffer.allocUnsafe(preamble.length + headerSize + 2 + payloadSize);
  let at = frame.write(preamble, 0, 'latin1');
  at += frame.write(headerText, at, 'utf8');
  at += frame.write('\r\n', at, 'latin1');
  frame.write(payloadText, at, 'utf8');
  return frame;
}

/** Where the preamble's CRLF starts, looked for in the first 64 bytes only (a preamble is "TWILSOCK V3.0 " and a length). */
function preambleEnd(data: Buffer): number {
  const last = Math.min(data.length - 2, MAX_PREAMBLE_BYTES);
  for (let i = 0; i <= last; i += 1) {
    if (data[i] === CR && data[i + 1] === LF) return i;
  }
  return -1;
}

export function decodeFrame(data: Buffer): TwilsockFrame {
  const lineEnd = preambleEnd(data);
  if (lineEnd < 0) throw new FrameError('missing Twilsock preamble');
  const preamble = data.toString('latin1', 0, lineEnd);
  if (!preamble.startsWith(MAGIC)) throw new FrameError(`unsupported protocol "${preamble.slice(0, 20)}"`);
  const headerSize = Number(preamble.slice(MAGIC.length));
  if (!Number.isInteger(headerSize) || headerSize <= 0 || headerSize > MAX_HEADER_BYTES) {
    throw new FrameError('invalid header size');
  }
  const headerStart = lineEnd + 2;
  const headerEnd = headerStart + headerSize;
  if (headerEnd > data.length) throw new FrameError('truncated header');
  let header: unknown;
  try {
    header = JSON.parse(data.toString('utf8', headerStart, headerEnd));
  } catch {
    throw new FrameError('header is not JSON');
  }
  if (header === null || typeof header !== 'object' || typeof (header as TwilsockHeader).method !== 'string') {
    throw new FrameError('header has no method');
  }
  const typedHeader = header as TwilsockHeader;
  const payloadSize = typedHeader.payload_size ?? 0;
  if (!Number.isInteger(payloadSize) || payloadSize < 0) throw new FrameError('invalid payload_size');
  if (payloadSize === 0) return { header: typedHeader, payload: undefined };
  const payloadStart = headerEnd + 2;
  if (payloadStart + payloadSize > data.length) throw new FrameError('truncated payload');
  const text = data.toString('utf8', payloadStart, payloadStart + payloadSize);
  const type = typedHeader.payload_type;
  if (type === undefined || type.startsWith('application/json')) {
    try {
      return { header: typedHeader, payload: JSON.parse(text) };
    } catch {
      throw new FrameError('payload is not JSON');
    }
  }
  return { header: typedHeader, payload: text };
}
