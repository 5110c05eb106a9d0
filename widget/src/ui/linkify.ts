// Splits message text into plain text and links. Only http:, https:, mailto:
// and tel: ever become links (bare e-mail addresses become mailto:); anything
// else, e.g. javascript: or data:, stays text. Output is data; the renderer
// creates text nodes and <a> elements from it, never HTML.

export type LinkToken = { type: 'text'; text: string } | { type: 'link'; text: string; href: string };

// A scheme-prefixed run of non-space characters, or a bare e-mail address.
const candidates =
  /\b(?:https?:\/\/|mailto:|tel:)[^\s<>"`]+|[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu;

const trailingPunctuation = new Set(['.', ',', ';', ':', '!', '?', "'", '"', '…']);
const closers: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

/** Drops sentence punctuation and unbalanced closing brackets from the end of a candidate. */
export function trimCandidate(candidate: string): string {
  let text = candidate;
  for (;;) {
    const last = text.at(-1);
    if (last === undefined) return text;
    const opener = closers[last];
    if (trailingPunctuation.has(last) || (opener !== undefined && count(text, opener) < count(text, last))) {
      text = text.slice(0, -1);
      continue;
    }
    return text;
  }
}

const emailPattern = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}$/u;
const telPattern = /^\+?[0-9][0-9\-.()]{2,}$/;

/** The href for a candidate, or null when it must stay text. */
export function safeHref(text: string): string | null {
  const lower = text.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return null;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return null;
    return url.href;
  }
  if (lower.startsWith('mailto:')) {
    const address = text.slice('mailto:'.length);
    const [addr] = address.split('?');
    return addr && emailPattern.test(decodeSafely(addr)) ? `mailto:${address}` : null;
  }
  if (lower.startsWith('tel:')) {
    const number = text.slice('tel:'.length);
    return telPattern.test(number) ? `tel:${number.replace(/[^0-9+]/g, '')}` : null;
  }
  return emailPattern.test(text) ? `mailto:${text}` : null;
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function linkify(input: string): LinkToken[] {
  const tokens: LinkToken[] = [];
  const pushText = (text: string) => {
    if (text === '') return;
    const last = tokens.at(-1);
    if (last?.type === 'text') last.text += text;
    else tokens.push({ type: 'text', text });
  };

  let cursor = 0;
  for (const match of input.matchAll(candidates)) {
    const start = match.index;
    const text = trimCandidate(match[0]);
    const href = text === '' ? null : safeHref(text);
    if (href === null) continue; // stays text; picked up by the next pushText
    pushText(input.slice(cursor, start));
    tokens.push({ type: 'link', text, href });
    cursor = start + text.length;
  }
  pushText(input.slice(cursor));
  return tokens;
}
