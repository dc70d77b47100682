/**
 * The default datastore (`workspaceblobstore`) of a test host started by startTestHost, opened
 * from the test process through its Azurite pid file, so tests can seed inputs in bulk and read
 * outputs back.
 */
import { DEV_ACCOUNT, DEV_ACCOUNT_KEY } from '../../../devhost/azurite';
import { readPidFile } from '../../../devhost/pidfiles';
import { BlobDatastore } from '../../../shared/datastore/blob';
import { parseDatastoreUri } from '../../../shared/datastore/types';

export function hostDatastore(dataDir: string): BlobDatastore {
  const record = readPidFile(dataDir, 'azurite') as { ports?: { blob?: number } } | undefined;
  const port = record?.ports?.blob;
  if (!port) throw new Error(`no Azurite pid file with a blob port under ${dataDir}`);
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/${DEV_ACCOUNT};`;
  return new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: { connectionString } });
}

/** Puts many small blobs, a few at a time. */
export async function putAll(store: BlobDatastore, files: { path: string; body: string }[], concurrency = 16): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < files.length) {
      const file = files[next++]!;
      await store.put(file.path, file.body);
    }
  }));
}

/** Text of an `azureml://datastores/workspaceblobstore/paths/...` file. */
export async function readUri(store: BlobDatastore, uri: string): Promise<string> {
  const where = parseDatastoreUri(uri);
  if (!where) throw new Error(`not a datastore URI: ${uri}`);
  return (await store.get(where.path)).toString('utf8');
}
