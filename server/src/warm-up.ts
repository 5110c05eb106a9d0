// The token service's warm-up, before /readyz says ready: the app's own steps
// (key objects, one upstream read), then the runtime's rehearsal of chat starts
// if it has one (Node: runtimes/rehearsal.ts), then the readiness checks, whose
// result /readyz reuses (cached). A visitor's request or closing the service
// stops a rehearsal still running.
import type { Log } from './log.ts';
import type { Readiness } from './readiness.ts';

/** How long /readyz waits for a warm-up still under way before answering 503 `warm_up`. */
export const WARM_UP_WAIT_MS = 1000;

export interface RehearsalSummary {
  requests: number;
  /** Answered 200: the whole chat start ran (form, upstream calls, token, proof). */
  succeeded: number;
  /** Calls made to the rehearsal's upstream: two per chat start with a first message. */
  upstreamCalls: number;
  ms: number;
}

/** `promise`'s value, or undefined once `ms` have passed (the timer does not hold the process open). */
export async function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(resolve, ms, undefined);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface WarmUp {
  /** Settles when the warm-up is over (it never rejects). */
  done: Promise<void>;
  /** The readiness checks, or 503 `warm_up` if the warm-up is not over within WARM_UP_WAIT_MS. */
  readiness(): Promise<Readiness>;
  /** A request came in: a visitor's (not a probe's) stops the rehearsal. */
  sawRequest(path: string): void;
  /** Stops a rehearsal still running and waits until it has let go of its servers. */
  stop(): Promise<void>;
}

export function startWarmUp(options: {
  steps: () => Promise<void>;
  rehearse: ((signal: AbortSignal) => Promise<RehearsalSummary>) | undefined;
  readiness: () => Promise<Readiness>;
  log: Log;
}): WarmUp {
  const { log } = options;
  let over = false;
  const stopRehearsal = new AbortController();
  let rehearsing: Promise<unknown> = Promise.resolve();
  const done = (async () => {
    try {
      await options.steps();
      if (options.rehearse && !stopRehearsal.signal.aborted) {
        const running = options.rehearse(stopRehearsal.signal);
        rehearsing = running.catch(() => undefined);
        const rehearsal = await running;
        // Not all answered: the form's rules refuse the rehearsal's sample answers (a custom pattern); the upstream path stayed cold.
        if (rehearsal.requests > 0) log({ level: rehearsal.succeeded === rehearsal.requests ? 'info' : 'warn', msg: 'warm_up_rehearsed', ...rehearsal });
      }
      await options.readiness();
    } catch (error) {
      log({ level: 'warn', msg: 'warm_up_failed', error: error instanceof Error ? error.name : typeof error });
    } finally {
      over = true;
    }
  })();
  return {
    done,
    readiness: async () => {
      if (!over && !(await withinMs(done.then(() => true), WARM_UP_WAIT_MS))) {
        return { ready: false, degraded: false, checks: [{ name: 'warm_up', ok: false, detail: 'warming up' }] };
      }
      return options.readiness();
    },
    sawRequest: (path) => {
      // Visitors before /readyz said ready (no balancer in front, or a benchmark that did
      // not wait): the rehearsal stops rather than compete with them for the CPU.
      if (!over && !stopRehearsal.signal.aborted && path !== '/healthz' && path !== '/readyz') stopRehearsal.abort();
    },
    stop: async () => {
      stopRehearsal.abort();
      await rehearsing;
    },
  };
}
