/** The job-event function's core: raise into the step instance from the tags; unknown jobs recorded and dropped. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import type { DurableClient } from 'durable-functions';
import { deliverJobEvent, UNMATCHED_EVENTS_TABLE, type UnmatchedJobEvent } from '../../../functions/events/job-events';
import { SqliteStateStore } from '../../../shared/state/sqlite';

function fakeClient(known: Set<string>) {
  const raised: { id: string; name: string; data: unknown }[] = [];
  const client = {
    async raiseEvent(id: string, name: string, data: unknown) {
      if (!known.has(id)) throw new Error(`No instance with ID '${id}' found.`);
      raised.push({ id, name, data });
    },
  } as unknown as DurableClient;
  return { client, raised };
}

const event = (tags: Record<string, string>, status?: string) => ({
  id: `e-${status ?? 'done'}`, subject: 'experiments/x/runs/job-1', eventTime: 't',
  eventType: status ? 'Microsoft.MachineLearningServices.RunStatusChanged' : 'Microsoft.MachineLearningServices.RunCompleted',
  data: { runId: 'job-1', runTags: tags, ...(status ? { runStatus: status } : {}) },
});

test('a job event is raised into the orchestration named by the job tags', async () => {
  const state = new SqliteStateStore(new Database(':memory:'));
  const { client, raised } = fakeClient(new Set(['run-1:train']));
  assert.equal(await deliverJobEvent(client, state, event({ 'amlsched.instanceId': 'run-1:train' })), 'raised');
  assert.equal(await deliverJobEvent(client, state, event({ 'amlsched.instanceId': 'run-1:train' }, 'FAILED')), 'raised');
  assert.deepEqual(raised.map((r) => [r.id, r.name, (r.data as { status: string }).status]), [['run-1:train', 'JobStatus', 'Completed'], ['run-1:train', 'JobStatus', 'Failed']]);
});

test('events for unknown jobs are recorded in the state store and dropped; other events are ignored', async () => {
  const state = new SqliteStateStore(new Database(':memory:'));
  const { client, raised } = fakeClient(new Set());
  const now = new Date('2026-03-04T05:06:07Z');
  assert.equal(await deliverJobEvent(client, state, event({}), now), 'unknown_job');
  assert.equal(await deliverJobEvent(client, state, event({ 'amlsched.instanceId': 'gone:x' }, 'running'), now), 'unknown_job');
  assert.equal(await deliverJobEvent(client, state, { id: 'b', eventType: 'Microsoft.Storage.BlobCreated', data: {} }, now), 'ignored');
  assert.equal(raised.length, 0);
  const recorded = await state.table<UnmatchedJobEvent>(UNMATCHED_EVENTS_TABLE).query('2026-03-04');
  assert.deepEqual(recorded.map((r) => [r.data.jobName, r.data.status, r.data.reason]), [
    ['job-1', 'Completed', 'the job has no amlsched.instanceId tag'],
    ['job-1', 'Running', "no orchestration 'gone:x'"],
  ]);
});
