/** Contract tests of the `azureml` data registry against the spec-validating fake. */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createAzureMlServices, type AzureMlServices } from '../../../../shared/azure/services';
import { FakeAml } from '../../../_helpers/fake-aml/server';

let fake: FakeAml;
let aml: AzureMlServices;
before(async () => { fake = await FakeAml.start(); });
after(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  aml = createAzureMlServices({ env: fake.env() });
});

const uri = (p: string): string => `azureml://datastores/workspaceblobstore/paths/${p}`;

test('registering the same output twice yields one data version, the first', async () => {
  const input = {
    name: 'scored', version: 'run-42', type: 'uri_folder' as const, uri: uri('runs/42/score/'), description: 'scores',
    tags: { team: 'ml' }, producedBy: { runId: '42', step: 'score', jobName: '42-score-1', inputs: { data: 'azureml:raw:3' } },
  };
  const first = await aml.data.createOrGet(input);
  const second = await aml.data.createOrGet({ ...input, uri: uri('runs/other/') });
  assert.equal(first.created, true);
  assert.equal(second.created, false);
  assert.deepEqual(second.version, first.version);
  assert.equal(second.version.uri, uri('runs/42/score/'));
  assert.deepEqual(first.version.producedBy, input.producedBy);
  assert.deepEqual(first.version.tags, { team: 'ml' });
  assert.equal(first.version.description, 'scores');
  assert.match(first.version.createdTime, /^\d{4}-\d\d-\d\dT/);
  assert.equal(fake.calls('PUT', 'DataVersions_CreateOrUpdate').length, 1);
  assert.equal(fake.calls('GET', 'DataVersions_Get').length, 2, 'looked up before each registration');
  const body = fake.calls('PUT', 'DataVersions_CreateOrUpdate')[0]!.body as { properties: Record<string, unknown> };
  assert.equal(body.properties.dataType, 'uri_folder');
  assert.equal(body.properties.dataUri, uri('runs/42/score/'));
  assert.deepEqual(fake.violations(), []);
});

test('a registration that loses a race re-reads and returns the winner', async () => {
  // Another writer creates the version between our GET and our PUT: the PUT is refused (409).
  fake.beforeRoute = (r) => {
    if (r.operationId === 'DataVersions_CreateOrUpdate') fake.seedVersion('data', 'raced', '1', { dataType: 'uri_file', dataUri: uri('winner.csv') });
  };
  try {
    const result = await aml.data.createOrGet({ name: 'raced', version: '1', type: 'uri_file', uri: uri('loser.csv'), tags: {} });
    assert.equal(result.created, false);
    assert.equal(result.version.uri, uri('winner.csv'));
    assert.deepEqual(fake.calls('PUT', 'DataVersions_CreateOrUpdate').map((r) => r.status), [409]);
  } finally {
    fake.beforeRoute = undefined;
  }
});

test('@latest and list: newest created first; absent assets are undefined', async () => {
  await aml.data.createOrGet({ name: 'daily', version: '2025-01-01', type: 'uri_file', uri: uri('d/1.csv'), tags: {} });
  await aml.data.createOrGet({ name: 'daily', version: '2025-01-03', type: 'uri_file', uri: uri('d/3.csv'), tags: {} });
  await aml.data.createOrGet({ name: 'daily', version: '2025-01-02', type: 'uri_file', uri: uri('d/2.csv'), tags: {} });
  assert.equal((await aml.data.get('daily', 'latest'))?.version, '2025-01-02', 'latest = most recently created');
  assert.deepEqual((await aml.data.list('daily')).map((v) => v.version), ['2025-01-02', '2025-01-03', '2025-01-01']);
  assert.equal(await aml.data.get('daily', 'nope'), undefined);
  assert.equal(await aml.data.get('never-registered', 'latest'), undefined);
  const all = await aml.data.list();
  assert.ok(all.some((v) => v.name === 'daily') && all.some((v) => v.name === 'scored'));
  const latestCall = fake.calls('GET', 'DataVersions_List').find((r) => r.query.$top === '1');
  assert.equal(latestCall?.query.$orderBy, 'createdtime desc');
  assert.deepEqual(fake.violations(), []);
});
