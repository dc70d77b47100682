/**
 * Wall-clock time in a time zone. A "wall" value is the local date and time encoded as if it were
 * UTC milliseconds, so calendar arithmetic on it (add a day, set the hour) needs no zone rules.
 *
 * DST policy for turning a wall time back into an instant (documented in schedule/README.md):
 * - a wall time that occurs twice (fall back) resolves to its first occurrence, so it fires once;
 * - a wall time that does not exist (spring forward gap) resolves to the first instant after the
 *   gap (the transition itself), so it fires once, at the time clocks jump to.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's wall time at an instant, read from Intl (milliseconds kept). */
function readWall(timeZone: string, instantMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(instantMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const ms = ((instantMs % 1000) + 1000) % 1000;
  return Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, ms);
}

/**
 * Offsets are cached per hour of time: an hour whose first and last millisecond have the same
 * offset has it throughout (zones never change offset twice within an hour). Intl is slow, and
 * walking a month of minutes would otherwise format hundreds of thousands of dates.
 */
const BUCKET = 3_600_000;
const MAX_CACHED = 200_000;
const offsetCache = new Map<string, Map<number, number>>();

/** UTC offset (wall minus instant) in milliseconds at an instant. */
export function offsetAt(timeZone: string, instantMs: number): number {
  if (timeZone === 'UTC') return 0;
  let cache = offsetCache.get(timeZone);
  if (!cache) {
    cache = new Map();
    offsetCache.set(timeZone, cache);
  }
  const bucket = Math.floor(instantMs / BUCKET);
  const cached = cache.get(bucket);
  if (cached !== undefined) return cached;
  const first = bucket * BUCKET;
  const offset = readWall(timeZone, first) - first;
  const last = first + BUCKET - 1;
  if (readWall(timeZone, last) - last !== offset) return readWall(timeZone, instantMs) - instantMs;
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(bucket, offset);
  return offset;
}

/** The zone's wall time at an instant (milliseconds kept). */
export function toWall(timeZone: string, instantMs: number): number {
  return instantMs + offsetAt(timeZone, instantMs);
}

const DAY = 86_400_000;

/** The instant of a wall time, applying the DST policy above. */
export function fromWall(timeZone: string, wallMs: number): number {
  if (timeZone === 'UTC') return wallMs;
  // Offsets in force around this wall time: one instant per offset that maps back onto it.
  const offsets = new Set([offsetAt(timeZone, wallMs - DAY), offsetAt(timeZone, wallMs), offsetAt(timeZone, wallMs + DAY)]);
  const valid = [...offsets].map((o) => wallMs - o).filter((t) => toWall(timeZone, t) === wallMs);
  if (valid.length > 0) return Math.min(...valid);
  // In a gap: the transition lies between the instants given by the two offsets around it.
  const candidates = [...offsets].map((o) => wallMs - o);
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  const before = offsetAt(timeZone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetAt(timeZone, mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Wall-time calendar fields (month 1-12, weekday 0 = Sunday). */
export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

export function wallFields(wallMs: number): WallFields {
  const d = new Date(wallMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    weekday: d.getUTCDay(),
  };
}

/** Parses `YYYY-MM-DDTHH:mm[:ss[.fff]]` with an optional `Z` or `±HH:MM` offset. */
export function parseDateTime(text: string): { wallMs: number; offsetMs?: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const wallMs = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  const check = new Date(wallMs);
  if (check.getUTCMonth() + 1 !== Number(mo) || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) {
    return undefined;
  }
  if (zone === undefined) return { wallMs };
  if (zone.toUpperCase() === 'Z') return { wallMs, offsetMs: 0 };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMs = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  return { wallMs, offsetMs };
}

/** The instant of a date-time string: its own offset if it has one, else wall time in the zone. */
export function instantOf(text: string, timeZone: string): number | undefined {
  const parsed = parseDateTime(text);
  if (!parsed) return undefined;
  return parsed.offsetMs === undefined ? fromWall(timeZone, parsed.wallMs) : parsed.wallMs - parsed.offsetMs;
}
