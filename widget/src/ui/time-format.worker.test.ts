// The worker that loads the date data (time-format.worker.ts), run in the test's window:
// its global scope's message listener and postMessage are the window's.
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.restoreAllMocks();
});

it('makes a time formatter for the locale it is sent (English for one the browser rejects), then says so', async () => {
  const posted = vi.spyOn(window, 'postMessage').mockImplementation(() => undefined);
  const made: unknown[] = [];
  const Original = Intl.DateTimeFormat;
  Intl.DateTimeFormat = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      made.push([args[0], args[1]]);
    }
  } as typeof Intl.DateTimeFormat;
  try {
    await import('./time-format.worker.ts');
    window.dispatchEvent(new MessageEvent('message', { data: 'de' }));
    expect(made).toEqual([['de', { hour: 'numeric', minute: '2-digit' }]]);
    expect(posted).toHaveBeenCalledTimes(1);
    expect(posted).toHaveBeenCalledWith('warm');

    window.dispatchEvent(new MessageEvent('message', { data: 'not a locale!' }));
    expect(made.slice(1)).toEqual([['en', { hour: 'numeric', minute: '2-digit' }]]);
    expect(posted).toHaveBeenCalledTimes(2);
  } finally {
    Intl.DateTimeFormat = Original;
  }
});
