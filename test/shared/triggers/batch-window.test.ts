import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closeDueWindow, joinBatchWindow, type BatchMember, type BatchWindow } from '../../../shared/triggers/batch-window';
import { batchRunId } from '../../../shared/triggers/run-ids';

const W = 30_000;
const t = (s: number): Date => new Date(Date.parse('2026-05-01T10:00:00Z') + s * 1000);
const m = (name: string, etag = '1'): BatchMember => ({ url: `https://a/data/${name}`, etag, path: name, eventId: `e-${name}-${etag}` });

describe('batch windows (PT30S)', () => {
  it('the first blob opens a window that closes 30 s later', () => {
    const d = joinBatchWindow(undefined, m('b.csv'), t(0), W, 'batches');
    assert.equal(d.action, 'open');
    assert.deepEqual(d.window, { schedule: 'batches', windowStart: t(0).toISOString(), closesAt: t(30).toISOString(), members: [m('b.csv')], closed: false });
  });

  it('blobs before the end join; the same blob again is a duplicate; a new eTag joins', () => {
    let w = joinBatchWindow(undefined, m('b.csv'), t(0), W, 'batches').window;
    const join = joinBatchWindow(w, m('a.csv'), t(29.999), W, 'batches');
    assert.equal(join.action, 'join');
    w = join.window;
    const dup = joinBatchWindow(w, m('a.csv'), t(10), W, 'batches');
    assert.equal(dup.action, 'duplicate');
    assert.equal(dup.action === 'duplicate' && dup.of.eventId, 'e-a.csv-1');
    const rewritten = joinBatchWindow(w, m('a.csv', '2'), t(11), W, 'batches');
    assert.equal(rewritten.action, 'join');
    assert.equal(rewritten.window.members.length, 3);
  });

  it('is not due before its end, and says when to wake', () => {
    const w = joinBatchWindow(undefined, m('b.csv'), t(0), W, 'batches').window;
    assert.deepEqual(closeDueWindow(w, t(29)), { due: false, wakeAt: t(30) });
  });

  it('closes at its end: one run id from schedule + window start + sorted members', () => {
    let w = joinBatchWindow(undefined, m('b.csv'), t(0), W, 'batches').window;
    w = joinBatchWindow(w, m('a.csv'), t(5), W, 'batches').window;
    const d = closeDueWindow(w, t(30));
    assert.equal(d.due, true);
    if (!d.due) return;
    assert.deepEqual(d.members.map((x) => x.path), ['a.csv', 'b.csv']);
    assert.equal(d.runId, batchRunId('batches', t(0), [m('a.csv'), m('b.csv')]));
    assert.equal(d.window.closed, true);
    assert.equal(d.window.runId, d.runId);
    // Closing again (a timer that fires twice) gives the same run.
    assert.equal((closeDueWindow(d.window, t(90)) as { runId: string }).runId, d.runId);
  });

  it('a blob after the end, or after closing, opens the next window', () => {
    const w = joinBatchWindow(undefined, m('b.csv'), t(0), W, 'batches').window;
    const late = joinBatchWindow(w, m('c.csv'), t(30), W, 'batches');
    assert.equal(late.action, 'open');
    assert.equal(late.window.windowStart, t(30).toISOString());
    const closed: BatchWindow = { ...w, closed: true, runId: 'r' };
    assert.equal(joinBatchWindow(closed, m('c.csv'), t(1), W, 'batches').action, 'open');
  });

  it('the members\' arrival order does not change the run id', () => {
    const names = ['c.csv', 'a.csv', 'b.csv'];
    const build = (order: string[]): string => {
      let w: BatchWindow | undefined;
      order.forEach((n, i) => (w = joinBatchWindow(w, m(n), t(i === 0 ? 0 : 1 + i), W, 'batches').window));
      return (closeDueWindow(w!, t(60)) as { runId: string }).runId;
    };
    assert.equal(build(names), build([...names].reverse()));
  });
});
