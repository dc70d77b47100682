/**
 * Where data lives, from the spellings Azure ML accepts: datastore URIs, data assets, web URLs
 * and local paths (relative to the YAML file that names them).
 */
import type { LoadContext } from './load-context';
import type { DataRef } from './plan';
import { resolveRelative } from './source-tree';
import type { YNode } from './yaml-node';

const DATASTORE = /^azureml:\/\/datastores\/([^/]+)\/paths\/(.*)$/;
const ASSET = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*):([A-Za-z0-9_.-]+)$/;
const ASSET_LATEST = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*)@latest$/;
const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

export type RemoteOrLocal = { ref: DataRef } | { local: string } | { error: string };

/** Classifies a path as written; local paths are returned as written (not yet resolved). */
export function classifyPath(raw: string): RemoteOrLocal {
  const ds = raw.match(DATASTORE);
  if (ds) return { ref: { kind: 'datastore', datastore: ds[1]!, path: ds[2]!.replace(/^\/+/, '') } };
  const asset = raw.match(ASSET);
  if (asset) return { ref: { kind: 'asset', name: asset[1]!, version: asset[2]! } };
  const latest = raw.match(ASSET_LATEST);
  if (latest) return { ref: { kind: 'asset', name: latest[1]!, version: 'latest' } };
  if (raw.startsWith('azureml:') && !raw.startsWith('azureml://')) {
    return { error: `'${raw}' is not a data asset reference (azureml:NAME:VERSION or azureml:NAME@latest)` };
  }
  if (URL_SCHEME.test(raw)) return { ref: { kind: 'url', url: raw } };
  const local = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  if (local.trim() === '') return { error: 'empty path' };
  return { local };
}

/**
 * Resolves a local path written in `fromFile` to a root-relative path, recording it in the plan's
 * local paths and reporting it when missing or outside the source root.
 */
export async function resolveLocal(
  ctx: LoadContext,
  at: YNode,
  fromFile: string,
  written: string,
  what: 'file' | 'folder' | 'path',
): Promise<string | undefined> {
  if (written.startsWith('/') || /^[A-Za-z]:[\\/]/.test(written)) {
    ctx.report(at, 'path_outside_root', `local ${what} '${written}' is absolute; write it relative to the YAML file`);
    return undefined;
  }
  const rel = resolveRelative(fromFile, written.replace(/\\/g, '/'));
  if (rel === undefined) {
    ctx.report(at, 'path_outside_root', `local ${what} '${written}' is outside the source root`);
    return undefined;
  }
  // The root itself is `.`, the same whether the plan was loaded from disk or from a bundle.
  const named = rel === '' ? '.' : rel;
  await ctx.requireLocal(at, named, what, written);
  return named;
}

/** A data path field (`path:` of an input, a code folder): remote references or a checked local path. */
export async function readDataPath(
  ctx: LoadContext,
  n: YNode,
  fromFile: string,
  raw: string,
  what: 'file' | 'folder' | 'path',
): Promise<DataRef | undefined> {
  const c = classifyPath(raw);
  if ('error' in c) {
    ctx.report(n, 'invalid_value', c.error);
    return undefined;
  }
  if ('ref' in c) return c.ref;
  const rel = await resolveLocal(ctx, n, fromFile, c.local, what);
  return rel === undefined ? undefined : { kind: 'local', path: rel };
}
