// Business hours: is the contact centre open now, and when does it open next?
// Pure; times are wall-clock times in the schedule's IANA time zone, so DST is
// handled by Intl, never by fixed offsets.
//
// The deployment config's `businessHours` (config/schema.json) has this shape.

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** 'HH:MM' in 24-hour time; '24:00' may close a day. */
export type WallTime = string;

export interface BusinessHours {
  /** IANA time zone, e.g. "Europe/Paris". */
  timezone: string;
  /** Opening intervals per weekday, [open, close) each; a missing or empty day is closed. */
  weekly: Partial<Record<Weekday, ReadonlyArray<readonly [WallTime, WallTime]>>>;
  /** Dates ('YYYY-MM-DD', in the time zone) closed all day, e.g. holidays. */
  closedDates?: readonly string[];
}

const weekdays: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface WallClock {
  year: number;
  month: number; // 1-12
  day: number;
  weekday: Weekday;
  minutes: number; // since local midnight
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timezone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, formatter);
  }
  return formatter;
}

function partsOf(epochMs: number, timezone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timezone).formatToParts(new Date(epochMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

export function wallClock(epochMs: number, timezone: string): WallClock {
  const p = partsOf(epochMs, timezone);
  const weekday = weekdays[new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay()]!;
  return { year: p.year, month: p.month, day: p.day, weekday, minutes: p.hour * 60 + p.minute };
}

/** Minutes since midnight of 'HH:MM', or null if malformed. */
export function parseWallTime(text: WallTime): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (minutes > 59 || hours > 24 || (hours === 24 && minutes !== 0)) return null;
  return hours * 60 + minutes;
}

function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Valid intervals of a weekday, as minutes [open, close). */
function intervalsOf(hours: BusinessHours, weekday: Weekday): Array<[number, number]> {
  const result: Array<[number, number]> = [];
  for (const [open, close] of hours.weekly[weekday] ?? []) {
    const from = parseWallTime(open);
    const to = parseWallTime(close);
    if (from !== null && to !== null && to > from) result.push([from, to]);
  }
  return result.sort((a, b) => a[0] - b[0]);
}

/** Throws a RangeError for an unknown time zone (so bad options fail loudly in tests). */
export function isOpen(hours: BusinessHours, nowMs: number): boolean {
  const clock = wallClock(nowMs, hours.timezone);
  if (hours.closedDates?.includes(isoDate(clock.year, clock.month, clock.day))) return false;
  return intervalsOf(hours, clock.weekday).some(([from, to]) => clock.minutes >= from && clock.minutes < to);
}

/** Epoch ms of a wall-clock time in the zone (the earlier instant if ambiguous, shifted forward if skipped). */
export function zonedTimeToEpoch(year: number, month: number, day: number, minutes: number, timezone: string): number {
  const asUtc = Date.UTC(year, month - 1, day, 0, minutes);
  const offsetAt = (epoch: number) => {
    const p = partsOf(epoch, timezone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(epoch / 1000) * 1000;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess;
}

/** When the next opening interval starts (now if open), searching two weeks ahead; null if never. */
export function nextOpening(hours: BusinessHours, nowMs: number): number | null {
  if (isOpen(hours, nowMs)) return nowMs;
  const today = wallClock(nowMs, hours.timezone);
  for (let offset = 0; offset <= 14; offset++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + offset));
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (hours.closedDates?.includes(isoDate(year, month, day))) continue;
    const weekday = weekdays[date.getUTCDay()]!;
    for (const [from] of intervalsOf(hours, weekday)) {
      const at = zonedTimeToEpoch(year, month, day, from, hours.timezone);
      if (at > nowMs) return at;
    }
  }
  return null;
}

/** When the current opening interval ends (null if closed now, or open for the next two weeks). */
export function nextClosing(hours: BusinessHours, nowMs: number): number | null {
  let at = nowMs;
  // Intervals that touch across midnight (…-24:00 then 00:00-…) stay open: follow them.
  for (let hop = 0; hop < 15; hop++) {
    if (!isOpen(hours, at)) return hop === 0 ? null : at;
    const clock = wallClock(at, hours.timezone);
    const interval = intervalsOf(hours, clock.weekday).find(([from, to]) => clock.minutes >= from && clock.minutes < to);
    if (!interval) return null;
    at = zonedTimeToEpoch(clock.year, clock.month, clock.day, interval[1], hours.timezone);
  }
  return null;
}
