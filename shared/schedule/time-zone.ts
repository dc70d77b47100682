/**
 * Time zone names as Azure ML schedules spell them. Azure ML documents Windows names
 * (`Pacific Standard Time`); IANA names (`America/Los_Angeles`) are accepted too.
 */
import { findIana } from 'windows-iana';

const UTC_NAMES = new Set(['utc', 'coordinated universal time', 'gmt', 'etc/utc', 'z']);

function isIana(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The IANA zone for a Windows or IANA time zone name, or undefined when neither knows it. */
export function toIanaTimeZone(name: string): string | undefined {
  const trimmed = name.trim();
  if (UTC_NAMES.has(trimmed.toLowerCase())) return 'UTC';
  // The first IANA name of a Windows zone is its CLDR "golden" zone (territory 001).
  const fromWindows = findIana(trimmed)[0];
  if (fromWindows !== undefined && isIana(fromWindows)) return fromWindows;
  return isIana(trimmed) ? trimmed : undefined;
}
