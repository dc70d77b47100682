/** Contract tests of the `azureml` component/environment registry against the spec-validating fake. */
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

const spec = (version: string): Record<string, unknown> => ({
  $schema: 'https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json',
  type: 'command', command: 'python prep.py', environment: 'azureml:sklearn:1', version,
});

test('components are created once per name and version; the second call returns the first', async () => {
  const first = await aml.components.createOrGet('prep', '1', spec('1'));
  const second = await aml.components.createOrGet('prep', '1', { ...spec('1'), command: 'changed' });
  assert.equal(first.created, true);
  assert.equal(second.created, false);
  assert.equal(second.component.spec.command, 'python prep.py');
  assert.equal(second.component.spec.name, 'prep');
  assert.equal(fake.calls('PUT', 'ComponentVersions_CreateOrUpdate').length, 1);
  assert.deepEqual(fake.violations(), []);
});

test('components: @latest is the newest created version; list is newest first; absent is undefined', async () => {
  await aml.components.createOrGet('train', '1', spec('1'));
  await aml.components.createOrGet('train', '10', spec('10'));
  await aml.components.createOrGet('train', '2', spec('2'));
  const latest = await aml.components.get('train', 'latest');
  assert.equal(latest?.version, '2');
  assert.equal(latest?.spec.version, '2');
  assert.deepEqual((await aml.components.list('train')).map((c) => c.version), ['2', '10', '1']);
  assert.deepEqual([...new Set((await aml.components.list()).map((c) => c.name))], ['prep', 'train']);
  assert.equal(await aml.components.get('train', '3'), undefined);
  assert.equal(await aml.components.get('ghost', 'latest'), undefined);
  assert.deepEqual(fake.violations(), []);
});

test('environments: a pinned or @latest version resolves with its image; absent is undefined', async () => {
  fake.seedVersion('environments', 'torch', '1', { image: 'mcr.microsoft.com/azureml/torch:1' });
  fake.seedVersion('environments', 'torch', '2', { image: 'mcr.microsoft.com/azureml/torch:2' });
  assert.deepEqual(await aml.components.getEnvironment('torch', 'latest'), { name: 'torch', version: '2', image: 'mcr.microsoft.com/azureml/torch:2' });
  assert.deepEqual(await aml.components.getEnvironment('torch', '1'), { name: 'torch', version: '1', image: 'mcr.microsoft.com/azureml/torch:1' });
  assert.equal(await aml.components.getEnvironment('torch', '9'), undefined);
  assert.equal(await aml.components.getEnvironment('ghost', 'latest'), undefined);
  assert.deepEqual(fake.violations(), []);
});
