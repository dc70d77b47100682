/**
 * The accepted-events ledger (DESIGN.md): one entry per received event or tick and schedule,
 * with what became of it. Entries are keyed by event id in the state store; these pure helpers
 * decide from the entries already there whether a delivery is a duplicate.
 */

export type LedgerSource = 'blob' | 'timer' | 'http';
export type LedgerOutcome = 'started' | 'deduplicated' | 'coalesced' | 'filtered' | 'failed';

export interface LedgerEntry {
  /** ISO 8601 UTC time the event or tick was received. */
  receivedTime: string;
  source: LedgerSource;
  /** Event Grid event id, `timerEventId(...)` for ticks, the Idempotency-Key for HTTP. */
  eventId: string;
  schedule?: string;
  outcome: LedgerOutcome;
  /** The run started, coalesced into, or duplicated. */
  runId?: string;
  /** Why it was filtered or failed, or what it duplicated. */
  reason?: string;
}

export type DuplicateDecision =
  /** Already handled: `of` is the entry that handled it (its run, or why it was filtered). */
  | { duplicate: true; of: LedgerEntry }
  /** Not handled yet; `retry` when earlier deliveries failed to start it. */
  | { duplicate: false; retry: boolean };

/** Outcomes that settle an event for a schedule: a redelivery changes nothing. */
const SETTLED: readonly LedgerOutcome[] = ['started', 'coalesced', 'filtered'];

/**
 * Given the ledger entries for one event id, is another delivery of it (for `schedule`, or for
 * the event as a whole when undefined) a duplicate? Failed attempts do not settle an event, so
 * Event Grid's redelivery after a failure starts it.
 */
export function findDuplicate(entries: readonly LedgerEntry[], eventId: string, schedule?: string): DuplicateDecision {
  const mine = entries.filter((e) => e.eventId === eventId && (schedule === undefined || e.schedule === schedule));
  // Prefer the entry that started a run, then the earliest settled one.
  const settled = mine
    .filter((e) => SETTLED.includes(e.outcome))
    .sort((a, b) => SETTLED.indexOf(a.outcome) - SETTLED.indexOf(b.outcome) || a.receivedTime.localeCompare(b.receivedTime));
  const first = settled[0];
  if (first) return { duplicate: true, of: first };
  return { duplicate: false, retry: mine.some((e) => e.outcome === 'failed') };
}

/** The entry recording a duplicate delivery of what `of` handled. */
export function duplicateEntry(of: LedgerEntry, receivedTime: Date): LedgerEntry {
  const entry: LedgerEntry = {
    receivedTime: receivedTime.toISOString(),
    source: of.source,
    eventId: of.eventId,
    outcome: 'deduplicated',
    reason: of.runId ? `duplicate of event ${of.eventId} (${of.outcome} run ${of.runId})` : `duplicate of event ${of.eventId} (${of.outcome}${of.reason ? `: ${of.reason}` : ''})`,
  };
  if (of.schedule !== undefined) entry.schedule = of.schedule;
  if (of.runId !== undefined) entry.runId = of.runId;
  return entry;
}

/** The event id of a timer fire: one per schedule and fire time, so a tick that runs twice is a duplicate. */
export function timerEventId(schedule: string, fireTime: Date): string {
  return `timer:${schedule}:${fireTime.toISOString()}`;
}
