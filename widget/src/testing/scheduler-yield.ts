// Setup file of the dom test project: Chromium's scheduler.yield(), which jsdom lacks. The
// widget's nextTask() (transport/next-task.ts) uses it where there is one, so tests take
// Chromium's path: a task boundary that tests faking setTimeout do not hold up. The
// setTimeout fallback for other browsers is tested in transport/next-task.test.ts.
const scope = globalThis as { scheduler?: { yield?: () => Promise<void> } };

scope.scheduler ??= {};
scope.scheduler.yield ??= () =>
  new Promise<void>((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
