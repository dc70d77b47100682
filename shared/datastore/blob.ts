/**
 * The Datastore driver over Azure Blob Storage (@azure/storage-blob): a connection string for
 * Azurite (or keys), or an account URL with a TokenCredential in Azure. The container is created
 * on the first write, so a fresh Azurite needs no setup.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { TokenCredential } from '@azure/identity';
import { BlobServiceClient, type BlobGetPropertiesResponse, type ContainerClient } from '@azure/storage-blob';
import { NotFoundError, ServiceError, redactSecrets } from '../errors';
import type { BlobInfo, Datastore } from './types';

export type BlobConnection =
  | { connectionString: string }
  | { accountUrl: string; credential: TokenCredential };

export interface BlobDatastoreOptions {
  name: string;
  container: string;
  connection: BlobConnection;
}

export function createServiceClient(connection: BlobConnection): BlobServiceClient {
  return 'connectionString' in connection
    ? BlobServiceClient.fromConnectionString(connection.connectionString)
    : new BlobServiceClient(connection.accountUrl, connection.credential);
}

export class BlobDatastore implements Datastore {
  readonly name: string;
  readonly container: string;
  private readonly connection: BlobConnection;
  private client: ContainerClient | undefined;
  private containerReady: Promise<void> | undefined;

  constructor(options: BlobDatastoreOptions) {
    this.name = options.name;
    this.container = options.container;
    this.connection = options.connection;
  }

  /** The storage account's name (from the connection string or URL), for BlobCreated lookups. */
  get accountName(): string {
    return this.containerClient().accountName;
  }

  urlOf(blobPath: string): string {
    return this.containerClient().getBlobClient(clean(blobPath)).url;
  }

  async put(blobPath: string, body: Buffer | string, options: { contentType?: string } = {}): Promise<BlobInfo> {
    const data = typeof body === 'string' ? Buffer.from(body) : body;
    return this.call('put', blobPath, async () => {
      await this.ensureContainer();
      const blob = this.containerClient().getBlockBlobClient(clean(blobPath));
      await blob.upload(data, data.length, contentHeaders(options.contentType));
      return this.requireStat(blobPath);
    });
  }

  async putStream(blobPath: string, body: Readable, options: { contentType?: string } = {}): Promise<BlobInfo> {
    return this.call('putStream', blobPath, async () => {
      await this.ensureContainer();
      const blob = this.containerClient().getBlockBlobClient(clean(blobPath));
      await blob.uploadStream(body, 4 * 1024 * 1024, 4, contentHeaders(options.contentType));
      return this.requireStat(blobPath);
    });
  }

  async get(blobPath: string): Promise<Buffer> {
    return this.call('get', blobPath, async () => {
      try {
        return await this.containerClient().getBlobClient(clean(blobPath)).downloadToBuffer();
      } catch (err) {
        if (statusOf(err) === 404) throw this.notFound(blobPath);
        throw err;
      }
    });
  }

  async stat(blobPath: string): Promise<BlobInfo | undefined> {
    return this.call('stat', blobPath, async () => {
      try {
        const props = await this.containerClient().getBlobClient(clean(blobPath)).getProperties();
        return toInfo(clean(blobPath), props);
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    });
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    const client = this.containerClient();
    try {
      // The service returns blobs in lexicographic (UTF-8 byte) order of their names.
      for await (const item of client.listBlobsFlat({ prefix: clean(prefix) })) {
        yield {
          path: item.name,
          size: item.properties.contentLength ?? 0,
          etag: item.properties.etag ?? '',
          ...(item.properties.contentMD5 ? { contentMd5: Buffer.from(item.properties.contentMD5).toString('base64') } : {}),
          lastModified: item.properties.lastModified.toISOString(),
        };
      }
    } catch (err) {
      if (statusOf(err) === 404) return; // no container yet: nothing stored
      throw this.wrap('list', prefix, err);
    }
  }

  async download(blobPath: string, localPath: string): Promise<void> {
    const source = clean(blobPath);
    await this.call('download', blobPath, async () => {
      if (!source.endsWith('/') && source !== '') {
        const single = await this.stat(source);
        if (single) {
          await mkdir(path.dirname(localPath), { recursive: true });
          await this.containerClient().getBlobClient(source).downloadToFile(localPath);
          return;
        }
      }
      const folder = source === '' || source.endsWith('/') ? source : `${source}/`;
      let count = 0;
      await mkdir(localPath, { recursive: true });
      for await (const item of this.list(folder)) {
        const relative = item.path.slice(folder.length);
        const target = path.resolve(localPath, ...relative.split('/'));
        if (!target.startsWith(path.resolve(localPath) + path.sep)) continue; // `..` in a blob name
        await mkdir(path.dirname(target), { recursive: true });
        await this.containerClient().getBlobClient(item.path).downloadToFile(target);
        count += 1;
      }
      if (count === 0 && folder !== '') throw this.notFound(blobPath);
    });
  }

  async upload(localPath: string, blobPath: string): Promise<void> {
    await this.call('upload', blobPath, async () => {
      const info = await stat(localPath);
      await this.ensureContainer();
      if (info.isFile()) {
        await this.containerClient().getBlockBlobClient(clean(blobPath)).uploadFile(localPath);
        return;
      }
      const prefix = clean(blobPath) === '' || clean(blobPath).endsWith('/') ? clean(blobPath) : `${clean(blobPath)}/`;
      for (const relative of await listFiles(localPath)) {
        // uploadFile sends small files in one Put Blob, so the service records their MD5.
        await this.containerClient().getBlockBlobClient(prefix + relative).uploadFile(path.join(localPath, ...relative.split('/')));
      }
    });
  }

  async delete(blobPath: string): Promise<void> {
    await this.call('delete', blobPath, async () => {
      await this.containerClient().getBlobClient(clean(blobPath)).deleteIfExists();
    });
  }

  private containerClient(): ContainerClient {
    this.client ??= createServiceClient(this.connection).getContainerClient(this.container);
    return this.client;
  }

  private ensureContainer(): Promise<void> {
    this.containerReady ??= this.containerClient().createIfNotExists().then(
      () => undefined,
      (err: unknown) => { this.containerReady = undefined; throw err; },
    );
    return this.containerReady;
  }

  private async requireStat(blobPath: string): Promise<BlobInfo> {
    const info = await this.stat(blobPath);
    if (!info) throw new ServiceError('blob_write_lost', `datastore ${this.name}: ${clean(blobPath)} is missing right after it was written`);
    return info;
  }

  private notFound(blobPath: string): NotFoundError {
    return new NotFoundError('blob_not_found', `datastore ${this.name}: nothing at '${clean(blobPath)}' in container '${this.container}'`);
  }

  /** Runs a storage call, turning SDK errors into ServiceErrors prefixed with the datastore's name. */
  private async call<T>(operation: string, blobPath: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.wrap(operation, blobPath, err);
    }
  }

  private wrap(operation: string, blobPath: string, err: unknown): Error {
    if (err instanceof NotFoundError || err instanceof ServiceError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new ServiceError('datastore_error', redactSecrets(`datastore ${this.name}: ${operation} '${clean(blobPath)}' failed: ${message}`), { cause: err });
  }
}

function clean(blobPath: string): string {
  return blobPath.replace(/^\/+/, '');
}

function contentHeaders(contentType: string | undefined): { blobHTTPHeaders?: { blobContentType: string } } {
  return contentType ? { blobHTTPHeaders: { blobContentType: contentType } } : {};
}

function toInfo(blobPath: string, props: BlobGetPropertiesResponse): BlobInfo {
  return {
    path: blobPath,
    size: props.contentLength ?? 0,
    etag: props.etag ?? '',
    ...(props.contentMD5 ? { contentMd5: Buffer.from(props.contentMD5).toString('base64') } : {}),
    lastModified: (props.lastModified ?? new Date(0)).toISOString(),
  };
}

function statusOf(err: unknown): number | undefined {
  const status = (err as { statusCode?: unknown })?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Every file under a folder as POSIX relative paths, sorted. */
export async function listFiles(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}
