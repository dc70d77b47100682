/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), matched by croner on
 * wall-clock time: the pattern is evaluated at UTC offset 0 over wall values (see wall-clock.ts), so the
 * DST policy is ours and the same for cron and recurrence triggers, not croner's (croner fires
 * wildcard-hour jobs twice in a repeated hour; Azure-style schedules fire each wall time once).
 */
import { Cron } from 'croner';

export type CronMatcher = Cron;

/** A matcher for the expression; throws a TypeError naming the problem when it is not valid. */
export function compileCron(expression: string): CronMatcher {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    throw new TypeError(`expected 5 fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  // A fixed offset of 0 (not `timezone: 'UTC'`) keeps croner off Intl: ten times faster.
  return new Cron(fields.join(' '), { utcOffset: 0, mode: '5-part' });
}

/** The first wall time strictly after `wallMs` that matches, or undefined when none ever does. */
export function nextCronWall(matcher: CronMatcher, wallMs: number): number | undefined {
  return matcher.nextRun(new Date(wallMs))?.getTime();
}
