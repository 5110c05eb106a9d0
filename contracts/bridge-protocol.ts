// Host <-> iframe bridge protocol, version 1. Pure: no DOM, no side effects.
// Shared by the loader's API chunk (host page, loader/src/api.ts) and
// widget/src/bridge/host-bridge.ts (iframe). Additions are backward compatible:
// a peer that does not know a type drops it (and counts it), so new types keep
// `v: 1`; a change that breaks an existing message bumps VERSION.
//
// Handshake (window.postMessage, origins pinned on both sides):
//   widget -> parent  { flexchat: 1, v: 1, type: 'ready' }
//       targetOrigin = the parent's origin when known and allowed, else each
//       allowed origin; tells the loader the widget listens, so (re)send hello.
//   host -> iframe    { flexchat: 1, v: 1, type: 'hello', instance }   + transfer [port2]
//       targetOrigin = widgetOrigin exactly; sent when the API chunk wires the
//       iframe, on the iframe's load and on each valid 'ready' until acknowledged.
// Then over the MessagePort only, every message is an Envelope:
//   widget -> host    ack | requestClose | unread | sessionStart | sessionEnd | message | error | focusHostClose
//   host -> widget    open | close | setContext | identify | setLocale | shutdown | preview | layout | focusFirst | teaser
// Each side validates every message against the allowlist below (type, version,
// instance id, payload shape) and drops anything else.

/** Value of the `flexchat` marker field. */
export const MARKER = 1;
/** Protocol version carried in `v`. */
export const VERSION = 1;

/** Commands the host page sends to the widget. */
export type HostCommand =
  | { type: 'open' }
  | { type: 'close' }
  | { type: 'setContext'; context: Record<string, string> }
  | { type: 'identify'; prefill: Record<string, string>; userToken?: string }
  /** BCP 47 tag, as in the deployment config's `locale`. */
  | { type: 'setLocale'; locale: string }
  /** Forget the visitor: leave/end the chat, clear the widget's stored session, show the form again. */
  | { type: 'shutdown' }
  /** Unsaved settings to show (form builder), or `null` to go back to the deployment config.
   *  Shape-checked only here; the widget validates them against the config schema. */
  | { type: 'preview'; settings: PreviewSettings | null }
  /** Where the host draws its own close button over the frame (see HostClose). */
  | { type: 'layout'; hostClose: HostClose }
  /** The host moved keyboard focus into the frame (Tab from its close button while it
   *  covers the frame, see HostClose): focus the widget's first tab stop. */
  | { type: 'focusFirst' }
  /** The visitor chose the proactive teaser showing `text` (1–MAX_TEASER characters): the
   *  chat shows it as its first message from the agent side, and the next chat's context carries it. */
  | { type: 'teaser'; text: string };

/** The top corner of the frame over which the host page shows its own close button
 *  (full-screen panel below the mobile breakpoint, default launcher not hidden), or
 *  `null` when it shows none there. The widget then leaves that corner empty and
 *  hides its own close button, so there is one close control and nothing under it. */
export type HostClose = 'left' | 'right' | null;

/** Deployment settings a preview may change: how the widget looks and what the form
 *  asks. Never where it connects (widgetOrigin, tokenUrl, allowedDomains, previewOrigins). */
export const PREVIEW_KEYS = [
  'locale',
  'theme',
  'texts',
  'textsByLocale',
  'preEngagement',
  'messages',
  'attachments',
  'composer',
  'businessHours',
  'offline',
  'survey',
] as const;
export type PreviewKey = (typeof PREVIEW_KEYS)[number];
/** What crosses the bridge: only allowlisted keys, values not yet validated. */
export type PreviewSettings = { readonly [K in PreviewKey]?: unknown };
/** Serialized (JSON) size cap of a preview, in UTF-16 code units. */
export const MAX_PREVIEW = 65536;

/** Events the widget reports to the host page. Never tokens, never PII, never free text. */
export type WidgetEvent =
  | { type: 'requestClose' }
  | { type: 'unread'; count: number }
  | { type: 'sessionStart' }
  | { type: 'sessionEnd' }
  /** A message joined the chat: from an agent (`incoming`), or the visitor's own, typed in this
   *  widget and accepted by the chat service (`outgoing`). Never its text. `fromAgent` says the
   *  same as `direction` (kept for hosts written before it). */
  | { type: 'message'; fromAgent: boolean; direction: MessageDirection }
  /** A machine-readable code only (ERROR_CODE), e.g. 'token_service_unavailable'. */
  | { type: 'error'; code: string }
  /** Shift+Tab from the widget's first tab stop while the host's close button covers
   *  the frame: focus that button (the widget cannot reach the host's elements). */
  | { type: 'focusHostClose' };

export type MessageDirection = 'incoming' | 'outgoing';

export interface Envelope {
  flexchat: typeof MARKER;
  v: typeof VERSION;
  instance: string;
}

export type Hello = Envelope & { type: 'hello' };
export interface Ready {
  flexchat: typeof MARKER;
  v: typeof VERSION;
  type: 'ready';
}
/** First message on the port: the widget accepted the hello. */
export type Ack = { type: 'ack' };
export type WidgetMessage = Envelope & (WidgetEvent | Ack);
export type HostMessage = Envelope & HostCommand;

type Loose = Record<string, unknown>;

/** Bounds for string maps crossing the bridge (context, prefill). */
export const MAX_KEYS = 50;
export const MAX_VALUE = 2000;
/** The longest teaser text, in characters (config/schema.json teaserText). */
export const MAX_TEASER = 200;
/** A signed user token (a JWT from the site owner's backend) may be this long. */
export const MAX_TOKEN = 4096;
const MAX_INSTANCE = 64;
/** Locale tags, as config/schema.json's `locale`. */
export const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
/** Error codes the widget may report. */
export const ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;

