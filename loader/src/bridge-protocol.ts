// Host <-> iframe bridge protocol, version 1. Pure: no DOM, no side effects.
// Shared by the loader (host page) and widget/src/bridge/host-bridge.ts (iframe).
// The loader bundles only what it imports, so keep loader-side helpers tiny.
//
// Handshake (window.postMessage, origins pinned on both sides):
//   widget -> parent  { flexchat: 1, v: 1, type: 'ready' }
//       posted once per allowed origin as targetOrigin; tells the loader the
//       widget listens, so (re)send hello. Carries nothing else.
//   host -> iframe    { flexchat: 1, v: 1, type: 'hello', instance }   + transfer [port2]
//       targetOrigin = widgetOrigin exactly; sent on iframe load and on each
//       valid 'ready' until the widget acknowledges.
// Then over the MessagePort only, every message is an Envelope:
//   widget -> host    ack | requestClose | unread | sessionStart | sessionEnd | message
//   host -> widget    open | close | setContext | identify
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
  | { type: 'identify'; prefill: Record<string, string>; userToken?: string };

/** Events the widget reports to the host page. Never tokens, never PII. */
export type WidgetEvent =
  | { type: 'requestClose' }
  | { type: 'unread'; count: number }
  | { type: 'sessionStart' }
  | { type: 'sessionEnd' }
  | { type: 'message'; fromAgent: boolean };

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
const MAX_INSTANCE = 64;

const isObject = (d: unknown): d is Loose => typeof d === 'object' && d !== null;

const hasHeader = (d: unknown): d is Loose => isObject(d) && d.flexchat === MARKER && d.v === VERSION;

/** Marker + version + expected instance id. */
const inEnvelope = (d: unknown, instance: string): d is Loose => hasHeader(d) && d.instance === instance;

export const isReady = (d: unknown): d is Ready => hasHeader(d) && d.type === 'ready';

export const isHello = (d: unknown): d is Hello =>
  hasHeader(d) &&
  d.type === 'hello' &&
  typeof d.instance === 'string' &&
  d.instance.length > 0 &&
  d.instance.length <= MAX_INSTANCE;

/** Loader side: a message from the widget on our port. (Terse: it ships in loader.js.) */
export const isWidgetMessage = (d: unknown, instance: string): d is WidgetMessage =>
  inEnvelope(d, instance) &&
  (d.type === 'unread'
    ? Number.isInteger(d.count) && (d.count as number) >= 0
    : d.type === 'message'
      ? typeof d.fromAgent === 'boolean'
      : ['ack', 'requestClose', 'sessionStart', 'sessionEnd'].includes(d.type as string));

const isStringMap = (d: unknown): d is Record<string, string> => {
  if (!isObject(d) || Array.isArray(d)) return false;
  const entries = Object.entries(d);
  return entries.length <= MAX_KEYS && entries.every(([, v]) => typeof v === 'string' && v.length <= MAX_VALUE);
};

/** Widget side: a message from the host on our port. */
export const isHostMessage = (d: unknown, instance: string): d is HostMessage => {
  if (!inEnvelope(d, instance)) return false;
  switch (d.type) {
    case 'open':
    case 'close':
      return true;
    case 'setContext':
      return isStringMap(d.context);
    case 'identify':
      return (
        isStringMap(d.prefill) &&
        (d.userToken === undefined || (typeof d.userToken === 'string' && d.userToken.length <= MAX_VALUE))
      );
  }
  return false;
};

const copyMap = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m));

/** A fresh command holding only the allowlisted fields (envelope stripped). */
export function toHostCommand(m: HostMessage): HostCommand {
  switch (m.type) {
    case 'setContext':
      return { type: 'setContext', context: copyMap(m.context) };
    case 'identify':
      return m.userToken === undefined
        ? { type: 'identify', prefill: copyMap(m.prefill) }
        : { type: 'identify', prefill: copyMap(m.prefill), userToken: m.userToken };
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
      return { ...head, type: 'message', fromAgent: e.fromAgent };
    default:
      return { ...head, type: e.type };
  }
}
