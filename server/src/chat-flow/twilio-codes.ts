// Twilio facts both flows rely on.

/** ChatFriendlyName of every chat the service starts. */
export const CHAT_FRIENDLY_NAME = 'Web chat';

/**
 * "Already closed" answers to an update: 404 (gone) or Twilio error 50377 (a
 * conversation in its final closed state cannot be updated). 50434 is what
 * emulator builds before that fix answered.
 */
const ALREADY_CLOSED_CODES = new Set([50377, 50434]);

export const isAlreadyClosed = (summary: { status?: number; twilioCode?: number }): boolean =>
  summary.status === 404 || (summary.twilioCode !== undefined && ALREADY_CLOSED_CODES.has(summary.twilioCode));
