// Light markdown for chat messages: **bold** / __bold__, *italic* / _italic_
// and `code`, plus the safe autolinks of linkify.ts. Output is a tree of plain
// data that MessageBody turns into React elements; nothing here is HTML, and a
// message that is not valid markdown stays exactly the text it was.
//
// Links are found first and are atomic, so markdown never reaches inside a URL
// (https://example.com/a_b_c keeps its underscores).
import { linkify, safeHref, type LinkToken } from './linkify.ts';

export type MarkNode =
  | { type: 'text'; text: string }
  | { type: 'link'; text: string; href: string }
  | { type: 'code'; text: string }
  | { type: 'strong'; children: MarkNode[] }
  | { type: 'em'; children: MarkNode[] };

/** Placeholders for links while markdown is parsed: U+E000 index U+E001 (private use). */
const open = '\uE000';
const close = '\uE001';
const placeholder = /\uE000(\d+)\uE001/g;

const wordChar = /[\p{L}\p{N}]/u;

interface Delimiter {
  marker: string;
  type: 'strong' | 'em' | 'code';
}

// Longest first, so ** is not read as two *.
const delimiters: Delimiter[] = [
  { marker: '`', type: 'code' },
  { marker: '**', type: 'strong' },
  { marker: '__', type: 'strong' },
  { marker: '*', type: 'em' },
  { marker: '_', type: 'em' },
];

/** Markers count only at word edges (so snake_case and 2*3*4 stay as they are), and never around spaces. */
function canOpen(text: string, at: number, marker: string): boolean {
  const before = text[at - 1];
  const after = text[at + marker.length];
  if (after === undefined || /\s/u.test(after)) return false;
  return marker === '`' || before === undefined || !wordChar.test(before);
}

function canClose(text: string, at: number, marker: string): boolean {
  const before = text[at - 1];
  const after = text[at + marker.length];
  if (before === undefined || /\s/u.test(before)) return false;
  return marker === '`' || after === undefined || !wordChar.test(after);
}

function findClose(text: string, from: number, marker: string): number {
  for (let at = text.indexOf(marker, from); at >= 0; at = text.indexOf(marker, at + 1)) {
    // A ** closer must not be read as * (and vice versa) when the run is longer.
    if (marker.length === 1 && (text[at + 1] === marker || text[at - 1] === marker) && marker !== '`') continue;
    if (canClose(text, at, marker)) return at;
  }
  return -1;
}

function parseSpans(text: string, links: LinkToken[], depth: number): MarkNode[] {
  const nodes: MarkNode[] = [];
  let plain = '';
  const flush = () => {
    if (plain !== '') nodes.push(...expandLinks(plain, links));
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    let matched = false;
    for (const { marker, type } of delimiters) {
      if (!text.startsWith(marker, i) || !canOpen(text, i, marker)) continue;
      if (marker.length === 1 && marker !== '`' && text[i + 1] === marker) continue;
      const end = findClose(text, i + marker.length, marker);
      if (end < 0) continue;
      const inner = text.slice(i + marker.length, end);
      flush();
      if (type === 'code') nodes.push({ type: 'code', text: restoreLinkText(inner, links) });
      else if (depth >= 3) nodes.push(...expandLinks(inner, links));
      else nodes.push({ type, children: parseSpans(inner, links, depth + 1) });
      i = end + marker.length;
      matched = true;
      break;
    }
    if (!matched) {
      plain += text[i];
      i++;
    }
  }
  flush();
  return nodes;
}

function expandLinks(text: string, links: LinkToken[]): MarkNode[] {
  const nodes: MarkNode[] = [];
  let last = 0;
  for (const match of text.matchAll(placeholder)) {
    const at = match.index;
    if (at > last) nodes.push({ type: 'text', text: text.slice(last, at) });
    const link = links[Number(match[1])];
    if (link) nodes.push(link.type === 'link' ? { type: 'link', text: link.text, href: link.href } : { type: 'text', text: link.text });
    last = at + match[0].length;
  }
  if (last < text.length) nodes.push({ type: 'text', text: text.slice(last) });
  return nodes;
}

function restoreLinkText(text: string, links: LinkToken[]): string {
  return text.replace(placeholder, (_, n: string) => links[Number(n)]?.text ?? '');
}

/** Trailing markdown markers glued to a URL ("**https://x.com**") belong to the markdown. */
function splitTrailingMarkers(tokens: LinkToken[]): LinkToken[] {
  const out: LinkToken[] = [];
  for (const token of tokens) {
    if (token.type !== 'link') {
      out.push(token);
      continue;
    }
    const match = /[*_`]+$/.exec(token.text);
    if (!match || match[0].length === token.text.length) {
      out.push(token);
      continue;
    }
    const text = token.text.slice(0, -match[0].length);
    const href = safeHref(text);
    out.push(href === null ? { type: 'text', text } : { type: 'link', text, href }, { type: 'text', text: match[0] });
  }
  return out;
}

/** Message text as markdown nodes; with `markdown` false, only text and links. */
export function parseMessage(text: string, markdown: boolean): MarkNode[] {
  const tokens = linkify(text);
  if (!markdown || text.includes(open) || text.includes(close)) {
    return tokens.map((t) => (t.type === 'link' ? { type: 'link', text: t.text, href: t.href } : { type: 'text', text: t.text }));
  }
  const parts = splitTrailingMarkers(tokens);
  const links: LinkToken[] = [];
  let source = '';
  for (const token of parts) {
    if (token.type === 'link') {
      source += `${open}${links.length}${close}`;
      links.push(token);
    } else source += token.text;
  }
  return parseSpans(source, links, 0);
}
