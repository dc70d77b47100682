import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { DurableClient } from 'durable-functions';
import { purgeFinishedRuns } from '../../../functions/maintenance/purge-runs';
import { RunCatalog } from '../../../shared/run/catalog';
import type { RunRecord } from '../../../shared/run/types';
import { SqliteStateStore } from '../../../shared/state/sqlite';

test('finished runs older than the cutoff lose their histories (run, steps, chunks) and catalogue entries', async () => {
  const state = new SqliteStateStore(new Database(':memory:'));
  const catalog = new RunCatalog(state);
  const rec = (runId: string, status: RunRecord['status'], time: string): RunRecord => ({
    runId, status, pipeline: {}, trigger: { type: 'http' }, createdTime: time, endTime: status === 'Running' ? undefined : time,
    orchestrator: 'pipelineRun_v1', inputs: {}, stepNames: ['a', 'sub', 'sub/b'],
  });
  await catalog.createOrGet(rec('old', 'Completed', '2026-01-01T00:00:00Z'));
  await catalog.createOrGet(rec('oldrunning', 'Running', '2026-01-01T00:00:00Z'));
  await catalog.createOrGet(rec('new', 'Failed', '2026-06-01T00:00:00Z'));
  const instances = new Set(['old', 'old:a', 'old:sub', 'old:sub.b', 'old:~chunk-0', 'new', 'new:a']);
  const client = {
    async purgeInstanceHistory(id: string) {
      const had = instances.delete(id);
      return { instancesDeleted: had ? 1 : 0 };
    },
  } as unknown as DurableClient;
  const result = await purgeFinishedRuns(client, state, new Date('2026-03-01T00:00:00Z'));
  assert.deepEqual(result, { runs: ['old'], instances: 5 });
  assert.deepEqual([...instances].sort(), ['new', 'new:a']);
  assert.equal(await catalog.get('old'), undefined);
  assert.ok(await catalog.get('oldrunning'));
  assert.ok(await catalog.get('new'));
});
