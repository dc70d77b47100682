/**
 * `Microsoft.Storage.BlobCreated` in the Event Grid schema as a storage account sends it: topic
 * the account's resource id, subject `/blobServices/default/containers/C/blobs/P`, and data with
 * api, eTag, contentType, contentLength, blobType, url, sequencer (32 hex digits, rising) and
 * storageDiagnostics. The event id derives from the account, container, path and eTag, so the
 * same write is always the same event (Event Grid's redeliveries keep their id too).
 */
import { createHash } from 'node:crypto';
import type { EventGridEventInput } from '../triggers/eventgrid-publisher';

export const LOCAL_STORAGE_SCOPE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/amlsched-local/providers/Microsoft.Storage/storageAccounts';

export interface CreatedBlob {
  account: string;
  container: string;
  path: string;
  url: string;
  etag: string;
  contentLength: number;
  contentType?: string;
  blobType?: string;
  lastModified?: Date;
}

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export function blobCreatedEvent(blob: CreatedBlob, sequence: bigint): EventGridEventInput {
  const id = uuidFrom(`${blob.account}\n${blob.container}\n${blob.path}\n${blob.etag}`);
  return {
    id,
    topic: `${LOCAL_STORAGE_SCOPE}/${blob.account}`,
    subject: `/blobServices/default/containers/${blob.container}/blobs/${blob.path}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    eventTime: (blob.lastModified ?? new Date()).toISOString(),
    dataVersion: '',
    data: {
      api: 'PutBlob',
      clientRequestId: id,
      requestId: id,
      eTag: blob.etag,
      contentType: blob.contentType ?? 'application/octet-stream',
      contentLength: blob.contentLength,
      blobType: blob.blobType ?? 'BlockBlob',
      url: blob.url,
      sequencer: sequence.toString(16).padStart(32, '0'),
      storageDiagnostics: { batchId: uuidFrom(`batch\n${sequence}`) },
    },
  };
}
