import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessSafetyNet, MAX_UNCAUGHT_PER_SECOND } from './process-safety-net.ts';

describe('process safety net of the local stack', () => {
  it('logs an uncaught exception and an unhandled rejection with their stacks, and can be removed', () => {
    const fakeProcess = new EventEmitter();
    const lines: string[] = [];
    const remove = installProcessSafetyNet(fakeProcess as unknown as NodeJS.Process, (line) => lines.push(line));
    fakeProcess.emit('uncaughtException', new Error('timer blew up'));
    fakeProcess.emit('unhandledRejection', 'plain reason');
    const logged = lines.map((line) => JSON.parse(line) as { level: string; message: string; error: string });
    expect(logged.map(({ level, message }) => [level, message])).toEqual([
      ['error', 'uncaught exception (kept running)'],
      ['error', 'unhandled promise rejection (kept running)'],
    ]);
    expect(logged[0]?.error).toMatch(/^Error: timer blew up\n\s+at /);
    expect(logged[1]?.error).toBe('plain reason');
    remove();
    expect(fakeProcess.listenerCount('uncaughtException') + fakeProcess.listenerCount('unhandledRejection')).toBe(0);
  });

  it('exits instead of spinning when errors keep coming, and survives a log that throws', () => {
    const fakeProcess = new EventEmitter();
    const exits: number[] = [];
    installProcessSafetyNet(
      fakeProcess as unknown as NodeJS.Process,
      () => {
        throw new Error('EPIPE');
      },
      (code) => exits.push(code),
    );
    for (let i = 0; i < MAX_UNCAUGHT_PER_SECOND; i += 1) fakeProcess.emit('uncaughtException', new Error(`error ${i}`));
    expect(exits).toEqual([]);
    fakeProcess.emit('uncaughtException', new Error('one too many'));
    expect(exits).toEqual([1]);
  });
});
