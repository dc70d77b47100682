import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAmlJobEvent } from '../../../shared/events/aml-event';
import { advanceStatus, isTerminalStatus, normalizeJobStatus } from '../../../shared/events/status';

const tags = { 'amlsched.runId': 'run-1', 'amlsched.instanceId': 'run-1:train', 'amlsched.step': 'train' };

test('RunCompleted (camelCase, REST example shape) means Completed and carries the instance from the tags', () => {
  const parsed = parseAmlJobEvent({
    id: 'e1', topic: '/subscriptions/s', subject: 'experiments/x/runs/job-1', eventType: 'Microsoft.MachineLearningServices.RunCompleted',
    eventTime: '2026-01-01T00:00:00Z', data: { experimentId: 'x', experimentName: 'exp', runId: 'job-1', runType: null, runTags: tags, runProperties: {} },
    dataVersion: '', metadataVersion: '1',
  });
  assert.deepEqual(parsed, { eventId: 'e1', eventType: 'Microsoft.MachineLearningServices.RunCompleted', eventTime: '2026-01-01T00:00:00Z', jobName: 'job-1', status: 'Completed', tags, instanceId: 'run-1:train', runId: 'run-1' });
});

test('RunStatusChanged in PascalCase with a lower-case status (Learn page shape)', () => {
  const parsed = parseAmlJobEvent({ id: 'e2', subject: 'experiments/x/runs/job-2', eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', data: { ExperimentId: 'x', RunId: 'job-2', RunTags: tags, RunStatus: 'failed' } });
  assert.equal(parsed?.status, 'Failed');
  assert.equal(parsed?.jobName, 'job-2');
  assert.equal(parsed?.instanceId, 'run-1:train');
});

test('CloudEvents (type/time), the job name from the subject, and non-job events', () => {
  const parsed = parseAmlJobEvent({ id: 'e3', type: 'Microsoft.MachineLearningServices.RunStatusChanged', subject: 'experiments/x/runs/job-3', time: 't', data: { runStatus: 'CANCELED' } });
  assert.equal(parsed?.jobName, 'job-3');
  assert.equal(parsed?.status, 'Canceled');
  assert.equal(parsed?.instanceId, undefined);
  assert.equal(parseAmlJobEvent({ id: 'x', eventType: 'Microsoft.Storage.BlobCreated', data: {} }), undefined);
  assert.equal(parseAmlJobEvent({ id: 'x', eventType: 'Microsoft.MachineLearningServices.RunStatusChanged', data: { runId: 'j', runStatus: 'Weird' } }), undefined);
  assert.equal(parseAmlJobEvent('not an event'), undefined);
});

test('statuses compare case-insensitively and only move forward', () => {
  assert.equal(normalizeJobStatus('running'), 'Running');
  assert.equal(normalizeJobStatus('Cancelled'), 'Canceled');
  assert.equal(advanceStatus('Queued', 'running'), 'Running');
  assert.equal(advanceStatus('Running', 'Queued'), 'Running', 'late events do not move back');
  assert.equal(advanceStatus('Completed', 'Failed'), 'Completed', 'a final status is never replaced');
  assert.equal(advanceStatus('Running', 'nonsense'), 'Running');
  assert.ok(isTerminalStatus('failed'));
  assert.ok(!isTerminalStatus('Finalizing'));
});
