// The proactive teaser's rules (flexchat.config.json `teaser.rules`, baked into the API
// chunk, never the core): time on page, the page's path, scroll depth. The first rule whose
// triggers all hold shows its text, in the visitor's language, once per visitor or per
// session; at most one teaser per page view. Checked every second (which also follows an
// SPA's route changes) and on scroll. Not while the visitor has an active chat (the core's
// session hint). Without storage nothing shows: neither the frequency nor a dismissal could
// be kept.
import { inLanguage } from './language.ts';
import { HINT } from './loader.ts';

/** A rule as baked: the config's, plus `id`, a hash of it that names what was shown. */
export interface BakedRule {
  id: string;
  text: string | Record<string, string>;
  timeOnPage?: number;
  urlPattern?: string;
  scrollDepth?: number;
  frequency?: 'visitor' | 'session';
}

/** Host-origin storage key prefix (+ rule id): the rule's teaser was shown
 *  (localStorage for `visitor`, sessionStorage for `session`). */
export const SHOWN_KEY = 'flexchat:teaser:';
/** How often the rules are checked, besides on scroll. */
export const RULE_TICK_MS = 1000;

/** `pattern` matches the whole `path`; `*` stands for any characters, the rest is literal. */
export const pathMatches = (pattern: string, path: string): boolean =>
  new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$').test(path);

/** How far down the page is scrolled, in percent (a page that does not scroll: 100). */
export function scrollDepth(w: Window): number {
  const room = w.document.documentElement.scrollHeight - w.innerHeight;
  return room > 0 ? (100 * w.scrollY) / room : 100;
}

/** The rule's text for `tags` (the visitor's language first, then the fallbacks), else its first. */
export const ruleText = (r: BakedRule, tags: unknown[]): string =>
  typeof r.text == 'string' ? r.text : (inLanguage(r.text, tags) ?? Object.values(r.text)[0]!);

const store = (w: Window, r: BakedRule) => (r.frequency == 'session' ? w.sessionStorage : w.localStorage);

/**
 * Watches `rules` on `w`; `show` draws a teaser (false when it did not: dismissed before,
 * the chat is open), `seconds` is the time on the page. Returns a function that stops.
 */
export function watchRules(w: Window, rules: readonly BakedRule[], tags: () => unknown[], show: (text: string) => boolean, seconds = () => w.performance.now() / 1000): () => void {
  let pending: BakedRule[];
  try {
    pending = +w.localStorage.getItem(HINT)! > Date.now() ? [] : rules.filter((r) => !store(w, r).getItem(SHOWN_KEY + r.id));
  } catch {
    pending = []; // storage blocked
  }
  const check = () => {
    const path = w.location.pathname;
    const rule = pending.find(
      (r) =>
        (r.timeOnPage == null || seconds() >= r.timeOnPage) &&
        (r.urlPattern == null || pathMatches(r.urlPattern, path)) &&
        (r.scrollDepth == null || scrollDepth(w) >= r.scrollDepth),
    );
    if (!rule) return;
    stop(); // one try per page view
    if (show(ruleText(rule, tags()))) {
      try {
        store(w, rule).setItem(SHOWN_KEY + rule.id, '' + Date.now());
      } catch {
        // storage gone since: shown once on this page all the same
      }
    }
  };
  const timer = setInterval(check, RULE_TICK_MS);
  const stop = () => {
    clearInterval(timer);
    w.removeEventListener('scroll', check);
  };
  if (!pending.length) stop();
  else {
    w.addEventListener('scroll', check, { passive: true });
    check();
  }
  return stop;
}
