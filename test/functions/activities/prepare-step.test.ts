/** The prepare and complete activities with local drivers: fingerprints from real data identities, reuse reasons, output checks. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { completeStep } from '../../../functions/activities/complete-step';
import type { ActivityDeps } from '../../../functions/activities/deps';
import { prepareStep } from '../../../functions/activities/prepare-step';
import type { DatastoreRegistry } from '../../../shared/datastore/types';
import { LocalComponentRegistry, LocalDataRegistry } from '../../../shared/registry/local/index';
import type { CompleteStepInput, PrepareStepInput, PrepareStepResult } from '../../../shared/run/step-types';
import { SqliteStateStore } from '../../../shared/state/sqlite';
import { MemoryDatastore } from '../../_helpers/fake-aml/memory-datastore';
import { FakeCompute } from '../../_helpers/runs/fake-compute';
import { step } from '../../_helpers/runs/plans';

function setup() {
  const db = new Database(':memory:');
  const store = new MemoryDatastore();
  const datastores: DatastoreRegistry = { defaultName: store.name, get: () => store, byContainer: () => store, names: () => [store.name] };
  const compute = new FakeCompute(store);
  compute.behaviours.set('train', { outcome: 'hang' });
  const deps: ActivityDeps = { compute, datastores, data: new LocalDataRegistry(db), components: new LocalComponentRegistry(db), state: new SqliteStateStore(db), clock: () => new Date(0), outputCheckDelayMs: 1 };
  return { db, store, compute, deps };
}

function input(runId: string, files: Record<string, string>, dataUri: string, extra: Partial<PrepareStepInput> = {}): PrepareStepInput {
  const s = step('train', { command: 'python train.py', code: 'src', outputs: { model: { register: { name: 'model' } } } });
  return {
    parent: { instanceId: runId, key: 'train' }, runId, path: 'train', attempt: 0, step: s,
    inputs: { data: { kind: 'data', type: 'uri_folder', uri: dataUri }, lr: { kind: 'literal', value: 0.1 } },
    registrations: { model: [{ name: 'model' }] },
    pipeline: { experimentName: 'exp', defaultDatastore: 'workspaceblobstore', forceRerun: false, continueOnStepFailure: false, pipelineKey: 'p' },
    sources: { src: { uri: 'azureml://datastores/workspaceblobstore/paths/LocalUpload/h/src/', hash: Object.values(files).join(''), files } },
    settings: { backstopSeconds: 1, maxJobsPerCompute: 1, chunkSize: 10 },
    ...extra,
  };
}

async function completeSubmitted(deps: ActivityDeps, store: MemoryDatastore, prepared: PrepareStepResult, runId: string, withOutputs = true) {
  assert.equal(prepared.kind, 'submitted');
  if (prepared.kind !== 'submitted') throw new Error('not submitted');
  if (withOutputs) await store.put(`azureml/${prepared.jobName}/model/model.pkl`, 'weights');
  const done: CompleteStepInput = {
    runId, path: 'train', jobName: prepared.jobName, fingerprint: prepared.fingerprint, reason: prepared.reuse.reason, outputs: prepared.outputs,
    outputTypes: { model: { type: 'uri_folder', mode: 'rw_mount' } }, registrations: { model: [{ name: 'model' }] }, inputs: {}, pipelineKey: 'p',
  };
  return completeStep(deps, done);
}

test('reuse reasons name the changed code file and the changed input datum (blob MD5), and reuse names the run', async () => {
  const { db, store, deps, compute } = setup();
  await store.put('in/a.csv', '1,2');
  const data = 'azureml://datastores/workspaceblobstore/paths/in/';
  const first = await prepareStep(deps, input('run-a', { 'train.py': 'h1', 'lib.py': 'h2' }, data));
  assert.equal(first.kind === 'submitted' && first.reuse.reason, 'no entry');
  assert.deepEqual(compute.jobs.get('run-a-train-0')?.spec.tags['amlsched.instanceId'], 'run-a:train');
  const completed = await completeSubmitted(deps, store, first, 'run-a');
  assert.equal(completed.status, 'Completed');
  assert.deepEqual(completed.registered, ['model:run-a']);

  const reused = await prepareStep(deps, input('run-b', { 'train.py': 'h1', 'lib.py': 'h2' }, data));
  assert.equal(reused.kind, 'reused');
  assert.deepEqual(reused.kind === 'reused' && reused.result.reuse, { reused: true, reason: 'reused from run run-a' });
  assert.deepEqual(reused.kind === 'reused' && reused.result.registered, ['model:run-b'], 'a reused step registers its output for this run too');

  const codeChanged = await prepareStep(deps, input('run-c', { 'train.py': 'h1', 'lib.py': 'h3' }, data));
  assert.equal(codeChanged.kind === 'submitted' && codeChanged.reuse.reason, 'code changed: file lib.py');

  await store.put('in/a.csv', '1,2,3');
  const dataChanged = await prepareStep(deps, input('run-d', { 'train.py': 'h1', 'lib.py': 'h2' }, data));
  assert.equal(dataChanged.kind === 'submitted' && dataChanged.reuse.reason, 'input data changed');

  const forced = await prepareStep(deps, input('run-e', { 'train.py': 'h1', 'lib.py': 'h2' }, data, { pipeline: { experimentName: 'exp', defaultDatastore: 'workspaceblobstore', forceRerun: true, continueOnStepFailure: false, pipelineKey: 'p' } }));
  assert.equal(forced.kind === 'submitted' && forced.reuse.reason, 'forced');
  db.close();
});

test('a job whose outputs are not in the datastore does not complete; missing data fails the prepare with a clear error', async () => {
  const { db, store, deps } = setup();
  await store.put('in/b.csv', 'x');
  const prepared = await prepareStep(deps, input('run-x', { 'train.py': 'h9' }, 'azureml://datastores/workspaceblobstore/paths/in/'));
  const result = await completeSubmitted(deps, store, prepared, 'run-x', false);
  assert.equal(result.status, 'Failed');
  assert.equal(result.error?.code, 'output_missing');
  const missing = await prepareStep(deps, input('run-y', { 'train.py': 'h9' }, 'azureml://datastores/workspaceblobstore/paths/nothing/'));
  assert.equal(missing.kind, 'failed');
  assert.deepEqual(missing.kind === 'failed' && missing.error.code, 'missing_data');
  const asset = await prepareStep(deps, input('run-z', { 'train.py': 'h9' }, 'azureml:nope:1'));
  assert.match(asset.kind === 'failed' ? asset.error.message : '', /data asset nope:1 not found/);
  db.close();
});
