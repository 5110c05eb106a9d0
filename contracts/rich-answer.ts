// The visitor's answer to a rich message (contracts/rich-content.ts): which quick
// reply or list item was picked, by the template's id. The widget sends the title
// as the message's body and the id in its attributes, so a bot or a Studio flow
// can match on the id rather than on the words. Imports nothing.
//
// The attribute names are a guess: Twilio documents none for a web chat's answer.
// They are those of Twilio's inbound WhatsApp webhook, `ButtonPayload` (the id of
// the quick-reply button tapped) and `ListId` (the id of the list-picker item
// chosen) (twilio.com/docs/messaging/guides/webhook-request), so a bot written for
// those reads the same names here.

/** What the visitor picked: a reply button (quick reply, card) or a list-picker item, by its id. */
export interface RichAnswer {
  kind: 'reply' | 'item';
  id: string;
}

/** The attribute that carries the id, by what was picked. */
export const RICH_ANSWER_ATTRIBUTES = { reply: 'ButtonPayload', item: 'ListId' } as const;

/** Longest id read back (twilio/list-picker: an item's id is at most 200 characters). */
const MAX_ID_LENGTH = 200;

/** The attributes that name `answer`, to merge into the sent message's. */
export function richAnswerAttributes(answer: RichAnswer): Record<string, string> {
  return { [RICH_ANSWER_ATTRIBUTES[answer.kind]]: answer.id };
}

/** The answer a message's attributes name (untrusted: anyone in the chat can set them), or null. */
export function richAnswerOf(attributes: unknown): RichAnswer | null {
  if (typeof attributes !== 'object' || attributes === null || Array.isArray(attributes)) return null;
  const record = attributes as Record<string, unknown>;
  for (const kind of ['reply', 'item'] as const) {
    const id = record[RICH_ANSWER_ATTRIBUTES[kind]];
    if (typeof id === 'string' && id !== '' && id.length <= MAX_ID_LENGTH) return { kind, id };
  }
  return null;
}
