// The emulator of the emulator benchmark, alone in its own process so that its
// memory and CPU are its own and not the benchmark clients'. Started by
// scripts/bench/emulator-scale.ts with --expose-gc; talks over the IPC channel:
//   → { type: 'ready', url, twilsockUri, credentials }
//   ← { type: 'usage', gc }  → { type: 'usage', cpuMs, heapUsedBytes, rssBytes }: CPU time used so
//     far (user + system) and memory, after a full GC when asked. CPU time is what a phase
//     costs the emulator even when the machine is busy with other work.
//   ← { type: 'profile', file }  → { type: 'profile', file }: starts the V8 CPU profiler, or (when
//     one runs) stops it and writes the profile to `file` (open it in Chrome DevTools).
// It exits when the IPC channel closes (its parent ended or killed it).
import { startEmulator } from '../../emulator/src/emulator.ts';
import { createLogger } from '../../emulator/src/log.ts';
import { toggleCpuProfile } from './cpu-profiler.ts';

export type EmulatorProcessMessage =
  | { type: 'ready'; url: string; twilsockUri: string; credentials: Awaited<ReturnType<typeof startEmulator>>['credentials'] }
  | { type: 'usage'; cpuMs: number; heapUsedBytes: number; rssBytes: number }
  | { type: 'profile'; file: string | null };

export type EmulatorProcessRequest = { type: 'usage'; gc: boolean } | { type: 'profile'; file: string };

if (!process.send) throw new Error('emulator-process.ts runs as a child of the emulator benchmark (IPC channel missing)');
const send = process.send.bind(process) as (message: EmulatorProcessMessage) => boolean;

// Every web chat is created as fast as the benchmark asks; Twilio's 5/s is not what is measured.
process.env.EMULATOR_WEBCHAT_RATE_PER_SECOND = '0';
const emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'error') });
send({ type: 'ready', url: emulator.url, twilsockUri: emulator.twilsockUri, credentials: emulator.credentials });

const gc = (globalThis as { gc?: () => void }).gc;
process.on('message', (message: EmulatorProcessRequest) => {
  if (message.type === 'profile') return void toggleCpuProfile(message.file).then((file) => send({ type: 'profile', file }));
  if (message.type !== 'usage') return;
  if (message.gc) {
    // Two passes: the first may only schedule finalisation of what it found.
    gc?.();
    gc?.();
  }
  const memory = process.memoryUsage();
  const cpu = process.cpuUsage();
  send({ type: 'usage', cpuMs: (cpu.user + cpu.system) / 1000, heapUsedBytes: memory.heapUsed, rssBytes: memory.rss });
});
process.on('disconnect', () => {
  void emulator.close().finally(() => process.exit(0));
});
