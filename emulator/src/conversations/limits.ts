import { ModelError } from './model-error.ts';

// Twilio Conversations length limits
// (https://www.twilio.com/docs/conversations/conversations-limits), enforced
// alike on the REST API and on the SDK path. The page says "KB" without
// saying 1000 or 1024 bytes: the stricter reading (1000) is used, and sizes
// are counted in UTF-8 bytes, as a body travels. Names are counted in
// characters (Unicode code points), as the page says.

export const CONVERSATION_LIMITS = {
  friendlyNameChars: 256,
  identityChars: 256,
  conversationAttributesBytes: 16_000,
  messageBodyBytes: 32_000,
  messageAttributesBytes: 4_000,
  participantAttributesBytes: 4_000,
  /** Not on Twilio's limits page: the participant's 4 KB, the stricter reading (guess). */
  userAttributesBytes: 4_000,
} as const;

const CONVERSATION_SID = /^CH[0-9a-fA-F]{32}$/;

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

export function checkFriendlyName(value: string): void {
  if (codePoints(value) > CONVERSATION_LIMITS.friendlyNameChars) {
    throw new ModelError(400, 50003, `FriendlyName is longer than ${CONVERSATION_LIMITS.friendlyNameChars} characters`);
  }
}

export function checkIdentity(value: string): void {
  if (codePoints(value) > CONVERSATION_LIMITS.identityChars) {
    throw new ModelError(400, 50207, `Identity is longer than ${CONVERSATION_LIMITS.identityChars} characters`);
  }
}

export function checkUniqueName(value: string): void {
  if (CONVERSATION_SID.test(value)) throw new ModelError(400, 50390, 'UniqueName must not look like a conversation SID (CH followed by 32 hex digits)');
}

/**
 * Flex Conversations: "You cannot send both text and an image in the same
 * message (applies to all Flex Conversations channels)"
 * (https://www.twilio.com/docs/flex/developer/conversations/limits). Twilio
 * names no code for it; 20001 (a parameter Twilio does not take) is a guess.
 */
export function checkTextOrMedia(body: string, mediaCount: number): void {
  if (mediaCount > 0 && body !== '') {
    throw new ModelError(400, 20001, 'A Flex Conversations message carries text or a file, not both: send the text and the file as two messages');
  }
}

export function checkMessageBody(body: string): void {
  const bytes = utf8Bytes(body);
  if (bytes > CONVERSATION_LIMITS.messageBodyBytes) {
    throw new ModelError(400, 50504, `Message body is ${bytes} bytes; at most ${CONVERSATION_LIMITS.messageBodyBytes} bytes (UTF-8) are allowed`);
  }
}

type AttributesOf = 'conversation' | 'message' | 'participant' | 'user';
const ATTRIBUTE_LIMIT: Record<AttributesOf, number> = {
  conversation: CONVERSATION_LIMITS.conversationAttributesBytes,
  message: CONVERSATION_LIMITS.messageAttributesBytes,
  participant: CONVERSATION_LIMITS.participantAttributesBytes,
  user: CONVERSATION_LIMITS.userAttributesBytes,
};

/**
 * Parses an Attributes string as sent (REST form value or SDK field) and checks
 * its size. Twilio takes any JSON value; the emulator keeps objects only,
 * which is what Flex and the widget store (a stricter reading).
 */
export function parseAttributes(raw: string | undefined, of: AttributesOf): Record<string, unknown> | undefined {
  if (raw === undefined || raw === '') return undefined;
  const bytes = utf8Bytes(raw);
  if (bytes > ATTRIBUTE_LIMIT[of]) {
    throw new ModelError(400, 50303, `Attributes of a ${of} are ${bytes} bytes; at most ${ATTRIBUTE_LIMIT[of]} bytes are allowed`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ModelError(400, 50304, 'Attributes are not valid JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ModelError(400, 50304, 'Attributes must be a JSON object');
  }
  return parsed as Record<string, unknown>;
}

/** The size check for attributes the emulator itself builds (agent API, routing). */
export function checkAttributesSize(attributes: Record<string, unknown>, of: AttributesOf): void {
  const bytes = utf8Bytes(JSON.stringify(attributes));
  if (bytes > ATTRIBUTE_LIMIT[of]) {
    throw new ModelError(400, 50303, `Attributes of a ${of} are ${bytes} bytes; at most ${ATTRIBUTE_LIMIT[of]} bytes are allowed`);
  }
}
