/** The ledger store on SQLite: claims (insertIfAbsent), release, updates, and history pages. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteStateStore } from '../../../shared/state/sqlite';
import type { LedgerEntry } from '../../../shared/triggers/ledger';
import { LedgerStore } from '../../../shared/triggers/ledger-store';

const entry = (i: number, over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  receivedTime: new Date(Date.UTC(2026, 4, 1, 10, 0, i)).toISOString(),
  source: 'blob',
  eventId: `e${i}`,
  schedule: i % 2 === 0 ? 'even' : 'odd',
  outcome: 'started',
  runId: `run-${i}`,
  ...over,
});

describe('ledger store', () => {
  it('the first claim of a schedule + event wins; later ones get it back, until released', async () => {
    const ledger = new LedgerStore(new SqliteStateStore(new Database(':memory:')));
    const first = await ledger.claim(entry(1));
    assert.equal(first.claimed, true);
    const again = await ledger.claim(entry(1, { receivedTime: '2026-05-02T00:00:00.000Z', runId: 'other' }));
    assert.equal(again.claimed, false);
    assert.equal(!again.claimed && again.of.runId, 'run-1');
    // The same event id for another schedule is its own claim; odd characters are safe keys.
    assert.equal((await ledger.claim(entry(1, { schedule: 'a/b#c?' }))).claimed, true);
    assert.equal((await ledger.claim(entry(1, { schedule: 'a/b#c?' }))).claimed, false);
    await ledger.updateClaim(entry(1, { outcome: 'coalesced', runId: 'batch-1' }));
    assert.equal((await ledger.accepted('odd', 'e1'))?.runId, 'batch-1');
    await ledger.release('odd', 'e1');
    assert.equal(await ledger.accepted('odd', 'e1'), undefined);
    assert.equal((await ledger.claim(entry(1))).claimed, true);
  });

  it('history is newest first, filtered by schedule, in pages, in the DESIGN.md shape', async () => {
    const ledger = new LedgerStore(new SqliteStateStore(new Database(':memory:')));
    const rows: string[] = [];
    for (let i = 0; i < 25; i++) rows.push(await ledger.record(entry(i)));
    await ledger.patchHistory(rows[3]!, { outcome: 'failed', reason: 'boom', runId: undefined });
    const all = await ledger.history({ top: 10 });
    assert.deepEqual(all.entries.map((e) => e.eventId), ['e24', 'e23', 'e22', 'e21', 'e20', 'e19', 'e18', 'e17', 'e16', 'e15']);
    assert.equal(all.continuationToken, '10');
    const last = await ledger.history({ top: 10, continuationToken: '20' });
    assert.deepEqual(last.entries.map((e) => e.eventId), ['e4', 'e3', 'e2', 'e1', 'e0']);
    assert.equal(last.continuationToken, undefined);
    assert.deepEqual(last.entries[1], { receivedTime: '2026-05-01T10:00:03.000Z', source: 'blob', eventId: 'e3', schedule: 'odd', outcome: 'failed', reason: 'boom' });
    const odd = await ledger.history({ schedule: 'odd', top: 5 });
    assert.ok(odd.entries.every((e) => e.schedule === 'odd'));
    assert.equal(odd.entries.length, 5);
    assert.equal((await ledger.history({ schedule: 'odd', top: 100, continuationToken: odd.continuationToken! })).entries.length, 7);
  });
});
