import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateEntry, findDuplicate, timerEventId, type LedgerEntry } from '../../../shared/triggers/ledger';

const row = (outcome: LedgerEntry['outcome'], extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  receivedTime: '2026-05-01T10:00:00.000Z',
  source: 'blob',
  eventId: 'e1',
  schedule: 's1',
  outcome,
  ...extra,
});

describe('ledger: is this delivery a duplicate?', () => {
  it('no entries: new', () => {
    assert.deepEqual(findDuplicate([], 'e1', 's1'), { duplicate: false, retry: false });
  });

  it('started, coalesced or filtered before: a duplicate of that entry', () => {
    for (const outcome of ['started', 'coalesced', 'filtered'] as const) {
      const first = row(outcome, { runId: 'r1' });
      assert.deepEqual(findDuplicate([first], 'e1', 's1'), { duplicate: true, of: first });
    }
  });

  it('only failures before: not a duplicate, and a retry', () => {
    assert.deepEqual(findDuplicate([row('failed', { reason: 'boom' }), row('failed')], 'e1', 's1'), { duplicate: false, retry: true });
  });

  it('a later success after a failure settles it', () => {
    const ok = row('started', { runId: 'r1', receivedTime: '2026-05-01T10:01:00.000Z' });
    assert.deepEqual(findDuplicate([row('failed'), ok], 'e1', 's1'), { duplicate: true, of: ok });
  });

  it('points at the entry that started the run, even when deduplicated entries came first in the list', () => {
    const started = row('started', { runId: 'r1', receivedTime: '2026-05-01T10:00:00.000Z' });
    const dup = row('deduplicated', { runId: 'r1', receivedTime: '2026-05-01T10:05:00.000Z' });
    const filteredLater = row('filtered', { receivedTime: '2026-05-01T10:06:00.000Z' });
    assert.deepEqual(findDuplicate([dup, filteredLater, started], 'e1', 's1'), { duplicate: true, of: started });
  });

  it('entries of other schedules and other events do not count; without a schedule the event as a whole does', () => {
    const rows = [row('started', { schedule: 's2', runId: 'r2' }), row('started', { eventId: 'e2', runId: 'r3' })];
    assert.deepEqual(findDuplicate(rows, 'e1', 's1'), { duplicate: false, retry: false });
    assert.deepEqual(findDuplicate(rows, 'e1'), { duplicate: true, of: rows[0] });
  });

  it('duplicateEntry records what was duplicated', () => {
    const at = new Date('2026-05-01T11:00:00Z');
    assert.deepEqual(duplicateEntry(row('started', { runId: 'r1' }), at), {
      receivedTime: '2026-05-01T11:00:00.000Z',
      source: 'blob',
      eventId: 'e1',
      schedule: 's1',
      outcome: 'deduplicated',
      runId: 'r1',
      reason: 'duplicate of event e1 (started run r1)',
    });
    assert.equal(duplicateEntry(row('filtered', { reason: 'zero-byte blob' }), at).reason, 'duplicate of event e1 (filtered: zero-byte blob)');
  });

  it('timer event ids are one per schedule and fire time', () => {
    assert.equal(timerEventId('nightly', new Date('2026-03-08T10:00:00Z')), 'timer:nightly:2026-03-08T10:00:00.000Z');
  });
});
