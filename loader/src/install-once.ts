// The API chunk installs once per core. The core asks for the chunk again when its idle
// check (teaser rules) comes after a page's command that already brought it: a second
// install would watch the rules twice and draw two teasers. The core has no bytes left
// to skip that second fetch (loader.js is at its 2 KB budget), so the chunk's entries
// (api-entry.ts, esm.ts) hand the core this instead of `install` itself.
import { install } from './api.ts';
import type { Extras } from './loader.ts';

export const installOnce = (...args: Parameters<typeof install>): Extras => (args[0].e ??= install(...args));
