import { ModelError } from '../conversations/model-error.ts';

// The Content API's content types that a chat can show, checked as Twilio
// documents them, with {{variable}} substitution and the choice of what a chat
// participant's SDK receives. Sources (FIDELITY.md, "Content API"):
// - shapes: the `twilio` helper library's request classes,
//   node_modules/twilio/lib/rest/content/v1/content.d.ts (TwilioQuickReply,
//   QuickReplyAction, TwilioCallToAction, CallToActionAction, TwilioListPicker,
//   ListItem, TwilioCard, CardAction, TwilioText);
// - limits: the type pages under https://www.twilio.com/docs/content
//   (twilio-quick-reply: body ≤ 1,024, 1–10 buttons; twilio-list-picker: body
//   ≤ 1,024, button required, 1–10 items, item ≤ 24, id ≤ 200, description ≤ 72;
//   twilio-text: body ≤ 1,600). Other limits are marked guess below.

export type ContentTypes = Record<string, Record<string, unknown>>;

/** The types the emulator accepts (others: 400, rather than stored unchecked). */
export const CONTENT_TYPES = ['twilio/text', 'twilio/quick-reply', 'twilio/call-to-action', 'twilio/list-picker', 'twilio/card'] as const;
export type ContentTypeName = (typeof CONTENT_TYPES)[number];

/** What a chat shows, richest first; twilio/text is the fallback (order: guess). */
const CHAT_PREFERENCE: readonly ContentTypeName[] = ['twilio/quick-reply', 'twilio/call-to-action', 'twilio/list-picker', 'twilio/card', 'twilio/text'];

function invalid(message: string): ModelError {
  return new ModelError(400, 20001, message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(where: string, value: unknown, max: number, required = true): void {
  if (value === undefined && !required) return;
  if (typeof value !== 'string' || value.trim() === '') throw invalid(`${where} must be a non-empty string`);
  if (value.length > max) throw invalid(`${where} must be at most ${max} characters`);
}

function list(where: string, value: unknown, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) throw invalid(`${where} must be an array of ${min} to ${max} entries`);
  return value;
}

/** URL buttons: an absolute http(s) URL (Twilio takes a URL; allowing only http and https: guess). */
function url(where: string, value: unknown): void {
  text(where, value, 2000);
  if (!/^https?:\/\//i.test(value as string) || !URL.canParse(value as string)) throw invalid(`${where} must be an http or https URL`);
}

/** Phone buttons: E.164 (guess: Twilio's pages show E.164 numbers). */
function phone(where: string, value: unknown): void {
  if (typeof value !== 'string' || !/^\+[1-9]\d{1,14}$/.test(value)) throw invalid(`${where} must be an E.164 phone number like +15551234567`);
}

// Button titles: 20 characters on WhatsApp (guess for the other channels, the stricter reading).
const TITLE_MAX = 20;

function action(where: string, value: unknown, allowed: readonly string[]): void {
  if (!isObject(value)) throw invalid(`${where} must be an object`);
  const type = value.type ?? (allowed.includes('QUICK_REPLY') ? 'QUICK_REPLY' : undefined);
  if (typeof type !== 'string' || !allowed.includes(type)) throw invalid(`${where}.type must be one of ${allowed.join(', ')}`);
  text(`${where}.title`, value.title, TITLE_MAX);
  if (type === 'QUICK_REPLY') text(`${where}.id`, value.id, 200);
  if (type === 'URL') url(`${where}.url`, value.url);
  if (type === 'PHONE_NUMBER') phone(`${where}.phone`, value.phone);
}

const CHECKS: Record<ContentTypeName, (where: string, data: Record<string, unknown>) => void> = {
  'twilio/text': (where, data) => text(`${where}.body`, data.body, 1600),
  'twilio/quick-reply': (where, data) => {
    text(`${where}.body`, data.body, 1024);
    list(`${where}.actions`, data.actions, 1, 10).forEach((a, i) => action(`${where}.actions[${i}]`, a, ['QUICK_REPLY']));
  },
  // Body ≤ 640 and at most 2 buttons: WhatsApp's call-to-action limits (guess for chat).
  'twilio/call-to-action': (where, data) => {
    text(`${where}.body`, data.body, 640);
    list(`${where}.actions`, data.actions, 1, 2).forEach((a, i) => action(`${where}.actions[${i}]`, a, ['URL', 'PHONE_NUMBER']));
  },
  'twilio/list-picker': (where, data) => {
    text(`${where}.body`, data.body, 1024);
    text(`${where}.button`, data.button, TITLE_MAX);
    list(`${where}.items`, data.items, 1, 10).forEach((item, i) => {
      if (!isObject(item)) throw invalid(`${where}.items[${i}] must be an object`);
      text(`${where}.items[${i}].item`, item.item, 24);
      text(`${where}.items[${i}].id`, item.id, 200);
      text(`${where}.items[${i}].description`, item.description, 72, false);
    });
  },
  // "It must include a title and at least one additional field" (helper library's TwilioCard); lengths: guess.
  'twilio/card': (where, data) => {
    text(`${where}.title`, data.title, 1024);
    text(`${where}.subtitle`, data.subtitle, 60, false);
    const media = data.media === undefined ? [] : list(`${where}.media`, data.media, 0, 1);
    media.forEach((m, i) => url(`${where}.media[${i}]`, m));
    const actions = data.actions === undefined ? [] : list(`${where}.actions`, data.actions, 0, 3);
    actions.forEach((a, i) => action(`${where}.actions[${i}]`, a, ['QUICK_REPLY', 'URL', 'PHONE_NUMBER']));
    if (data.subtitle === undefined && media.length === 0 && actions.length === 0) throw invalid(`${where} needs a subtitle, media or actions besides its title`);
  },
};

/** Checks `types` of a Content create request; throws a 400 ModelError naming the first problem. */
export function checkContentTypes(types: unknown): ContentTypes {
  if (!isObject(types) || Object.keys(types).length === 0) throw invalid('types must be an object with at least one content type');
  for (const [name, data] of Object.entries(types)) {
    if (!(CONTENT_TYPES as readonly string[]).includes(name)) throw invalid(`types.${name.slice(0, 40)} is not supported by the Flex emulator (supported: ${CONTENT_TYPES.join(', ')})`);
    if (!isObject(data)) throw invalid(`types.${name} must be an object`);
    CHECKS[name as ContentTypeName](`types.${name}`, data);
  }
  return types as ContentTypes;
}

/** Checks `variables` (defaults) or ContentVariables: an object of string values. */
export function checkVariables(where: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) throw invalid(`${where} must be a JSON object`);
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw invalid(`${where}.${key.slice(0, 40)} must be a string`);
  }
  return value as Record<string, string>;
}

