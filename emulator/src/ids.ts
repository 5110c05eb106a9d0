import { randomFillSync } from 'node:crypto';

/** Random bytes drawn from the OS 4 KiB at a time (asking it per SID was a cost every chat, message and participant paid). */
const entropy = Buffer.allocUnsafe(4096);
let entropyUsed = entropy.length;

/**
 * 32 random lowercase hex digits (128 bits), as Twilio's SIDs and Twilsock message ids
 * carry. Every Twilsock push needs one: a slice of the pool as hex is a quarter of the
 * cost of a randomUUID with its dashes taken out (and has no fixed version digit).
 */
export function randomHex32(): string {
  if (entropyUsed === entropy.length) {
    randomFillSync(entropy);
    entropyUsed = 0;
  }
  const hex = entropy.toString('hex', entropyUsed, entropyUsed + 16);
  entropyUsed += 16;
  return hex;
}

/** A Twilio-shaped SID: two letters and 32 lowercase hex digits. */
export function newSid(prefix: string): string {
  return prefix + randomHex32();
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
