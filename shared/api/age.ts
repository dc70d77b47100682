/** Ages as people type them (`30d`, `12h`, `90m`, `1w2d`) or as ISO-8601 durations (`P30D`). */
import { parseIsoDuration } from '../schedule/duration';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
const SHORT = /^(\d+[smhdw])+$/i;

/** Milliseconds, or undefined when the text is not an age. */
export function parseAge(text: string): number | undefined {
  const t = text.trim();
  if (SHORT.test(t)) {
    let ms = 0;
    for (const [, n, unit] of t.matchAll(/(\d+)([smhdw])/gi)) ms += Number(n) * (UNIT_MS[unit!.toLowerCase()] ?? 0);
    return ms;
  }
  return /^P/i.test(t) ? parseIsoDuration(t) : undefined;
}
