/**
 * Starting an accepted trigger event's run, under the schedule's `trigger.max_concurrent_runs`.
 *
 * Without a cap the run starts at once. With one, the start is queued durably (table
 * `triggerqueue`, in arrival order) and the queue drained: a run takes a slot of the schedule's
 * slot row (written by compare-and-swap, so concurrent drains never exceed the cap) and slots are
 * freed when the run catalogue shows their run finished. Draining happens after every accepted
 * event, from a per-schedule watcher orchestration every few seconds while runs wait, and on the
 * minute tick; nothing waiting is ever dropped.
 *
 * The event's history row is written when it is accepted and completed here: `started` with the
 * run id (a queued start says so in its reason until it starts), or `failed` with the error, in
 * which case the event's claims are released so a redelivery tries again.
 */
import { SchedulesStore, type StoredSchedule } from '../../shared/api/schedules-store';
import { AmlSchedError, redactSecrets } from '../../shared/errors';
import { RunCatalog, isFinished } from '../../shared/run';
import type { RunTrigger } from '../../shared/run/types';
import type { Schedule } from '../../shared/spec/schedule';
import type { TriggerBatchInfo, TriggerBlobInfo } from '../../shared/spec/schedule-inputs';
import { LedgerStore, type AcceptedEvent } from '../../shared/triggers/ledger-store';
import { admitRuns } from '../../shared/triggers/concurrency';
import type { DrainResult } from '../../orchestrators/triggers/types';
import type { TriggerDeps } from './deps';

export const QUEUE_TABLE = 'triggerqueue';
const SLOTS = 'slots';
/** A slot whose run never reached the catalogue (a crash mid-start) is given back after this. */
const ORPHAN_SLOT_MS = 5 * 60_000;
/** A `started` claim this old without a run or a queue entry was left by a crash between claim and start. */
const ORPHAN_CLAIM_MS = 60_000;

export interface PendingStart {
  schedule: string;
  runId: string;
  trigger: RunTrigger;
  /** ISO 8601: `${{creation_context.trigger_time}}`. */
  triggerTime: string;
  blob?: TriggerBlobInfo;
  batch?: TriggerBatchInfo;
  /** The history row to complete. */
  historyRow: string;
  /** Event ids whose claims (for this schedule) a failed start releases. */
  eventIds: string[];
  queuedTime: string;
}

/** A start that failed and is already recorded in the ledger (its claims released). */
export class TriggerStartError extends AmlSchedError {
  constructor(runId: string, cause: unknown) {
    const retryable = !(cause instanceof AmlSchedError && cause.nonRetryable);
    super('trigger_start_failed', `run ${runId} did not start: ${redactSecrets(cause instanceof Error ? cause.message : String(cause))}`, { kind: retryable ? 'system' : 'user', nonRetryable: !retryable });
  }
}

interface Slot {
  runId: string;
  since: string;
}

type QueueRow = PendingStart | { active: Slot[] };

function queuePartition(schedule: string): string {
  return `queue|${encodeURIComponent(schedule)}`;
}

export function maxConcurrentRuns(schedule: Schedule): number | undefined {
  return schedule.trigger.type === 'blob' ? schedule.trigger.maxConcurrentRuns : undefined;
}

/** Starts now, or queues behind the schedule's cap. Throws when a start fails (after recording it). */
export async function launch(deps: TriggerDeps, stored: StoredSchedule<Schedule>, pending: PendingStart): Promise<void> {
  const cap = maxConcurrentRuns(stored.definition);
  if (cap === undefined) {
    await startPending(deps, stored, pending);
    return;
  }
  const queue = deps.state.table<QueueRow>(QUEUE_TABLE);
  const rowKey = `${pending.queuedTime}~${pending.runId}`;
  // Said before draining: a start within the drain replaces the reason.
  await new LedgerStore(deps.state).patchHistory(pending.historyRow, { runId: pending.runId, reason: `queued: max_concurrent_runs ${cap} reached; starts when a run of the schedule finishes` });
  await queue.upsert(queuePartition(stored.name), rowKey, pending);
  const result = await drainQueue(deps, stored.name);
  if (result.waiting > 0) await deps.armQueue(stored.name);
}

