/**
 * Job statuses from events and polls, compared case-insensitively (Event Grid samples send
 * `failed`), moving only forward: a late `Running` after `Completed` changes nothing. Pure.
 */
import type { JobStatus } from '../compute/types';

const KNOWN: JobStatus[] = [
  'NotStarted', 'Starting', 'Provisioning', 'Preparing', 'Queued', 'Running', 'Finalizing',
  'CancelRequested', 'Completed', 'Failed', 'Canceled', 'NotResponding', 'Paused', 'Unknown',
];
const BY_LOWER = new Map<string, JobStatus>(KNOWN.map((s) => [s.toLowerCase(), s]));
BY_LOWER.set('cancelled', 'Canceled');

const RANK: Record<JobStatus, number> = {
  Unknown: 0, NotStarted: 1, Starting: 2, Provisioning: 2, Preparing: 2, Queued: 2, Paused: 3, NotResponding: 3,
  Running: 3, Finalizing: 4, CancelRequested: 5, Completed: 6, Failed: 6, Canceled: 6,
};

export function normalizeJobStatus(status: unknown): JobStatus | undefined {
  return typeof status === 'string' ? BY_LOWER.get(status.trim().toLowerCase()) : undefined;
}

export function isTerminalStatus(status: string): boolean {
  const s = normalizeJobStatus(status);
  return s === 'Completed' || s === 'Failed' || s === 'Canceled';
}

/** The later of two statuses; a terminal status is never replaced. */
export function advanceStatus(current: string, next: unknown): JobStatus {
  const cur = normalizeJobStatus(current) ?? 'Unknown';
  const nxt = normalizeJobStatus(next);
  if (!nxt || RANK[cur] === 6) return cur;
  return RANK[nxt] >= RANK[cur] ? nxt : cur;
}
