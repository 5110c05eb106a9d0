import { describe, expect, it } from 'vitest';
import { byShortcode, completeShortcodeAt, normalizeQuery, searchEmoji, shortcodeQueryAt } from './search.ts';

describe('searchEmoji', () => {
  it('puts names that start with the query first, then word starts, then the rest', () => {
    const found = searchEmoji('smil');
    expect(found[0]).toMatchObject({ emoji: { char: '😄' }, name: 'smile' });
    const names = found.map((m) => m.name);
    expect(names.indexOf('smiley')).toBeLessThan(names.indexOf('slightly_smiling_face'));
    expect(names).toContain('slightly_smiling_face');
  });

  it('shows the name that matched, and each emoji once', () => {
    const found = searchEmoji('thumbsu');
    expect(found).toEqual([expect.objectContaining({ name: 'thumbsup', emoji: expect.objectContaining({ char: '👍' }) })]);
    const chars = searchEmoji('heart').map((m) => m.emoji.char);
    expect(new Set(chars).size).toBe(chars.length);
  });

  it('takes spaces and capitals as typed in the picker', () => {
    expect(normalizeQuery('  Thumbs  Up ')).toBe('thumbs_up');
    expect(searchEmoji('Thumbs up')[0]?.emoji.char).toBe('👍');
  });

  it('limits the answer, and finds nothing for nothing', () => {
    expect(searchEmoji('a', 5)).toHaveLength(5);
    expect(searchEmoji('   ')).toEqual([]);
    expect(searchEmoji('zzzzqx')).toEqual([]);
  });

  it('finds by exact shortcode, any alias, any case', () => {
    expect(byShortcode('SMILE')?.char).toBe('😄');
    expect(byShortcode('+1')?.char).toBe('👍');
    expect(byShortcode('smil')).toBeUndefined();
  });
});

describe('shortcodeQueryAt', () => {
  it('finds ":smi" before the caret, at the start or after a space', () => {
    expect(shortcodeQueryAt(':smi', 4)).toEqual({ start: 0, query: 'smi' });
    expect(shortcodeQueryAt('hello :thu', 10)).toEqual({ start: 6, query: 'thu' });
    expect(shortcodeQueryAt('(:+1', 4)).toEqual({ start: 1, query: '+1' });
  });

  it('needs two characters and leaves times, links and words alone', () => {
    expect(shortcodeQueryAt(':s', 2)).toBeNull();
    expect(shortcodeQueryAt('at 10:30', 8)).toBeNull();
    expect(shortcodeQueryAt('http://example', 14)).toBeNull();
    expect(shortcodeQueryAt('re:thanks', 9)).toBeNull();
    expect(shortcodeQueryAt(':smile:', 7)).toBeNull();
    expect(shortcodeQueryAt(':sm ile', 7)).toBeNull();
  });

  it('looks only at what is before the caret', () => {
    expect(shortcodeQueryAt(':smile and more', 4)).toEqual({ start: 0, query: 'smi' });
  });
});

describe('completeShortcodeAt', () => {
  it('replaces a complete known shortcode with its emoji, caret after it', () => {
    expect(completeShortcodeAt('hi :smile:', 10)).toEqual({ text: 'hi 😄', caret: 5, emoji: expect.objectContaining({ char: '😄' }) });
    expect(completeShortcodeAt(':+1: thanks', 4)).toMatchObject({ text: '👍 thanks', caret: 2 });
  });

  it('leaves unknown names, times and words alone', () => {
    expect(completeShortcodeAt(':nope:', 6)).toBeNull();
    expect(completeShortcodeAt('at 10:30:', 9)).toBeNull();
    expect(completeShortcodeAt('a:smile:', 8)).toBeNull();
  });
});
