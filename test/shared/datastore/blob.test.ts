import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { BlobDatastore } from '../../../shared/datastore/blob';
import { uploadLocalPathOnce } from '../../../shared/datastore/local-upload';
import { createDatastoreRegistry } from '../../../shared/datastore/settings';
import { parseDatastoreUri } from '../../../shared/datastore/types';
import { startAzurite, type AzuriteInstance } from '../../_helpers/azurite';

let azurite: AzuriteInstance;
let store: BlobDatastore;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'blob-test-'));

before(async () => {
  azurite = await startAzurite();
  store = new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: { connectionString: azurite.connectionString } });
});
after(async () => {
  await azurite?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

describe('BlobDatastore against Azurite', () => {
  test('put, get and stat with etag and md5', async () => {
    const info = await store.put('/a/b.txt', 'hello', { contentType: 'text/plain' });
    assert.equal(info.path, 'a/b.txt');
    assert.equal(info.size, 5);
    assert.ok(info.etag);
    assert.equal(info.contentMd5, createHash('md5').update('hello').digest('base64'));
    assert.equal((await store.get('a/b.txt')).toString(), 'hello');
    assert.deepEqual(await store.stat('a/b.txt'), info);
    assert.equal(await store.stat('a/none.txt'), undefined);
    await assert.rejects(store.get('a/none.txt'), { code: 'blob_not_found' });
    assert.match(store.urlOf('a/b.txt'), new RegExp(`^http://127\\.0\\.0\\.1:${azurite.blobPort}/devstoreaccount1/azureml-blobstore/a/b\\.txt$`));
    assert.equal(store.accountName, 'devstoreaccount1');
  });

  test('putStream stores the stream', async () => {
    const info = await store.putStream('s/stream.bin', Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
    assert.equal(info.size, 4);
    assert.equal((await store.get('s/stream.bin')).toString(), 'abcd');
  });

  test('list is ordered and limited to the prefix', async () => {
    for (const name of ['l/c', 'l/a', 'l/b/z', 'l/b/a', 'lx']) await store.put(name, name);
    const listed: string[] = [];
    for await (const blob of store.list('l/')) listed.push(blob.path);
    assert.deepEqual(listed, ['l/a', 'l/b/a', 'l/b/z', 'l/c']);
  });

  test('folder upload and download round-trip, and a single file', async () => {
    const src = path.join(tmp, 'src');
    mkdirSync(path.join(src, 'sub'), { recursive: true });
    writeFileSync(path.join(src, 'x.csv'), 'x');
    writeFileSync(path.join(src, 'sub', 'y.csv'), 'y');
    await store.upload(src, 'folder/data');
    const listed: string[] = [];
    for await (const blob of store.list('folder/data/')) listed.push(blob.path);
    assert.deepEqual(listed, ['folder/data/sub/y.csv', 'folder/data/x.csv']);
    assert.equal((await store.stat('folder/data/x.csv'))?.contentMd5, createHash('md5').update('x').digest('base64'));

    const dst = path.join(tmp, 'dst');
    await store.download('folder/data/', dst);
    assert.equal(readFileSync(path.join(dst, 'x.csv'), 'utf8'), 'x');
    assert.equal(readFileSync(path.join(dst, 'sub', 'y.csv'), 'utf8'), 'y');

    await store.download('folder/data/x.csv', path.join(tmp, 'one', 'x.csv'));
    assert.equal(readFileSync(path.join(tmp, 'one', 'x.csv'), 'utf8'), 'x');
    await assert.rejects(store.download('folder/missing/', path.join(tmp, 'none')), { code: 'blob_not_found' });

    await store.delete('folder/data/x.csv');
    assert.equal(await store.stat('folder/data/x.csv'), undefined);
  });

  test('a container that does not exist yet lists as empty', async () => {
    const empty = new BlobDatastore({ name: 'other', container: 'not-created', connection: { connectionString: azurite.connectionString } });
    const listed: string[] = [];
    for await (const blob of empty.list('')) listed.push(blob.path);
    assert.deepEqual(listed, []);
    assert.equal(await empty.stat('x'), undefined);
  });
});

describe('uploadLocalPathOnce', () => {
  test('uploads a folder once by content hash and returns a stable azureml:// URI', async () => {
    const data = path.join(tmp, 'data');
    mkdirSync(data, { recursive: true });
    writeFileSync(path.join(data, 'rows.csv'), 'a,b\n1,2\n');
    const first = await uploadLocalPathOnce(store, data);
    assert.equal(first.uploaded, true);
    assert.equal(first.kind, 'folder');
    assert.equal(first.uri, `azureml://datastores/workspaceblobstore/paths/LocalUpload/${first.hash}/data/`);
    assert.deepEqual(parseDatastoreUri(first.uri), { datastore: 'workspaceblobstore', path: `LocalUpload/${first.hash}/data/` });
    assert.equal((await store.get(`${first.path}rows.csv`)).toString(), 'a,b\n1,2\n');

    const again = await uploadLocalPathOnce(store, data);
    assert.deepEqual({ ...again, uploaded: true }, first);
    assert.equal(again.uploaded, false);

    writeFileSync(path.join(data, 'rows.csv'), 'a,b\n1,3\n');
    const changed = await uploadLocalPathOnce(store, data);
    assert.notEqual(changed.hash, first.hash);
    assert.equal(changed.uploaded, true);
  });

  test('a file keeps its name; a missing path is a missing_path error', async () => {
    const file = path.join(tmp, 'one.txt');
    writeFileSync(file, '1');
    const result = await uploadLocalPathOnce(store, file);
    assert.equal(result.kind, 'file');
    assert.match(result.uri, /\/LocalUpload\/[0-9a-f]{64}\/one\.txt$/);
    assert.equal((await store.get(result.path)).toString(), '1');
    await assert.rejects(uploadLocalPathOnce(store, path.join(tmp, 'nope')), { code: 'missing_path' });
  });
});

describe('createDatastoreRegistry from settings', () => {
  test('workspaceblobstore by default, more from AMLSCHED_DATASTORES', async () => {
    const registry = createDatastoreRegistry({
      AzureWebJobsStorage: azurite.connectionString,
      RAW: azurite.connectionString,
      AMLSCHED_DATASTORES: JSON.stringify({ raw: { container: 'raw-data', connection: 'RAW' }, extra: { container: 'extra' } }),
    });
    assert.equal(registry.defaultName, 'workspaceblobstore');
    assert.deepEqual(registry.names(), ['extra', 'raw', 'workspaceblobstore']);
    assert.equal(registry.get('workspaceblobstore').container, 'azureml-blobstore');
    await registry.get('raw').put('f.txt', 'raw');
    assert.equal(registry.byContainer('devstoreaccount1', 'raw-data')?.name, 'raw');
    assert.equal(registry.byContainer('otheraccount', 'raw-data'), undefined);
    assert.throws(() => registry.get('nope'), { code: 'invalid_setting', message: /nope/ });
  });

  test('malformed settings name the setting', () => {
    const base = { AzureWebJobsStorage: azurite.connectionString };
    assert.throws(() => createDatastoreRegistry({ ...base, AMLSCHED_DATASTORES: '{not json' }), { code: 'invalid_setting', message: /^AMLSCHED_DATASTORES: is not valid JSON/ });
    assert.throws(() => createDatastoreRegistry({ ...base, AMLSCHED_DATASTORES: '[]' }), { message: /^AMLSCHED_DATASTORES:/ });
    assert.throws(() => createDatastoreRegistry({ ...base, AMLSCHED_DATASTORES: '{"a":{}}' }), { message: /datastore 'a' needs a "container"/ });
    assert.throws(() => createDatastoreRegistry({ ...base, AMLSCHED_DATASTORES: '{"a":{"container":"Bad_Name"}}' }), { message: /not a valid container name/ });
    assert.throws(() => createDatastoreRegistry({ ...base, AMLSCHED_DATASTORES: '{"a":{"container":"ok-name","connection":"MISSING"}}' }), { message: /^MISSING: is not set/ });
    assert.throws(() => createDatastoreRegistry({}), { message: /^AzureWebJobsStorage: is not set/ });
    assert.throws(() => createDatastoreRegistry({ AzureWebJobsStorage: 'garbage' }), { message: /^AzureWebJobsStorage: is not a storage connection string/ });
  });

  test('identity-based settings give an account URL', () => {
    const registry = createDatastoreRegistry({ AzureWebJobsStorage__accountName: 'myacct', AzureWebJobsStorage__clientId: '00000000-0000-0000-0000-000000000001' });
    assert.equal(registry.get('workspaceblobstore').urlOf('x/y'), 'https://myacct.blob.core.windows.net/azureml-blobstore/x/y');
  });
});
