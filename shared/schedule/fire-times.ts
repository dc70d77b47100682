/**
 * Fire times of cron and recurrence schedules, in the schedule's time zone, honouring start_time
 * (inclusive) and end_time (inclusive). Wall times follow the DST policy of wall-clock.ts: each
 * matching wall time fires once; one that a spring-forward gap skips fires at the end of the gap
 * (merged with a fire time there); one repeated by fall-back fires at its first occurrence.
 * Blob triggers have no fire times.
 */
import { ValidationError } from '../errors';
import type { Schedule, ScheduleTrigger, TimeTrigger } from '../spec/schedule';
import { compileCron, nextCronWall } from './cron';
import { recurrenceInstants, type Anchor } from './recurrence';
import { fromWall, instantOf, parseDateTime, toWall } from './wall-clock';

export interface FireTimeOptions {
  /**
   * When the schedule was created: the anchor of a recurrence without start_time (Azure ML counts
   * from creation). Without it such a recurrence counts from 1970-01-01T00:00 in its zone.
   */
  createdTime?: Date;
}

/** The widest UTC offset change (DST shifts are at most 2 hours; 3 leaves margin). */
const MAX_SHIFT = 3 * 3_600_000;

function timeTrigger(s: Schedule | ScheduleTrigger): TimeTrigger | undefined {
  const t = 'trigger' in s ? s.trigger : s;
  return t.type === 'blob' ? undefined : t;
}

function startAnchor(t: TimeTrigger, options: FireTimeOptions): Anchor {
  const tz = t.ianaTimeZone;
  if (t.startTime !== undefined) {
    const parsed = parseDateTime(t.startTime);
    if (!parsed) throw new ValidationError('invalid_value', `trigger.start_time '${t.startTime}' is not an ISO 8601 date-time`, { path: 'trigger.start_time' });
    const instantMs = instantOf(t.startTime, tz)!;
    return { instantMs, wallMs: parsed.offsetMs === undefined ? parsed.wallMs : toWall(tz, instantMs) };
  }
  if (options.createdTime) return { instantMs: options.createdTime.getTime(), wallMs: toWall(tz, options.createdTime.getTime()) };
  return { instantMs: fromWall(tz, 0), wallMs: 0 };
}

function* cronInstants(expression: string, tz: string, afterMs: number): Generator<number> {
  const matcher = compileCron(expression);
  let wall: number | undefined = toWall(tz, afterMs) - MAX_SHIFT;
  let last = -Infinity;
  while ((wall = nextCronWall(matcher, wall)) !== undefined) {
    const at = fromWall(tz, wall);
    if (at > afterMs && at > last) {
      last = at;
      yield at;
    }
  }
}

/** Every fire instant strictly after `afterMs`, ascending, within start_time..end_time. */
export function* fireInstants(schedule: Schedule | ScheduleTrigger, afterMs: number, options: FireTimeOptions = {}): Generator<number> {
  const t = timeTrigger(schedule);
  if (!t) return;
  const tz = t.ianaTimeZone;
  const endMs = t.endTime === undefined ? Infinity : instantOf(t.endTime, tz)!;
  let source: Generator<number>;
  if (t.type === 'cron') {
    const startMs = t.startTime === undefined ? -Infinity : instantOf(t.startTime, tz)!;
    source = cronInstants(t.expression, tz, Math.max(afterMs, startMs - 1));
  } else {
    source = recurrenceInstants(t, startAnchor(t, options), afterMs);
  }
  for (const at of source) {
    if (at > endMs) return;
    yield at;
  }
}

/** The next `count` fire times strictly after `after`. */
export function nextFireTimes(schedule: Schedule | ScheduleTrigger, after: Date, count: number, options: FireTimeOptions = {}): Date[] {
  const out: Date[] = [];
  if (count <= 0) return out;
  for (const at of fireInstants(schedule, after.getTime(), options)) {
    out.push(new Date(at));
    if (out.length >= count) break;
  }
  return out;
}

/** Fire times in `(from, to]`: after `from`, up to and including `to`. */
export function fireTimesBetween(schedule: Schedule | ScheduleTrigger, from: Date, to: Date, options: FireTimeOptions = {}): Date[] {
  const out: Date[] = [];
  const toMs = to.getTime();
  for (const at of fireInstants(schedule, from.getTime(), options)) {
    if (at > toMs) break;
    out.push(new Date(at));
  }
  return out;
}
