import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { RunCatalog } from '../../../shared/run/catalog';
import type { RunRecord } from '../../../shared/run/types';
import { SqliteStateStore } from '../../../shared/state/sqlite';

function record(runId: string, createdTime: string, extra: Partial<RunRecord> = {}): RunRecord {
  return { runId, status: 'NotStarted', pipeline: { name: 'p' }, trigger: { type: 'http' }, createdTime, orchestrator: 'pipelineRun_v1', inputs: {}, stepNames: ['a'], ...extra };
}

test('create-or-get keeps the first record; statuses only move forward; an ended run stays ended', async () => {
  const db = new Database(':memory:');
  const catalog = new RunCatalog(new SqliteStateStore(db));
  assert.equal((await catalog.createOrGet(record('r1', '2026-01-01T00:00:00Z'))).created, true);
  const again = await catalog.createOrGet(record('r1', '2026-02-02T00:00:00Z'));
  assert.equal(again.created, false);
  assert.equal(again.record.createdTime, '2026-01-01T00:00:00Z');
  await catalog.recordStatus('r1', { status: 'Running', startTime: 's' });
  await catalog.recordStatus('r1', { status: 'NotStarted' });
  assert.equal((await catalog.get('r1'))?.status, 'Running');
  await catalog.recordStatus('r1', { status: 'Completed', endTime: 'e' });
  await catalog.recordStatus('r1', { status: 'Failed', endTime: 'later' });
  const final = await catalog.get('r1');
  assert.equal(final?.status, 'Completed');
  assert.equal(final?.endTime, 'e');
  await assert.rejects(catalog.require('nope'), { code: 'run_not_found' });
  db.close();
});

test('list is newest first, filters by status and pipeline, and pages with a continuation token', async () => {
  const db = new Database(':memory:');
  const catalog = new RunCatalog(new SqliteStateStore(db));
  for (let i = 0; i < 5; i += 1) await catalog.createOrGet(record(`r${i}`, `2026-01-0${i + 1}T00:00:00Z`, i % 2 ? { status: 'Failed', pipeline: { name: 'q' } } : {}));
  const first = await catalog.list({ top: 2 });
  assert.deepEqual(first.runs.map((r) => r.runId), ['r4', 'r3']);
  assert.ok(first.continuationToken);
  const second = await catalog.list({ top: 2, continuationToken: first.continuationToken });
  assert.deepEqual(second.runs.map((r) => r.runId), ['r2', 'r1']);
  const last = await catalog.list({ top: 2, continuationToken: second.continuationToken });
  assert.deepEqual(last.runs.map((r) => r.runId), ['r0']);
  assert.equal(last.continuationToken, undefined);
  assert.deepEqual((await catalog.list({ status: ['Failed'] })).runs.map((r) => r.runId), ['r3', 'r1']);
  assert.deepEqual((await catalog.list({ pipeline: 'q' })).runs.map((r) => r.runId), ['r3', 'r1']);
  assert.deepEqual((await catalog.list({ createdBefore: '2026-01-02T12:00:00Z' })).runs.map((r) => r.runId), ['r1', 'r0']);
  db.close();
});
