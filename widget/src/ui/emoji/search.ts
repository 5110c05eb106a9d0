// Finding emoji by name (the picker's search, `:shortcode:` completion) and
// spotting a shortcode being typed in the composer. Pure functions.
import { allEmoji, type Emoji } from './emoji-data.ts';

export interface Match {
  emoji: Emoji;
  /** The name that matched (what completion shows: `:thumbsup:` for "thumbsu"). */
  name: string;
}

/** Lower case, spaces as underscores: "Thumbs up" finds thumbs_up. */
export function normalizeQuery(query: string): string {
  return query.trim().toLowerCase().replace(/\s+/g, '_');
}

/** 0: a name starts with the query; 1: a word of a name does; 2: a name contains it; null: no match. */
function rank(name: string, query: string): number | null {
  if (name.startsWith(query)) return 0;
  const at = name.indexOf(query);
  if (at < 0) return null;
  return name[at - 1] === '_' ? 1 : 2;
}

/** Emoji whose names match the query, best first (then shorter names, then in picker order); at most `limit`. */
export function searchEmoji(query: string, limit = Infinity): Match[] {
  const q = normalizeQuery(query);
  if (q === '') return [];
  const found: Array<Match & { rank: number; order: number }> = [];
  allEmoji().forEach((emoji, order) => {
    let best: { rank: number; name: string } | null = null;
    for (const name of emoji.names) {
      const r = rank(name, q);
      if (r !== null && (best === null || r < best.rank)) best = { rank: r, name };
    }
    if (best) found.push({ emoji, name: best.name, rank: best.rank, order });
  });
  found.sort((a, b) => a.rank - b.rank || a.name.length - b.name.length || a.order - b.order);
  return found.slice(0, limit).map(({ emoji, name }) => ({ emoji, name }));
}

/** The emoji with exactly this shortcode (any of its names), if any. */
export function byShortcode(name: string): Emoji | undefined {
  const n = name.toLowerCase();
  return allEmoji().find((e) => e.names.includes(n));
}

// A shortcode starts at the beginning of the text or after a space or an opening
// bracket or quote, so "10:30", "http://x" and "re:thanks" are left alone.
const BEFORE = String.raw`(?:^|[\s(\["'])`;
const NAME = '[a-z0-9_+-]';

export interface ShortcodeQuery {
  /** Where the ":" is. */
  start: number;
  /** What follows it, up to the caret. */
  query: string;
}

/** The `:query` just before the caret (2 to 30 name characters), or null. */
export function shortcodeQueryAt(text: string, caret: number): ShortcodeQuery | null {
  const match = new RegExp(`${BEFORE}:(${NAME}{2,30})$`, 'i').exec(text.slice(0, caret));
  if (!match) return null;
  const query = match[1]!;
  return { start: caret - query.length - 1, query };
}

export interface Completed {
  /** The text with `:name:` replaced by the emoji. */
  text: string;
  /** Where the caret goes: right after the emoji. */
  caret: number;
  emoji: Emoji;
}

/** A complete, known `:name:` just typed before the caret, replaced by its emoji; null otherwise. */
export function completeShortcodeAt(text: string, caret: number): Completed | null {
  const match = new RegExp(`${BEFORE}:(${NAME}{1,30}):$`, 'i').exec(text.slice(0, caret));
  if (!match) return null;
  const emoji = byShortcode(match[1]!);
  if (!emoji) return null;
  const start = caret - match[1]!.length - 2;
  return { text: text.slice(0, start) + emoji.char + text.slice(caret), caret: start + emoji.char.length, emoji };
}
