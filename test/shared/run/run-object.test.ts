import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobName, stepInstanceId, chunkInstanceId } from '../../../shared/run/names';
import { deriveRunId } from '../../../shared/run/run-id';
import { toRunObject } from '../../../shared/run/run-object';
import type { RunRecord } from '../../../shared/run/types';

const record: RunRecord = {
  runId: 'run-1', status: 'Running', pipeline: { name: 'p', version: '3' }, trigger: { type: 'schedule', schedule: 'nightly' },
  createdTime: 'c', orchestrator: 'pipelineRun_v1', inputs: {}, stepNames: ['prep', 'sub', 'sub/inner', 'train'],
};

test('the run object has exactly the DESIGN.md keys, nested steps as outer/inner, unstarted steps NotStarted', () => {
  const run = toRunObject(record, {
    steps: {
      prep: { status: 'Completed', jobName: 'run-1-prep-0', reuse: { reused: true, reason: 'reused from run run-0' }, outputs: { out: 'azureml://datastores/d/paths/x/' }, startTime: 's', endTime: 'e' },
      sub: { status: 'Running', outputs: {}, steps: { inner: { status: 'Running', outputs: {} } } },
    },
  });
  assert.deepEqual(Object.keys(run), ['runId', 'status', 'pipeline', 'trigger', 'createdTime', 'endTime', 'steps', 'outputs']);
  assert.deepEqual(Object.keys(run.steps), ['prep', 'sub', 'sub/inner', 'train']);
  assert.deepEqual(run.steps.prep, { status: 'Completed', reused: true, reason: 'reused from run run-0', jobName: 'run-1-prep-0', outputs: { out: 'azureml://datastores/d/paths/x/' }, startTime: 's', endTime: 'e' });
  assert.equal(run.steps['sub/inner']?.status, 'Running');
  assert.deepEqual(run.steps.train, { status: 'NotStarted', reused: false, reason: null, jobName: null, outputs: {}, startTime: null, endTime: null });
  assert.equal(run.endTime, null);
});

test('run ids are derived from idempotency keys and trigger identities, random otherwise', () => {
  assert.equal(deriveRunId({ type: 'http' }, 'k'), deriveRunId({ type: 'http' }, 'k'));
  assert.notEqual(deriveRunId({ type: 'http' }, 'k'), deriveRunId({ type: 'http' }, 'k2'));
  assert.equal(deriveRunId({ type: 'schedule', schedule: 's', fireTime: 't' }), deriveRunId({ type: 'schedule', schedule: 's', fireTime: 't' }));
  assert.equal(deriveRunId({ type: 'blob', schedule: 's', eventId: 'e' }), deriveRunId({ type: 'blob', schedule: 's', eventId: 'e' }));
  assert.notEqual(deriveRunId({ type: 'http' }), deriveRunId({ type: 'http' }));
  assert.match(deriveRunId({ type: 'http' }), /^run-[0-9a-f]{24}$/);
});

test('job names and instance ids are derived and valid', () => {
  assert.equal(jobName('run-1', 'outer/train', 2), 'run-1-outer_train-2');
  const long = jobName('run-1', 'x'.repeat(400), 0);
  assert.ok(long.length <= 255);
  assert.match(long, /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/);
  assert.equal(stepInstanceId('run-1', 'outer/train'), 'run-1:outer.train');
  assert.equal(chunkInstanceId('run-1', 'outer/', 3), 'run-1:outer.~chunk-3');
});
