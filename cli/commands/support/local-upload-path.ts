/**
 * Where a local file or folder named by a data or component YAML is uploaded: under
 * `LocalUpload/<content hash>/<basename>` as `az ml` does, so the same content lands once.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

async function hashInto(hash: ReturnType<typeof createHash>, root: string, rel: string): Promise<void> {
  const full = path.join(root, rel);
  const info = await stat(full);
  if (info.isFile()) {
    hash.update(`file\0${rel}\0`).update(await readFile(full)).update('\0');
    return;
  }
  const entries = (await readdir(full)).sort();
  for (const name of entries) await hashInto(hash, root, rel ? `${rel}/${name}` : name);
}

export async function localUploadPath(local: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(hash, local, '');
  return `LocalUpload/${hash.digest('hex').slice(0, 32)}/${path.basename(path.resolve(local))}`;
}

/** True for paths that name something on this machine rather than an `azureml:` or URL reference. */
export function isLocalPath(value: string): boolean {
  return !/^(azureml:|[a-z][a-z0-9+.-]*:\/\/)/i.test(value);
}
