/**
 * Web URL inputs (`path: https://...`), which Azure ML downloads for a job as it does datastore
 * files. Only files: a web URL has no listing, so a `uri_folder` from a URL is refused by name.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';
import { ServiceError, ValidationError } from '../../shared/errors';

export function isWebUrl(uri: string): boolean {
  return /^https?:\/\//i.test(uri);
}

/** Downloads `url` to `file`; the file name is the URL path's last segment (or `fallback`). */
export async function downloadWebFile(url: string, dir: string, fallback: string, field: string): Promise<string> {
  const file = path.join(dir, decodeURIComponent(path.posix.basename(new URL(url).pathname)) || fallback);
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (err) {
    throw new ServiceError('input_download_failed', `${field}: downloading ${url} failed: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  if (!response.ok || !response.body) {
    throw new ValidationError('input_download_failed', `${field}: downloading ${url} answered HTTP ${response.status}`);
  }
  await mkdir(dir, { recursive: true });
  await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), createWriteStream(file));
  return file;
}
