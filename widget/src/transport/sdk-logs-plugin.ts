// Build step (Node only): the Twilio SDKs' loggers (twilsock, twilio-sync, Conversations,
// MCS, notifications, twilio-chat) build every debug and info line before they ask
// loglevel to print it: a timestamp (new Date().toISOString()), the prefix, a copy of the
// arguments. loglevel then drops the line (the SDKs log at "error" unless told otherwise).
// twilsock also writes a debug line for every event it emits with each argument
// JSON.stringify'd: the whole payload of every incoming message. Together that was about a
// tenth of an incoming message's main-thread time in Chromium (#18). This transform asks
// the logger's level first, exactly as loglevel decides (a method is live when its level
// is at or above the logger's: levels TRACE 0, DEBUG 1, INFO 2, WARN 3, ERROR 4), so the
// same lines print at every level; warnings and errors are left alone.
import type { Plugin } from 'vite';
import { replaceExactlyOnce } from './sdk-source-patch.ts';

/**
 * `log.debug.apply(null, prepareLine("D", args));` and the info twin, in any of the SDKs;
 * in a scoped logger's methods (Conversations, MCS, twilio-chat) with `this.prefix + "D"`.
 */
const PREPARED_LINE = /\b([\w$]+)\.(debug|info)\.apply\(null, prepareLine\((?:this\.prefix \+ )?(["'])([DI])\3, args\)\);/g;
/** twilsock's per-event debug line (its arguments are the expensive part). */
const EMITTING = 'logInstance.debug("Emitting "';
/** twilsock's module logger, which that line's level is read from. */
const TWILSOCK_LOG = 'var log = loglevelLog__namespace.getLogger("twilsock");';
/**
 * The same line in twilsock's modern build (dist/client.js), and its logger module there.
 * `logger.log` is twilsock's wrapper, without a level: the level is read from loglevel's
 * "twilsock" logger, the one instance that wrapper prints through (loglevel keeps one per name).
 */
const DIST_EMITTING = 'logger.log.debug(`Emitting ';
const DIST_TWILSOCK_LOGGER = "var logger = require('./logger.js');";
const DIST_LEVEL_SOURCE = `${DIST_TWILSOCK_LOGGER}\nvar twilsockLog$flexchat = require('loglevel').getLogger("twilsock");`;

const LEVEL = { debug: 'DEBUG', info: 'INFO' } as const;

/**
 * The files of the Twilio SDKs the widget bundles that hold a logger (any nesting): the
 * browser builds (twilio-chat's), and the logger modules of the modern builds
 * (sdk-modern-builds-plugin.ts: @twilio/conversations and its dependencies).
 */
export const holdsTwilioSdkLogger = (id: string): boolean =>
  /[\\/]node_modules[\\/](?:twilsock|twilio-sync|twilio-chat|@twilio[\\/](?:conversations|mcs-client|notifications))[\\/](?:builds[\\/]browser|dist[\\/](?:utils[\\/])?logger)\.js$/.test(
    id,
  );

/** twilsock's client in its modern build, which emits its events with that debug line. */
export const isTwilsockModernClient = (id: string): boolean => /[\\/]node_modules[\\/]twilsock[\\/]dist[\\/]client\.js$/.test(id);

/** twilsock's modern client with the per-event debug line serialised only when it prints. */
export function withLazyEmitLine(code: string, id = 'twilsock/dist/client.js'): string {
  const withLevel = replaceExactlyOnce(code, DIST_TWILSOCK_LOGGER, DIST_LEVEL_SOURCE, 'sdk-logs', id);
  return replaceExactlyOnce(withLevel, DIST_EMITTING, `if (twilsockLog$flexchat.getLevel() <= twilsockLog$flexchat.levels.DEBUG) ${DIST_EMITTING}`, 'sdk-logs', id);
}

/**
 * `code` with its logger's debug and info lines built only when they print. Throws when a
 * build has not the expected logger (a changed SDK): the transform must be reviewed then.
 */
export function withLazyLogLines(code: string, id = 'sdk'): string {
  let prepared = 0;
  let out = code.replace(PREPARED_LINE, (line: string, logger: string, method: 'debug' | 'info') => {
    prepared++;
    return `if (${logger}.getLevel() <= ${logger}.levels.${LEVEL[method]}) ${line}`;
  });
  if (prepared === 0) {
    throw new Error(`sdk-logs: no "log.debug.apply(null, prepareLine(...))" in ${id}; the SDK changed, review widget/src/transport/sdk-logs-plugin.ts`);
  }
  if (/[\\/]twilsock[\\/]builds[\\/]/.test(id) || out.includes(EMITTING)) {
    out = replaceExactlyOnce(out, EMITTING, `if (log.getLevel() <= log.levels.DEBUG) ${EMITTING}`, 'sdk-logs', id);
    if (!out.includes(TWILSOCK_LOG)) {
      throw new Error(`sdk-logs: expected twilsock's logger in ${id}; the SDK changed, review widget/src/transport/sdk-logs-plugin.ts`);
    }
  }
  return out;
}

export function sdkLazyLogs(): Plugin {
  return {
    name: 'flexchat-sdk-lazy-logs',
    enforce: 'pre',
    transform(code, id) {
      if (isTwilsockModernClient(id)) return { code: withLazyEmitLine(code, id), map: null };
      if (!holdsTwilioSdkLogger(id)) return null;
      return { code: withLazyLogLines(code, id), map: null };
    },
  };
}
