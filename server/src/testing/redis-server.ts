// A real Redis for tests (not a test file): Debian's redis-server, started on a
// free loopback port with no persistence, and stopped (or killed) by the test.
// Missing redis-server fails the test with how to install it: the Redis
// behaviour of the token service is only ever tested against the real thing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import { freePort } from './free-port.ts';

export interface RealRedis {
  /** redis://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Clients connected right now, not counting this helper's own. */
  connections(): Promise<number>;
  /** Reads a key (e.g. a rate-limit counter). */
  get(key: string): Promise<string | null>;
  /** Drops every key (between tests that share one server). */
  flush(): Promise<void>;
  /** SIGKILL: the server vanishes mid-flight, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port (after kill()). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

/** REDIS_SERVER, else /usr/bin/redis-server, else redis-server on the PATH. */
export function redisServerBinary(): string {
  const candidates = [process.env.REDIS_SERVER, '/usr/bin/redis-server'].filter((c): c is string => Boolean(c));
  for (const candidate of candidates) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = which.stdout.trim();
  if (which.status === 0 && found) return found;
  throw new Error(
    'redis-server not found: the Redis tests run against a real Redis. Install it (Debian: apt-get install redis-server; .ci/run does this) or set REDIS_SERVER to its path.',
  );
}

function startProcess(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes', '--loglevel', 'warning'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 10_000;
    const tryConnect = () => {
      const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined); // refused while starting: retried below
      probe
        .connect()
        .then(() => probe.ping())
        .then(() => {
          probe.disconnect();
          resolve(child);
        })
        .catch(() => {
          probe.disconnect();
          if (child.exitCode !== null) reject(new Error(`redis-server exited (${child.exitCode}): ${output.trim()}`));
          else if (Date.now() > deadline) reject(new Error(`redis-server did not answer on port ${port} within 10 s: ${output.trim()}`));
          else setTimeout(tryConnect, 50);
        });
    };
    child.once('error', reject);
    tryConnect();
  });
}

export async function startRedis(): Promise<RealRedis> {
  const binary = redisServerBinary();
  const port = await freePort();
  let child = await startProcess(binary, port);
  let admin: Redis | undefined;
  const adminClient = () => {
    if (!admin) {
      admin = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1, connectionName: 'flexchat-test-admin' });
      admin.on('error', () => undefined); // a killed server: the test sees it through the service
    }
    return admin;
  };
  const stop = async (signal: NodeJS.Signals) => {
    admin?.disconnect();
    admin = undefined;
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill(signal);
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async connections() {
      const info = await adminClient().info('clients');
      const connected = Number(/connected_clients:(\d+)/.exec(info)?.[1] ?? NaN);
      return connected - 1;
    },
    get: (key) => adminClient().get(key),
    flush: async () => void (await adminClient().flushall()),
    kill: () => stop('SIGKILL'),
    async restart() {
      await stop('SIGKILL');
      child = await startProcess(binary, port);
    },
    close: () => stop('SIGTERM'),
  };
}
