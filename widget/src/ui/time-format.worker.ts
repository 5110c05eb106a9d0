// The page's first date formatter, made in a worker (time-format.ts, warmTimeFormatSoon):
// the browser loads its date data once per process, so the page's own first formatter
// then costs it well under a millisecond instead of a long task.
import { TIME_OF_DAY } from './time-of-day.ts';

addEventListener('message', (event: MessageEvent<unknown>) => {
  try {
    new Intl.DateTimeFormat(typeof event.data === 'string' ? event.data : 'en', TIME_OF_DAY).format(0);
  } catch {
    new Intl.DateTimeFormat('en', TIME_OF_DAY).format(0); // as the page does for a locale the browser rejects
  }
  postMessage('warm');
});
