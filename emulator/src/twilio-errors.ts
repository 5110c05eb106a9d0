// Every Twilio error code the emulator answers with, and Twilio's own title for
// it, from Twilio's error dictionary (https://www.twilio.com/docs/api/errors,
// one page per code at https://www.twilio.com/docs/api/errors/<code>). The
// answer helpers only take codes from this table, so the type checker refuses
// an invented one. Where Twilio does not say which code a case gets, the
// closest dictionary entry is used and FIDELITY.md marks the choice a guess.

export const TWILIO_ERRORS = {
  // Platform
  20001: 'Unknown parameters',
  20003: 'Permission Denied',
  20004: 'Method not allowed',
  20101: 'Invalid Access Token',
  20104: 'Access Token expired or expiration date invalid',
  20403: '403 Forbidden',
  20404: 'Not Found',
  20413: 'Request Entity Too Large',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  // Flex web chat (hosted Webchat 3 init)
  45731: 'Pre-engagement data too large.',
  45745: 'Invalid or missing parameters in the create conversation request.',
  45778: 'Configuration not found for provided Deployment Key.',
  // Messaging (the closest dictionary entry for a Flex channel rule)
  21623: 'Number of media files exceeds allowed limit',
  // Programmable Chat / Conversations
  50003: 'Programmable Chat: Friendly name too long',
  50107: 'Programmable Chat: User not authorized for command',
  50201: 'Programmable Chat: User already exists',
  50207: 'Programmable Chat: Identity too long',
  50303: 'Programmable Chat: Attributes too long',
  50304: 'Programmable Chat: Attributes not valid JSON',
  50305: 'Programmable Chat: Channel SID not provided',
  50353: 'Conversation with provided unique name already exists',
  50361: 'Conversations: Too many conversation webhooks',
  50362: 'Conversations: Too many conversation webhook triggers',
  50365: 'Conversations: Invalid conversation webhook filter',
  50366: 'Conversations: Invalid conversation webhook trigger',
  50367: 'Conversations: Invalid conversation webhook flow SID',
  50369: 'Conversations: Conversation webhook URL not provided',
  50370: 'Conversations: Conversation webhook filter not provided',
  50371: 'Conversations: Conversation webhook trigger not provided',
  50372: 'Conversations: Conversation webhook URL is too long',
  50377: "Can't update conversation as it's in final closed state",
  50384: "Initial state can't be 'closed'",
  50390: 'Unique name should not match conversation sid pattern',
  50433: 'Participant already exists',
  50444: 'Failed to add an identity to a participant.',
  50503: 'Programmable Chat: Message body not provided',
  50504: 'Programmable Chat: Message body parameter is too long',
  50508: 'Programmable Chat: Media already sent with another message',
  50509: 'Programmable Chat: Media message body update not allowed',
  50510: 'Invalid message media SID',
  50511: 'Invalid message media content type',
  50512: 'Message media size is too large',
  // Twilsock (the realtime connection)
  51101: 'Twilsock: Service instance not found',
  51103: "Twilsock: Token doesn't contain required grants section",
  51104: "Twilsock: Token doesn't contain service instance",
  // Sync
  54007: 'Access forbidden for identity',
  54008: 'Invalid JSON',
  54100: 'Document not found',
  54150: 'List not found',
  54151: 'List Item not found',
  54200: 'Map not found',
  54201: 'Map Item not found',
} as const satisfies Record<number, string>;

export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

/** The `more_info` link Twilio puts in its error bodies. */
export function twilioErrorDocs(code: number): string {
  return `https://www.twilio.com/docs/errors/${code}`;
}
