import { Cron } from 'croner';
import { findIana } from 'windows-iana';
import { ConfigurationError } from '../../shared/errors';

/**
 * NCRONTAB schedules as the timer trigger reads them: six fields `{second} {minute} {hour}
 * {day} {month} {day-of-week}` (five-field expressions are accepted too, at second 0), in UTC
 * unless WEBSITE_TIME_ZONE names a zone (IANA, or a Windows name as in Azure on Windows).
 */
export interface TimerSchedule {
  expression: string;
  timeZone: string | undefined;
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date | undefined;
}

export function resolveTimeZone(setting: string | undefined): string | undefined {
  if (!setting) return undefined;
  if (setting.includes('/') || setting === 'UTC') return setting;
  const iana = findIana(setting)[0];
  if (!iana) throw new ConfigurationError('WEBSITE_TIME_ZONE', `'${setting}' is neither an IANA nor a Windows time zone name`);
  return iana;
}

export function parseSchedule(expression: string, timeZone: string | undefined, where: string): TimerSchedule {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 6 && fields.length !== 5) {
    throw new ConfigurationError(where, `'${expression}' is not an NCRONTAB expression ({second} {minute} {hour} {day} {month} {day-of-week})`);
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(' '), { paused: true, ...(timeZone ? { timezone: timeZone } : {}) });
  } catch (err) {
    throw new ConfigurationError(where, `'${expression}' is not a valid NCRONTAB expression: ${(err as Error).message}`);
  }
  return {
    expression,
    timeZone,
    next: (after) => cron.nextRun(after) ?? undefined,
  };
}
