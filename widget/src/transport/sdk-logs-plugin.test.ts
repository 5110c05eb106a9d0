import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { runInNewContext } from 'node:vm';
import loglevel from 'loglevel';
import { describe, expect, it } from 'vitest';
import { holdsTwilioSdkLogger, isTwilsockModernClient, withLazyEmitLine, withLazyLogLines } from './sdk-logs-plugin.ts';

const require = createRequire(import.meta.url);
const root = resolve(dirname(require.resolve('twilsock/package.json')), '..', '..');
// Every SDK build with a logger the widget bundles (both adapters' copies).
const builds = [
  'node_modules/twilsock/builds/browser.js',
  'node_modules/twilio-sync/builds/browser.js',
  'node_modules/@twilio/conversations/builds/browser.js',
  'node_modules/@twilio/mcs-client/builds/browser.js',
  'node_modules/@twilio/notifications/builds/browser.js',
  'node_modules/twilio-chat/builds/browser.js',
  'node_modules/twilio-chat/node_modules/twilsock/builds/browser.js',
  'node_modules/twilio-chat/node_modules/twilio-sync/builds/browser.js',
  'node_modules/twilio-chat/node_modules/twilio-sync/node_modules/twilsock/builds/browser.js',
  'node_modules/twilio-chat/node_modules/@twilio/mcs-client/builds/browser.js',
  'node_modules/twilio-chat/node_modules/@twilio/notifications/builds/browser.js',
  // The modern builds @twilio/conversations and its dependencies are bundled from (sdk-modern-builds-plugin.ts).
  'node_modules/twilsock/dist/logger.js',
  'node_modules/twilio-sync/dist/utils/logger.js',
  'node_modules/@twilio/conversations/dist/logger.js',
  'node_modules/@twilio/mcs-client/dist/logger.js',
  'node_modules/@twilio/notifications/dist/logger.js',
].map((path) => resolve(root, path));

const levels = ['trace', 'debug', 'info', 'warn', 'error', 'silent'] as const;
let loggers = 0;

/** A real loglevel logger at `level` that records what it prints. */
function recordingLogger(level: (typeof levels)[number]) {
  const printed: Array<[string, unknown[]]> = [];
  const log = loglevel.getLogger(`sdk-logs-test-${loggers++}`);
  log.methodFactory = (method) => (...args: unknown[]) => void printed.push([method, args]);
  log.setLevel(level, false);
  return { log, printed };
}

/** Runs one logging statement of an SDK build with `log` as its logger; what it built and printed. */
function run(statement: string, logger: string, level: (typeof levels)[number]) {
  const { log, printed } = recordingLogger(level);
  let prepared = 0;
  const prepareLine = (prefix: string, args: unknown[]) => {
    prepared++;
    return [`time ${prefix}:`, ...args];
  };
  // `prefix`: a scoped logger's (`this.prefix`, `this` being the context's global here).
  runInNewContext(statement, { [logger]: log, prepareLine, prefix: 'Scope ', args: ['a line', { n: 1 }] });
  return { printed, prepared };
}

