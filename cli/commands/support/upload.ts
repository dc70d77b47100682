/**
 * Uploads a local file, or every file of a local folder, to a datastore path through
 * `PUT /api/datastores/{name}/paths/{*path}` (one request per file).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ApiClient } from '../../../shared/api/client';
import { datastoreUri } from '../../../shared/datastore/types';
import { NotFoundError } from '../../../shared/errors';

export interface UploadedFile {
  uri: string;
  size: number;
  etag: string;
}

export function uploadRoute(datastore: string, blobPath: string): string {
  return `api/datastores/${encodeURIComponent(datastore)}/paths/${blobPath.split('/').map(encodeURIComponent).join('/')}`;
}

async function filesUnder(dir: string, rel = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await filesUnder(dir, child)));
    else if (entry.isFile()) out.push(child);
  }
  return out;
}

/**
 * A file goes to `target` itself, or into it when `target` ends with `/`; a folder's files go
 * under `target/`. Returns the URI of what was uploaded (a folder URI ends with `/`) and the files.
 */
export async function uploadLocal(client: ApiClient, local: string, datastore: string, target: string, onFile?: (file: UploadedFile) => void): Promise<{ uri: string; files: UploadedFile[]; folder: boolean }> {
  const info = await stat(local).catch(() => undefined);
  if (!info) throw new NotFoundError('missing_path', `${local}: no such file or folder`);
  const put = async (file: string, blobPath: string): Promise<UploadedFile> => {
    const uploaded = (await client.send<UploadedFile>('PUT', uploadRoute(datastore, blobPath), { body: await readFile(file) })).body;
    onFile?.(uploaded);
    return uploaded;
  };
  const cleanTarget = target.replace(/^\/+/, '');
  if (info.isFile()) {
    const blobPath = cleanTarget === '' || cleanTarget.endsWith('/') ? `${cleanTarget}${path.basename(local)}` : cleanTarget;
    const file = await put(local, blobPath);
    return { uri: datastoreUri(datastore, blobPath), files: [file], folder: false };
  }
  const prefix = cleanTarget === '' || cleanTarget.endsWith('/') ? cleanTarget : `${cleanTarget}/`;
  const files: UploadedFile[] = [];
  for (const rel of await filesUnder(local)) files.push(await put(path.join(local, rel), `${prefix}${rel}`));
  return { uri: datastoreUri(datastore, prefix), files, folder: true };
}
