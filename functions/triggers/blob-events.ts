/**
 * One delivered `Microsoft.Storage.BlobCreated` event, end to end: parse it, match it against
 * every blob schedule (shared/triggers/blob-match.ts), and for each schedule claim the event in
 * the ledger (schedule + event id, insertIfAbsent) before anything else, so a redelivery, however
 * late and in whatever order, only records `deduplicated`. Then, per schedule:
 * - plain: one run per blob, run id from schedule + blob URL + eTag;
 * - `marker`: data files are `coalesced` into their folder's run; the marker starts it with the
 *   folder's listing (the listing, not the events, decides the members: events can be lost);
 * - `batch_window`: the blob joins the open window (batch-windows.ts), which starts one run.
 * A marker wins over a batch window when a schedule has both.
 *
 * A failed start is recorded, its claim released, and the error thrown, so Event Grid redelivers.
 */
import { SchedulesStore, type StoredSchedule } from '../../shared/api/schedules-store';
import { datastoreUri } from '../../shared/datastore/types';
import { AmlSchedError, redactSecrets } from '../../shared/errors';
import type { Schedule } from '../../shared/spec/schedule';
import { parseBlobCreatedEvent, type BlobCreatedEvent } from '../../shared/triggers/blob-event';
import { matchBlobEvent, type BlobMatch } from '../../shared/triggers/blob-match';
import { duplicateEntry, type LedgerEntry } from '../../shared/triggers/ledger';
import { LedgerStore } from '../../shared/triggers/ledger-store';
import { decideMarker, markerBatchMembers } from '../../shared/triggers/marker';
import { blobRunId } from '../../shared/triggers/run-ids';
import { startableRunId } from '../../shared/triggers/start-ids';
import { joinWindow } from './batch-windows';
import type { TriggerDeps } from './deps';
import { claimStart, recordDuplicate } from './claims';
import { launch, TriggerStartError } from './launch';

/** How blob-match.ts words a schedule whose glob does not take the path. */
const PATH_MISMATCH = "path '";

export interface BlobEventOutcome {
  eventId: string;
  entries: LedgerEntry[];
}

/** Handles one event; resolves when every schedule's outcome is recorded, rejects when a start failed. */
export async function handleBlobCreated(deps: TriggerDeps, raw: unknown): Promise<BlobEventOutcome> {
  const ledger = new LedgerStore(deps.state);
  const receivedTime = deps.now().toISOString();
  let event: BlobCreatedEvent;
  try {
    event = parseBlobCreatedEvent(raw);
  } catch (err) {
    // Redelivering a malformed event cannot help: it is recorded and acknowledged.
    const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : 'unknown';
    const entry: LedgerEntry = { receivedTime, source: 'blob', eventId: id, outcome: 'filtered', reason: (err as Error).message };
    await ledger.record(entry);
    return { eventId: id, entries: [entry] };
  }
  const stored = await new SchedulesStore<Schedule>(deps.state).list();
  const byName = new Map(stored.map((s) => [s.name, s]));
  // The stored enabled flag (enable/disable) wins over the YAML's is_enabled.
  const schedules = stored.map((s) => ({ ...s.definition, isEnabled: s.enabled }));
  const result = matchBlobEvent(event, schedules, (account, container) => deps.datastores.byContainer(account, container)?.name);
  const entries: LedgerEntry[] = [];
  const errors: unknown[] = [];

  // Schedules whose glob does not take the path are summarised in one entry without a schedule,
  // and only when no schedule took the event: their histories stay about their own blobs (the
  // datastore also receives job logs and outputs, each one a BlobCreated event).
  const mismatched = result.filtered.filter((f) => f.schedule !== undefined && f.reason.startsWith(PATH_MISMATCH));
  const concerned = result.filtered.filter((f) => !mismatched.includes(f));
  if (mismatched.length > 0 && result.matches.length === 0 && concerned.length === 0) {
    concerned.push({ reason: `path '${event.blobPath}' matches none of the blob schedules (${mismatched.map((f) => f.schedule).join(', ')})` });
  }
  for (const f of concerned) {
    const entry: LedgerEntry = { receivedTime, source: 'blob', eventId: event.eventId, outcome: 'filtered', reason: f.reason, ...(f.schedule ? { schedule: f.schedule } : {}) };
    entries.push(await settle(ledger, entry));
  }
  for (const match of result.matches) {
    try {
      entries.push(await handleMatch(deps, ledger, byName.get(match.schedule.name)!, match, event, receivedTime));
    } catch (err) {
      const entry: LedgerEntry = { receivedTime, source: 'blob', eventId: event.eventId, schedule: match.schedule.name, outcome: 'failed', reason: redactSecrets((err as Error).message) };
      if (!(err instanceof TriggerStartError)) {
        await ledger.release(match.schedule.name, event.eventId);
        await ledger.record(entry);
      }
      entries.push(entry);
      // Only what a redelivery can fix goes back to Event Grid; a bad schedule or input stays failed.
      if (!(err instanceof AmlSchedError && err.nonRetryable)) errors.push(err);
    }
  }
  if (errors.length > 0) throw errors[0];
  return { eventId: event.eventId, entries };
}