const isObject = (d: unknown): d is Loose => typeof d === 'object' && d !== null;

const hasHeader = (d: unknown): d is Loose => isObject(d) && d.flexchat === MARKER && d.v === VERSION;

/** Marker + version + expected instance id. */
const inEnvelope = (d: unknown, instance: string): d is Loose => hasHeader(d) && d.instance === instance;

/** Carries the flexchat marker (worth counting when dropped; other traffic is not ours). */
export const isOurs = (d: unknown): boolean => isObject(d) && d.flexchat === MARKER;

export const isReady = (d: unknown): d is Ready => hasHeader(d) && d.type === 'ready';

export const isHello = (d: unknown): d is Hello =>
  hasHeader(d) &&
  d.type === 'hello' &&
  typeof d.instance === 'string' &&
  d.instance.length > 0 &&
  d.instance.length <= MAX_INSTANCE;

const SIGNALS = ['ack', 'requestClose', 'sessionStart', 'sessionEnd', 'focusHostClose'];

/** Loader side: a message from the widget on our port. */
export const isWidgetMessage = (d: unknown, instance: string): d is WidgetMessage =>
  inEnvelope(d, instance) &&
  (d.type === 'unread'
    ? Number.isInteger(d.count) && (d.count as number) >= 0
    : d.type === 'message'
      ? typeof d.fromAgent === 'boolean' &&
        // A widget from before `direction` sends only fromAgent; a direction must agree with it.
        (d.direction === undefined || d.direction === (d.fromAgent ? 'incoming' : 'outgoing'))
      : d.type === 'error'
        ? typeof d.code === 'string' && ERROR_CODE.test(d.code)
        : SIGNALS.includes(d.type as string));

/** A plain object of at most MAX_KEYS string values of at most MAX_VALUE chars. */
export const isStringMap = (d: unknown): d is Record<string, string> => {
  if (!isObject(d) || Array.isArray(d)) return false;
  const entries = Object.entries(d);
  return entries.length <= MAX_KEYS && entries.every(([, v]) => typeof v === 'string' && v.length <= MAX_VALUE);
};

/** A plain object of allowlisted preview keys, JSON-serializable within MAX_PREVIEW. */
export const isPreviewSettings = (d: unknown): d is PreviewSettings => {
  if (!isObject(d) || Array.isArray(d) || !Object.keys(d).every((k) => (PREVIEW_KEYS as readonly string[]).includes(k))) {
    return false;
  }
  try {
    const json = JSON.stringify(d);
    return json.length <= MAX_PREVIEW;
  } catch {
    return false; // cycles, BigInt
  }
};

/** Widget side: a message from the host on our port. */
export const isHostMessage = (d: unknown, instance: string): d is HostMessage => {
  if (!inEnvelope(d, instance)) return false;
  switch (d.type) {
    case 'open':
    case 'close':
    case 'shutdown':
    case 'focusFirst':
      return true;
    case 'setContext':
      return isStringMap(d.context);
    case 'identify':
      return (
        isStringMap(d.prefill) &&
        (d.userToken === undefined || (typeof d.userToken === 'string' && d.userToken.length <= MAX_TOKEN))
      );
    case 'setLocale':
      return typeof d.locale === 'string' && d.locale.length <= 35 && LOCALE.test(d.locale);
    case 'preview':
      return d.settings === null || isPreviewSettings(d.settings);
    case 'layout':
      return d.hostClose === null || d.hostClose === 'left' || d.hostClose === 'right';
    case 'teaser':
      return typeof d.text === 'string' && d.text.trim() !== '' && d.text.length <= MAX_TEASER;
  }
  return false;
};

const copyMap = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m));

/** A deep copy through JSON: plain data only, allowlisted keys only. */
export const copyPreview = (p: PreviewSettings): PreviewSettings =>
  JSON.parse(JSON.stringify(Object.fromEntries(PREVIEW_KEYS.filter((k) => Object.prototype.hasOwnProperty.call(p, k)).map((k) => [k, p[k]])))) as PreviewSettings;

/** A fresh command holding only the allowlisted fields (envelope stripped). */
export function toHostCommand(m: HostMessage): HostCommand {
  switch (m.type) {
    case 'setContext':
      return { type: 'setContext', context: copyMap(m.context) };
    case 'identify':
      return m.userToken === undefined
        ? { type: 'identify', prefill: copyMap(m.prefill) }
        : { type: 'identify', prefill: copyMap(m.prefill), userToken: m.userToken };
    case 'setLocale':
      return { type: 'setLocale', locale: m.locale };
    case 'preview':
      return { type: 'preview', settings: m.settings === null ? null : copyPreview(m.settings) };
    case 'layout':
      return { type: 'layout', hostClose: m.hostClose };
    case 'teaser':
      return { type: 'teaser', text: m.text };
    default:
      return { type: m.type };
  }
}

/** Wraps an event for the port, copying only allowlisted fields, so nothing else
 *  (tokens, SDK objects, PII) can ride along by accident. */
export function toWidgetMessage(e: WidgetEvent | Ack, instance: string): WidgetMessage {
  const head = { flexchat: MARKER, v: VERSION, instance } as const;
  switch (e.type) {
    case 'unread':
      return { ...head, type: 'unread', count: e.count };
    case 'message':
      return { ...head, type: 'message', fromAgent: e.fromAgent, direction: e.fromAgent ? 'incoming' : 'outgoing' };
    case 'error':
      return { ...head, type: 'error', code: e.code };
    default:
      return { ...head, type: e.type };
  }
}
