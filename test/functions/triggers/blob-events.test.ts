/**
 * The BlobCreated core with injected parts: one run per blob, duplicates delivered three times
 * in shuffled order (also after the runs finished), filtered events, marker folders, batch windows
 * with their close, and max_concurrent_runs queueing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeDueWindows, closeWindow } from '../../../functions/triggers/batch-windows';
import { handleBlobCreated } from '../../../functions/triggers/blob-events';
import { drainQueue } from '../../../functions/triggers/launch';
import { tickSchedules } from '../../../functions/triggers/tick';
import { LedgerStore } from '../../../shared/triggers/ledger-store';
import { blobRunId } from '../../../shared/triggers/run-ids';
import { startableRunId } from '../../../shared/triggers/start-ids';
import { blobCreated } from '../../_helpers/triggers/blob-events';
import { triggerTestbed, type TriggerTestbed } from '../../_helpers/trigger-runtime/deps';

function blobYaml(name: string, extra = ''): string {
  return `$schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
name: ${name}
trigger:
  type: blob
  datastore: workspaceblobstore
  path: "incoming/**/*.csv"
${extra}create_job:
  job: azureml:score
  inputs:
    data: \${{trigger.blob.uri}}
`;
}

/** Deterministic shuffle (a fixed LCG), so a failure reproduces. */
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function history(bed: TriggerTestbed, schedule?: string) {
  return (await new LedgerStore(bed.state).history({ ...(schedule ? { schedule } : {}), top: 1000 })).entries;
}

function tick(bed: TriggerTestbed, ms: number): Date {
  bed.clock.now = new Date(bed.clock.now.getTime() + ms);
  return bed.clock.now;
}

describe('BlobCreated events', () => {
  it('20 blobs start 20 runs; each delivered 3 times, shuffled, also after the runs finished, still 20', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('per_file'));
    const events = Array.from({ length: 20 }, (_, i) => blobCreated(`incoming/day1/f${i}.csv`, { id: `evt-${i}`, etag: `"0x${i}"` }));
    for (const e of events) await handleBlobCreated(bed.deps, e);
    assert.equal(bed.started.length, 20);
    for (const run of bed.started) await bed.finish(run.runId);
    for (const e of shuffled([...events, ...events])) {
      tick(bed, 1000);
      await handleBlobCreated(bed.deps, e);
    }
    assert.equal(bed.started.length, 20);
    const expected = events.map((e, i) => startableRunId(blobRunId('per_file', (e.data as { url: string }).url, `"0x${i}"`)));
    assert.deepEqual(bed.started.map((r) => r.runId).sort(), [...expected].sort());
    const first = bed.started[0]!;
    assert.deepEqual(first.trigger, { type: 'blob', schedule: 'per_file', eventId: 'evt-0' });
    assert.deepEqual(first.context.blob, { uri: 'azureml://datastores/workspaceblobstore/paths/incoming/day1/f0.csv', path: 'incoming/day1/f0.csv', etag: '"0x0"' });
    const entries = await history(bed, 'per_file');
    assert.equal(entries.filter((e) => e.outcome === 'started').length, 20);
    const dups = entries.filter((e) => e.outcome === 'deduplicated');
    assert.equal(dups.length, 40);
    for (const d of dups) assert.equal(d.runId, expected[Number(d.eventId.slice(4))]);
  });

  it('records why events are filtered, once per event however often delivered', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('filtering'));
    const cases = [
      [blobCreated('incoming/empty.csv', { id: 'e-zero', contentLength: 0 }), /zero-byte/],
      [blobCreated('incoming/part.csv', { id: 'e-create', api: 'CreateFile' }), /not a final write/],
      [blobCreated('elsewhere/x.csv', { id: 'e-path' }), /matches none of the blob schedules \(filtering\)/],
      [blobCreated('incoming/x.csv', { id: 'e-store', container: 'other' }), /no datastore/],
      [{ id: 'e-bad', eventType: 'Microsoft.Storage.BlobCreated', data: {} }, /data\.url/],
    ] as const;
    for (const [event, reason] of cases) {
      const id = String(event.id);
      await handleBlobCreated(bed.deps, event);
      tick(bed, 1000);
      await handleBlobCreated(bed.deps, event);
      const [first, second] = (await history(bed)).filter((e) => e.eventId === id).reverse();
      assert.equal(first!.outcome, 'filtered', id);
      assert.match(first!.reason!, reason, id);
      // A malformed event has no identity to claim; a well-formed one's redelivery is a duplicate.
      assert.equal(second!.outcome, id === 'e-bad' ? 'filtered' : 'deduplicated', id);
      assert.match(second!.reason!, reason, id);
    }
    assert.equal(bed.started.length, 0);
  });

  it('a failed start is recorded, released and started by the redelivery', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('flaky_blob'));
    const event = blobCreated('incoming/a.csv', { id: 'e-flaky' });
    const runId = startableRunId(blobRunId('flaky_blob', (event.data as { url: string }).url, '0x8DC1'));
    bed.failNext.set(runId, new Error('durable store unavailable'));
    await assert.rejects(handleBlobCreated(bed.deps, event), /durable store unavailable/);
    tick(bed, 1000);
    await handleBlobCreated(bed.deps, event);
    assert.deepEqual(bed.started.map((r) => r.runId), [runId]);
    assert.deepEqual((await history(bed, 'flaky_blob')).map((e) => e.outcome).reverse(), ['failed', 'started']);
  });

  it('a claim left by a crash before the start is recovered by a redelivery a minute later', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('crashy'));
    const event = blobCreated('incoming/c.csv', { id: 'e-crash' });
    const runId = startableRunId(blobRunId('crashy', (event.data as { url: string }).url, '0x8DC1'));
    // The first delivery claimed the event and died before starting the run.
    await new LedgerStore(bed.state).claim({ receivedTime: bed.clock.now.toISOString(), source: 'blob', eventId: 'e-crash', schedule: 'crashy', outcome: 'started', runId });
    tick(bed, 10_000);
    await handleBlobCreated(bed.deps, event);
    assert.equal(bed.started.length, 0, 'too early: the first delivery may still be starting it');
    tick(bed, 120_000);
    await handleBlobCreated(bed.deps, event);
    assert.deepEqual(bed.started.map((r) => r.runId), [runId]);
    tick(bed, 120_000);
    await handleBlobCreated(bed.deps, event);
    assert.equal(bed.started.length, 1);
    const entries = (await history(bed, 'crashy')).reverse();
    assert.deepEqual(entries.map((e) => e.outcome), ['deduplicated', 'started', 'deduplicated']);
    assert.match(entries[1]!.reason!, /^recovered: /);
  });

  it('a marker starts one run per folder with the folder listing; data files are coalesced into it', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('per_folder', '  marker: _SUCCESS\n'));
    const files = ['incoming/b1/a.csv', 'incoming/b1/b.csv', 'incoming/b1/c.csv'];
    for (const f of files) await bed.datastore.put(f, 'x,y\n');
    await bed.datastore.put('incoming/b1/_SUCCESS', '');
    const events = [...files, 'incoming/b1/_SUCCESS'].map((f, i) => blobCreated(f, { id: `m-${i}`, contentLength: f.endsWith('_SUCCESS') ? 0 : 4 }));
    for (const e of shuffled([...events, ...events, ...events], 3)) await handleBlobCreated(bed.deps, e);
    assert.equal(bed.started.length, 1);
    const run = bed.started[0]!;
    assert.deepEqual(run.context.batch?.folder, { uri: 'azureml://datastores/workspaceblobstore/paths/incoming/b1/', path: 'incoming/b1/' });
    assert.deepEqual(run.context.batch?.blobs.map((b) => b.path), files);
    const entries = await history(bed, 'per_folder');
    assert.equal(entries.filter((e) => e.outcome === 'coalesced').length, 3);
    assert.equal(entries.filter((e) => e.outcome === 'started').length, 1);
    assert.equal(entries.filter((e) => e.outcome === 'deduplicated').length, 8);
    assert.ok(entries.every((e) => e.runId === run.runId));
  });

  it('a batch window gathers the blobs of PT30S into one run when its timer closes it', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('windowed', '  batch_window: PT30S\n'));
    const events = Array.from({ length: 5 }, (_, i) => blobCreated(`incoming/w/f${i}.csv`, { id: `w-${i}`, etag: `"${i}"` }));
    for (const e of events) {
      tick(bed, 2000);
      await handleBlobCreated(bed.deps, e);
      await handleBlobCreated(bed.deps, e);
    }
    assert.equal(bed.started.length, 0);
    assert.equal(bed.windows.length, 1, 'one timer armed for the window');
    const window = bed.windows[0]!;
    assert.equal(await closeWindow(bed.deps, 'windowed', window.windowStart), undefined, 'not due yet');
    bed.clock.now = new Date(window.closesAt);
    const runId = await closeWindow(bed.deps, 'windowed', window.windowStart);
    assert.ok(runId);
    assert.equal(await closeWindow(bed.deps, 'windowed', window.windowStart), runId, 'closing again changes nothing');
    assert.equal(bed.started.length, 1);
    assert.deepEqual(bed.started[0]!.context.batch?.blobs.map((b) => b.path), events.map((_, i) => `incoming/w/f${i}.csv`));
    // Late duplicates, and a new blob that opens the next window.
    for (const e of events) await handleBlobCreated(bed.deps, e);
    tick(bed, 1000);
    await handleBlobCreated(bed.deps, blobCreated('incoming/w/late.csv', { id: 'w-late' }));
    assert.equal(bed.windows.length, 2);
    const entries = await history(bed, 'windowed');
    const coalesced = entries.filter((e) => e.outcome === 'coalesced');
    assert.equal(coalesced.length, 6);
    assert.equal(coalesced.filter((e) => e.runId === runId).length, 5, 'members carry the run id once the window closed');
    assert.equal(entries.filter((e) => e.outcome === 'deduplicated').length, 10);
    assert.equal(entries.filter((e) => e.outcome === 'started' && e.runId === runId).length, 1);
    // The minute tick closes a window whose timer was lost.
    bed.clock.now = new Date(Date.parse(bed.windows[1]!.closesAt) + 5000);
    await tickSchedules(bed.deps, bed.clock.now);
    assert.equal(bed.started.length, 2);
    await closeDueWindows(bed.deps, 'windowed');
    assert.equal(bed.started.length, 2);
  });

  it('max_concurrent_runs queues blobs beyond the cap and starts them as runs finish', async () => {
    const bed = triggerTestbed();
    await bed.addSchedule(blobYaml('capped', '  max_concurrent_runs: 2\n'));
    const events = Array.from({ length: 5 }, (_, i) => blobCreated(`incoming/q/f${i}.csv`, { id: `q-${i}`, etag: `"${i}"` }));
    for (const e of events) {
      tick(bed, 1000);
      await handleBlobCreated(bed.deps, e);
    }
    assert.deepEqual(bed.started.map((r) => r.trigger.eventId), ['q-0', 'q-1']);
    assert.ok(bed.queues.includes('capped'), 'queue watcher armed');
    let entries = await history(bed, 'capped');
    assert.equal(entries.filter((e) => /^queued: max_concurrent_runs 2/.test(e.reason ?? '')).length, 3);
    // Redeliveries of queued events are duplicates, not extra queue entries.
    for (const e of events) await handleBlobCreated(bed.deps, e);
    assert.deepEqual(await drainQueue(bed.deps, 'capped'), { started: [], waiting: 3 });
    await bed.finish(bed.started[0]!.runId);
    tick(bed, 1000);
    assert.deepEqual((await drainQueue(bed.deps, 'capped')).waiting, 2);
    assert.deepEqual(bed.started.map((r) => r.trigger.eventId), ['q-0', 'q-1', 'q-2']);
    await bed.finish(bed.started[1]!.runId);
    await bed.finish(bed.started[2]!.runId);
    tick(bed, 60_000);
    await tickSchedules(bed.deps, bed.clock.now);
    assert.deepEqual(bed.started.map((r) => r.trigger.eventId), ['q-0', 'q-1', 'q-2', 'q-3', 'q-4']);
    entries = await history(bed, 'capped');
    assert.equal(entries.filter((e) => e.outcome === 'started').length, 5);
    assert.equal(entries.filter((e) => /started after waiting/.test(e.reason ?? '')).length, 3);
    assert.equal(entries.filter((e) => e.outcome === 'deduplicated').length, 5);
  });
});
