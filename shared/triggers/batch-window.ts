/**
 * Batch windows (`trigger.batch_window`): the first matching blob opens a window, blobs that
 * arrive before it closes join it, and one run starts when it closes, with every member. Pure
 * decisions over the window state the caller keeps (one current window per schedule).
 */
import { batchRunId } from './run-ids';

export interface BatchMember {
  url: string;
  etag: string;
  /** Path inside the datastore. */
  path: string;
  eventId: string;
}

export interface BatchWindow {
  schedule: string;
  /** ISO 8601: when the first member arrived. */
  windowStart: string;
  closesAt: string;
  members: BatchMember[];
  closed: boolean;
  /** Set when closed. */
  runId?: string;
}

export type JoinDecision =
  /** No window was open: a new one, with this blob. */
  | { action: 'open'; window: BatchWindow }
  /** Joined the open window (returned updated). */
  | { action: 'join'; window: BatchWindow }
  /** The same blob (URL and eTag) is already a member: a duplicate delivery. */
  | { action: 'duplicate'; window: BatchWindow; of: BatchMember };

export type CloseDecision =
  | { due: false; wakeAt: Date }
  | { due: true; window: BatchWindow; runId: string; members: BatchMember[] };

const sameBlob = (a: { url: string; etag: string }, b: { url: string; etag: string }): boolean => a.url === b.url && a.etag === b.etag;

/**
 * Where a matching blob goes. A window that is closed or past its end no longer takes members
 * (close it with closeDueWindow first); the blob then opens the next one.
 */
export function joinBatchWindow(current: BatchWindow | undefined, member: BatchMember, receivedTime: Date, windowMs: number, schedule: string): JoinDecision {
  const open = current && !current.closed && receivedTime.getTime() < Date.parse(current.closesAt) ? current : undefined;
  if (open) {
    const existing = open.members.find((m) => sameBlob(m, member));
    if (existing) return { action: 'duplicate', window: open, of: existing };
    return { action: 'join', window: { ...open, members: [...open.members, member] } };
  }
  return {
    action: 'open',
    window: {
      schedule,
      windowStart: receivedTime.toISOString(),
      closesAt: new Date(receivedTime.getTime() + windowMs).toISOString(),
      members: [member],
      closed: false,
    },
  };
}

/** Whether the window is due to close at `now`; when it is, its run id and members (by path). */
export function closeDueWindow(window: BatchWindow, now: Date): CloseDecision {
  const closesAt = Date.parse(window.closesAt);
  if (!window.closed && now.getTime() < closesAt) return { due: false, wakeAt: new Date(closesAt) };
  const members = [...window.members].sort((a, b) => a.path.localeCompare(b.path) || a.etag.localeCompare(b.etag));
  const runId = window.runId ?? batchRunId(window.schedule, new Date(window.windowStart), members);
  return { due: true, window: { ...window, closed: true, runId }, runId, members };
}
