// The API chunk's timings (api.ts), in one place for the chunk and its tests.

/** The session hint's lifetime, renewed by `sessionStart` and, at most once an hour, by a message. */
export const HINT_TTL = 24 * 3600 * 1000;
/** A message renews the hint once it is this old. */
export const HINT_RENEW_MS = 3600 * 1000;

/**
 * Whether a message should renew a hint that runs `until` (ms; 0 or NaN: none, which a
 * message does not create). At most once an hour, not per message: every write is a
 * storage event in each other tab of the site.
 */
export const hintRenewalDue = (until: number, now: number): boolean => until > 0 && until < now + HINT_TTL - HINT_RENEW_MS;
/** Route polling period, used only when the Navigation API is missing. */
export const ROUTE_POLL_MS = 1000;
/** The handshake must come this soon after the frame loaded (the widget says 'ready' as it starts)... */
export const HANDSHAKE_MS = 5000;
/** ...and the frame must load within this (else the network failed it). */
export const LOAD_MS = 20000;
