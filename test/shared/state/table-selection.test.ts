/**
 * AMLSCHED_COMPUTE=azureml selects the Azure Table state store from AzureWebJobsStorage (or its
 * identity-based form, as infra/ deploys it), with no local host needed; a missing storage
 * setting stops start-up naming it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createServices } from '../../../shared/config/services';
import { publishLocalServices, tryGetLocalServices } from '../../../shared/local-services';
import { TableStateStore } from '../../../shared/state/table';

const AML = { AMLSCHED_COMPUTE: 'azureml', AML_SUBSCRIPTION_ID: 'sub', AML_RESOURCE_GROUP: 'rg', AML_WORKSPACE: 'ws' };

test('azureml in Azure: Table state store and datastores from the identity-based storage settings', () => {
  assert.equal(tryGetLocalServices(), undefined);
  const services = createServices({
    ...AML,
    AzureWebJobsStorage__accountName: 'appstore',
    AzureWebJobsStorage__credential: 'managedidentity',
    AzureWebJobsStorage__clientId: '11111111-2222-3333-4444-555555555555',
  });
  assert.ok(services.state instanceof TableStateStore);
  assert.equal(services.compute.kind, 'azureml');
  assert.deepEqual(services.datastores.names(), ['workspaceblobstore']);
});

test('azureml without a storage setting stops with the setting named', () => {
  assert.throws(() => createServices({ ...AML }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'invalid_setting');
    assert.match(err.message, /^AzureWebJobsStorage: is not set/);
    return true;
  });
});

test('azureml inside the local host: the host\'s datastores, state still in Table storage', () => {
  const datastores = { get: () => { throw new Error('unused'); }, names: () => ['hoststore'], defaultName: 'hoststore' };
  publishLocalServices({ datastores, state: { table: () => { throw new Error('the SQLite store must not be used'); } } } as never);
  try {
    const services = createServices({ ...AML, AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    assert.equal(services.datastores, datastores);
    assert.ok(services.state instanceof TableStateStore);
  } finally {
    publishLocalServices(undefined);
  }
});
