/**
 * Code upload against a real blob service (Azurite) through the Datastore port, then the job's
 * code version created once per snapshot in the (fake) workspace.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createAzureMlServices } from '../../../../shared/azure/services';
import { uploadCodeFolder } from '../../../../shared/compute/azureml/code';
import { JOB_TAGS } from '../../../../shared/compute/types';
import { BlobDatastore } from '../../../../shared/datastore/blob';
import { type AzuriteInstance, startAzurite } from '../../../_helpers/azurite';
import { FakeAml } from '../../../_helpers/fake-aml/server';

let azurite: AzuriteInstance;
let fake: FakeAml;
let tmp: string;
before(async () => {
  [azurite, fake, tmp] = await Promise.all([startAzurite(), FakeAml.start(), mkdtemp(path.join(os.tmpdir(), 'amld-code-'))]);
});
after(async () => {
  await Promise.all([azurite.stop(), fake.close(), rm(tmp, { recursive: true, force: true })]);
});

test('a code folder reaches the workspace datastore once, and its code version is created once', async () => {
  const folder = path.join(tmp, 'train-src');
  await mkdir(path.join(folder, 'lib'), { recursive: true });
  await writeFile(path.join(folder, 'train.py'), 'import lib.util\n');
  await writeFile(path.join(folder, 'lib', 'util.py'), 'SEED = 7\n');
  const datastore = new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: { connectionString: azurite.connectionString } });

  const first = await uploadCodeFolder(folder, datastore);
  const second = await uploadCodeFolder(folder, datastore);
  assert.deepEqual([first.uploaded, second.uploaded], [true, false]);
  const blobs: string[] = [];
  for await (const blob of datastore.list(`LocalUpload/${first.hash}/`)) blobs.push(blob.path);
  assert.deepEqual(blobs, [
    `LocalUpload/${first.hash}/.amlsched-complete`,
    `LocalUpload/${first.hash}/train-src/lib/util.py`,
    `LocalUpload/${first.hash}/train-src/train.py`,
  ]);
  assert.equal((await datastore.get(`LocalUpload/${first.hash}/train-src/lib/util.py`)).toString(), 'SEED = 7\n');

  const aml = createAzureMlServices({ env: fake.env() });
  const tags = { [JOB_TAGS.runId]: 'r', [JOB_TAGS.step]: 's', [JOB_TAGS.attempt]: '1' };
  for (const name of ['code-job-1', 'code-job-2']) {
    await aml.compute.submit({
      name, experimentName: 'e', command: 'python train.py', code: second.uri, compute: 'cpu',
      environment: { kind: 'registry', uri: 'azureml://registries/azureml/environments/python/versions/1' },
      inputs: {}, outputs: {}, environmentVariables: {}, tags,
    });
  }
  assert.equal(fake.calls('PUT', 'CodeVersions_CreateOrUpdate').length, 1);
  assert.deepEqual(fake.violations(), []);
});