/** Replaces {{name}} in every string of `data` (https://www.twilio.com/docs/content/using-variables-with-content-api). */
export function substitute<T>(data: T, values: Readonly<Record<string, string>>): T {
  if (typeof data === 'string') {
    return data.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (whole, key: string) => (Object.prototype.hasOwnProperty.call(values, key) ? (values[key] as string) : whole)) as T;
  }
  if (Array.isArray(data)) return data.map((item: unknown) => substitute(item, values)) as T;
  if (isObject(data)) return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, substitute(v, values)])) as T;
  return data;
}

/** The variant a chat participant gets, and the message body: the variant's body (a card's title). Guess: see CHAT_PREFERENCE. */
export function chatVariant(types: ContentTypes): { type: ContentTypeName; data: Record<string, unknown>; body: string } {
  const type = CHAT_PREFERENCE.find((name) => types[name] !== undefined) as ContentTypeName;
  const data = types[type] as Record<string, unknown>;
  const body = typeof data.body === 'string' ? data.body : typeof data.title === 'string' ? data.title : '';
  return { type, data, body };
}

/**
 * The media content type the Conversations SDK looks for: Message.getContentData()
 * takes the first "body" media whose type starts with this prefix and turns the
 * rest, first "." → "/", into the content type name
 * (node_modules/@twilio/conversations/builds/lib.js, getContentData).
 */
export const RICH_MEDIA_PREFIX = 'application/x-vnd.com.twilio.rich.';

export function richMediaType(type: ContentTypeName): string {
  return `${RICH_MEDIA_PREFIX}${type.replace('/', '.')}`;
}