/** Starts waiting runs of the schedule while it has free slots. */
export async function drainQueue(deps: TriggerDeps, scheduleName: string): Promise<DrainResult> {
  const queue = deps.state.table<QueueRow>(QUEUE_TABLE);
  const partition = queuePartition(scheduleName);
  const started: string[] = [];
  const stored = await new SchedulesStore<Schedule>(deps.state).get(scheduleName);
  for (;;) {
    const [head] = await queue.query(partition, { limit: 1 });
    if (!head) return { started, waiting: 0 };
    const pending = head.data as PendingStart;
    if (!stored) {
      await failPending(deps, pending, `schedule '${scheduleName}' was deleted before the run's turn`);
      await queue.delete(partition, head.rowKey);
      continue;
    }
    if (!(await takeSlot(deps, scheduleName, pending.runId, maxConcurrentRuns(stored.definition)))) {
      return { started, waiting: (await queue.query(partition)).length };
    }
    try {
      await startPending(deps, stored, pending);
      started.push(pending.runId);
    } catch {
      // Recorded as failed and its claims released; the queue moves on.
    }
    await queue.delete(partition, head.rowKey);
  }
}

async function takeSlot(deps: TriggerDeps, schedule: string, runId: string, cap: number | undefined): Promise<boolean> {
  const table = deps.state.table<QueueRow>(QUEUE_TABLE);
  const catalog = new RunCatalog(deps.state);
  for (;;) {
    const now = deps.now();
    const row = await table.get(SLOTS, encodeURIComponent(schedule));
    const active: Slot[] = [];
    for (const slot of row ? (row.data as { active: Slot[] }).active : []) {
      const record = await catalog.get(slot.runId);
      const running = record ? !isFinished(record.status) : now.getTime() - Date.parse(slot.since) < ORPHAN_SLOT_MS;
      if (running) active.push(slot);
    }
    if (active.some((s) => s.runId === runId)) return true;
    if (admitRuns([runId], active.length, cap).start.length === 0) return false;
    const next = { active: [...active, { runId, since: now.toISOString() }] };
    const written = row ? await table.replaceIfMatch(SLOTS, row.rowKey, next, row.etag) : (await table.insertIfAbsent(SLOTS, encodeURIComponent(schedule), next)).created;
    if (written) return true;
  }
}

async function startPending(deps: TriggerDeps, stored: StoredSchedule<Schedule>, pending: PendingStart): Promise<void> {
  const ledger = new LedgerStore(deps.state);
  const existed = await new RunCatalog(deps.state).get(pending.runId);
  try {
    await deps.start(stored, {
      runId: pending.runId,
      trigger: pending.trigger,
      context: {
        triggerTime: new Date(pending.triggerTime),
        ...(pending.blob ? { blob: pending.blob } : {}),
        ...(pending.batch ? { batch: pending.batch } : {}),
      },
    });
  } catch (err) {
    await failPending(deps, pending, redactSecrets(err instanceof Error ? err.message : String(err)));
    throw new TriggerStartError(pending.runId, err);
  }
  if (existed) {
    await ledger.patchHistory(pending.historyRow, { outcome: 'deduplicated', runId: pending.runId, reason: `run ${pending.runId} was already started by another delivery of the same blob or fire time` });
    return;
  }
  // A capped start replaces its "queued" reason; others keep theirs (e.g. a recovery's).
  const waited = Date.parse(pending.queuedTime) < deps.now().getTime() - 1000;
  const capped = maxConcurrentRuns(stored.definition) !== undefined;
  await ledger.patchHistory(pending.historyRow, {
    outcome: 'started',
    runId: pending.runId,
    ...(capped ? { reason: waited ? `started after waiting for max_concurrent_runs (queued ${pending.queuedTime})` : undefined } : {}),
  });
}

async function failPending(deps: TriggerDeps, pending: PendingStart, message: string): Promise<void> {
  const ledger = new LedgerStore(deps.state);
  for (const eventId of pending.eventIds) await ledger.release(pending.schedule, eventId);
  await ledger.patchHistory(pending.historyRow, { outcome: 'failed', runId: pending.runId, reason: message });
}

/**
 * Whether a `started` claim was orphaned: its run is neither in the run catalogue nor waiting in
 * the queue, and the claim is old enough not to be a first delivery still starting it. A
 * redelivery then starts the run (startRun is idempotent by run id, so a race is harmless).
 */
export async function isOrphanedStart(deps: TriggerDeps, of: AcceptedEvent): Promise<boolean> {
  if (of.outcome !== 'started' || !of.runId || of.schedule === undefined) return false;
  if (deps.now().getTime() - Date.parse(of.receivedTime) < ORPHAN_CLAIM_MS) return false;
  if (await new RunCatalog(deps.state).get(of.runId)) return false;
  const queued = await deps.state.table<QueueRow>(QUEUE_TABLE).query(queuePartition(of.schedule));
  return !queued.some((row) => row.rowKey.endsWith(`~${of.runId}`));
}
