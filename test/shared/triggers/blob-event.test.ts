import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValidationError } from '../../../shared/errors';
import { parseBlobCreatedEvent } from '../../../shared/triggers/blob-event';
import { blobCreated } from '../../_helpers/triggers/blob-events';

describe('parseBlobCreatedEvent', () => {
  it('reads an Event Grid schema event', () => {
    assert.deepEqual(parseBlobCreatedEvent(blobCreated('incoming/2026/a b.csv', { id: 'e1', etag: '"0x1"', contentLength: 7, api: 'PutBlockList' })), {
      eventId: 'e1',
      eventTime: '2026-05-01T10:00:00.000Z',
      account: 'mlstore',
      container: 'data',
      blobPath: 'incoming/2026/a b.csv',
      url: 'https://mlstore.blob.core.windows.net/data/incoming/2026/a%20b.csv',
      etag: '"0x1"',
      contentLength: 7,
      api: 'PutBlockList',
      sequencer: '00000000000000000000000000000001',
    });
  });

  it('reads a CloudEvents event and an Azurite path-style URL without a storage topic', () => {
    const e = parseBlobCreatedEvent({
      specversion: '1.0',
      id: 'c1',
      type: 'Microsoft.Storage.BlobCreated',
      source: '/local/azurite',
      time: '2026-05-01T10:00:00Z',
      data: { api: 'PutBlob', eTag: '0x2', contentLength: 3, url: 'http://127.0.0.1:10000/devstoreaccount1/data/x/y%2Bz.csv' },
    });
    assert.deepEqual([e.account, e.container, e.blobPath, e.eventTime], ['devstoreaccount1', 'data', 'x/y+z.csv', '2026-05-01T10:00:00Z']);
    assert.equal(e.sequencer, undefined);
  });

  it('refuses other event types and malformed events, naming the field', () => {
    const cases: [unknown, string][] = [
      [null, ''],
      [{ ...blobCreated('a.csv'), eventType: 'Microsoft.Storage.BlobDeleted' }, 'eventType'],
      [{ ...blobCreated('a.csv'), id: '' }, 'id'],
      [{ ...blobCreated('a.csv'), data: undefined }, 'data'],
      [{ ...blobCreated('a.csv'), data: { ...(blobCreated('a.csv').data as object), url: undefined } }, 'data.url'],
      [{ ...blobCreated('a.csv'), data: { ...(blobCreated('a.csv').data as object), eTag: undefined } }, 'data.eTag'],
      [{ ...blobCreated('a.csv'), data: { ...(blobCreated('a.csv').data as object), contentLength: -1 } }, 'data.contentLength'],
      [{ ...blobCreated('a.csv'), subject: 'x', data: { ...(blobCreated('a.csv').data as object), url: 'not a url' } }, 'subject'],
    ];
    for (const [raw, field] of cases) {
      assert.throws(
        () => parseBlobCreatedEvent(raw),
        (err: unknown) => err instanceof ValidationError && err.code === 'invalid_event' && err.location.path === field,
        JSON.stringify(raw),
      );
    }
  });
});
