// A message a visitor leaves outside business hours: the record, its limits and
// its rules, written once. The token service checks POST /webchat/message against
// offlineMessageRequestSchema, the emulator's inbox checks the delivery against
// offlineMessageDeliverySchema (both with ajv), and the widget checks the form
// before sending with offlineMessageFieldProblems, which applies the same patterns.
// Plain data and functions; imports nothing.

/** Lengths count Unicode code points (ajv counts them so, and so does offlineMessageFieldProblems). */
export const OFFLINE_MESSAGE_LIMITS = {
  name: 80,
  email: 254,
  message: 2000,
  pageUrl: 2048,
  contextKeys: 12,
  contextValue: 200,
} as const;

/** One message as the team receives it (the emulator's inbox lists these). */
export interface OfflineMessage {
  /** The request's messageId, or a random UUID; stable across the widget's retries. */
  id: string;
  /** ISO 8601 instant the token service accepted it. */
  receivedAt: string;
  name: string;
  email: string;
  message: string;
  /** pageUrl is cut to origin + path. */
  context?: Record<string, string>;
}

/** What the token service POSTs to the webhook (or, locally, to the emulator's inbox). */
export interface OfflineMessageDelivery extends OfflineMessage {
  type: 'offline_message';
}

/** At least one letter of any script; no control characters or line breaks. */
export const NAME_PATTERN = '^(?=.*\\p{L})[^\\p{Cc}\\u2028\\u2029]+$';
/** No control characters except tab and line breaks. */
export const MESSAGE_PATTERN = '^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F]*$';
/** ajv-formats' `email` format (full mode), spelled as a pattern so that the widget can apply it too. */
export const EMAIL_PATTERN =
  "^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$";
const LOCALE_PATTERN = '^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,6}$';
const CONTEXT_KEY_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,39}$';

const visitorFields = {
  name: { type: 'string', minLength: 1, maxLength: OFFLINE_MESSAGE_LIMITS.name, pattern: NAME_PATTERN },
  email: { type: 'string', maxLength: OFFLINE_MESSAGE_LIMITS.email, pattern: EMAIL_PATTERN },
  message: { type: 'string', minLength: 1, maxLength: OFFLINE_MESSAGE_LIMITS.message, pattern: MESSAGE_PATTERN },
} as const;

const context = {
  type: 'object',
  maxProperties: OFFLINE_MESSAGE_LIMITS.contextKeys,
  propertyNames: { pattern: CONTEXT_KEY_PATTERN },
  properties: {
    pageUrl: { type: 'string', maxLength: OFFLINE_MESSAGE_LIMITS.pageUrl, format: 'uri' },
    locale: { type: 'string', pattern: LOCALE_PATTERN },
  },
  additionalProperties: { type: 'string', maxLength: OFFLINE_MESSAGE_LIMITS.contextValue, pattern: '^[^\\p{Cc}]*$' },
} as const;

/** The body of POST /webchat/message, after trimming and NFC (needs ajv-formats' uri and uuid). */
export const offlineMessageRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email', 'message'],
  properties: { ...visitorFields, messageId: { type: 'string', format: 'uuid' }, context },
} as const;

/** An OfflineMessageDelivery as a receiver checks it; `type`, `id` and `receivedAt` may be left to the receiver. */
export const offlineMessageDeliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'email', 'message'],
  properties: {
    ...visitorFields,
    type: { type: 'string', const: 'offline_message' },
    id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[\\w-]+$' },
    receivedAt: { type: 'string', format: 'date-time' },
    context,
  },
} as const;

/** The fields a visitor types. */
export type OfflineMessageField = keyof typeof visitorFields;
/** Why a field is refused; the widget turns it into text in the visitor's language. */
export type OfflineMessageFieldProblem = 'required' | 'email' | 'tooLong' | 'nameLetters' | 'invalid';

const codePoints = (text: string) => [...text].length;
const matches = (pattern: string, text: string) => new RegExp(pattern, 'u').test(text);

/** offlineMessageRequestSchema's rules for the three visitor fields, on trimmed values, with a reason per field. */
export function offlineMessageFieldProblems(values: Record<OfflineMessageField, string>): Partial<Record<OfflineMessageField, OfflineMessageFieldProblem>> {
  const problems: Partial<Record<OfflineMessageField, OfflineMessageFieldProblem>> = {};
  const name = values.name.trim();
  if (name === '') problems.name = 'required';
  else if (codePoints(name) > OFFLINE_MESSAGE_LIMITS.name) problems.name = 'tooLong';
  else if (!matches(NAME_PATTERN, name)) problems.name = 'nameLetters';
  const email = values.email.trim();
  if (email === '') problems.email = 'required';
  else if (codePoints(email) > OFFLINE_MESSAGE_LIMITS.email || !matches(EMAIL_PATTERN, email)) problems.email = 'email';
  const message = values.message.trim();
  if (message === '') problems.message = 'required';
  else if (codePoints(message) > OFFLINE_MESSAGE_LIMITS.message) problems.message = 'tooLong';
  else if (!matches(MESSAGE_PATTERN, message)) problems.message = 'invalid';
  return problems;
}

/** The part of an ajv error a message needs (structural, so that this file imports nothing). */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}

const FIELD_PROBLEMS: Record<string, string> = {
  name: `name must be 1–${OFFLINE_MESSAGE_LIMITS.name} characters with at least one letter, on one line`,
  email: 'email must be a valid email address',
  message: `message must be 1–${OFFLINE_MESSAGE_LIMITS.message} characters`,
  messageId: 'messageId must be a UUID',
  type: 'type must be "offline_message"',
  id: 'id must be 1–64 letters, digits, _ or -',
  receivedAt: 'receivedAt must be an ISO 8601 date',
  context: `context must be an object of at most ${OFFLINE_MESSAGE_LIMITS.contextKeys} short strings (keys: a letter, then letters, digits, . _ -)`,
  'context.pageUrl': `context.pageUrl must be an absolute http(s) URL of at most ${OFFLINE_MESSAGE_LIMITS.pageUrl} characters`,
  'context.locale': 'context.locale must be a BCP 47 language tag such as "en" or "pt-BR"',
};

/** A refused body: `field` names the culprit ("email", "context.pageUrl") when there is one. */
export interface OfflineMessageProblem {
  message: string;
  field?: string;
}

/** Says in words what the first schema error of a refused body means. */
export function describeOfflineMessageError(error: SchemaError, expected: string): OfflineMessageProblem {
  if (error.instancePath === '') {
    if (error.keyword === 'required') {
      const field = String(error.params.missingProperty);
      return { field, message: `${field} is required` };
    }
    if (error.keyword === 'additionalProperties') {
      return { message: `Unknown property ${JSON.stringify(error.params.additionalProperty)}; expected ${expected}` };
    }
    return { message: 'The request body must be a JSON object' };
  }
  const field = error.instancePath.split('/').slice(1).join('.');
  const known = FIELD_PROBLEMS[field];
  if (known) return { field, message: known };
  // An extra context value (context.campaign …).
  return { field, message: `${field} must be a string of at most ${OFFLINE_MESSAGE_LIMITS.contextValue} characters without control characters` };
}

/** FIELD_PROBLEMS' text for one field (e.g. a pageUrl that parsed but is not http(s)). */
export const offlineMessageFieldMessage = (field: string): string => FIELD_PROBLEMS[field] ?? `${field} is invalid`;
