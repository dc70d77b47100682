/**
 * The datastore port: blob containers addressed by `azureml://datastores/D/paths/P`.
 * Drivers: Azure Blob Storage (identity or connection string) and Azurite on the local host.
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  /** Path inside the datastore, no leading slash. */
  path: string;
  size: number;
  etag: string;
  /** Base64 MD5 of the content when the service has it. */
  contentMd5?: string;
  lastModified: string;
}

export interface Datastore {
  readonly name: string;
  readonly container: string;
  /** The storage account's name, when the driver knows it (matches BlobCreated events to datastores). */
  readonly accountName?: string;
  /** The storage URL of a path (for events and diagnostics only; never stored as a data reference). */
  urlOf(path: string): string;
  put(path: string, body: Buffer | string, options?: { contentType?: string }): Promise<BlobInfo>;
  putStream(path: string, body: Readable, options?: { contentType?: string }): Promise<BlobInfo>;
  get(path: string): Promise<Buffer>;
  stat(path: string): Promise<BlobInfo | undefined>;
  /** Every blob under a prefix (a folder when it ends with `/`), in lexicographic path order. */
  list(prefix: string): AsyncIterable<BlobInfo>;
  /** Downloads a blob to a file, or every blob under a folder prefix into a local folder. */
  download(path: string, localPath: string): Promise<void>;
  /** Uploads a local file, or a local folder's files under a prefix. */
  upload(localPath: string, path: string): Promise<void>;
  delete(path: string): Promise<void>;
}

export interface DatastoreRegistry {
  get(name: string): Datastore;
  /** Finds the datastore of a storage account + container, for BlobCreated events. */
  byContainer(accountName: string, container: string): Datastore | undefined;
  names(): string[];
  readonly defaultName: string;
}

/** Parses `azureml://datastores/D/paths/P` (or the long `azureml://subscriptions/.../datastores/D/paths/P`). */
export function parseDatastoreUri(uri: string): { datastore: string; path: string } | undefined {
  const match = /^azureml:\/\/(?:subscriptions\/[^/]+\/resource[gG]roups\/[^/]+\/(?:providers\/Microsoft\.MachineLearningServices\/)?workspaces\/[^/]+\/)?datastores\/([^/]+)\/paths\/(.*)$/.exec(uri);
  if (!match || !match[1]) return undefined;
  return { datastore: match[1], path: match[2] ?? '' };
}

export function datastoreUri(datastore: string, path: string): string {
  return `azureml://datastores/${datastore}/paths/${path.replace(/^\/+/, '')}`;
}
