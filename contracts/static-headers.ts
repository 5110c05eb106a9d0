// Response headers of the widget origin's static files, as rules written at build
// time (scripts/widget-origin-headers.ts) and applied by whatever serves the files:
// the container's Node server (server/src/runtimes/static-files.ts), or a CDN /
// nginx through the files generated from the same rules. Imports nothing.

export interface HeaderRule {
  /** An exact path (`/`, `/loader.js`) or a prefix ending in `*` (`/assets/*`, `/*`). */
  path: string;
  headers: Record<string, string>;
}

export interface HeaderRules {
  /** Rules in order; a later matching rule overrides an earlier one's header of the same name. */
  rules: HeaderRule[];
}

export function ruleMatches(rule: HeaderRule, path: string): boolean {
  return rule.path.endsWith('*') ? path.startsWith(rule.path.slice(0, -1)) : path === rule.path;
}

/** Every header the rules give `path`, merged in order (names lower-cased). */
export function headersForPath(rules: readonly HeaderRule[], path: string): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const rule of rules) {
    if (!ruleMatches(rule, path)) continue;
    for (const [name, value] of Object.entries(rule.headers)) merged[name.toLowerCase()] = value;
  }
  return merged;
}
