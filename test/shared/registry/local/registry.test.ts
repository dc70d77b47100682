import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { LocalComponentRegistry, LocalDataRegistry } from '../../../../shared/registry/local';

const lineage = { runId: 'run1', step: 'prep', jobName: 'run1-prep-1' };

test('registering the same data name+version twice yields one version, unchanged', async () => {
  const registry = new LocalDataRegistry(new Database(':memory:'));
  const input = { name: 'clean', version: '1', type: 'uri_folder' as const, uri: 'azureml://datastores/workspaceblobstore/paths/azureml/j/out/', tags: {}, producedBy: lineage };
  const first = await registry.createOrGet(input);
  assert.equal(first.created, true);
  const second = await registry.createOrGet({ ...input, uri: 'azureml://datastores/workspaceblobstore/paths/other/' });
  assert.equal(second.created, false);
  assert.deepEqual(second.version, first.version);
  assert.deepEqual(await registry.list('clean'), [first.version]);
  assert.deepEqual((await registry.get('clean', '1'))?.producedBy, lineage);
});

test('latest is the last created version, not the highest; list is newest first', async () => {
  const registry = new LocalDataRegistry(new Database(':memory:'));
  for (const version of ['10', '2', 'b']) {
    await registry.createOrGet({ name: 'd', version, type: 'uri_file', uri: `azureml://datastores/w/paths/${version}.csv`, tags: {} });
  }
  await registry.createOrGet({ name: 'a', version: '1', type: 'uri_file', uri: 'azureml://datastores/w/paths/a.csv', tags: {} });
  assert.equal((await registry.get('d', 'latest'))?.version, 'b');
  assert.equal(await registry.get('d', '3'), undefined);
  assert.equal(await registry.get('none', 'latest'), undefined);
  assert.deepEqual((await registry.list('d')).map((v) => v.version), ['b', '2', '10']);
  assert.deepEqual((await registry.list()).map((v) => `${v.name}:${v.version}`), ['a:1', 'd:b', 'd:2', 'd:10']);
});

test('invalid names, versions and local paths are refused', async () => {
  const registry = new LocalDataRegistry(new Database(':memory:'));
  const ok = { name: 'x', version: '1', type: 'uri_file' as const, uri: 'azureml://datastores/w/paths/x', tags: {} };
  await assert.rejects(registry.createOrGet({ ...ok, name: 'bad name' }), { code: 'invalid_asset_name' });
  await assert.rejects(registry.createOrGet({ ...ok, version: 'latest' }), { code: 'invalid_asset_version' });
  await assert.rejects(registry.createOrGet({ ...ok, uri: './data' }), { code: 'invalid_data_uri' });
  await assert.rejects(registry.createOrGet({ ...ok, version: `v${'9'.repeat(255)}` }), { code: 'invalid_asset_version' });
});

test('a blob-triggered run id is a valid version (derived ids run past 50 characters)', async () => {
  const registry = new LocalDataRegistry(new Database(':memory:'));
  const version = 'score-new-files-folder-2026-11-25-13fbd852f180-e1fecd5f';
  const { created } = await registry.createOrGet({ name: 'scored', version, type: 'uri_file', uri: 'azureml://datastores/w/paths/s', tags: {} });
  assert.equal(created, true);
  assert.equal((await registry.get('scored', 'latest'))?.version, version);
});

test('components and environments: create-or-get, latest, list', async () => {
  const db = new Database(':memory:');
  const registry = new LocalComponentRegistry(db);
  const first = await registry.createOrGet('train', '1', { command: 'python train.py' });
  assert.equal(first.created, true);
  const again = await registry.createOrGet('train', '1', { command: 'changed' });
  assert.equal(again.created, false);
  assert.deepEqual(again.component.spec, { command: 'python train.py' });
  await registry.createOrGet('train', '2', { command: 'v2' });
  assert.equal((await registry.get('train', 'latest'))?.version, '2');
  assert.deepEqual((await registry.list('train')).map((c) => c.version), ['2', '1']);

  await registry.createOrGetEnvironment('sklearn', '3', { image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04' });
  assert.deepEqual(await registry.getEnvironment('sklearn', 'latest'), { name: 'sklearn', version: '3', image: 'mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu20.04' });
  assert.equal(await registry.getEnvironment('train', '1'), undefined, 'components and environments are separate');
  // Persisted in the host database: a second registry over the same DB sees them.
  assert.equal((await new LocalComponentRegistry(db).get('train', '1'))?.spec.command, 'python train.py');
});
