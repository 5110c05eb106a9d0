// A switch for the V8 CPU profiler of the process it runs in, for the benchmarks'
// child processes: the first call starts it, the next stops it and writes the
// profile to `file` (open it in Chrome DevTools). Resolves to the file written, or
// null when it started the profiler.
import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';

let profiler: Session | undefined;

export async function toggleCpuProfile(file: string): Promise<string | null> {
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.start');
    return null;
  }
  const { profile } = await profiler.post('Profiler.stop');
  profiler.disconnect();
  profiler = undefined;
  writeFileSync(file, JSON.stringify(profile));
  return file;
}
