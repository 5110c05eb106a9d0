// A tiny Redis stand-in for tests (not a test file): speaks RESP2 over TCP to a
// real ioredis client and implements just what rate-limiter-flexible's
// RateLimiterRedis sends: its increment-with-expiry script (EVALSHA → NOSCRIPT →
// EVAL), plus the handshake (HELLO refused, so RESP2; CLIENT; INFO; SELECT; PING).
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface FakeRedis {
  url: string;
  /** Counter values by key (expired keys dropped). */
  counters(): Map<string, number>;
  /** Command names received, upper case, in order. */
  commands: string[];
  /** Open client connections. */
  connections(): number;
  close(): Promise<void>;
}

const encode = (value: number | string | Array<number | string>): string => {
  if (typeof value === 'number') return `:${value}\r\n`;
  if (typeof value === 'string') return `$${Buffer.byteLength(value)}\r\n${value}\r\n`;
  return `*${value.length}\r\n${value.map(encode).join('')}`;
};

/** Parses complete RESP arrays of bulk strings from `buffer`; returns them and the unread rest. */
function parse(buffer: Buffer): { commands: string[][]; rest: Buffer } {
  const commands: string[][] = [];
  let offset = 0;
  const line = (from: number): [string, number] | undefined => {
    const end = buffer.indexOf('\r\n', from);
    return end === -1 ? undefined : [buffer.toString('utf8', from, end), end + 2];
  };
  outer: for (;;) {
    const head = line(offset);
    if (!head || !head[0].startsWith('*')) break;
    const count = Number(head[0].slice(1));
    let cursor = head[1];
    const args: string[] = [];
    for (let i = 0; i < count; i++) {
      const size = line(cursor);
      if (!size) break outer;
      const length = Number(size[0].slice(1));
      if (buffer.length < size[1] + length + 2) break outer;
      args.push(buffer.toString('utf8', size[1], size[1] + length));
      cursor = size[1] + length + 2;
    }
    commands.push(args);
    offset = cursor;
  }
  return { commands, rest: buffer.subarray(offset) };
}

export async function startFakeRedis(): Promise<FakeRedis> {
  const store = new Map<string, { value: number; expiresAt: number }>();
  const commands: string[] = [];
  const sockets = new Set<Socket>();

  const live = (key: string) => {
    const entry = store.get(key);
    if (entry && entry.expiresAt <= Date.now()) store.delete(key);
    return store.get(key);
  };

  function reply(args: string[]): string {
    const name = (args[0] ?? '').toUpperCase();
    commands.push(name);
    switch (name) {
      case 'HELLO':
        return '-NOPROTO unsupported protocol version\r\n';
      case 'CLIENT':
      case 'SELECT':
        return '+OK\r\n';
      case 'PING':
        return '+PONG\r\n';
      case 'INFO':
        return encode('# Server\r\nredis_version:7.2.0\r\nloading:0\r\n');
      case 'EVALSHA':
        return '-NOSCRIPT No matching script. Please use EVAL.\r\n';
      case 'EVAL': {
        // KEYS[1] = key; ARGV = points, seconds, ... (rate-limiter-flexible's incrTtlLuaScript)
        const [, , , key = '', points = '0', seconds = '0'] = args;
        const entry = live(key) ?? { value: 0, expiresAt: Date.now() + Number(seconds) * 1000 };
        entry.value += Number(points);
        store.set(key, entry);
        return encode([entry.value, Math.max(0, entry.expiresAt - Date.now())]);
      }
      default:
        return `-ERR unknown command '${name}'\r\n`;
    }
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const parsed = parse(Buffer.concat([pending, chunk]));
      pending = Buffer.from(parsed.rest);
      for (const args of parsed.commands) socket.write(reply(args));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}`,
    commands,
    connections: () => sockets.size,
    counters() {
      const out = new Map<string, number>();
      for (const key of [...store.keys()]) {
        const entry = live(key);
        if (entry) out.set(key, entry.value);
      }
      return out;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
