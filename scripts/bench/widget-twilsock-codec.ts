// The benchmark's Node SDK clients stand for widgets, and the widget does not run
// twilsock's stock frame codec: its build puts the platform's UTF-8 decoder and
// encoder in front of it (widget/src/transport/twilsock-decode-plugin.ts). Left
// stock, the per-byte codec makes each Node client spend several times the
// emulator's CPU on the same frames, on the same two cores, and the benchmark times
// the clients. Importing this module first loads twilsock 1.x (the one
// @twilio/conversations uses) with the same transform into Node's module cache, so
// the SDK's own `require('twilsock')` gets it. Everything else is the SDK as
// installed.
import { readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { withFastCodec } from '../../widget/src/transport/twilsock-decode-plugin.ts';

const require = createRequire(import.meta.url);
const conversationsDir = dirname(require.resolve('@twilio/conversations'));
/** twilsock's Node build, as @twilio/conversations resolves it. */
const twilsockPath = require.resolve('twilsock', { paths: [conversationsDir] });

interface CompilableModule extends Module {
  _compile(code: string, filename: string): void;
  /** Set on the module this file compiled. */
  flexchatCodec?: true;
}
const internals = Module as unknown as { _nodeModulePaths(from: string): string[] };

const cached = require.cache[twilsockPath] as CompilableModule | undefined;
if (cached && !cached.flexchatCodec) {
  // The SDK would keep the stock codec and the benchmark would time it: refuse.
  throw new Error('twilsock was loaded before scripts/bench/widget-twilsock-codec.ts: import this module first');
}
if (!cached) {
  const twilsock = new Module(twilsockPath) as CompilableModule;
  twilsock.filename = twilsockPath;
  twilsock.paths = internals._nodeModulePaths(dirname(twilsockPath));
  twilsock._compile(withFastCodec(readFileSync(twilsockPath, 'utf8'), twilsockPath), twilsockPath);
  twilsock.loaded = true;
  twilsock.flexchatCodec = true;
  require.cache[twilsockPath] = twilsock;
}
