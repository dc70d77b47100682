/**
 * The local files and folders a plan names (code folders, local data), taken from the pipeline
 * bundle the request carried and put into the default datastore the way `az ml` uploads local
 * paths: `LocalUpload/<content hash>/<basename>`, with the same hash as shared/datastore's
 * uploadLocalPathOnce (sorted relative paths, sizes, contents), so content uploaded from disk or
 * from a bundle lands at one place, and only once.
 */
import { createHash } from 'node:crypto';
import { datastoreUri, type Datastore } from '../datastore/types';
import { ValidationError } from '../errors';
import type { LocalSource } from '../run/types';
import type { PipelineBundle } from '../spec/bundle';
import type { PipelinePlan } from '../spec/plan';

/** Every `{ kind: 'local', path }` reference anywhere in the plan (steps, nested pipelines, inputs). */
export function localRefs(plan: PipelinePlan): string[] {
  const found = new Set<string>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (v.kind === 'local' && typeof v.path === 'string') found.add(v.path);
      for (const child of Object.values(v)) walk(child);
    }
  };
  walk(plan);
  return [...found].sort();
}

interface Entry {
  relative: string;
  bytes: Buffer;
}

function entriesOf(bundle: PipelineBundle, rel: string): { kind: 'file' | 'folder'; entries: Entry[] } {
  const clean = rel === '.' ? '' : rel.replace(/\/+$/, '');
  const file = bundle.files[clean];
  if (file) return { kind: 'file', entries: [{ relative: clean.split('/').pop() ?? clean, bytes: Buffer.from(file.base64, 'base64') }] };
  const prefix = clean === '' ? '' : `${clean}/`;
  const entries = Object.keys(bundle.files)
    .filter((p) => p.startsWith(prefix))
    .sort()
    .map((p) => ({ relative: p.slice(prefix.length), bytes: Buffer.from(bundle.files[p]!.base64, 'base64') }));
  const isEmptyFolder = (bundle.directories ?? []).includes(clean);
  if (entries.length === 0 && !isEmptyFolder) {
    throw new ValidationError('missing_source', `body.bundle: the plan names '${rel}' but the bundle has no such file or folder`, { path: 'body.bundle.files' });
  }
  return { kind: 'folder', entries };
}

function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Placeholder sources for checking inputs before anything is uploaded. */
export function plannedSources(plan: PipelinePlan, datastore: string): Record<string, LocalSource> {
  return Object.fromEntries(localRefs(plan).map((rel) => [rel, { uri: datastoreUri(datastore, `LocalUpload/pending/${rel}`), hash: '' }]));
}

/** Uploads every local path of the plan from the bundle; returns the run's sources by plan-relative path. */
export async function uploadBundleSources(bundle: PipelineBundle, plan: PipelinePlan, datastore: Datastore): Promise<Record<string, LocalSource>> {
  const sources: Record<string, LocalSource> = {};
  for (const rel of localRefs(plan)) {
    const { kind, entries } = entriesOf(bundle, rel);
    const hash = createHash('sha256');
    for (const e of entries) hash.update(`${e.relative}\0${e.bytes.length}\0`).update(e.bytes);
    const digest = hash.digest('hex');
    const base = rel === '.' || rel === '' ? 'root' : rel.replace(/\/+$/, '').split('/').pop()!;
    const root = `LocalUpload/${digest}/`;
    const blobPath = kind === 'file' ? root + base : `${root}${base}/`;
    for (const e of entries) {
      const target = kind === 'file' ? blobPath : blobPath + e.relative;
      const present = await datastore.stat(target);
      if (!present || present.size !== e.bytes.length) await datastore.put(target, e.bytes);
    }
    sources[rel] = {
      uri: datastoreUri(datastore.name, blobPath),
      hash: digest,
      ...(kind === 'folder' ? { files: Object.fromEntries(entries.map((e) => [e.relative, sha256(e.bytes)])) } : {}),
    };
  }
  return sources;
}
