// The last line of defence for the local stack (`npm start`): one process runs
// the emulator, the token service and both static origins, so an exception
// that escapes any of them would take all four down. Log it loudly and keep
// serving. The components catch their own errors; reaching this is a bug to
// fix, which is why it is logged with its stack.

export interface SafetyNetLog {
  (line: string): void;
}

export function installProcessSafetyNet(target: NodeJS.Process = process, log: SafetyNetLog = (line) => process.stderr.write(`${line}\n`)): () => void {
  const describe = (error: unknown) => (error instanceof Error ? (error.stack ?? error.message) : String(error));
  const onException = (error: unknown) => log(JSON.stringify({ time: new Date().toISOString(), level: 'error', component: 'local-stack', message: 'uncaught exception (kept running)', error: describe(error) }));
  const onRejection = (reason: unknown) => log(JSON.stringify({ time: new Date().toISOString(), level: 'error', component: 'local-stack', message: 'unhandled promise rejection (kept running)', error: describe(reason) }));
  target.on('uncaughtException', onException);
  target.on('unhandledRejection', onRejection);
  return () => {
    target.off('uncaughtException', onException);
    target.off('unhandledRejection', onRejection);
  };
}
