import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import Database from 'better-sqlite3';
import { experimentId, jobEvents, workspaceTopic } from '../../../devhost/localaml/events';
import { instancesFromSettings, startLocalAzureMl } from '../../../devhost/localaml';
import { createLocalCompute } from '../../../shared/compute/local';
import { BlobDatastore } from '../../../shared/datastore/blob';
import { StaticDatastoreRegistry } from '../../../shared/datastore/settings';
import { publishLocalServices } from '../../../shared/local-services';
import { createLocalComponentRegistry, createLocalDataRegistry } from '../../../shared/registry/local';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../../_helpers/azurite';

const dir = mkdtempSync(path.join(os.tmpdir(), 'localaml-index-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('startLocalAzureMl gives the services the app drivers read through getLocalServices', async () => {
  // No request is made: the datastore client is created lazily.
  const store = new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:9/${AZURITE_ACCOUNT};`,
  } });
  const db = new Database(':memory:');
  const services = await startLocalAzureMl({ db, datastores: new StaticDatastoreRegistry([store]), publish: async () => undefined, dataDir: dir, instances: 2 });
  try {
    assert.equal(services.compute.kind, 'local');
    publishLocalServices(services);
    assert.equal(createLocalCompute(), services.compute);
    assert.equal(createLocalDataRegistry(), services.data);
    assert.equal(createLocalComponentRegistry(), services.components);
    // The state store shares the host's database.
    await services.state.table('t').upsert('p', 'r', 1);
    assert.deepEqual(db.prepare("SELECT count(*) AS n FROM state_entities WHERE table_name = 't'").get(), { n: 1 });
    assert.deepEqual((await services.state.table('t').get('p', 'r'))?.data, 1);
  } finally {
    publishLocalServices(undefined);
    await services.close();
  }
  assert.throws(() => createLocalCompute(), { code: 'invalid_setting', message: /AMLSCHED_COMPUTE/ });
});

test('AMLSCHED_LOCAL_INSTANCES: a number, a per-compute map, or a clear error', () => {
  assert.equal(instancesFromSettings({}), os.availableParallelism());
  assert.equal(instancesFromSettings({ AMLSCHED_LOCAL_INSTANCES: '3' }), 3);
  assert.deepEqual(instancesFromSettings({ AMLSCHED_LOCAL_INSTANCES: '{"cpu-cluster": 2, "*": 4}' }), { 'cpu-cluster': 2, '*': 4 });
  assert.throws(() => instancesFromSettings({ AMLSCHED_LOCAL_INSTANCES: 'many' }), { message: /^AMLSCHED_LOCAL_INSTANCES:/ });
  assert.throws(() => instancesFromSettings({ AMLSCHED_LOCAL_INSTANCES: '{"a": 0}' }), { message: /^AMLSCHED_LOCAL_INSTANCES:/ });
});

test('events: RunStatusChanged always, RunCompleted only on success, stable experiment id', () => {
  const spec = {
    name: 'j1', experimentName: 'exp', command: 'true', environment: { kind: 'none' as const }, compute: 'local',
    inputs: {}, outputs: {}, environmentVariables: {}, tags: { 'amlsched.runId': 'r' },
  };
  const workspace = { subscriptionId: 'sub', resourceGroup: 'rg', workspace: 'ws' };
  const failed = jobEvents(spec, { name: 'j1', status: 'Failed', tags: spec.tags, outputs: {}, error: { code: 'UserError', message: 'x' } }, workspace);
  assert.deepEqual(failed.map((e) => e.eventType), ['Microsoft.MachineLearningServices.RunStatusChanged']);
  assert.equal(failed[0]?.data.runStatus, 'Failed');
  const completed = jobEvents(spec, { name: 'j1', status: 'Completed', tags: spec.tags, outputs: {} }, workspace);
  assert.deepEqual(completed.map((e) => e.eventType), ['Microsoft.MachineLearningServices.RunStatusChanged', 'Microsoft.MachineLearningServices.RunCompleted']);
  assert.equal('runStatus' in (completed[1]?.data ?? {}), false);
  assert.equal(completed[0]?.topic, '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/ws');
  assert.equal(workspaceTopic(workspace), completed[0]?.topic);
  assert.equal(experimentId('exp'), experimentId('exp'));
  assert.notEqual(experimentId('exp'), experimentId('other'));
  assert.equal(completed[0]?.subject, `experiments/${experimentId('exp')}/runs/j1`);
  assert.notEqual(completed[0]?.id, completed[1]?.id);
});
