// A message's time of day ("3:07 PM"), with one formatter per locale.
//
// The first Intl.DateTimeFormat a page makes loads the browser's date data: about 20–40 ms,
// later ones cost well under a millisecond. Made while a resumed chat first draws its rows,
// that lands in the one task that draws them (a long task). warmTimeFormatWhenIdle() makes it
// in an idle task of its own once the chat view's code is here, well before history arrives.

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The time formatter for `locale` (English if the browser does not know it), made once. */
export function timeFormatter(locale: string): Intl.DateTimeFormat {
  let formatter = formatters.get(locale);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
    } catch {
      formatter = new Intl.DateTimeFormat('en', { hour: 'numeric', minute: '2-digit' });
    }
    formatters.set(locale, formatter);
  }
  return formatter;
}

export function formatTime(epochMs: number, locale: string): string {
  return timeFormatter(locale).format(new Date(epochMs));
}

type IdleScheduler = (run: () => void) => void;

const whenIdle: IdleScheduler = (run) => {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 1000 });
  else setTimeout(run, 1);
};

/** Makes (and uses once) the formatter for `locale` in a task of its own. */
export function warmTimeFormatWhenIdle(locale: () => string, schedule: IdleScheduler = whenIdle): void {
  schedule(() => void formatTime(0, locale()));
}
