/**
 * Asset versions (data, code, environments, components) are immutable in Azure ML, so every write
 * is create-or-get: GET first, PUT only when absent, and a PUT that loses a race re-reads.
 * `@latest` means the most recently created version (list ordered by createdtime, newest first);
 * the 2025-12-01 API has no `latest` label route, only a read-only container `latestVersion`.
 */
import type { PagedAsyncIterableIterator } from '@azure/core-paging';
import type { AmlSchedError } from '../errors';
import type { AzureMlWorkspace } from './client';

export async function createOrGetVersion<T>(
  find: () => Promise<T | undefined>,
  create: () => Promise<T>,
): Promise<{ value: T; created: boolean }> {
  const existing = await find();
  if (existing !== undefined) return { value: existing, created: false };
  try {
    return { value: await create(), created: true };
  } catch (err) {
    if ((err as AmlSchedError).code !== 'aml_rejected') throw err;
    const raced = await find();
    if (raced === undefined) throw err;
    return { value: raced, created: false };
  }
}

export type AssetKind = 'data' | 'components' | 'environments';

const ORDER = { orderBy: 'createdtime desc' } as const;

/** Versions of `name`, newest first (empty when the asset does not exist). */
export async function listVersions(ws: AzureMlWorkspace, kind: AssetKind, name: string, top?: number): Promise<Array<{ name?: string }>> {
  const options = top === undefined ? ORDER : { ...ORDER, top };
  const found = await ws.find(`list ${kind} versions of '${name}'`, async (sdk) => {
    const pages: PagedAsyncIterableIterator<{ name?: string }> =
      kind === 'data' ? sdk.dataVersions.list(ws.resourceGroup, ws.workspace, name, options)
        : kind === 'components' ? sdk.componentVersions.list(ws.resourceGroup, ws.workspace, name, options)
          : sdk.environmentVersions.list(ws.resourceGroup, ws.workspace, name, options);
    const items: Array<{ name?: string }> = [];
    for await (const item of pages) {
      items.push(item);
      if (top !== undefined && items.length >= top) break;
    }
    return items;
  });
  return found ?? [];
}

/** The newest version of `name`, or undefined when it has none. */
export async function latestVersion(ws: AzureMlWorkspace, kind: AssetKind, name: string): Promise<string | undefined> {
  const [newest] = await listVersions(ws, kind, name, 1);
  return newest?.name;
}
