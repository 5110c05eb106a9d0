// The Vitest fixtures for tests that need a running Flex emulator, started on a
// free port and closed when done. emulatorTest: one emulator per test file
// (scope 'file'), started before the file's first test that asks for it and
// closed after its last. emulatorPerTest: a fresh one for every test, for tests
// that must each start from the seeded state (no flows, chats or keys left by an
// earlier test). A test may close its emulator itself to check what happens when
// it is down; closing it again afterwards does nothing. Use:
//   const test = emulatorTest({ agentDelayMs: 20 });
//   test('…', async ({ emulator }) => { … });
import { test } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator.ts';
import { createLogger } from '../src/log.ts';

/** Options for the emulator; by default no simulated agent and only errors logged. */
export type EmulatorFixtureOptions = Omit<EmulatorOptions, 'port' | 'log'> & { logLevel?: Parameters<typeof createLogger>[1] };

function starter(options: EmulatorFixtureOptions) {
  const { logLevel = 'error', ...rest } = options;
  // eslint-disable-next-line no-empty-pattern -- Vitest reads the fixtures a fixture wants from its first parameter's pattern.
  return async ({}, { onCleanup }: { onCleanup: (cleanup: () => Promise<void>) => void }): Promise<RunningEmulator> => {
    const emulator = await startEmulator({ agentDelayMs: -1, ...rest, port: 0, log: createLogger('emulator', logLevel) });
    onCleanup(() => emulator.close());
    return emulator;
  };
}

export function emulatorTest(options: EmulatorFixtureOptions = {}) {
  return test.extend('emulator', { scope: 'file' }, starter(options));
}

export function emulatorPerTest(options: EmulatorFixtureOptions = {}) {
  return test.extend('emulator', starter(options));
}