/** Claims a settled outcome (filtered) and records it, or records the duplicate of the earlier claim. */
async function settle(ledger: LedgerStore, entry: LedgerEntry): Promise<LedgerEntry> {
  const claim = await ledger.claim(entry);
  const recorded = claim.claimed ? entry : duplicateEntry(claim.of, new Date(entry.receivedTime));
  await ledger.record(recorded);
  return recorded;
}

async function handleMatch(deps: TriggerDeps, ledger: LedgerStore, stored: StoredSchedule<Schedule>, match: BlobMatch, event: BlobCreatedEvent, receivedTime: string): Promise<LedgerEntry> {
  const schedule = match.schedule.name;
  const trigger = match.schedule.trigger;
  const base = { receivedTime, source: 'blob' as const, eventId: event.eventId, schedule };
  const blob = { uri: datastoreUri(match.datastore, event.blobPath), path: event.blobPath, etag: event.etag };

  if (trigger.marker) {
    const decision = decideMarker(schedule, match.kind, event.blobPath);
    const runId = startableRunId(decision.runId);
    if (decision.action === 'coalesce') {
      return settle(ledger, { ...base, outcome: 'coalesced', runId, reason: `waiting for ${decision.folder}${trigger.marker}` });
    }
    const claimed = await claimStart(deps, ledger, { ...base, outcome: 'started', runId });
    if (claimed.duplicate) return claimed.duplicate;
    const { entry, historyRow } = claimed;
    const datastore = deps.datastores.get(match.datastore);
    const listing = [];
    for await (const b of datastore.list(decision.folder)) listing.push(b);
    const members = markerBatchMembers(trigger, decision.folder, listing);
    await launch(deps, stored, {
      schedule,
      runId,
      trigger: { type: 'blob', schedule, eventId: event.eventId },
      triggerTime: receivedTime,
      batch: {
        folder: { uri: datastoreUri(match.datastore, decision.folder), path: decision.folder },
        blobs: members.map((m) => ({ uri: datastoreUri(match.datastore, m.path), path: m.path, etag: m.etag })),
      },
      historyRow,
      eventIds: [event.eventId],
      queuedTime: receivedTime,
    });
    return entry;
  }

  if (trigger.batchWindowMs !== undefined) {
    const claim = await ledger.claim({ ...base, outcome: 'coalesced' });
    if (!claim.claimed) return recordDuplicate(ledger, claim.of, receivedTime);
    const entry: LedgerEntry = { ...base, outcome: 'coalesced', reason: `in the batch window of schedule ${schedule}` };
    const historyRow = await ledger.record(entry);
    const joined = await joinWindow(deps, stored, { url: event.url, etag: event.etag, path: event.blobPath, eventId: event.eventId }, historyRow, trigger.batchWindowMs);
    if (!joined.joined) {
      const reason = `same blob (URL and eTag) as event ${joined.duplicateOf.eventId} in the open batch window`;
      await ledger.updateClaim({ ...base, outcome: 'deduplicated', reason });
      await ledger.patchHistory(historyRow, { outcome: 'deduplicated', reason });
      return { ...entry, outcome: 'deduplicated', reason };
    }
    await ledger.patchHistory(historyRow, { reason: `in the batch window ${joined.window.windowStart} to ${joined.window.closesAt}` });
    return entry;
  }

  const runId = startableRunId(blobRunId(schedule, event.url, event.etag));
  const claimed = await claimStart(deps, ledger, { ...base, outcome: 'started', runId });
  if (claimed.duplicate) return claimed.duplicate;
  const { entry, historyRow } = claimed;
  await launch(deps, stored, {
    schedule,
    runId,
    trigger: { type: 'blob', schedule, eventId: event.eventId },
    triggerTime: receivedTime,
    blob,
    historyRow,
    eventIds: [event.eventId],
    queuedTime: receivedTime,
  });
  return entry;
}
