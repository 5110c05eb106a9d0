// `npm run bench:emulator`'s parts: the emulator and the visitors, each in a child process
// of its own (emulator-process.ts, emulator-visitors.ts), and the calls the driver makes
// (create a chat, agent API, a bounded pool).
import { fork, type ChildProcess } from 'node:child_process';
import type { Agent } from 'node:http';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import type { EmulatorCredentials } from '../../emulator/src/config.ts';
import type { EmulatorProcessMessage, EmulatorProcessRequest } from './emulator-process.ts';
import type { VisitorChat, VisitorsMessage, VisitorsRequest } from './emulator-visitors.ts';
import { send } from './http.ts';

export interface EmulatorChild {
  url: string;
  twilsockUri: string;
  credentials: EmulatorCredentials;
  /** CPU time the emulator has used so far, and its memory (after a full GC when `gc`). */
  usage(gc?: boolean): Promise<{ cpuMs: number; heapUsedBytes: number; rssBytes: number }>;
  /** Starts the emulator's CPU profiler, or stops it and writes the profile to `file`. */
  profile(file: string): Promise<void>;
  stop(): Promise<void>;
}

function ask<T extends EmulatorProcessMessage['type']>(child: ChildProcess, request: EmulatorProcessRequest, answer: T): Promise<Extract<EmulatorProcessMessage, { type: T }>> {
  return new Promise((resolveAnswer) => {
    const onMessage = (message: EmulatorProcessMessage) => {
      if (message.type !== answer) return;
      child.off('message', onMessage);
      resolveAnswer(message as Extract<EmulatorProcessMessage, { type: T }>);
    };
    child.on('message', onMessage);
    child.send(request);
  });
}

export async function startChild(): Promise<EmulatorChild> {
  const child: ChildProcess = fork(resolve(import.meta.dirname, 'emulator-process.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<Extract<EmulatorProcessMessage, { type: 'ready' }>>((resolveReady, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the emulator process exited with ${code} before it was ready`)));
    child.on('message', (message: EmulatorProcessMessage) => message.type === 'ready' && resolveReady(message));
  });
  return {
    url: ready.url,
    twilsockUri: ready.twilsockUri,
    credentials: ready.credentials,
    usage: (gc = false) => ask(child, { type: 'usage', gc }, 'usage'),
    profile: (file) => ask(child, { type: 'profile', file }, 'profile').then(() => undefined),
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.disconnect();
      }),
  };
}

export interface VisitorsChild {
  connect(chats: VisitorChat[], emulator: EmulatorChild, deadlineMs: number): Promise<Extract<VisitorsMessage, { type: 'connected' }>>;
  status(): Promise<Extract<VisitorsMessage, { type: 'status' }>>;
  /** Starts the visitors' CPU profiler, or stops it and writes the profile to `file`. */
  profile(file: string): Promise<void>;
  /** Sets the process's scheduling priority (nice value); false when the system refused. */
  prioritise(nice: number): boolean;
  stop(): Promise<void>;
}

export function startVisitors(): VisitorsChild {
  const child: ChildProcess = fork(resolve(import.meta.dirname, 'emulator-visitors.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ask = <T extends VisitorsMessage['type']>(request: VisitorsRequest, answer: T) =>
    new Promise<Extract<VisitorsMessage, { type: T }>>((resolveAnswer, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the visitors process exited with ${code}`));
      const onMessage = (message: VisitorsMessage) => {
        if (message.type !== answer) return;
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolveAnswer(message as Extract<VisitorsMessage, { type: T }>);
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(request);
    });
  return {
    connect: (chats, emulator, deadlineMs) =>
      ask({ type: 'connect', chats, twilsockUri: emulator.twilsockUri, credentials: emulator.credentials, concurrency: 20, deadlineMs }, 'connected'),
    status: () => ask({ type: 'status' }, 'status'),
    profile: (file) => ask({ type: 'profile', file }, 'profile').then(() => undefined),
    prioritise: (nice) => {
      try {
        if (child.pid !== undefined) setPriority(child.pid, nice);
        return child.pid !== undefined;
      } catch {
        return false; // raising a priority again may need privileges
      }
    },
    stop: () =>
      new Promise<void>((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        child.disconnect();
      }),
  };
}

/** Runs `task` over the items with at most `concurrency` in flight; stops starting new ones after the deadline. */
export async function pool<T>(items: readonly T[], concurrency: number, deadline: number, task: (item: T, index: number) => Promise<void>): Promise<number> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length && performance.now() < deadline) {
        const index = next++;
        await task(items[index] as T, index);
        done += 1;
      }
    }),
  );
  return done;
}

function basicAuth(credentials: EmulatorCredentials): string {
  return `Basic ${Buffer.from(`${credentials.accountSid}:${credentials.authToken}`).toString('base64')}`;
}

export async function createChat(emulator: EmulatorChild, n: number): Promise<{ conversationSid: string; identity: string }> {
  const response = await send(`${emulator.url}/flex-api/v2/WebChats`, {
    method: 'POST',
    headers: { Authorization: basicAuth(emulator.credentials), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ AddressSid: emulator.credentials.webChatAddressSid, CustomerFriendlyName: `Visitor ${n}`, PreEngagementData: '{"question":"bench"}' }).toString(),
  });
  if (response.status !== 201) throw new Error(`POST /v2/WebChats answered ${response.status}: ${response.text}`);
  const body = JSON.parse(response.text) as { conversation_sid: string; identity: string };
  return { conversationSid: body.conversation_sid, identity: body.identity };
}

export async function agentPost(emulator: EmulatorChild, path: string, body: unknown, agent?: Agent): Promise<void> {
  const response = await send(`${emulator.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }, agent);
  if (response.status < 200 || response.status > 299) throw new Error(`${path} answered ${response.status}: ${response.text}`);
}

export function describeError(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause ? `${String(error)} (${String(cause)})` : String(error);
}

/** Epoch milliseconds, the clock the visitors' process stamps arrivals with. */
export const now = () => performance.timeOrigin + performance.now();
export const sleep = (msToWait: number) => new Promise((r) => setTimeout(r, msToWait));
