/**
 * `Microsoft.Storage.BlobCreated` events, in the Event Grid schema or as CloudEvents, reduced to
 * what the blob trigger needs: which account, container and blob, its eTag and size, and which
 * storage API wrote it (ADLS Gen2 sends one event for `CreateFile` and another for the final
 * `FlushWithClose`).
 */
import { ValidationError } from '../errors';

export const BLOB_CREATED = 'Microsoft.Storage.BlobCreated';

export interface BlobCreatedEvent {
  eventId: string;
  eventTime: string;
  account: string;
  container: string;
  /** Blob name inside the container, no leading slash. */
  blobPath: string;
  url: string;
  etag: string;
  contentLength: number;
  /** The storage operation (`PutBlob`, `PutBlockList`, `CopyBlob`, `CreateFile`, `FlushWithClose`, ...). */
  api: string;
  /** Orders writes to one blob; compare as strings of equal length. */
  sequencer?: string;
}

const SUBJECT = /^\/blobServices\/default\/containers\/([^/]+)\/blobs\/(.+)$/;
const ACCOUNT_IN_TOPIC = /\/storageAccounts\/([^/]+)/i;

function fail(field: string, message: string): ValidationError {
  return new ValidationError('invalid_event', `BlobCreated event: ${message}`, { path: field });
}

function str(obj: Record<string, unknown>, key: string): string | undefined {
  const v = obj[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Account, container and blob from the blob URL: `https://ACCOUNT.blob.core.windows.net/C/P` or path-style `http://127.0.0.1:10000/ACCOUNT/C/P`. */
function fromUrl(url: string): { account: string; container: string; blobPath: string } | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const segments = u.pathname.split('/').slice(1);
  const hostStyle = /\.(blob|dfs)\./i.test(u.hostname);
  const [account, container, ...rest] = hostStyle ? [u.hostname.split('.')[0]!, ...segments] : segments;
  if (!account || !container || rest.length === 0) return undefined;
  return { account, container: decodeURIComponent(container), blobPath: rest.map(decodeURIComponent).join('/') };
}

/** Parses one delivered event; throws `invalid_event` naming the missing or malformed field. */
export function parseBlobCreatedEvent(raw: unknown): BlobCreatedEvent {
  if (typeof raw !== 'object' || raw === null) throw fail('', 'not an object');
  const e = raw as Record<string, unknown>;
  const type = str(e, 'eventType') ?? str(e, 'type');
  if (type !== BLOB_CREATED) throw fail('eventType', `expected ${BLOB_CREATED}, got ${type ?? 'none'}`);
  const eventId = str(e, 'id');
  if (!eventId) throw fail('id', 'has no id');
  const data = e.data;
  if (typeof data !== 'object' || data === null) throw fail('data', 'has no data');
  const d = data as Record<string, unknown>;
  const url = str(d, 'url');
  if (!url) throw fail('data.url', 'has no data.url');
  const etag = str(d, 'eTag') ?? str(d, 'etag');
  if (!etag) throw fail('data.eTag', 'has no data.eTag');
  const contentLength = d.contentLength;
  if (typeof contentLength !== 'number' || !Number.isInteger(contentLength) || contentLength < 0) {
    throw fail('data.contentLength', 'data.contentLength must be a non-negative integer');
  }
  const byUrl = fromUrl(url);
  const subject = SUBJECT.exec(str(e, 'subject') ?? '');
  const container = subject?.[1] ?? byUrl?.container;
  const blobPath = subject?.[2] ?? byUrl?.blobPath;
  if (!container || !blobPath) throw fail('subject', 'cannot tell the container and blob from subject or data.url');
  const account = ACCOUNT_IN_TOPIC.exec(str(e, 'topic') ?? str(e, 'source') ?? '')?.[1] ?? byUrl?.account;
  if (!account) throw fail('topic', 'cannot tell the storage account from topic, source or data.url');
  const event: BlobCreatedEvent = {
    eventId,
    eventTime: str(e, 'eventTime') ?? str(e, 'time') ?? '',
    account,
    container,
    blobPath: blobPath.replace(/^\/+/, ''),
    url,
    etag,
    contentLength,
    api: str(d, 'api') ?? '',
  };
  const sequencer = str(d, 'sequencer');
  if (sequencer) event.sequencer = sequencer;
  return event;
}
