import { randomUUID } from 'node:crypto';

/** A Twilio-shaped SID: two letters and 32 lowercase hex digits. From randomUUID, which
 *  draws on a cached entropy pool (randomBytes asks the OS on every call, a cost every
 *  chat, message and participant paid). */
export function newSid(prefix: string): string {
  return prefix + randomUUID().replace(/-/g, '');
}
