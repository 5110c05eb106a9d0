// The visitors of the emulator benchmark: one REAL @twilio/conversations client per
// chat, in a process of their own. Started by scripts/bench/emulator-scale.ts.
// 2,000 SDK clients keep a Node event loop busy (every accept is a participant, an
// attributes update and a message for one of them to process); sharing that loop with
// the process that sends the agent API's requests made the benchmark time its own
// backlog: the accepts of 2,000 chats took 121 s with the emulator mostly idle (the
// benchmark process at an event-loop utilisation of 0.97). Talks over the IPC channel:
//   ← { type: 'connect', chats, twilsockUri, credentials, concurrency, deadlineMs }
//   → { type: 'connected', connected, failures }: the conversation SIDs whose visitor is connected
//   ← { type: 'profile', file } → { type: 'profile', file }: starts this process's CPU profiler, or
//     stops it and writes the profile to `file` (scripts/bench/cpu-profiler.ts)
//   ← { type: 'status' }  → { type: 'status', greeted, lastGreetedAt, arrivals, cpuMs }:
//     greetings seen so far and when the last one came; arrivals of the benchmark's
//     agent messages ("bench <n>") by body; this process's CPU time so far (user +
//     system: what the SDK clients cost the machine). Times are epoch milliseconds
//     (performance.timeOrigin + performance.now()), comparable across processes.
// It shuts its clients down and exits when the IPC channel closes.
import { performance } from 'node:perf_hooks';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import './widget-twilsock-codec.ts';
import { Client, type Message } from '@twilio/conversations';
import type { EmulatorCredentials } from '../../emulator/src/config.ts';
import { toggleCpuProfile } from './cpu-profiler.ts';

// Node 20 has no global WebSocket; the SDK looks for one on the global object.
(globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;

export interface VisitorChat {
  conversationSid: string;
  identity: string;
}

export type VisitorsRequest =
  | { type: 'connect'; chats: VisitorChat[]; twilsockUri: string; credentials: EmulatorCredentials; concurrency: number; deadlineMs: number }
  | { type: 'profile'; file: string }
  | { type: 'status' };

export type VisitorsMessage =
  | { type: 'profile'; file: string | null }
  | { type: 'connected'; connected: string[]; failures: string[] }
  | { type: 'status'; greeted: number; lastGreetedAt: number; arrivals: Record<string, number>; cpuMs: number };

/** Epoch milliseconds with sub-millisecond precision, the same clock in every process. */
const now = () => performance.timeOrigin + performance.now();

function mintToken(credentials: EmulatorCredentials, identity: string): string {
  const { AccessToken } = twilio.jwt;
  const token = new AccessToken(credentials.accountSid, credentials.apiKeySid, credentials.apiKeySecret, { identity, ttl: 3600 });
  token.addGrant(new AccessToken.ChatGrant({ serviceSid: credentials.conversationsServiceSid }));
  return token.toJwt();
}

function describeError(error: unknown): string {
  const cause = (error as { cause?: unknown }).cause;
  return cause ? `${String(error)} (${String(cause)})` : String(error);
}

if (!process.send) throw new Error('emulator-visitors.ts runs as a child of the emulator benchmark (IPC channel missing)');
const send = process.send.bind(process) as (message: VisitorsMessage) => boolean;

const clients: Client[] = [];
const arrivals: Record<string, number> = {};
let greeted = 0;
let lastGreetedAt = NaN;

async function connectOne(chat: VisitorChat, twilsockUri: string, credentials: EmulatorCredentials): Promise<void> {
  const client = new Client(mintToken(credentials, chat.identity), { Twilsock: { uri: twilsockUri }, logLevel: 'silent' } as ConstructorParameters<typeof Client>[1]);
  clients.push(client);
  await new Promise<void>((ok, fail) => {
    client.once('initialized', () => ok());
    client.once('initFailed', ({ error }) => fail(new Error(`init failed: ${error?.message ?? 'unknown'}`)));
  });
  const conversation = await client.getConversationBySid(chat.conversationSid);
  // History and roster loaded, which subscribes the client to live events, as the widget does.
  await Promise.all([conversation.getMessages(), conversation.getParticipants()]);
  let greetedHere = false;
  conversation.on('messageAdded', (message: Message) => {
    const body = message.body ?? '';
    if (body.startsWith('bench ')) arrivals[body] = now();
    else if (message.author === 'agent.alex' && !greetedHere) {
      greetedHere = true;
      greeted += 1;
      lastGreetedAt = now();
    }
  });
}

async function connectAll(request: Extract<VisitorsRequest, { type: 'connect' }>): Promise<void> {
  const failures: string[] = [];
  const connected: string[] = [];
  let next = 0;
  const deadline = performance.now() + request.deadlineMs;
  await Promise.all(
    Array.from({ length: Math.min(request.concurrency, request.chats.length) }, async () => {
      while (next < request.chats.length && performance.now() < deadline) {
        const chat = request.chats[next++] as VisitorChat;
        try {
          await connectOne(chat, request.twilsockUri, request.credentials);
          connected.push(chat.conversationSid);
        } catch (error) {
          failures.push(describeError(error));
        }
      }
    }),
  );
  send({ type: 'connected', connected, failures });
}

process.on('message', (message: VisitorsRequest) => {
  if (message.type === 'connect') void connectAll(message);
  else if (message.type === 'profile') void toggleCpuProfile(message.file).then((file) => send({ type: 'profile', file }));
  else if (message.type === 'status') {
    const cpu = process.cpuUsage();
    send({ type: 'status', greeted, lastGreetedAt, arrivals, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});
process.on('disconnect', () => {
  const forced = setTimeout(() => process.exit(0), 10_000);
  void Promise.all(clients.map((client) => client.shutdown().catch(() => undefined))).finally(() => {
    clearTimeout(forced);
    process.exit(0);
  });
});
