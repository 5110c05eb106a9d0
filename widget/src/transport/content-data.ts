// Rich content of Conversations messages made from a Twilio Content template:
// the SDK's `message.contentSid` and `message.getContentData()` (which fetches
// the template's data for that message), parsed strictly into what the widget
// draws (contracts/rich-content.ts). Imported by the Conversations adapter only:
// twilio-chat has no content, its messages keep their plain body.
import { parseRichContent, type RichContent } from '../../../contracts/rich-content.ts';

/** The part of an SDK Message this needs (the SDK's getter and method satisfy it). */
export interface SdkContentMessageLike {
  readonly contentSid?: string | null;
  getContentData?(): Promise<unknown>;
}

/** Null at once for a plain message; else its content, or null when it is nothing the widget draws. */
export function fetchRichContent(message: SdkContentMessageLike): Promise<RichContent | null> | null {
  if (!message.contentSid || typeof message.getContentData !== 'function') return null;
  return message.getContentData().then(parseRichContent);
}
