import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextTask } from './next-task.ts';

const scope = globalThis as { scheduler?: { yield?: () => Promise<void> } };

describe('nextTask', () => {
  afterEach(() => {
    vi.restoreAllMocks();
    vi.useRealTimers();
  });

  it("uses the browser's scheduler.yield() where there is one", async () => {
    const yielded = vi.spyOn(scope.scheduler!, 'yield');
    await nextTask();
    expect(yielded).toHaveBeenCalledOnce();
  });

  it('elsewhere resolves in a timer task, not in the current one', async () => {
    const saved = scope.scheduler;
    scope.scheduler = undefined;
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      let resolved = false;
      const done = nextTask().then(() => {
        resolved = true;
      });
      await Promise.resolve();
      await Promise.resolve();
      expect(resolved).toBe(false); // microtasks alone do not get there
      vi.advanceTimersByTime(0);
      await done;
      expect(resolved).toBe(true);
    } finally {
      scope.scheduler = saved;
    }
  });
});
