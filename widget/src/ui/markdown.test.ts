import { describe, expect, it } from 'vitest';
import { parseMessage, type MarkNode } from './markdown.ts';

const text = (t: string): MarkNode => ({ type: 'text', text: t });

describe('light markdown', () => {
  it('is off unless asked for: only text and safe links', () => {
    expect(parseMessage('**hi** see https://example.com', false)).toEqual([
      text('**hi** see '),
      { type: 'link', text: 'https://example.com', href: 'https://example.com/' },
    ]);
  });

  it('bold, italic and code', () => {
    expect(parseMessage('a **b** _c_ *d* __e__ `f`', true)).toEqual([
      text('a '),
      { type: 'strong', children: [text('b')] },
      text(' '),
      { type: 'em', children: [text('c')] },
      text(' '),
      { type: 'em', children: [text('d')] },
      text(' '),
      { type: 'strong', children: [text('e')] },
      text(' '),
      { type: 'code', text: 'f' },
    ]);
  });

  it('nests emphasis inside bold', () => {
    expect(parseMessage('**very _much_ so**', true)).toEqual([
      { type: 'strong', children: [text('very '), { type: 'em', children: [text('much')] }, text(' so')] },
    ]);
  });

  it('code is literal: no emphasis and no links inside', () => {
    expect(parseMessage('`**x** https://example.com`', true)).toEqual([{ type: 'code', text: '**x** https://example.com' }]);
  });

  it('never reaches inside URLs, and links keep working inside bold', () => {
    expect(parseMessage('see https://example.com/a_b_c_d and _this_', true)).toEqual([
      text('see '),
      { type: 'link', text: 'https://example.com/a_b_c_d', href: 'https://example.com/a_b_c_d' },
      text(' and '),
      { type: 'em', children: [text('this')] },
    ]);
    expect(parseMessage('**https://example.com/help**', true)).toEqual([
      { type: 'strong', children: [{ type: 'link', text: 'https://example.com/help', href: 'https://example.com/help' }] },
    ]);
  });

  it('leaves ordinary text alone: snake_case, arithmetic, lone and unclosed markers, markers around spaces', () => {
    for (const input of ['snake_case_name', '2*3*4 = 24', 'a * b * c', '**not closed', '_ spaced _', 'price: 5 * 3', '**']) {
      expect(parseMessage(input, true)).toEqual([text(input)]);
    }
  });

  it('private-use placeholder characters in the text switch markdown off rather than confuse it', () => {
    expect(parseMessage('\uE0000\uE001 **x**', true)).toEqual([text('\uE0000\uE001 **x**')]);
  });

  it('HTML stays text', () => {
    expect(parseMessage('<b>**x**</b>', true)).toEqual([text('<b>'), { type: 'strong', children: [text('x')] }, text('</b>')]);
  });
});
