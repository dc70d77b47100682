/**
 * Identities of a step's data for its fingerprint: a data asset version, the MD5 (else eTag) of
 * a blob, a digest over a folder's blobs, or the upstream step's fingerprint. A content MD5 is
 * preferred to an eTag, so re-uploading the same bytes keeps the identity.
 */
import { createHash } from 'node:crypto';
import { parseDatastoreUri, type BlobInfo } from '../../shared/datastore/types';
import { ValidationError } from '../../shared/errors';
import type { StepInputValue } from '../../shared/run/step-types';
import type { ActivityDeps } from './deps';

export async function dataIdentity(deps: ActivityDeps, name: string, value: Extract<StepInputValue, { kind: 'data' }>): Promise<string> {
  if (value.upstreamFingerprint) return `step:${value.upstreamFingerprint}`;
  return uriIdentity(deps, `inputs.${name}`, value.uri);
}

export async function uriIdentity(deps: ActivityDeps, field: string, uri: string): Promise<string> {
  const asset = /^azureml:([^:/@]+)(?::([^:/]+)|@(latest))$/.exec(uri);
  if (asset?.[1]) {
    const version = asset[2] ?? 'latest';
    const found = await deps.data.get(asset[1], version);
    if (!found) throw new ValidationError('unresolved_reference', `${field}: data asset ${asset[1]}:${version} not found`, { path: field });
    return `asset:${found.name}:${found.version}`;
  }
  const ref = parseDatastoreUri(uri);
  if (!ref) return `url:${uri}`;
  const store = deps.datastores.get(ref.datastore);
  if (!ref.path.endsWith('/')) {
    const blob = await store.stat(ref.path);
    if (blob) return `blob:${uri}:${blobTag(blob)}`;
  }
  const prefix = ref.path === '' || ref.path.endsWith('/') ? ref.path : `${ref.path}/`;
  const digest = createHash('sha256');
  let count = 0;
  for await (const blob of store.list(prefix)) {
    digest.update(`${blob.path}\n${blobTag(blob)}\n`);
    count += 1;
  }
  if (count === 0) throw new ValidationError('missing_data', `${field}: nothing found at ${uri}`, { path: field });
  return `folder:${uri}:${digest.digest('hex')}`;
}

function blobTag(blob: BlobInfo): string {
  return blob.contentMd5 ? `md5=${blob.contentMd5}` : `etag=${blob.etag}`;
}
