/** `PUT /api/datastores/{name}/paths/{*path}`: the request body becomes the blob at that path. */
import { app, type HttpRequest } from '@azure/functions';
import { apiHandler, json } from '../../shared/api/respond';
import { datastoreUri } from '../../shared/datastore/types';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { getServices } from '../../shared/config/services';

/** Upload limit per request; larger files belong in the storage account directly. */
export const MAX_UPLOAD_BYTES = 256 * 1024 * 1024;

export function checkBlobPath(raw: string): string {
  const path = raw.replace(/^\/+/, '');
  const segments = path.split('/');
  if (path === '' || path.endsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new ValidationError('invalid_request', `path: '${raw}' must name a file (no empty, '.' or '..' segments, no trailing '/')`, { path: 'path' });
  }
  return path;
}

async function upload(request: HttpRequest) {
  const name = request.params.name ?? '';
  const path = checkBlobPath(request.params.path ?? '');
  const { datastores } = getServices();
  if (!datastores.names().includes(name)) {
    throw new NotFoundError('datastore_not_found', `datastore '${name}' does not exist (datastores: ${datastores.names().join(', ')})`, { path: 'name' });
  }
  const length = Number(request.headers.get('content-length') ?? '0');
  if (length > MAX_UPLOAD_BYTES) throw new ValidationError('payload_too_large', `body: larger than ${MAX_UPLOAD_BYTES} bytes`, { path: 'body' });
  const body = Buffer.from(await request.arrayBuffer());
  const contentType = request.headers.get('content-type') ?? 'application/octet-stream';
  const info = await datastores.get(name).put(path, body, { contentType });
  return json(201, { uri: datastoreUri(name, path), size: info.size, etag: info.etag, ...(info.contentMd5 ? { contentMd5: info.contentMd5 } : {}) });
}

app.http('datastoresUpload', { authLevel: 'function', methods: ['PUT'], route: 'datastores/{name}/paths/{*path}', handler: apiHandler(upload) });
