// A message's time of day ("3:07 PM"), with one formatter per locale.
//
// The first Intl.DateTimeFormat a page makes loads the browser's date data: 60–90 ms on the
// bench machine (Chromium, 2026-12-07), later ones cost well under a millisecond. Made while
// a resumed chat first draws its rows, that lands in the one task that draws them (a long
// task); made in a task of its own, it is a long task of its own. The data is loaded once
// per process, though, and a worker's first formatter loads it too: after one, the page's
// first costs 0.3–0.5 ms. So warmTimeFormatSoon() has a worker make it, as soon as the
// chat view's code is here (not at idle: while the SDK connects, the main thread runs
// short tasks back to back and an idle callback waits until after the history is drawn).
// Where no worker runs (no Worker, refused), the page makes it in a task of its own.
import { TIME_OF_DAY } from './time-of-day.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The time formatter for `locale` (English if the browser does not know it), made once. */
export function timeFormatter(locale: string): Intl.DateTimeFormat {
  let formatter = formatters.get(locale);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, TIME_OF_DAY);
    } catch {
      formatter = new Intl.DateTimeFormat('en', TIME_OF_DAY);
    }
    formatters.set(locale, formatter);
  }
  return formatter;
}

export function formatTime(epochMs: number, locale: string): string {
  return timeFormatter(locale).format(new Date(epochMs));
}

type Scheduler = (run: () => void) => void;

/** The warming worker (time-format.worker.ts), or undefined where there is no Worker. */
function dateDataWorker(): Worker | undefined {
  if (typeof Worker === 'undefined') return undefined;
  return new Worker(new URL('./time-format.worker.ts', import.meta.url));
}

function startedOrNot(worker: () => Worker | undefined): Worker | undefined {
  try {
    return worker();
  } catch {
    return undefined; // refused (a content security policy without workers)
  }
}

/**
 * Has the browser's date data loaded off the main thread, in a task scheduled now: a
 * worker makes a formatter for `locale` (then ends). Without a worker, or when it fails,
 * the page makes (and uses once) its formatter for `locale` in a task of its own.
 */
export function warmTimeFormatSoon(locale: () => string, schedule: Scheduler = (run) => setTimeout(run, 0), worker: () => Worker | undefined = dateDataWorker): void {
  const warmHere = () => void formatTime(0, locale());
  schedule(() => {
    const started = startedOrNot(worker);
    if (!started) return warmHere();
    started.onmessage = () => started.terminate();
    started.onerror = (event) => {
      event.preventDefault();
      started.terminate();
      schedule(warmHere);
    };
    started.postMessage(locale());
  });
}
