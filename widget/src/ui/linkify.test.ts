import { describe, expect, it } from 'vitest';
import { linkify, safeHref, trimCandidate } from './linkify.ts';

const links = (text: string) => linkify(text).filter((t) => t.type === 'link');

describe('linkify', () => {
  it('plain text is one text token', () => {
    expect(linkify('Hello, how are you?')).toEqual([{ type: 'text', text: 'Hello, how are you?' }]);
    expect(linkify('')).toEqual([]);
  });

  it('splits text around http and https links', () => {
    expect(linkify('See https://example.com/a?b=1#c and http://x.org.')).toEqual([
      { type: 'text', text: 'See ' },
      { type: 'link', text: 'https://example.com/a?b=1#c', href: 'https://example.com/a?b=1#c' },
      { type: 'text', text: ' and ' },
      { type: 'link', text: 'http://x.org', href: 'http://x.org/' },
      { type: 'text', text: '.' },
    ]);
  });

  it('leaves sentence punctuation and unbalanced brackets outside the link', () => {
    expect(links('(see https://example.com/docs), ok?')).toEqual([
      { type: 'link', text: 'https://example.com/docs', href: 'https://example.com/docs' },
    ]);
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)!')[0]?.text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(trimCandidate('https://a.b/c."\'')).toBe('https://a.b/c');
  });

  it('links mailto:, bare e-mail addresses and tel:', () => {
    expect(links('Write to mailto:help@example.com or sales@example.co.uk, or call tel:+1-555-0100.')).toEqual([
      { type: 'link', text: 'mailto:help@example.com', href: 'mailto:help@example.com' },
      { type: 'link', text: 'sales@example.co.uk', href: 'mailto:sales@example.co.uk' },
      { type: 'link', text: 'tel:+1-555-0100', href: 'tel:+15550100' },
    ]);
  });

  it('scheme matching is case-insensitive', () => {
    expect(links('HTTPS://EXAMPLE.COM/X')[0]).toMatchObject({ href: 'https://example.com/X' });
  });

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(document.cookie)',
    'javascript://example.com/%0Aalert(1)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    'ftp://example.com/file',
    '<a href="javascript:alert(1)">x</a>',
    'tel:call-me-maybe',
    'mailto:not-an-address',
    'http://',
  ])('never links %s', (text) => {
    const tokens = linkify(text);
    expect(tokens.filter((t) => t.type === 'link')).toEqual([]);
    expect(tokens.map((t) => t.text).join('')).toBe(text);
  });

  it('does not start a link in the middle of a word', () => {
    expect(links('xhttps://example.com')).toEqual([]);
  });

  it('keeps all text, including Unicode, around links', () => {
    const input = 'Grüße 👋 — https://例え.jp/パス ありがとう';
    const tokens = linkify(input);
    expect(tokens.map((t) => t.text).join('')).toBe(input);
    expect(tokens[1]).toEqual({ type: 'link', text: 'https://例え.jp/パス', href: new URL('https://例え.jp/パス').href });
  });
});

describe('safeHref', () => {
  it('only returns http(s), mailto and tel URLs', () => {
    expect(safeHref('https://a.example')).toBe('https://a.example/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('a@b.example')).toBe('mailto:a@b.example');
    expect(safeHref('tel:+44 20')).toBeNull();
  });
});
