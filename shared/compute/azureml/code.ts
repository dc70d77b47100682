/**
 * Code snapshots. A step's code folder is uploaded once per content hash to the workspace
 * datastore (`LocalUpload/<sha256>/<folder>/`, as `az ml` lays it out); the job then points at a
 * code version whose version is derived from that URI, so an unchanged folder is neither uploaded
 * nor registered twice. Like `az ml`, files matched by the folder's `.amlignore` (or, without
 * one, its `.gitignore`) are left out.
 */
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import ignore from 'ignore';
import type { AzureMlWorkspace } from '../../azure/client';
import { blobUrl, getDatastoreInfo } from '../../azure/datastores';
import { createOrGetVersion } from '../../azure/versions';
import { ValidationError } from '../../errors';
import { type Datastore, datastoreUri, parseDatastoreUri } from '../../datastore/types';

/** Name of the code assets this driver creates; versions are content hashes. */
export const CODE_ASSET_NAME = 'amlsched-code';
const MARKER = '.amlsched-complete';

/** Uploads `localDir` unless a snapshot with the same content is already complete. */
export async function uploadCodeFolder(localDir: string, datastore: Datastore): Promise<{ uri: string; hash: string; uploaded: boolean }> {
  const files = await codeFiles(localDir);
  const hash = await hashFiles(localDir, files);
  const base = `LocalUpload/${hash}/`;
  const folder = `${base}${path.basename(path.resolve(localDir))}/`;
  const uri = datastoreUri(datastore.name, folder);
  if (await datastore.stat(base + MARKER)) return { uri, hash, uploaded: false };
  for (const rel of files) await datastore.upload(path.join(localDir, rel), folder + rel);
  // Written last: a snapshot interrupted half-way is uploaded again.
  await datastore.put(base + MARKER, hash);
  return { uri, hash, uploaded: true };
}

/** The folder's files (relative POSIX paths, sorted) that belong in the snapshot. */
async function codeFiles(localDir: string): Promise<string[]> {
  const rules = await readFirst([path.join(localDir, '.amlignore'), path.join(localDir, '.gitignore')]);
  const ignored = ignore().add(rules ?? '');
  return (await readdir(localDir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => path.relative(localDir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .filter((rel) => !ignored.ignores(rel))
    .sort();
}

/** sha256 over every file's relative path and content, in path order. */
async function hashFiles(localDir: string, files: string[]): Promise<string> {
  const hash = createHash('sha256');
  for (const rel of files) {
    const content = await readFile(path.join(localDir, rel));
    hash.update(`${rel}\0${content.length}\0`).update(content).update('\n');
  }
  return hash.digest('hex');
}

async function readFirst(files: string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      return await readFile(file, 'utf8');
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The ARM id `codeId` takes, creating the code version for a datastore snapshot when needed. */
export async function resolveCodeId(ws: AzureMlWorkspace, code: string | undefined): Promise<string | undefined> {
  if (code === undefined) return undefined;
  if (code.startsWith('/subscriptions/')) return code;
  const asset = /^azureml:([^:@/]+):([^:@/]+)$/.exec(code);
  if (asset) return ws.armId(`codes/${asset[1]}/versions/${asset[2]}`);
  const location = parseDatastoreUri(code);
  if (!location) throw new ValidationError('invalid_code', `azureml: code '${code}' is not a datastore URI (azureml://datastores/D/paths/P/), azureml:NAME:VERSION or a code version id`);
  const version = createHash('sha256').update(code).digest('hex').slice(0, 32);
  await createOrGetVersion(
    () => ws.find(`read code ${CODE_ASSET_NAME}:${version}`, (sdk) => sdk.codeVersions.get(ws.resourceGroup, ws.workspace, CODE_ASSET_NAME, version)),
    async () => {
      const codeUri = blobUrl(await getDatastoreInfo(ws, location.datastore), location.path);
      return ws.call(`create code ${CODE_ASSET_NAME}:${version}`, (sdk) => sdk.codeVersions.createOrUpdate(ws.resourceGroup, ws.workspace, CODE_ASSET_NAME, version, {
        properties: { codeUri, isAnonymous: false, properties: { 'amlsched.source': code } },
      }));
    },
  );
  return ws.armId(`codes/${CODE_ASSET_NAME}/versions/${version}`);
}
