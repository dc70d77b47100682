/** ISO-8601 durations as batch windows are written (`PT30S`, `PT5M`, `PT1H30M`, `P1D`). */

const DURATION = /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;

/** Milliseconds of a duration, or undefined when it is not one (years and months are refused: their length varies). */
export function parseIsoDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || text.trim().toUpperCase().endsWith('T')) return undefined;
  const [, w, d, h, mi, s] = m;
  const n = (v: string | undefined): number => (v === undefined ? 0 : Number(v));
  const ms = Math.round((((n(w) * 7 + n(d)) * 24 + n(h)) * 60 + n(mi)) * 60_000 + n(s) * 1000);
  return m.slice(1).some((v) => v !== undefined) ? ms : undefined;
}
