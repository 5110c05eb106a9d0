// Resolves in a later task (scheduler.yield() where there is one). Evaluating an SDK's
// chunk is a long task already: what comes next (the next stage, the client it creates,
// a resumed chat's first history page) waits for the next one, so input and rendering
// get their turn in between.
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
