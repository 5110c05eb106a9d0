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

describe('warmTimeFormatSoon', () => {
  it('makes the formatter in the scheduled task, so drawing rows later makes none', () => {
    const made: unknown[] = [];
    const Original = Intl.DateTimeFormat;
    Intl.DateTimeFormat = class extends Original {
      constructor(...args: ConstructorParameters<typeof Original>) {
        super(...args);
        made.push(args[0]);
      }
    } as typeof Intl.DateTimeFormat;
    try {
      let scheduled: (() => void) | undefined;
      warmTimeFormatSoon(() => 'fr', (run) => (scheduled = run));
      expect(made).toEqual([]);

      scheduled!();
      expect(made).toEqual(['fr']);

      expect(formatTime(afternoon, 'fr')).toBe('15:07');
      expect(made).toEqual(['fr']);
    } finally {
      Intl.DateTimeFormat = Original;
    }
  });
});
