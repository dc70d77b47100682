/** BlobCreated events as Event Grid delivers them, and blob schedules, for trigger tests. */
import type { Schedule } from '../../../shared/spec/schedule';
import type { BlobSchedule } from '../../../shared/triggers/blob-match';

export interface EventOptions {
  id?: string;
  account?: string;
  container?: string;
  etag?: string;
  contentLength?: number;
  api?: string;
  sequencer?: string;
}

export function blobCreated(blobPath: string, o: EventOptions = {}): Record<string, unknown> {
  const account = o.account ?? 'mlstore';
  const container = o.container ?? 'data';
  return {
    id: o.id ?? `evt-${blobPath}`,
    topic: `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/${account}`,
    subject: `/blobServices/default/containers/${container}/blobs/${blobPath}`,
    eventType: 'Microsoft.Storage.BlobCreated',
    eventTime: '2026-05-01T10:00:00.000Z',
    dataVersion: '',
    metadataVersion: '1',
    data: {
      api: o.api ?? 'PutBlob',
      clientRequestId: 'c',
      requestId: 'r',
      eTag: o.etag ?? '0x8DC1',
      contentType: 'text/csv',
      contentLength: o.contentLength ?? 42,
      blobType: 'BlockBlob',
      url: `https://${account}.blob.core.windows.net/${container}/${blobPath.split('/').map(encodeURIComponent).join('/')}`,
      sequencer: o.sequencer ?? '00000000000000000000000000000001',
    },
  };
}

export function blobSchedule(name: string, trigger: Partial<BlobSchedule['trigger']> = {}, extra: Partial<Schedule> = {}): BlobSchedule {
  return {
    name,
    tags: {},
    isEnabled: true,
    file: `${name}.yml`,
    createJob: { job: { kind: 'registered', ref: 'azureml:j', name: 'j' }, inputs: {}, outputs: {}, settings: {}, tags: {} },
    ...extra,
    trigger: { type: 'blob', datastore: 'workspaceblobstore', path: 'incoming/**/*.csv', ...trigger },
  };
}

/** The datastore lookup of the tests: account mlstore, container data. */
export const lookup = (account: string, container: string): string | undefined =>
  account === 'mlstore' && container === 'data' ? 'workspaceblobstore' : undefined;
