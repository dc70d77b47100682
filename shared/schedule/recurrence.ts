/**
 * Recurrence triggers as Azure ML (and the Logic Apps recurrence it mirrors) define them:
 * - minute/hour: every `interval` units of elapsed time from the anchor (start_time);
 * - day/week/month without `schedule`: the anchor's wall time every `interval` days, weeks or
 *   months (a month without the anchor's day uses its last day);
 * - day/week/month with `schedule`: on the active days, at every `hours` × `minutes` wall time.
 *   Active days: every `interval`-th day from the anchor's day; for week, the `week_days` (else
 *   the anchor's weekday) of every `interval`-th week from the anchor's week (weeks start on
 *   Monday); for month, the `month_days` (else the anchor's day; days a month lacks are skipped)
 *   of every `interval`-th month from the anchor's month.
 * All wall times are in the schedule's zone; wall-clock.ts resolves DST gaps and repeats.
 */
import type { RecurrenceTrigger, WeekDay } from '../spec/schedule';
import { fromWall, wallFields } from './wall-clock';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const WEEKDAY_INDEX: Record<WeekDay, number> = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 };
/** Stop looking after this many days without a matching day (e.g. month_days [31] every 12 months from February). */
const MAX_EMPTY_DAYS = 366 * 12;

export interface Anchor {
  instantMs: number;
  wallMs: number;
}

function dayStart(wallMs: number): number {
  return Math.floor(wallMs / DAY) * DAY;
}

function monthIndex(wallMs: number): number {
  const f = wallFields(wallMs);
  return f.year * 12 + (f.month - 1);
}

function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** Wall time of the anchor plus `n` months, on the anchor's day or the month's last day. */
function addMonths(wallMs: number, n: number): number {
  const f = wallFields(wallMs);
  const total = f.year * 12 + (f.month - 1) + n;
  const year = Math.floor(total / 12);
  const month1 = (total % 12) + 1;
  const day = Math.min(f.day, daysInMonth(year, month1));
  return Date.UTC(year, month1 - 1, day, f.hour, f.minute, f.second, wallMs % 1000);
}

/** Monday 00:00 of the week holding a wall time. */
function weekStart(wallMs: number): number {
  const d = dayStart(wallMs);
  const weekday = new Date(d).getUTCDay();
  return d - ((weekday + 6) % 7) * DAY;
}

/** Instants strictly after `afterMs`, ascending and distinct, never before the anchor. */
export function* recurrenceInstants(t: RecurrenceTrigger, anchor: Anchor, afterMs: number): Generator<number> {
  const from = Math.max(afterMs, anchor.instantMs - 1);
  if (t.frequency === 'minute' || t.frequency === 'hour') {
    const period = t.interval * (t.frequency === 'minute' ? MINUTE : HOUR);
    for (let k = Math.max(0, Math.floor((from - anchor.instantMs) / period)); ; k++) {
      const at = anchor.instantMs + k * period;
      if (at > from) yield at;
    }
  }
  if (!t.schedule) {
    yield* periodicWallInstants(t, anchor, from);
    return;
  }
  yield* patternInstants(t, anchor, from);
}

function* periodicWallInstants(t: RecurrenceTrigger, anchor: Anchor, from: number): Generator<number> {
  const tz = t.ianaTimeZone;
  const step = (k: number): number =>
    t.frequency === 'month' ? addMonths(anchor.wallMs, k * t.interval) : anchor.wallMs + k * t.interval * (t.frequency === 'week' ? 7 : 1) * DAY;
  // Start a little before `from` (by wall distance) and walk forward.
  const approxPeriod = t.interval * (t.frequency === 'month' ? 28 : t.frequency === 'week' ? 7 : 1) * DAY;
  let k = Math.max(0, Math.floor((from - anchor.instantMs) / approxPeriod) - 2);
  let last = -Infinity;
  for (; ; k++) {
    const at = fromWall(tz, step(k));
    if (at > from && at > last) {
      last = at;
      yield at;
    }
  }
}

function isActiveDay(t: RecurrenceTrigger, anchor: Anchor, day: number): boolean {
  const p = t.schedule!;
  const anchorDay = dayStart(anchor.wallMs);
  if (day < anchorDay) return false;
  switch (t.frequency) {
    case 'day':
      return Math.round((day - anchorDay) / DAY) % t.interval === 0;
    case 'week': {
      const weeks = Math.round((weekStart(day) - weekStart(anchorDay)) / (7 * DAY));
      const weekday = new Date(day).getUTCDay();
      const days = p.weekDays ? p.weekDays.map((d) => WEEKDAY_INDEX[d]) : [new Date(anchorDay).getUTCDay()];
      return weeks % t.interval === 0 && days.includes(weekday);
    }
    default: {
      const months = monthIndex(day) - monthIndex(anchorDay);
      const dayOfMonth = new Date(day).getUTCDate();
      const days = p.monthDays ?? [new Date(anchorDay).getUTCDate()];
      return months % t.interval === 0 && days.includes(dayOfMonth);
    }
  }
}

function* patternInstants(t: RecurrenceTrigger, anchor: Anchor, from: number): Generator<number> {
  const tz = t.ianaTimeZone;
  const p = t.schedule!;
  const times = p.hours.flatMap((h) => p.minutes.map((m) => h * HOUR + m * MINUTE)).sort((a, b) => a - b);
  // The wall day of `from` minus one covers any UTC offset; earlier instants are filtered below.
  let day = Math.max(dayStart(anchor.wallMs), dayStart(from + 14 * HOUR) - 2 * DAY);
  let last = -Infinity;
  for (let empty = 0; empty < MAX_EMPTY_DAYS; day += DAY) {
    if (!isActiveDay(t, anchor, day)) {
      empty++;
      continue;
    }
    empty = 0;
    for (const offset of times) {
      const at = fromWall(tz, day + offset);
      if (at > from && at > last) {
        last = at;
        yield at;
      }
    }
  }
}
