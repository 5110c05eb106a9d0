// The Vitest fixture for tests that need a running Flex emulator: one emulator
// per test file (scope 'file'), started on a free port before the file's first
// test that asks for it and closed after its last. Use:
//   const test = emulatorTest({ agentDelayMs: 20 });
//   test('…', async ({ emulator }) => { … });
import { test } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator.ts';
import { createLogger } from '../src/log.ts';

/** Options for the file's emulator; by default no simulated agent and only errors logged. */
export type EmulatorFixtureOptions = Omit<EmulatorOptions, 'port' | 'log'> & { logLevel?: Parameters<typeof createLogger>[1] };

export function emulatorTest(options: EmulatorFixtureOptions = {}) {
  const { logLevel = 'error', ...rest } = options;
  // eslint-disable-next-line no-empty-pattern -- Vitest reads the fixtures a fixture wants from its first parameter's pattern.
  return test.extend('emulator', { scope: 'file' }, async ({}, { onCleanup }): Promise<RunningEmulator> => {
    const emulator = await startEmulator({ agentDelayMs: -1, ...rest, port: 0, log: createLogger('emulator', logLevel) });
    onCleanup(() => emulator.close());
    return emulator;
  });
}
