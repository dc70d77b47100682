/**
 * Local paths named in YAML (`path: ./data`) are uploaded once by content hash, as `az ml` does:
 * to `LocalUpload/<sha256>/<basename>` in the datastore, so an unchanged file or folder is not
 * uploaded again and the resulting `azureml://` URI is stable. A marker blob next to the content
 * (outside the data folder) is written last, so an interrupted upload is redone.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError } from '../errors';
import { listFiles } from './blob';
import { datastoreUri, type Datastore } from './types';

export interface LocalUploadResult {
  /** `azureml://datastores/D/paths/LocalUpload/<hash>/<name>` (with a trailing `/` for a folder). */
  uri: string;
  /** Path inside the datastore. */
  path: string;
  hash: string;
  kind: 'file' | 'folder';
  /** False when the same content was already there. */
  uploaded: boolean;
}

const MARKER = '.amlsched-upload-complete';

export async function uploadLocalPathOnce(datastore: Datastore, localPath: string): Promise<LocalUploadResult> {
  const info = await stat(localPath).catch(() => undefined);
  if (!info || (!info.isFile() && !info.isDirectory())) {
    throw new NotFoundError('missing_path', `local path '${localPath}' does not exist`);
  }
  const kind = info.isFile() ? 'file' : 'folder';
  const hash = await contentHash(localPath, kind);
  const base = path.basename(path.resolve(localPath));
  const root = `LocalUpload/${hash}/`;
  const blobPath = kind === 'file' ? root + base : `${root}${base}/`;
  const done = await datastore.stat(root + MARKER);
  if (!done) {
    await datastore.upload(localPath, blobPath);
    await datastore.put(root + MARKER, JSON.stringify({ name: base, kind }), { contentType: 'application/json' });
  }
  return { uri: datastoreUri(datastore.name, blobPath), path: blobPath, hash, kind, uploaded: !done };
}

/** sha256 over the sorted relative paths, sizes and contents (a file: its name and content). */
export async function contentHash(localPath: string, kind: 'file' | 'folder'): Promise<string> {
  const hash = createHash('sha256');
  const files = kind === 'file' ? [{ relative: path.basename(localPath), full: localPath }]
    : (await listFiles(localPath)).map((relative) => ({ relative, full: path.join(localPath, ...relative.split('/')) }));
  for (const file of files) {
    const size = (await stat(file.full)).size;
    hash.update(`${file.relative}\0${size}\0`);
    for await (const chunk of createReadStream(file.full)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
