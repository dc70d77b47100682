/**
 * Claiming an event for a schedule in the ledger before acting on it: the first delivery gets
 * to act, every later one only records its duplicate entry.
 */
import type { LedgerEntry } from '../../shared/triggers/ledger';
import { duplicateEntry } from '../../shared/triggers/ledger';
import type { LedgerStore } from '../../shared/triggers/ledger-store';
import type { TriggerDeps } from './deps';
import { isOrphanedStart } from './launch';

/**
 * Claims a start and writes its history row; a redelivery gets its duplicate entry instead,
 * unless the first delivery's start was orphaned by a crash, which this one then recovers.
 */
export async function claimStart(deps: TriggerDeps, ledger: LedgerStore, entry: LedgerEntry): Promise<{ duplicate: LedgerEntry } | { duplicate?: undefined; entry: LedgerEntry; historyRow: string }> {
  const claim = await ledger.claim(entry);
  if (!claim.claimed) {
    if (!(await isOrphanedStart(deps, claim.of))) return { duplicate: await recordDuplicate(ledger, claim.of, entry.receivedTime) };
    await ledger.updateClaim(entry);
    const recovered: LedgerEntry = { ...entry, reason: `recovered: the delivery at ${claim.of.receivedTime} claimed run ${claim.of.runId} but did not start it` };
    return { entry: recovered, historyRow: await ledger.record(recovered) };
  }
  return { entry, historyRow: await ledger.record(entry) };
}

export async function recordDuplicate(ledger: LedgerStore, of: LedgerEntry, receivedTime: string): Promise<LedgerEntry> {
  const entry = duplicateEntry(of, new Date(receivedTime));
  await ledger.record(entry);
  return entry;
}
