import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { holdsTwilsockCodec, withFastCodec, withFastDecoder, withFastEncoder } from './twilsock-decode-plugin.ts';

const require = createRequire(import.meta.url);
const root = resolve(dirname(require.resolve('twilsock/package.json')), '..', '..');
// Every copy of twilsock the widget's two SDKs bundle.
const builds = [
  'node_modules/twilsock/builds/browser.js',
  'node_modules/twilio-chat/node_modules/twilsock/builds/browser.js',
  'node_modules/twilio-chat/node_modules/twilio-sync/node_modules/twilsock/builds/browser.js',
  // The modern build @twilio/conversations' twilsock is bundled from (sdk-modern-builds-plugin.ts).
  'node_modules/twilsock/dist/parser.js',
].map((path) => resolve(root, path));

/** The decode function of `source` (twilsock's own text, or the transformed one), runnable. */
function decoderOf(source: string, globals: Record<string, unknown> = {}): (bytes: Uint8Array) => string {
  const start = source.indexOf('var uint8ArrayDecoder$flexchat');
  const from = start >= 0 ? start : source.indexOf('function uint8ArrayToString(ua) {');
  const end = source.indexOf('function getJsonObject', from);
  const context = { TextDecoder, ...globals, result: undefined as unknown };
  runInNewContext(`${source.slice(from, end)}\nresult = uint8ArrayToString;`, context);
  return context.result as (bytes: Uint8Array) => string;
}

/** The encode function of `source` (twilsock's own text, or the transformed one), runnable. */
function encoderOf(source: string, globals: Record<string, unknown> = {}): (text: string) => Uint8Array {
  const start = source.indexOf('var stringEncoder$flexchat');
  const from = start >= 0 ? start : source.indexOf('function stringToUint8Array(s) {');
  const end = source.indexOf('function uint8ArrayToString(ua) {', from);
  const context = { TextEncoder, ...globals, result: undefined as unknown };
  runInNewContext(`${source.slice(from, end)}\nresult = stringToUint8Array;`, context);
  return context.result as (text: string) => Uint8Array;
}

/** What `run` throws (errors of the vm's realm are not this realm's URIError). */
function thrown(run: () => unknown): { name: string; message: string } | null {
  try {
    run();
    return null;
  } catch (error) {
    const { name, message } = error as Error;
    return { name, message };
  }
}

const samples: Array<[string, Uint8Array]> = [
  ['ascii JSON with line breaks', new TextEncoder().encode('{"method":"notification",\r\n"body":"a%20b % 100%"}')],
  ['accents, CJK, emoji', new TextEncoder().encode('Grüße, 你好 👋🏽 — ok')],
  ['a leading BOM', new Uint8Array([0xef, 0xbb, 0xbf, 0x41])],
  ['empty', new Uint8Array([])],
];
const invalid: Array<[string, Uint8Array]> = [
  ['a lone continuation byte', new Uint8Array([0x41, 0x80])],
  ['a truncated sequence', new Uint8Array([0xe2, 0x82])],
  ['an encoded surrogate', new Uint8Array([0xed, 0xa0, 0x80])],
  ['an overlong slash', new Uint8Array([0xc0, 0xaf])],
];

describe('twilsock fast decode (build transform)', () => {
  it('applies to the browser builds of twilsock only', () => {
    expect(builds.every(holdsTwilsockCodec)).toBe(true);
    expect(holdsTwilsockCodec(resolve(root, 'node_modules/twilsock/builds/lib.js'))).toBe(false);
    expect(holdsTwilsockCodec(resolve(root, 'node_modules/@twilio/conversations/builds/browser.js'))).toBe(false);
  });

  for (const build of builds) {
    const original = readFileSync(build, 'utf8');
    const transformed = withFastDecoder(original, build);
    const slow = decoderOf(original);
    const fast = decoderOf(transformed);

    it(`${build.slice(root.length + 1)}: same text as the original for valid UTF-8`, () => {
      for (const [, bytes] of samples) expect(fast(bytes)).toBe(slow(bytes));
      expect(fast(samples[2]![1])).toBe('\ufeffA');
    });

    it(`${build.slice(root.length + 1)}: valid UTF-8 never reaches the original`, () => {
      const unused = decoderOf(transformed, {
        decodeURIComponent: () => {
          throw new Error('the slow path ran');
        },
      });
      for (const [, bytes] of samples) expect(unused(bytes)).toBe(slow(bytes));
    });

    it(`${build.slice(root.length + 1)}: the original's error for bytes that are not UTF-8`, () => {
      for (const [name, bytes] of invalid) {
        const slowError = thrown(() => slow(bytes));
        expect(slowError, name).toMatchObject({ name: 'URIError' });
        expect(thrown(() => fast(bytes)), name).toEqual(slowError);
      }
    });
  }

  it('refuses a twilsock without the function it replaces', () => {
    expect(() => withFastDecoder('function somethingElse() {}', 'twilsock@next')).toThrow(/twilsock@next/);
  });
});

const texts: Array<[string, string]> = [
  ['a frame: header and JSON', 'TWILSOCK V3.0 147\r\n{"id":"TM1","method":"reply","status":{"code":200,"status":"OK"},"payload_size":0}\r\n'],
  ['percent signs and escapes', 'a%20b % 100% \\u0041 +&='],
  ['accents, CJK, emoji', 'Grüße, 你好 👋🏽 — ok'],
  ['a BOM and NUL', '\ufeffA\u0000B'],
  ['empty', ''],
];

describe('twilsock fast encode (build transform)', () => {
  for (const build of builds) {
    const original = readFileSync(build, 'utf8');
    const transformed = withFastEncoder(original, build);
    const slow = encoderOf(original);
    const fast = encoderOf(transformed);

    it(`${build.slice(root.length + 1)}: same bytes as the original for well-formed text`, () => {
      for (const [name, text] of texts) expect(Array.from(fast(text)), name).toEqual(Array.from(slow(text)));
    });

    it(`${build.slice(root.length + 1)}: well-formed text never reaches the original`, () => {
      const unused = encoderOf(transformed, {
        encodeURIComponent: () => {
          throw new Error('the slow path ran');
        },
      });
      for (const [name, text] of texts) expect(Array.from(unused(text)), name).toEqual(Array.from(slow(text)));
    });

    it(`${build.slice(root.length + 1)}: the original's error for a lone surrogate`, () => {
      const slowError = thrown(() => slow('a\ud800b'));
      expect(slowError).toMatchObject({ name: 'URIError' });
      expect(thrown(() => fast('a\ud800b'))).toEqual(slowError);
    });
  }

  it('applies together with the decoder', () => {
    const both = withFastCodec(readFileSync(builds[0]!, 'utf8'));
    expect(Array.from(encoderOf(both)(texts[2]![1]))).toEqual(Array.from(new TextEncoder().encode(texts[2]![1])));
    expect(decoderOf(both)(new TextEncoder().encode(texts[2]![1]))).toBe(texts[2]![1]);
  });

  it('refuses a twilsock without the function it replaces', () => {
    expect(() => withFastEncoder('function somethingElse() {}', 'twilsock@next')).toThrow(/twilsock@next/);
  });
});
