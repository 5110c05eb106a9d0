// Build step (Node only): the Twilio SDKs' websocket layer (twilsock) turns every
// frame's bytes into text by mapping each byte to a string, percent-escaping each
// character with a regular expression and calling decodeURIComponent. That is the
// largest single cost of an incoming message in the SDK (and of a history page:
// tens of kilobytes per frame), and its garbage keeps the collector busy. This
// transform puts the browser's UTF-8 decoder in front of it. The result is the same
// string for every valid UTF-8 input (decodeURIComponent and a fatal TextDecoder
// accept the same byte sequences; a leading BOM is kept, as before); anything the
// decoder refuses goes to the original function, so errors stay exactly as they were.
// Sending is the mirror image (percent-encoding every outgoing frame, then copying it
// character by character): the browser's UTF-8 encoder gives the same bytes for every
// well-formed string; a string with a lone surrogate goes to the original, which throws
// its URIError as before.
import type { Plugin } from 'vite';
import { replaceExactlyOnce } from './sdk-source-patch.ts';

/** The function twilsock (1.x and the 0.x of the legacy SDK) decodes frames with. */
const ORIGINAL = 'function uint8ArrayToString(ua) {';
const SLOW_NAME = 'uint8ArrayToString$twilsock';

const FAST = `var uint8ArrayDecoder$flexchat = typeof TextDecoder === "function" ? new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }) : null;
function uint8ArrayToString(ua) {
  if (uint8ArrayDecoder$flexchat !== null) {
    try {
      return uint8ArrayDecoder$flexchat.decode(ua);
    } catch (e) {
      // Not valid UTF-8: the original throws its own error.
    }
  }
  return ${SLOW_NAME}(ua);
}
`;

const ORIGINAL_ENCODE = 'function stringToUint8Array(s) {';
const SLOW_ENCODE_NAME = 'stringToUint8Array$twilsock';

const FAST_ENCODE = `var stringEncoder$flexchat = typeof TextEncoder === "function" ? new TextEncoder() : null;
function stringToUint8Array(s) {
  if (stringEncoder$flexchat !== null && typeof s === "string" && typeof s.isWellFormed === "function" && s.isWellFormed()) {
    return stringEncoder$flexchat.encode(s);
  }
  return ${SLOW_ENCODE_NAME}(s);
}
`;

/** twilsock's browser build, in any of the SDKs' copies, or the module of its modern build with these functions. */
export const holdsTwilsockCodec = (id: string): boolean =>
  /[\\/]node_modules[\\/]twilsock[\\/](?:builds[\\/]browser|dist[\\/]parser)\.js$/.test(id);

/** `code` with the fast decoder in front of twilsock's; throws when the function is not there (a changed SDK). */
export function withFastDecoder(code: string, id = 'twilsock'): string {
  return replaceExactlyOnce(code, ORIGINAL, `${FAST}function ${SLOW_NAME}(ua) {`, 'twilsock-decode', id);
}

/** `code` with the fast encoder in front of twilsock's; throws when the function is not there (a changed SDK). */
export function withFastEncoder(code: string, id = 'twilsock'): string {
  return replaceExactlyOnce(code, ORIGINAL_ENCODE, `${FAST_ENCODE}function ${SLOW_ENCODE_NAME}(s) {`, 'twilsock-decode', id);
}

/** `code` with both: what the widget build does to twilsock (and the emulator benchmark to its Node build). */
export function withFastCodec(code: string, id = 'twilsock'): string {
  return withFastEncoder(withFastDecoder(code, id), id);
}

export function twilsockFastDecode(): Plugin {
  return {
    name: 'flexchat-twilsock-decode',
    enforce: 'pre',
    transform(code, id) {
      if (!holdsTwilsockCodec(id)) return null;
      return { code: withFastCodec(code, id), map: null };
    },
  };
}
