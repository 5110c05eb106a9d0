// A pre-engagement `consent` field is a checkbox the visitor must tick, next to a
// link to the policy; the token service records which version of the text was
// accepted, and when, in the pre-engagement data Flex keeps in the conversation's
// attributes. The config checks the link and the version. Whether an answer is an
// acceptance: contracts/pre-engagement.ts consentGiven. Imports nothing.

/** Longest policy URL accepted (browsers and Flex attributes stay small). */
export const MAX_POLICY_URL_LENGTH = 2048;

/** A consent field's policy link: an absolute http(s) URL without credentials, nothing else (no javascript:, data:…). */
export function isPolicyUrl(value: string): boolean {
  if (value.length > MAX_POLICY_URL_LENGTH || /\s/.test(value)) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
}

/** A consent field's version: what a marketer bumps when the text changes, e.g. "2026-01" or "v3". */
export const CONSENT_VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/** What the rules need of a consent field (config/types.ts FormField has these). */
export interface ConsentFieldRules {
  name: string;
  type: string;
  policyUrl?: string;
  version?: string;
}

/** One accepted consent, as recorded in the conversation's attributes (`pre_engagement_data._consent`). */
export interface ConsentRecord {
  field: string;
  version: string;
  policyUrl: string;
  /** ISO 8601 instant the token service accepted the form. */
  acceptedAt: string;
}

/** The key under which init records consents in the pre-engagement data (field names start with a letter: no clash). */
export const CONSENT_DATA_KEY = '_consent';

/** The records for every consent field of a form, once its answers passed validation. */
export function consentRecords(fields: readonly ConsentFieldRules[], acceptedAt: Date): ConsentRecord[] {
  return fields
    .filter((field) => field.type === 'consent')
    .map((field) => ({ field: field.name, version: field.version ?? '', policyUrl: field.policyUrl ?? '', acceptedAt: acceptedAt.toISOString() }));
}
