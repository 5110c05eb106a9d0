import { describe, expect, it } from 'vitest';
import { isOpen, nextClosing, nextOpening, parseWallTime, wallClock, zonedTimeToEpoch, type BusinessHours } from './business-hours.ts';

const paris: BusinessHours = {
  timezone: 'Europe/Paris',
  weekly: {
    mon: [['09:00', '12:30'], ['13:30', '18:00']],
    tue: [['09:00', '18:00']],
    wed: [['09:00', '18:00']],
    thu: [['09:00', '18:00']],
    fri: [['09:00', '17:00']],
  },
  closedDates: ['2025-05-01'],
};

// 2025-01-06 is a Monday; Paris is UTC+1 in winter, UTC+2 in summer.
const utc = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);

describe('business hours', () => {
  it('parses wall times and rejects nonsense', () => {
    expect(parseWallTime('09:30')).toBe(570);
    expect(parseWallTime('24:00')).toBe(1440);
    expect(parseWallTime('24:01')).toBeNull();
    expect(parseWallTime('9h')).toBeNull();
    expect(parseWallTime('10:60')).toBeNull();
  });

  it('reads the wall clock in the schedule time zone, not the machine one', () => {
    expect(wallClock(utc(2025, 1, 6, 23, 30), 'Europe/Paris')).toMatchObject({ weekday: 'tue', day: 7, minutes: 30 });
    expect(wallClock(utc(2025, 1, 6, 23, 30), 'America/New_York')).toMatchObject({ weekday: 'mon', minutes: 18 * 60 + 30 });
  });

  it('is open inside intervals and closed in the lunch break, at night and at weekends', () => {
    expect(isOpen(paris, utc(2025, 1, 6, 8, 0))).toBe(true); // Mon 09:00 Paris
    expect(isOpen(paris, utc(2025, 1, 6, 7, 59))).toBe(false); // 08:59
    expect(isOpen(paris, utc(2025, 1, 6, 11, 45))).toBe(false); // 12:45 lunch
    expect(isOpen(paris, utc(2025, 1, 6, 16, 59))).toBe(true); // 17:59
    expect(isOpen(paris, utc(2025, 1, 6, 17, 0))).toBe(false); // 18:00 (close is exclusive)
    expect(isOpen(paris, utc(2025, 1, 11, 10))).toBe(false); // Saturday
  });

  it('follows daylight saving time (summer: UTC+2)', () => {
    expect(isOpen(paris, utc(2025, 7, 7, 7, 0))).toBe(true); // Mon 09:00 CEST
    expect(isOpen(paris, utc(2025, 7, 7, 6, 59))).toBe(false);
  });

  it('closed dates win over the weekly schedule', () => {
    expect(isOpen(paris, utc(2025, 5, 1, 10))).toBe(false); // Thursday 1 May
  });

  it('finds the next opening: after lunch, next morning, over the weekend and the holiday', () => {
    expect(nextOpening(paris, utc(2025, 1, 6, 11, 45))).toBe(utc(2025, 1, 6, 12, 30));
    expect(nextOpening(paris, utc(2025, 1, 6, 20))).toBe(utc(2025, 1, 7, 8));
    expect(nextOpening(paris, utc(2025, 1, 10, 18))).toBe(utc(2025, 1, 13, 8)); // Fri evening → Mon
    expect(nextOpening(paris, utc(2025, 5, 1, 10))).toBe(utc(2025, 5, 2, 7)); // holiday → Fri 09:00 CEST
    const now = utc(2025, 1, 6, 10);
    expect(nextOpening(paris, now)).toBe(now);
  });

  it('never opens with an empty schedule', () => {
    expect(nextOpening({ timezone: 'UTC', weekly: {} }, utc(2025, 1, 6, 10))).toBeNull();
  });

  it('finds the next closing, following intervals that run across midnight', () => {
    expect(nextClosing(paris, utc(2025, 1, 6, 10))).toBe(utc(2025, 1, 6, 11, 30));
    expect(nextClosing(paris, utc(2025, 1, 6, 20))).toBeNull();
    const overnight: BusinessHours = { timezone: 'UTC', weekly: { mon: [['20:00', '24:00']], tue: [['00:00', '06:00']] } };
    expect(nextClosing(overnight, utc(2025, 1, 6, 22))).toBe(utc(2025, 1, 7, 6));
    const always: BusinessHours = {
      timezone: 'UTC',
      weekly: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]])),
    };
    expect(nextClosing(always, utc(2025, 1, 6, 22))).toBeNull();
  });

  it('converts zoned wall times to instants across DST changes', () => {
    expect(zonedTimeToEpoch(2025, 3, 30, 3 * 60, 'Europe/Paris')).toBe(utc(2025, 3, 30, 1)); // first CEST hour
    expect(zonedTimeToEpoch(2025, 1, 6, 9 * 60, 'Asia/Kolkata')).toBe(utc(2025, 1, 6, 3, 30));
  });

  it('an unknown time zone throws instead of guessing', () => {
    expect(() => isOpen({ timezone: 'Mars/Olympus', weekly: {} }, 0)).toThrow(RangeError);
  });
});
