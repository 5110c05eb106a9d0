import { describe, expect, it } from 'vitest';
import { checkFriendlyName, checkIdentity, checkMessageBody, checkUniqueName, parseAttributes } from './limits.ts';
import { ModelError } from './model-error.ts';

function codeOf(work: () => unknown): number | 'ok' {
  try {
    work();
    return 'ok';
  } catch (error) {
    if (error instanceof ModelError) return error.code;
    throw error;
  }
}

describe('Conversations length limits', () => {
  it('counts names in characters (code points), not UTF-16 units', () => {
    expect(codeOf(() => checkFriendlyName('😀'.repeat(256)))).toBe('ok');
    expect(codeOf(() => checkFriendlyName('😀'.repeat(257)))).toBe(50003);
    expect(codeOf(() => checkIdentity('é'.repeat(256)))).toBe('ok');
    expect(codeOf(() => checkIdentity('é'.repeat(257)))).toBe(50207);
  });

  it('counts the body in UTF-8 bytes: 32,000 at most', () => {
    expect(codeOf(() => checkMessageBody('a'.repeat(32_000)))).toBe('ok');
    expect(codeOf(() => checkMessageBody('a'.repeat(32_001)))).toBe(50504);
    expect(codeOf(() => checkMessageBody('é'.repeat(16_001)))).toBe(50504);
  });

  it('checks attribute size per resource, then that they are a JSON object', () => {
    const sized = (bytes: number) => JSON.stringify({ p: 'x'.repeat(bytes - 8) });
    expect(sized(4_000)).toHaveLength(4_000);
    expect(parseAttributes(sized(4_000), 'message')).toEqual({ p: 'x'.repeat(3_992) });
    expect(codeOf(() => parseAttributes(sized(4_001), 'message'))).toBe(50303);
    expect(codeOf(() => parseAttributes(sized(4_001), 'participant'))).toBe(50303);
    expect(codeOf(() => parseAttributes(sized(16_000), 'conversation'))).toBe('ok');
    expect(codeOf(() => parseAttributes(sized(16_001), 'conversation'))).toBe(50303);
    expect(codeOf(() => parseAttributes('{nope', 'message'))).toBe(50304);
    expect(codeOf(() => parseAttributes('[1]', 'message'))).toBe(50304);
    expect(parseAttributes(undefined, 'message')).toBeUndefined();
    expect(parseAttributes('', 'message')).toBeUndefined();
  });

  it('refuses a unique name shaped like a conversation SID', () => {
    expect(codeOf(() => checkUniqueName(`CH${'0'.repeat(32)}`))).toBe(50390);
    expect(codeOf(() => checkUniqueName(`CH${'0'.repeat(31)}`))).toBe('ok');
    expect(codeOf(() => checkUniqueName('support-1'))).toBe('ok');
  });
});
