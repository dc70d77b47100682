/**
 * `trigger.max_concurrent_runs`: runs beyond the cap wait their turn, in arrival order, instead of
 * being dropped. Pure: the caller keeps the queue and counts the running runs.
 */

export interface Admission<T> {
  start: T[];
  wait: T[];
}

export function admitRuns<T>(queue: readonly T[], running: number, maxConcurrentRuns?: number): Admission<T> {
  if (maxConcurrentRuns === undefined) return { start: [...queue], wait: [] };
  const free = Math.max(0, maxConcurrentRuns - running);
  return { start: queue.slice(0, free), wait: queue.slice(free) };
}
