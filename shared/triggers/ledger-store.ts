/**
 * The accepted-events ledger in the state store (table `triggerledger`):
 * - `accepted` rows, one per schedule + event id, written with insertIfAbsent: the first delivery
 *   that settles an event claims it, every later delivery finds the claim and is a duplicate,
 *   however late (the claim outlives the run);
 * - `history` rows, one per received event or tick and schedule, with its outcome (DESIGN.md
 *   shape), newest first for `GET /api/triggers/history`; a copy in the schedule's own partition
 *   (`history|NAME`) makes `?schedule=NAME` one partition query.
 * Failed starts release their claim, so Event Grid's redelivery tries again.
 */
import { randomUUID } from 'node:crypto';
import type { StateStore, StateTable } from '../state/types';
import type { LedgerEntry } from './ledger';

export const LEDGER_TABLE = 'triggerledger';
const ACCEPTED = 'accepted';
const HISTORY = 'history';

/** A claim: the entry that settled the event, plus the history row to patch when its run id is known later. */
export interface AcceptedEvent extends LedgerEntry {
  historyRow?: string;
}

export type ClaimResult = { claimed: true; rowKey: string } | { claimed: false; of: AcceptedEvent };

export interface HistoryPage {
  entries: LedgerEntry[];
  continuationToken?: string;
}

function schedulePartition(schedule: string): string {
  return `${HISTORY}|${encodeURIComponent(schedule)}`;
}

/** Row keys may not hold `/ \ # ?` or control characters (Azure Tables). */
function acceptedKey(schedule: string | undefined, eventId: string): string {
  return `${encodeURIComponent(schedule ?? '')}|${encodeURIComponent(eventId)}`;
}

export class LedgerStore {
  private readonly table: StateTable<AcceptedEvent>;

  constructor(state: StateStore) {
    this.table = state.table<AcceptedEvent>(LEDGER_TABLE);
  }

  /** Claims the event for the schedule with the entry that settles it; or the earlier claim. */
  async claim(entry: AcceptedEvent): Promise<ClaimResult> {
    const rowKey = acceptedKey(entry.schedule, entry.eventId);
    const { entity, created } = await this.table.insertIfAbsent(ACCEPTED, rowKey, entry);
    return created ? { claimed: true, rowKey } : { claimed: false, of: entity.data };
  }

  async accepted(schedule: string | undefined, eventId: string): Promise<AcceptedEvent | undefined> {
    return (await this.table.get(ACCEPTED, acceptedKey(schedule, eventId)))?.data;
  }

  /** Updates a claim (e.g. the run id of a batch once its window closed). */
  async updateClaim(entry: AcceptedEvent): Promise<void> {
    await this.table.upsert(ACCEPTED, acceptedKey(entry.schedule, entry.eventId), entry);
  }

  /** Gives a claim up (its start failed), so a redelivery is not a duplicate. */
  async release(schedule: string | undefined, eventId: string): Promise<void> {
    await this.table.delete(ACCEPTED, acceptedKey(schedule, eventId));
  }

  /** Appends a history entry; returns its row key. Keys sort by received time. */
  async record(entry: LedgerEntry): Promise<string> {
    const rowKey = `${entry.receivedTime}~${randomUUID()}`;
    await this.#write(rowKey, clean(entry));
    return rowKey;
  }

  /** Completes a history entry written before its run id or final outcome was known. */
  async patchHistory(rowKey: string, patch: Partial<Pick<LedgerEntry, 'runId' | 'reason' | 'outcome'>>): Promise<void> {
    const existing = await this.table.get(HISTORY, rowKey);
    if (existing) await this.#write(rowKey, clean({ ...existing.data, ...patch }));
  }

  /** Newest first; `continuationToken` is an offset from a previous page. */
  async history(options: { schedule?: string; top?: number; continuationToken?: string } = {}): Promise<HistoryPage> {
    const top = options.top ?? 100;
    const offset = options.continuationToken ? Number.parseInt(options.continuationToken, 10) || 0 : 0;
    const partition = options.schedule === undefined ? HISTORY : schedulePartition(options.schedule);
    const rows = await this.table.query(partition, { descending: true, limit: offset + top + 1 });
    const entries = rows.slice(offset, offset + top).map((r) => clean(r.data));
    return rows.length > offset + top ? { entries, continuationToken: String(offset + top) } : { entries };
  }

  async #write(rowKey: string, entry: LedgerEntry): Promise<void> {
    await this.table.upsert(HISTORY, rowKey, entry);
    if (entry.schedule !== undefined) await this.table.upsert(schedulePartition(entry.schedule), rowKey, entry);
  }
}

/** The DESIGN.md ledger entry shape only (claims carry a history row key). */
function clean(entry: AcceptedEvent): LedgerEntry {
  const out: LedgerEntry = { receivedTime: entry.receivedTime, source: entry.source, eventId: entry.eventId, outcome: entry.outcome };
  if (entry.schedule !== undefined) out.schedule = entry.schedule;
  if (entry.runId !== undefined) out.runId = entry.runId;
  if (entry.reason !== undefined) out.reason = entry.reason;
  return out;
}
