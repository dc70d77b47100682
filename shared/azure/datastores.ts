/** Reads a workspace datastore (Datastores_Get): where its blobs live. Secrets are never read. */
import { ValidationError } from '../errors';
import type { AzureMlWorkspace } from './client';

export interface DatastoreInfo {
  name: string;
  type: string;
  isDefault: boolean;
  accountName?: string;
  containerName?: string;
  /** Storage DNS suffix, e.g. `core.windows.net`. */
  endpoint?: string;
  protocol?: string;
}

export async function getDatastoreInfo(ws: AzureMlWorkspace, name: string): Promise<DatastoreInfo> {
  const resource = await ws.call(`read datastore '${name}'`, (sdk) => sdk.datastores.get(ws.resourceGroup, ws.workspace, name));
  const p = resource.properties as unknown as Record<string, unknown>;
  const text = (key: string): string | undefined => (typeof p[key] === 'string' ? p[key] : undefined);
  const info: DatastoreInfo = { name, type: String(p.datastoreType), isDefault: p.isDefault === true };
  for (const key of ['accountName', 'containerName', 'endpoint', 'protocol'] as const) {
    const value = text(key);
    if (value !== undefined) info[key] = value;
  }
  return info;
}

/** `https://ACCOUNT.blob.SUFFIX/CONTAINER/PATH` of a path in a blob datastore. */
export function blobUrl(info: DatastoreInfo, path: string): string {
  if (info.type !== 'AzureBlob' || !info.accountName || !info.containerName) {
    throw new ValidationError('unsupported_datastore', `azureml: datastore '${info.name}' is ${info.type}, not a blob container; code snapshots need an AzureBlob datastore`);
  }
  const suffix = info.endpoint ?? 'core.windows.net';
  return `${info.protocol ?? 'https'}://${info.accountName}.blob.${suffix}/${info.containerName}/${path.replace(/^\/+/, '')}`;
}
