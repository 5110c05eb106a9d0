// The last line of defence for the local stack (`npm start`): one process runs
// the emulator, the token service and both static origins, so an exception
// that escapes any of them would take all four down. Log it loudly and keep
// serving. The components catch their own errors; reaching this is a bug to
// fix, which is why it is logged with its stack.

export interface SafetyNetLog {
  (line: string): void;
}

/** More uncaught errors than this in one second means something loops: the process exits rather than spin. */
export const MAX_UNCAUGHT_PER_SECOND = 50;

export function installProcessSafetyNet(
  target: NodeJS.Process = process,
  log: SafetyNetLog = (line) => process.stderr.write(`${line}\n`),
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
  let windowStart = 0;
  let inWindow = 0;
  const tooMany = (): boolean => {
    const now = Date.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      inWindow = 0;
    }
    inWindow += 1;
    return inWindow > MAX_UNCAUGHT_PER_SECOND;
  };
  const report = (line: string) => {
    if (tooMany()) return exit(1);
    try {
      log(line);
    } catch {
      // Nowhere to log (the terminal went away): keep serving.
    }
  };
  const onException = (error: unknown) => report(JSON.stringify({ time: new Date().toISOString(), level: 'error', component: 'local-stack', message: 'uncaught exception (kept running)', error: describe(error) }));
  const onRejection = (reason: unknown) => report(JSON.stringify({ time: new Date().toISOString(), level: 'error', component: 'local-stack', message: 'unhandled promise rejection (kept running)', error: describe(reason) }));
  // A closed terminal or pipe makes every write fail; without a listener each failure would be one more uncaught error.
  const ignore = () => undefined;
  const outputs: NodeJS.WritableStream[] = [target.stdout, target.stderr].filter((stream) => stream !== undefined);
  for (const stream of outputs) stream.on('error', ignore);
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    for (const stream of outputs) stream.off('error', ignore);
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
