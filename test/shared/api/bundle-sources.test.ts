import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { localRefs, uploadBundleSources } from '../../../shared/api/bundle-sources';
import { contentHash } from '../../../shared/datastore/local-upload';
import { buildBundleFromDisk, openBundle } from '../../../shared/spec/bundle';
import { loadPlanFromSource } from '../../../shared/spec/load';
import { productRoot } from '../../../devhost/product-root';
import { MemoryDatastore } from '../../_helpers/fake-aml/memory-datastore';

const GREET = path.join(productRoot(), 'test', 'fixtures', 'api', 'greet', 'pipeline.yml');

async function greetPlan() {
  const { bundle } = await buildBundleFromDisk(GREET);
  const result = await loadPlanFromSource(openBundle(bundle), bundle.entry);
  assert.ok(result.ok);
  return { bundle, plan: result.plan };
}

test('the code folder of a bundle lands under LocalUpload/<hash of its content>/, the hash az ml uploads use', async () => {
  const { bundle, plan } = await greetPlan();
  assert.deepEqual(localRefs(plan), ['src']);
  const store = new MemoryDatastore();
  const sources = await uploadBundleSources(bundle, plan, store);
  const expectedHash = await contentHash(path.join(path.dirname(GREET), 'src'), 'folder');
  assert.equal(sources.src?.hash, expectedHash);
  assert.equal(sources.src?.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${expectedHash}/src/`);
  assert.deepEqual(Object.keys(sources.src?.files ?? {}), ['say.sh']);
  const blob = await store.get(`LocalUpload/${expectedHash}/src/say.sh`);
  assert.match(blob.toString('utf8'), /tee "\$3\/said.txt"/);
});

test('a plan path missing from the bundle is a 400-class error on body.bundle.files', async () => {
  const { bundle, plan } = await greetPlan();
  const { 'src/say.sh': _dropped, ...files } = bundle.files;
  await assert.rejects(uploadBundleSources({ ...bundle, files }, plan, new MemoryDatastore()),
    (err: Error & { code?: string; location?: { path?: string } }) => err.code === 'missing_source' && err.location?.path === 'body.bundle.files');
});
