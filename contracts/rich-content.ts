// Rich replies: the four Twilio Content types the widget renders, as plain data,
// and the strict parser that makes them out of what the Conversations SDK's
// Message.getContentData() resolves to (node_modules/@twilio/conversations/builds/
// lib.d.ts: ContentDataQuickReply, ContentDataCallToAction, ContentDataListPicker,
// ContentDataCard, ContentDataAction, ContentDataReply, ContentDataListItem).
// Anything unexpected — another type, a missing or oversized field, a link that is
// not http(s), a phone number that is not one — parses to null, and the widget
// shows the message's plain body instead. Imports nothing.
//
// Limits: Twilio's Content type pages (twilio/quick-reply: body ≤ 1,024, 1–10
// buttons; twilio/list-picker: body ≤ 1,024, 1–10 items, item ≤ 24, id ≤ 200,
// description ≤ 72; twilio/text: body ≤ 1,600). Button titles ≤ 20 is WhatsApp's
// limit, which Twilio applies to its templates; call-to-action ≤ 2 buttons (WhatsApp)
// and card ≤ 3 actions are the emulator's guesses (emulator/src/content/content-types.ts),
// read strictly here too.

export type RichContentType = 'twilio/quick-reply' | 'twilio/call-to-action' | 'twilio/list-picker' | 'twilio/card';

/** A button that answers: its title is sent as the visitor's message. */
export interface RichReply {
  kind: 'reply';
  title: string;
  /** The template's id for the answer (bots match on it), when it has one. */
  id: string | null;
}

/** A button that opens a web page (http or https only). */
export interface RichLink {
  kind: 'url';
  title: string;
  url: string;
}

/** A button that calls a phone number (E.164): a `tel:` link. */
export interface RichPhone {
  kind: 'phone';
  title: string;
  /** E.164, e.g. +15551234567. */
  phone: string;
}

export type RichAction = RichReply | RichLink | RichPhone;

export interface RichListItem {
  id: string;
  item: string;
  description: string | null;
}

export type RichContent =
  | { type: 'twilio/quick-reply'; body: string; replies: RichReply[] }
  | { type: 'twilio/call-to-action'; body: string; actions: Array<RichLink | RichPhone> }
  | { type: 'twilio/list-picker'; body: string; button: string; items: RichListItem[] }
  | {
      type: 'twilio/card';
      title: string;
      subtitle: string | null;
      /** The first media URL, when it is http(s); other media are not shown. */
      media: string | null;
      actions: RichAction[];
    };

export const RICH_LIMITS = {
  body: 1024,
  cardTitle: 1024,
  subtitle: 60,
  title: 20,
  replies: 10,
  items: 10,
  item: 24,
  id: 200,
  description: 72,
  ctaActions: 2,
  cardActions: 3,
  url: 2000,
} as const;

/** Thrown inside the parser only; parseRichContent turns it into null. */
class Unexpected extends Error {}

function fail(): never {
  throw new Unexpected();
}

function object(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : fail();
}

function text(value: unknown, max: number): string {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : fail();
}

function optionalText(value: unknown, max: number): string | null {
  return value === undefined || value === null ? null : text(value, max);
}

function list(value: unknown, min: number, max: number): unknown[] {
  return Array.isArray(value) && value.length >= min && value.length <= max ? value : fail();
}

/** An absolute http or https URL, or null. */
export function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > RICH_LIMITS.url || !/^https?:\/\//i.test(value)) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const E164 = /^\+[1-9]\d{1,14}$/;

function reply(data: Record<string, unknown>): RichReply {
  const id = optionalText(data.id, RICH_LIMITS.id);
  return { kind: 'reply', title: text(data.title, RICH_LIMITS.title), id };
}

function action(value: unknown, allowReply: boolean): RichAction {
  const data = object(value);
  switch (data.type) {
    case 'url':
      return { kind: 'url', title: text(data.title, RICH_LIMITS.title), url: httpUrl(data.url) ?? fail() };
    case 'phone':
      return { kind: 'phone', title: text(data.title, RICH_LIMITS.title), phone: typeof data.phone === 'string' && E164.test(data.phone) ? data.phone : fail() };
    case 'reply':
      return allowReply ? reply(data) : fail();
    default:
      return fail(); // 'other' and anything new: the plain body says it
  }
}

function parse(value: unknown): RichContent {
  const data = object(value);
  switch (data.type) {
    case 'quickReply':
      return {
        type: 'twilio/quick-reply',
        body: text(data.body, RICH_LIMITS.body),
        replies: list(data.replies, 1, RICH_LIMITS.replies).map((r) => reply(object(r))),
      };
    case 'callToAction':
      return {
        type: 'twilio/call-to-action',
        body: text(data.body, RICH_LIMITS.body),
        actions: list(data.actions, 1, RICH_LIMITS.ctaActions).map((a) => action(a, false) as RichLink | RichPhone),
      };
    case 'listPicker':
      return {
        type: 'twilio/list-picker',
        body: text(data.body, RICH_LIMITS.body),
        button: text(data.button, RICH_LIMITS.title),
        items: list(data.items, 1, RICH_LIMITS.items).map((i) => {
          const item = object(i);
          return { id: text(item.id, RICH_LIMITS.id), item: text(item.item, RICH_LIMITS.item), description: optionalText(item.description, RICH_LIMITS.description) };
        }),
      };
    case 'card': {
      const media = data.media === undefined ? [] : list(data.media, 0, 10);
      if (!media.every((m) => typeof m === 'string')) fail();
      const actions = data.actions === undefined ? [] : list(data.actions, 0, RICH_LIMITS.cardActions).map((a) => action(a, true));
      return {
        type: 'twilio/card',
        title: text(data.title, RICH_LIMITS.cardTitle),
        subtitle: optionalText(data.subtitle, RICH_LIMITS.subtitle),
        media: httpUrl(media[0]),
        actions,
      };
    }
    default:
      return fail(); // twilio/text, media, location and others: the body is all there is
  }
}

/**
 * The rich content of a message from what the SDK's getContentData() gave, or
 * null when it is not one of the four types or anything about it is unexpected.
 */
export function parseRichContent(value: unknown): RichContent | null {
  try {
    return parse(value);
  } catch (error) {
    if (error instanceof Unexpected) return null;
    throw error;
  }
}
