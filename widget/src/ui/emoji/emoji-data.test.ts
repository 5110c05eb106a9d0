import { describe, expect, it } from 'vitest';
import { allEmoji, CATEGORY_IDS, emojiIn, labelOf, parseEntry } from './emoji-data.ts';

describe('the emoji set', () => {
  const emoji = allEmoji();

  it('is a few hundred, in every category, each entry well formed', () => {
    expect(emoji.length).toBeGreaterThanOrEqual(400);
    for (const category of CATEGORY_IDS) expect(emojiIn(category).length).toBeGreaterThanOrEqual(30);
    // Nothing was dropped as malformed: the count equals the entries written.
    for (const e of emoji) {
      expect(e.char).toMatch(/^\p{Extended_Pictographic}|^\p{Regional_Indicator}|^[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u2b55]/u);
      for (const name of e.names) expect(name).toMatch(/^[a-z0-9_+-]+$/);
    }
  });

  it('has each emoji once and each shortcode once', () => {
    const chars = emoji.map((e) => e.char);
    expect(new Set(chars).size).toBe(chars.length);
    const names = emoji.flatMap((e) => e.names);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it("knows the shortcodes people type on GitHub and Slack", () => {
    const byName = (n: string) => emoji.find((e) => e.names.includes(n))?.char;
    expect(byName('smile')).toBe('😄');
    expect(byName('+1')).toBe('👍');
    expect(byName('thumbsup')).toBe('👍');
    expect(byName('heart')).toBe('❤️');
    expect(byName('tada')).toBe('🎉');
    expect(byName('joy')).toBe('😂');
    expect(byName('pray')).toBe('🙏');
  });

  it('labels each emoji with a readable name', () => {
    expect(labelOf(emoji.find((e) => e.char === '👍')!)).toBe('thumbs up');
    expect(labelOf(emoji.find((e) => e.char === '🙂')!)).toBe('slightly smiling face');
    // No label is only digits or signs (":+1:", ":100:" are aliases, not names).
    for (const e of emoji) expect(labelOf(e)).toMatch(/[a-z]{2}/);
  });

  it('reads an entry: the emoji, then its names; a ZWJ sequence stays whole', () => {
    expect(parseEntry('🧑‍💻technologist', 'people')).toEqual({ char: '🧑‍💻', names: ['technologist'], category: 'people' });
    expect(parseEntry('👍thumbs_up/+1', 'people')?.names).toEqual(['thumbs_up', '+1']);
    expect(parseEntry('no_emoji', 'people')).toBeNull();
    expect(parseEntry('😀', 'people')).toBeNull();
  });
});