/** The logging statements of a build: `[logger, statement]` each. */
function statements(code: string): Array<[string, string]> {
  return [...code.matchAll(/(?:if \([^)]*\)[^)]*\) )?\b([\w$]+)\.(?:debug|info)\.apply\(null, prepareLine\((?:this\.prefix \+ )?["'][DI]["'], args\)\);/g)].map((m) => [m[1]!, m[0]]);
}

/**
 * Runs the guarded "Emitting" statement of `code` (from `guard` to the end of its line) at
 * every level: the line prints as loglevel would, and the payload is serialised only then.
 * `context` gives the statement its logger(s), given the recording logger and a sink for lines.
 */
function expectLazyEmitLine(code: string, guard: string, context: (log: loglevel.Logger, print: (line: unknown) => number) => Record<string, unknown>): void {
  const at = code.indexOf(guard);
  expect(at).toBeGreaterThan(0);
  const statement = code.slice(at, code.indexOf(');', code.indexOf('.join(", ")', at)) + 2);
  for (const level of levels) {
    const { log } = recordingLogger(level);
    const lines: unknown[] = [];
    let serialised = 0;
    const payload = { toJSON: () => (serialised++, { body: 'hello' }) };
    runInNewContext(statement, { ...context(log, (line) => lines.push(line)), event: 'message', args: [payload] });
    const prints = level === 'trace' || level === 'debug';
    expect(lines).toEqual(prints ? ['Emitting message({"body":"hello"})'] : []);
    expect(serialised).toBe(prints ? 1 : 0);
  }
}

describe('lazy SDK log lines (build transform)', () => {
  it('applies to the Twilio SDK browser builds only', () => {
    expect(builds.every(holdsTwilioSdkLogger)).toBe(true);
    expect(holdsTwilioSdkLogger(resolve(root, 'node_modules/twilsock/builds/lib.js'))).toBe(false);
    expect(holdsTwilioSdkLogger(resolve(root, 'node_modules/react-dom/cjs/react-dom.production.js'))).toBe(false);
  });

  for (const build of builds) {
    const name = build.slice(root.length + 1);
    const original = readFileSync(build, 'utf8');
    const transformed = withLazyLogLines(original, build);

    it(`${name}: every debug and info line prints as before, and is built only when it prints`, () => {
      const before = statements(original);
      const after = statements(transformed);
      expect(after.length).toBeGreaterThanOrEqual(name.includes('/dist/') ? 1 : 2);
      expect(after.length).toBe(before.length);
      after.forEach(([logger, statement], i) => {
        expect(statement.startsWith('if (')).toBe(true);
        for (const level of levels) {
          const was = run(before[i]![1], logger, level);
          const now = run(statement, logger, level);
          expect(now.printed, `${statement} at ${level}`).toEqual(was.printed);
          expect(now.prepared, `${statement} at ${level}`).toBe(now.printed.length);
        }
      });
    });

    if (name.endsWith('twilsock/builds/browser.js')) {
      it(`${name}: an emitted event is serialised for the log only when debug prints`, () => {
        expectLazyEmitLine(transformed, 'if (log.getLevel() <= log.levels.DEBUG) logInstance.debug("Emitting "', (log, print) => ({ log, logInstance: { debug: print } }));
      });
    }
  }

  it("twilsock's modern client: an emitted event is serialised for the log only when debug prints", () => {
    const client = resolve(root, 'node_modules/twilsock/dist/client.js');
    expect(isTwilsockModernClient(client)).toBe(true);
    expect(holdsTwilioSdkLogger(client)).toBe(false);
    const transformed = withLazyEmitLine(readFileSync(client, 'utf8'), client);
    expect(transformed).toContain(`var logger = require('./logger.js');\nvar twilsockLog$flexchat = require('loglevel').getLogger("twilsock");`);
    // twilsock's wrapper has no level of its own; the level is loglevel's "twilsock" logger's.
    expectLazyEmitLine(transformed, 'if (twilsockLog$flexchat.getLevel() <= twilsockLog$flexchat.levels.DEBUG) logger.log.debug(`Emitting ', (log, print) => ({
      logger: { log: { debug: print } },
      twilsockLog$flexchat: log,
    }));
    expect(() => withLazyEmitLine('logger.log.debug(`Emitting ${event}`);', client)).toThrow(/twilsock\/dist\/client\.js/);
  });

  it('refuses a build without the logger it rewrites', () => {
    expect(() => withLazyLogLines('console.log("no logger here")', 'twilio-sync@next')).toThrow(/twilio-sync@next/);
    expect(() => withLazyLogLines('log.debug.apply(null, prepareLine("D", args));', '/x/node_modules/twilsock/builds/browser.js')).toThrow(/Emitting/);
  });
});
