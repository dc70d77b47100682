/**
 * The blob watcher against a real Azurite: existing blobs are the baseline, uploads are announced
 * within a second as BlobCreated in the Event Grid schema (parsed back by the trigger's parser),
 * rewrites get a new event, a failed delivery is announced again with the same id, and a restart
 * on the same database announces only what changed while it was stopped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { BlobWatcher } from '../../../devhost/blob-watcher/watcher';
import { SeenStore } from '../../../devhost/blob-watcher/seen-store';
import { openHostDatabase, type HostDatabase } from '../../../devhost/durable/db';
import { silentLogger } from '../../../devhost/logger';
import type { DeliveryResult, EventGridEventInput, PublishOptions } from '../../../devhost/triggers/eventgrid-publisher';
import { parseBlobCreatedEvent } from '../../../shared/triggers/blob-event';
import { startAzurite, type AzuriteInstance } from '../../_helpers/azurite';

class RecordingPublisher {
  readonly events: { event: EventGridEventInput; options: PublishOptions; at: number }[] = [];
  failNext = 0;
  async publish(events: EventGridEventInput[], options: PublishOptions = {}): Promise<DeliveryResult[]> {
    const status = this.failNext > 0 ? (this.failNext--, 500) : 202;
    for (const event of events) this.events.push({ event, options, at: Date.now() });
    return [{ functionName: options.functionName ?? '', status, attempts: 1, eventIds: events.map((e) => e.id ?? '') }];
  }
}

let azurite: AzuriteInstance;
let container: ContainerClient;
let db: HostDatabase;

before(async () => {
  azurite = await startAzurite();
  container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('data');
  await container.createIfNotExists();
  db = openHostDatabase(':memory:');
});

after(async () => {
  db?.close();
  await azurite?.stop();
});

function watcher(publisher: RecordingPublisher): BlobWatcher {
  return new BlobWatcher({ containers: [{ datastore: 'workspaceblobstore', client: container }], seen: new SeenStore(db), eventGrid: publisher, logger: silentLogger(), pollMs: 100 });
}

async function upload(name: string, text: string): Promise<string> {
  const res = await container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), { blobHTTPHeaders: { blobContentType: 'text/csv' } });
  return res.etag!.replace(/"/g, '');
}

async function waitFor(publisher: RecordingPublisher, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (publisher.events.length < count) {
    if (Date.now() > deadline) assert.fail(`expected ${count} events, got ${publisher.events.length}`);
    await sleep(20);
  }
}

describe('blob watcher', () => {
  it('announces uploads within a second, not the baseline, in the Event Grid schema', async () => {
    await upload('old/existing.csv', 'a\n');
    const publisher = new RecordingPublisher();
    const w = watcher(publisher);
    await w.pollOnce(); // baseline
    w.start();
    try {
      const before = Date.now();
      const etag = await upload('incoming/x y.csv', 'a,b\n1,2\n');
      await waitFor(publisher, 1);
      const [{ event, options, at }] = publisher.events as [typeof publisher.events[0]];
      assert.ok(at - before < 1000, `announced after ${at - before} ms`);
      assert.equal(options.functionName, 'blobCreated');
      assert.equal(event.eventType, 'Microsoft.Storage.BlobCreated');
      assert.match(event.topic!, /\/providers\/Microsoft\.Storage\/storageAccounts\/devstoreaccount1$/);
      assert.equal(event.subject, '/blobServices/default/containers/data/blobs/incoming/x y.csv');
      const data = event.data as Record<string, unknown>;
      assert.equal(data.api, 'PutBlob');
      assert.equal(data.eTag, etag);
      assert.equal(data.contentLength, 8);
      assert.equal(data.contentType, 'text/csv');
      assert.equal(data.blobType, 'BlockBlob');
      assert.match(String(data.sequencer), /^[0-9a-f]{32}$/);
      assert.ok(typeof data.storageDiagnostics === 'object');
      const parsed = parseBlobCreatedEvent({ ...event, id: event.id });
      assert.deepEqual([parsed.account, parsed.container, parsed.blobPath, parsed.etag], ['devstoreaccount1', 'data', 'incoming/x y.csv', etag]);
      assert.equal(new URL(parsed.url).pathname, '/devstoreaccount1/data/incoming/x%20y.csv');

      // A rewrite is a new event with a higher sequencer; nothing else is announced.
      const etag2 = await upload('incoming/x y.csv', 'changed\n');
      await waitFor(publisher, 2);
      await sleep(300);
      assert.equal(publisher.events.length, 2);
      const second = publisher.events[1]!.event;
      assert.equal((second.data as Record<string, unknown>).eTag, etag2);
      assert.notEqual(second.id, event.id);
      assert.ok(String((second.data as Record<string, unknown>).sequencer) > String(data.sequencer));
    } finally {
      await w.stop();
    }
  });

  it('announces again, with the same event id, after a failed delivery', async () => {
    const publisher = new RecordingPublisher();
    const w = watcher(publisher);
    await w.pollOnce();
    publisher.failNext = 1;
    await upload('incoming/retry.csv', 'r\n');
    await w.pollOnce();
    await w.pollOnce();
    assert.equal(publisher.events.length, 2);
    assert.equal(publisher.events[0]!.event.id, publisher.events[1]!.event.id);
    await w.pollOnce();
    assert.equal(publisher.events.length, 2);
  });

  it('after a restart on the same database announces only what changed while stopped', async () => {
    const first = new RecordingPublisher();
    const w1 = watcher(first);
    await w1.pollOnce();
    await w1.stop();
    await upload('incoming/while-down-1.csv', '1\n');
    await upload('incoming/while-down-2.csv', '2\n');
    const second = new RecordingPublisher();
    const w2 = watcher(second);
    await w2.pollOnce();
    await w2.stop();
    assert.deepEqual(second.events.map((e) => e.event.subject!.split('/blobs/')[1]).sort(), ['incoming/while-down-1.csv', 'incoming/while-down-2.csv']);
  });
});

describe('blob watcher on a container created after it started', () => {
  it('announces the first blobs of a container that did not exist at the first poll', async () => {
    const late = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient('late');
    const publisher = new RecordingPublisher();
    const w = new BlobWatcher({ containers: [{ datastore: 'late', client: late }], seen: new SeenStore(db), eventGrid: publisher, logger: silentLogger() });
    await w.pollOnce();
    await late.create();
    await late.getBlockBlobClient('first.csv').upload('1\n', 2);
    await w.pollOnce();
    assert.deepEqual(publisher.events.map((e) => e.event.subject), ['/blobServices/default/containers/late/blobs/first.csv']);
  });
});
