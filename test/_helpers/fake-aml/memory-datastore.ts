/** An in-memory Datastore (shared/datastore/types.ts) that records its writes, for driver tests. */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { BlobInfo, Datastore } from '../../../shared/datastore/types';

export class MemoryDatastore implements Datastore {
  readonly blobs = new Map<string, { body: Buffer; info: BlobInfo }>();
  /** Every path written, in order. */
  readonly writes: string[] = [];

  constructor(readonly name = 'workspaceblobstore', readonly container = 'azureml-blobstore') {}

  urlOf(p: string): string {
    return `memory://${this.container}/${p}`;
  }

  async put(p: string, body: Buffer | string): Promise<BlobInfo> {
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const md5 = createHash('md5').update(buffer).digest('base64');
    const info: BlobInfo = { path: p, size: buffer.length, etag: `"${md5}"`, contentMd5: md5, lastModified: new Date(0).toISOString() };
    this.blobs.set(p, { body: buffer, info });
    this.writes.push(p);
    return info;
  }

  async putStream(p: string, body: Readable): Promise<BlobInfo> {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
    return this.put(p, Buffer.concat(chunks));
  }

  async get(p: string): Promise<Buffer> {
    const blob = this.blobs.get(p);
    if (!blob) throw new Error(`no blob ${p}`);
    return blob.body;
  }

  async stat(p: string): Promise<BlobInfo | undefined> {
    return this.blobs.get(p)?.info;
  }

  async *list(prefix: string): AsyncIterable<BlobInfo> {
    for (const key of [...this.blobs.keys()].sort()) if (key.startsWith(prefix)) yield this.blobs.get(key)!.info;
  }

  async download(p: string, localPath: string): Promise<void> {
    for await (const blob of this.list(p)) {
      const target = p.endsWith('/') ? path.join(localPath, blob.path.slice(p.length)) : localPath;
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, await this.get(blob.path));
    }
  }

  async upload(localPath: string, p: string): Promise<void> {
    if ((await stat(localPath)).isFile()) {
      await this.put(p, await readFile(localPath));
      return;
    }
    const entries = await readdir(localPath, { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((e) => e.isFile())) {
      const full = path.join(entry.parentPath, entry.name);
      await this.put(`${p}${path.relative(localPath, full).split(path.sep).join('/')}`, await readFile(full));
    }
  }

  async delete(p: string): Promise<void> {
    this.blobs.delete(p);
  }
}
