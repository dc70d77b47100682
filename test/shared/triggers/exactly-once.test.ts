/**
 * The pure trigger pieces together, as the Event Grid function uses them: 20 uploads, each event
 * delivered 3 times in shuffled order (also after the runs started), give exactly 20 runs, and
 * the ledger shows every duplicate.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBlobCreatedEvent } from '../../../shared/triggers/blob-event';
import { matchBlobEvent } from '../../../shared/triggers/blob-match';
import { duplicateEntry, findDuplicate, type LedgerEntry } from '../../../shared/triggers/ledger';
import { blobRunId } from '../../../shared/triggers/run-ids';
import { blobCreated, blobSchedule, lookup } from '../../_helpers/triggers/blob-events';

/** Deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffle<T>(items: T[], seed: number): T[] {
  let s = seed;
  const rand = (): number => {
    s = (s + 0x6d2b79f5) | 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('exactly one run per blob under redelivery', () => {
  for (const seed of [1, 7, 42]) {
    it(`20 blobs × 3 deliveries, shuffled (seed ${seed})`, () => {
      const schedules = [blobSchedule('score_new_files')];
      const events = Array.from({ length: 20 }, (_, i) => blobCreated(`incoming/2026/f${i}.csv`, { id: `evt-${i}`, etag: `0x${i}` }));
      const deliveries = shuffle([...events, ...events, ...events], seed);
      const ledger: LedgerEntry[] = [];
      const started = new Set<string>();
      deliveries.forEach((raw, n) => {
        const now = new Date(Date.parse('2026-05-01T10:00:00Z') + n * 1000);
        const event = parseBlobCreatedEvent(raw);
        for (const m of matchBlobEvent(event, schedules, lookup).matches) {
          const dup = findDuplicate(ledger, event.eventId, m.schedule.name);
          if (dup.duplicate) {
            ledger.push(duplicateEntry(dup.of, now));
            continue;
          }
          const runId = blobRunId(m.schedule.name, event.url, event.etag);
          assert.ok(!started.has(runId), `run ${runId} started twice`);
          started.add(runId);
          ledger.push({ receivedTime: now.toISOString(), source: 'blob', eventId: event.eventId, schedule: m.schedule.name, outcome: 'started', runId });
        }
      });
      assert.equal(started.size, 20);
      assert.equal(ledger.filter((e) => e.outcome === 'started').length, 20);
      const dups = ledger.filter((e) => e.outcome === 'deduplicated');
      assert.equal(dups.length, 40);
      for (const d of dups) assert.ok(started.has(d.runId!), 'each duplicate names the run it duplicated');
    });
  }
});
