import { describe, expect, it } from 'vitest';
import { replaceExactlyOnce } from './sdk-source-patch.ts';

describe('replaceExactlyOnce', () => {
  it('replaces the one occurrence of the anchor', () => {
    expect(replaceExactlyOnce('a(); f(x); b();', 'f(x);', 'g(x);', 'demo', 'sdk.js')).toBe('a(); g(x); b();');
  });

  it('refuses an anchor that is missing or appears twice, naming the plugin and the file', () => {
    expect(() => replaceExactlyOnce('a();', 'f(x);', 'g(x);', 'demo', 'sdk.js')).toThrow(
      'demo: expected one "f(x);" in sdk.js; the SDK changed, review widget/src/transport/demo-plugin.ts',
    );
    expect(() => replaceExactlyOnce('f(x); f(x);', 'f(x);', 'g(x);', 'demo', 'sdk.js')).toThrow('expected one "f(x);" in sdk.js');
  });
});
