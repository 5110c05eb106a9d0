// The widget's side of the host <-> iframe bridge (protocol: contracts/bridge-protocol.ts).
//
// Security model:
//  - The hello is accepted only if event.source is our parent window, event.origin
//    is one of the allowed embedding origins, the shape/version is right and it
//    carries exactly one MessagePort. The first valid hello wins; later ones are
//    dropped and their ports closed.
//  - After that everything travels over the private port; each message must carry
//    the hello's instance id and pass the allowlist validator, or it is dropped.
//  - Outgoing events are rebuilt from allowlisted fields only (toWidgetMessage),
//    so tokens or SDK objects cannot leak to the host page by accident.
//  - Every dropped message is counted (`bridge.dropped`); with `debug` each drop is
//    logged with the running count.
//  - `preview` is accepted only when the hello came from one of `previewOrigins`
//    (a subset of the allowed origins); from any other embedding page it is
//    dropped and counted like a forged message.
//  - Not framed (opened directly): a harmless no-op bridge.
//
// Commands the widget should handle (see loader/README.md): open, close,
// setContext, identify (prefill + optional userToken for /webchat/init), setLocale,
// shutdown, preview, layout, focusFirst, teaser. Events it may send: requestClose, unread, sessionStart (also when a
// stored chat resumes), sessionEnd (also after shutdown, or on connect when there
// is nothing to resume), message, error (a code only), focusHostClose.
import {
  MARKER,
  VERSION,
  isHello,
  isHostMessage,
  isWidgetMessage,
  toHostCommand,
  toWidgetMessage,
  type HostCommand,
  type Ready,
  type WidgetEvent,
} from '../../../contracts/bridge-protocol.ts';

export type { HostCommand, WidgetEvent };

export interface HostBridge {
  send(event: WidgetEvent): void;
  onCommand(listener: (command: HostCommand) => void): () => void;
  close(): void;
  /** Messages dropped so far (forged, malformed, unknown type, wrong instance). */
  readonly dropped?: number;
}

export interface HostBridgeOptions {
  /** Log dropped messages to the console. */
  debug?: boolean;
  /** The widget's window (tests pass an iframe's window). */
  window?: Window;
  /** Called for every dropped message, with a short reason (tests, telemetry). */
  onDrop?: (reason: string, data: unknown) => void;
  /** Host origins whose `preview` commands are accepted (config `previewOrigins`). Default: none. */
  previewOrigins?: readonly string[];
}

/** Events sent before the host connects are kept, up to this many (oldest dropped). */
const OUTBOX_LIMIT = 20;

/** 'https://Example.com:443' -> 'https://example.com', as browsers report event.origin. */
function normalizeOrigin(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? undefined : url.origin;
  } catch {
    return undefined;
  }
}

/** The embedding page's origin as the browser reports it, if it does. Advisory
 *  only (picks where 'ready' goes); the hello's event.origin is what is checked. */
function parentOriginHint(win: Window): string | undefined {
  const ancestors = win.location.ancestorOrigins; // Chromium, WebKit
  if (ancestors && ancestors.length > 0) return normalizeOrigin(ancestors[0]!);
  return win.document.referrer ? normalizeOrigin(win.document.referrer) : undefined;
}

const noopBridge: HostBridge = { send() {}, onCommand: () => () => {}, close() {}, dropped: 0 };

export function connectHostBridge(allowedOrigins: readonly string[], options: HostBridgeOptions = {}): HostBridge {
  const win = options.window ?? (typeof window === 'undefined' ? undefined : window);
  if (!win || win.parent === win || !win.parent) return noopBridge;
  const parent = win.parent;
  const allowed = new Set(allowedOrigins.map(normalizeOrigin).filter((o): o is string => o !== undefined));
  const previewers = new Set((options.previewOrigins ?? []).map(normalizeOrigin).filter((o): o is string => o !== undefined && allowed.has(o)));
  const listeners = new Set<(command: HostCommand) => void>();
  const outbox: WidgetEvent[] = [];
  let port: MessagePort | undefined;
  let instance = '';
  /** The origin of the accepted hello: the embedding page. */
  let hostOrigin = '';
  let closed = false;
  let dropped = 0;

  const drop = (reason: string, data: unknown) => {
    dropped++;
    options.onDrop?.(reason, data);
    if (options.debug) console.debug(`[flexchat bridge] dropped #${dropped}:`, reason, data);
  };

  const post = (event: WidgetEvent) => {
    const message = toWidgetMessage(event, instance);
    // Validate what we send with the host's own rules: a bad count never leaves.
    if (isWidgetMessage(message, instance)) port?.postMessage(message);
    else drop('invalid outgoing event', event);
  };

  const onPortMessage = (event: MessageEvent) => {
    if (!isHostMessage(event.data, instance)) return drop('invalid command', event.data);
    if (event.data.type === 'preview' && !previewers.has(hostOrigin)) {
      return drop(`preview from ${hostOrigin}, not a preview origin`, event.data);
    }
    const command = toHostCommand(event.data);
    for (const listener of [...listeners]) {
      try {
        listener(command);
      } catch (error) {
        console.error('[flexchat bridge] command listener failed', error);
      }
    }
  };

  const onWindowMessage = (event: MessageEvent) => {
    const extraPorts = () => event.ports.forEach((p) => p.close());
    if (event.source !== parent) return drop('not from the parent window', event.data);
    if (!allowed.has(event.origin)) {
      extraPorts();
      return drop(`origin ${event.origin} not allowed`, event.data);
    }
    if (!isHello(event.data) || event.ports.length !== 1) {
      extraPorts();
      return drop('not a valid hello', event.data);
    }
    if (port) {
      extraPorts();
      return drop('already connected', event.data);
    }
    port = event.ports[0]!;
    instance = event.data.instance;
    hostOrigin = event.origin;
    port.onmessage = onPortMessage; // also starts the port
    port.postMessage(toWidgetMessage({ type: 'ack' }, instance));
    outbox.splice(0).forEach(post);
  };

  win.addEventListener('message', onWindowMessage);

  // Tell the host we listen (it may have sent its hello before we were up), pinned
  // to the parent's origin when the browser tells it and it is allowed; when it
  // can't be known, once per allowed origin (the browser delivers only the match).
  // A parent known not to be allowed hears nothing.
  const ready: Ready = { flexchat: MARKER, v: VERSION, type: 'ready' };
  const hint = parentOriginHint(win);
  const targets = hint === undefined ? [...allowed] : allowed.has(hint) ? [hint] : [];
  for (const origin of targets) parent.postMessage(ready, origin);

  return {
    get dropped() {
      return dropped;
    },
    send(event) {
      if (closed) return;
      if (port) post(event);
      else {
        outbox.push(event);
        if (outbox.length > OUTBOX_LIMIT) outbox.shift();
      }
    },
    onCommand(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      win.removeEventListener('message', onWindowMessage);
      listeners.clear();
      outbox.length = 0;
      port?.close();
      port = undefined;
    },
  };
}
