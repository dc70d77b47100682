/** Reading a workspace datastore (Datastores_Get) and the blob URLs built from it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blobUrl, getDatastoreInfo } from '../../../shared/azure/datastores';
import { createAzureMlServices } from '../../../shared/azure/services';
import { FakeAml } from '../../_helpers/fake-aml/server';

test('a blob datastore is read with its account, container and endpoint; no secrets are requested', async () => {
  const fake = await FakeAml.start();
  try {
    const { workspace } = createAzureMlServices({ env: fake.env() });
    const info = await getDatastoreInfo(workspace, 'workspaceblobstore');
    assert.deepEqual(info, {
      name: 'workspaceblobstore', type: 'AzureBlob', isDefault: true,
      accountName: 'fakeaccount', containerName: 'azureml-workspaceblobstore', endpoint: 'core.windows.net', protocol: 'https',
    });
    assert.equal(blobUrl(info, '/LocalUpload/abc/src/'), 'https://fakeaccount.blob.core.windows.net/azureml-workspaceblobstore/LocalUpload/abc/src/');
    assert.deepEqual(fake.requests.map((r) => r.operationId), ['Datastores_Get']);
    assert.deepEqual(fake.violations(), []);
  } finally {
    await fake.close();
  }
});

test('blob URLs need a blob datastore', () => {
  assert.throws(() => blobUrl({ name: 'lake', type: 'AzureDataLakeGen2', isDefault: false }, 'x'), { code: 'unsupported_datastore' });
});
