// Server-side events: one JSON object per line, never bodies, tokens or secrets.
export type LogEntry = { level: 'info' | 'warn' | 'error'; msg: string } & Record<string, unknown>;

export type Log = (entry: LogEntry) => void;

export const stderrLog: Log = (entry) => {
  console.error(JSON.stringify({ time: new Date().toISOString(), ...entry }));
};
