// A message's time of day ("3:07 PM"), with one formatter per locale.
//
// The first Intl.DateTimeFormat a page makes loads the browser's date data: about 20–40 ms,
// later ones cost well under a millisecond. Made while a resumed chat first draws its rows,
// that lands in the one task that draws them (a long task). warmTimeFormatSoon() makes it
// in a task of its own as soon as the chat view's code is here (not at idle: while the SDK
// connects, the main thread runs short tasks back to back and an idle callback waits until
// after the history is drawn).

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

type Scheduler = (run: () => void) => void;

/** Makes (and uses once) the formatter for `locale` in a task of its own. */
export function warmTimeFormatSoon(locale: () => string, schedule: Scheduler = (run) => setTimeout(run, 0)): void {
  schedule(() => void formatTime(0, locale()));
}
