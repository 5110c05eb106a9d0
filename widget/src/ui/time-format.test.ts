import { describe, expect, it } from 'vitest';
import { formatTime, timeFormatter, warmTimeFormatSoon } from './time-format.ts';

const afternoon = new Date(2026, 2, 14, 15, 7).getTime();

describe('formatTime', () => {
  it("writes the time of day in the visitor's locale", () => {
    expect(formatTime(afternoon, 'en')).toMatch(/^3:07\sPM$/);
    expect(formatTime(afternoon, 'de')).toBe('15:07');
  });

  it('falls back to English for a locale the browser rejects', () => {
    expect(formatTime(afternoon, 'not a locale!')).toMatch(/^3:07\sPM$/);
  });

  it('makes one formatter per locale', () => {
    expect(timeFormatter('es')).toBe(timeFormatter('es'));
  });
});

/** Records the locales of the formatters the page makes while `run` runs. */
function formattersMadeDuring(run: (made: unknown[]) => void): unknown[] {
  const made: unknown[] = [];
  const Original = Intl.DateTimeFormat;
  Intl.DateTimeFormat = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      made.push(args[0]);
    }
  } as typeof Intl.DateTimeFormat;
  try {
    run(made);
  } finally {
    Intl.DateTimeFormat = Original;
  }
  return made;
}

/** A stand-in for the warming worker: what it was sent, whether it was ended, and its handlers. */
function fakeWorker() {
  const worker = {
    sent: [] as unknown[],
    ended: false,
    onmessage: null as (() => void) | null,
    onerror: null as ((event: { preventDefault(): void }) => void) | null,
    postMessage(message: unknown) {
      worker.sent.push(message);
    },
    terminate() {
      worker.ended = true;
    },
  };
  return worker;
}

describe('warmTimeFormatSoon', () => {
  it('has a worker make the first formatter, in the scheduled task; the page makes none, and the worker ends', () => {
    const worker = fakeWorker();
    let scheduled: (() => void) | undefined;
    const made = formattersMadeDuring(() => {
      warmTimeFormatSoon(() => 'de', (run) => (scheduled = run), () => worker as unknown as Worker);
      expect(worker.sent).toEqual([]);
      scheduled!();
    });
    expect(worker.sent).toEqual(['de']);
    expect(made).toEqual([]);
    expect(worker.ended).toBe(false);
    worker.onmessage!();
    expect(worker.ended).toBe(true);
  });

  it('makes the formatter on the page, in a task of its own, when the worker fails or cannot start', () => {
    const worker = fakeWorker();
    const tasks: Array<() => void> = [];
    const made = formattersMadeDuring((made) => {
      warmTimeFormatSoon(() => 'pt-BR', (run) => tasks.push(run), () => worker as unknown as Worker);
      tasks.shift()!();
      let prevented = false;
      worker.onerror!({ preventDefault: () => (prevented = true) });
      expect(prevented).toBe(true);
      expect(worker.ended).toBe(true);
      expect(made).toEqual([]);
      tasks.shift()!();
    });
    expect(made).toEqual(['pt-BR']);

    const refused = formattersMadeDuring(() => {
      warmTimeFormatSoon(
        () => 'ar',
        (run) => run(),
        () => {
          throw new DOMException('refused', 'SecurityError');
        },
      );
    });
    expect(refused).toEqual(['ar']);
  });

  it('without Worker, makes the formatter in the scheduled task, so drawing rows later makes none', () => {
    formattersMadeDuring((made) => {
      let scheduled: (() => void) | undefined;
      warmTimeFormatSoon(() => 'fr', (run) => (scheduled = run));
      expect(made).toEqual([]);

      scheduled!();
      expect(made).toEqual(['fr']);

      expect(formatTime(afternoon, 'fr')).toBe('15:07');
      expect(made).toEqual(['fr']);
    });
  });
});
