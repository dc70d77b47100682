/**
 * Batch windows (`trigger.batch_window`), durably: the window lives in the state store (table
 * `triggerwindows`, one `open` row per schedule, updated by compare-and-swap) and a per-window
 * orchestration holds a durable timer that closes it (orchestrators/triggers/batch-window.ts).
 *
 * Why rows plus a timer orchestration rather than an orchestration that collects members by
 * raiseEvent: a member is in the window as soon as its row write commits, so the Event Grid
 * delivery can be acknowledged right then, nothing is lost when the host stops before the
 * orchestration has seen the event, and a redelivered event is recognised by the ledger before it
 * touches the window. The timer only decides *when*; the minute tick closes any window that is
 * past due (an orchestration lost in a crash delays a batch by a minute, never drops it).
 *
 * Closing archives the final member list (`closed|<windowStart>`) before it marks the open row
 * closed, so a close that crashes half-way is finished by the retry with exactly those members.
 */
import type { StoredSchedule } from '../../shared/api/schedules-store';
import { SchedulesStore } from '../../shared/api/schedules-store';
import { datastoreUri } from '../../shared/datastore/types';
import type { Schedule } from '../../shared/spec/schedule';
import { closeDueWindow, joinBatchWindow, type BatchMember, type BatchWindow } from '../../shared/triggers/batch-window';
import { LedgerStore } from '../../shared/triggers/ledger-store';
import { startableRunId } from '../../shared/triggers/start-ids';
import type { TriggerDeps } from './deps';
import { launch } from './launch';

export const WINDOWS_TABLE = 'triggerwindows';
const OPEN = 'open';

interface WindowRow {
  window: BatchWindow;
  /** History row of each member event, completed with the run id when the window closes. */
  historyRows: Record<string, string>;
}

export type JoinResult = { joined: true; window: BatchWindow } | { joined: false; duplicateOf: BatchMember };

function partition(schedule: string): string {
  return encodeURIComponent(schedule);
}

/** Adds a blob to the schedule's open window (opening one, and arming its timer, when none is). */
export async function joinWindow(deps: TriggerDeps, stored: StoredSchedule<Schedule>, member: BatchMember, historyRow: string, windowMs: number): Promise<JoinResult> {
  const table = deps.state.table<WindowRow>(WINDOWS_TABLE);
  for (;;) {
    const received = deps.now();
    const row = await table.get(partition(stored.name), OPEN);
    const current = row?.data.window;
    if (current && !current.closed && received.getTime() >= Date.parse(current.closesAt)) {
      await closeWindow(deps, stored.name, current.windowStart);
      continue;
    }
    const decision = joinBatchWindow(current, member, received, windowMs, stored.name);
    if (decision.action === 'duplicate') return { joined: false, duplicateOf: decision.of };
    const historyRows = { ...(decision.action === 'join' ? row?.data.historyRows : {}), [member.eventId]: historyRow };
    const next: WindowRow = { window: decision.window, historyRows };
    const written = row
      ? await table.replaceIfMatch(partition(stored.name), OPEN, next, row.etag)
      : (await table.insertIfAbsent(partition(stored.name), OPEN, next)).created;
    if (!written) continue;
    if (decision.action === 'open') await deps.armWindow({ schedule: stored.name, windowStart: decision.window.windowStart, closesAt: decision.window.closesAt });
    return { joined: true, window: decision.window };
  }
}

/**
 * Closes the window that opened at `windowStart` if it is due, and starts its run (once: the
 * batch's own ledger claim guards the start). Returns the run id, or undefined when not due or gone.
 */
export async function closeWindow(deps: TriggerDeps, scheduleName: string, windowStart: string): Promise<string | undefined> {
  const table = deps.state.table<WindowRow>(WINDOWS_TABLE);
  const p = partition(scheduleName);
  const archiveKey = `closed|${windowStart}`;
  let final = (await table.get(p, archiveKey))?.data;
  while (!final) {
    const row = await table.get(p, OPEN);
    if (!row || row.data.window.windowStart !== windowStart) {
      final = (await table.get(p, archiveKey))?.data;
      if (!final) return undefined;
      break;
    }
    const decision = closeDueWindow(row.data.window, deps.now());
    if (!decision.due) return undefined;
    const runId = startableRunId(decision.runId);
    const closed: WindowRow = { window: { ...decision.window, runId, members: decision.members }, historyRows: row.data.historyRows };
    await table.upsert(p, archiveKey, closed);
    if (await table.replaceIfMatch(p, OPEN, closed, row.etag)) final = closed;
  }
  const window = final.window;
  const runId = window.runId!;
  const ledger = new LedgerStore(deps.state);
  for (const m of window.members) {
    const claim = await ledger.accepted(scheduleName, m.eventId);
    if (claim && claim.runId !== runId) await ledger.updateClaim({ ...claim, runId });
    const historyRow = final.historyRows[m.eventId];
    if (historyRow) await ledger.patchHistory(historyRow, { runId, reason: `coalesced into the batch of the window ${window.windowStart} to ${window.closesAt} (${window.members.length} blobs)` });
  }
  const stored = await new SchedulesStore<Schedule>(deps.state).get(scheduleName);
  if (!stored) return runId;
  const eventId = batchEventId(scheduleName, window.windowStart);
  const receivedTime = deps.now().toISOString();
  const claim = await ledger.claim({ receivedTime, source: 'blob', eventId, schedule: scheduleName, outcome: 'started', runId });
  if (!claim.claimed) return runId;
  const historyRow = await ledger.record({ receivedTime, source: 'blob', eventId, schedule: scheduleName, outcome: 'started', runId, reason: `batch window closed with ${window.members.length} blobs` });
  const datastore = stored.definition.trigger.type === 'blob' ? stored.definition.trigger.datastore : '';
  await launch(deps, stored, {
    schedule: scheduleName,
    runId,
    trigger: { type: 'blob', schedule: scheduleName, eventId },
    triggerTime: window.closesAt,
    batch: { blobs: window.members.map((m) => ({ uri: datastoreUri(datastore, m.path), path: m.path, etag: m.etag })) },
    historyRow,
    eventIds: [eventId],
    queuedTime: receivedTime,
  });
  return runId;
}

/**
 * The minute tick's backstop: closes the schedule's window when it is past due, and retries the
 * start of a closed window whose start failed (its batch claim was released).
 */
export async function closeDueWindows(deps: TriggerDeps, scheduleName: string): Promise<void> {
  const row = await deps.state.table<WindowRow>(WINDOWS_TABLE).get(partition(scheduleName), OPEN);
  const window = row?.data.window;
  if (!window) return;
  const due = !window.closed && deps.now().getTime() >= Date.parse(window.closesAt);
  const unstarted = window.closed && !(await new LedgerStore(deps.state).accepted(scheduleName, batchEventId(scheduleName, window.windowStart)));
  if (due || unstarted) await closeWindow(deps, scheduleName, window.windowStart);
}

function batchEventId(schedule: string, windowStart: string): string {
  return `batch:${schedule}:${windowStart}`;
}
