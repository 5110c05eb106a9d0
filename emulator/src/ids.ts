import { randomUUID } from 'node:crypto';

/** A Twilio-shaped SID: two letters and 32 lowercase hex digits. From randomUUID, which
 *  draws on a cached entropy pool (randomBytes asks the OS on every call, a cost every
 *  chat, message and participant paid). */
export function newSid(prefix: string): string {
  return prefix + randomUUID().replace(/-/g, '');
}

let isoMs = Number.NaN;
let iso = '';
/** `new Date().toISOString()`, built once per millisecond: every Sync write and model change stamps the time, about ten per accepted chat. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    iso = new Date(ms).toISOString();
  }
  return iso;
}
