/**
 * The local host's stand-in for Event Grid on storage accounts: polls every datastore container
 * on Azurite (~250 ms), diffs the listing's eTags against what it announced (SeenStore), and
 * publishes `Microsoft.Storage.BlobCreated` for every new or rewritten blob through the host's
 * Event Grid publisher, to the `blobCreated` function, over the same webhook Azure delivers to.
 *
 * A blob is marked seen only after a 2xx delivery, so a failed delivery is announced again on
 * the next poll (Event Grid's at-least-once). On a datastore's first poll the existing blobs are
 * the baseline and not announced (a new Event Grid subscription does not replay history); after a
 * restart, blobs written while the host was down are announced. An app without a `blobCreated`
 * function (404) has no subscriber: its blobs are marked seen, as Azure would drop them.
 */
import type { ContainerClient } from '@azure/storage-blob';
import type { Logger } from '../logger';
import type { EventGridPublisher } from '../triggers/eventgrid-publisher';
import { blobCreatedEvent, type CreatedBlob } from './event';
import type { SeenStore } from './seen-store';

export const BLOB_CREATED_FUNCTION = 'blobCreated';
export const DEFAULT_POLL_MS = 250;

export interface WatchedContainer {
  datastore: string;
  client: ContainerClient;
}

export interface BlobWatcherOptions {
  containers: WatchedContainer[];
  seen: SeenStore;
  eventGrid: Pick<EventGridPublisher, 'publish'>;
  logger: Logger;
  pollMs?: number;
  functionName?: string;
}

const unquote = (etag: string): string => etag.replace(/^"(.*)"$/, '$1');

export class BlobWatcher {
  readonly #options: BlobWatcherOptions;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #published = 0;

  constructor(options: BlobWatcherOptions) {
    this.#options = options;
  }

  get published(): number {
    return this.#published;
  }

  start(): void {
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.pollOnce()
        .catch((err: unknown) => this.#options.logger.warn({ err }, 'blob watcher poll failed'))
        .finally(() => this.#schedule(this.#options.pollMs ?? DEFAULT_POLL_MS));
    }, delayMs);
    this.#timer.unref();
  }

  /** One pass over every container: announces new and rewritten blobs. */
  async pollOnce(): Promise<void> {
    for (const container of this.#options.containers) {
      if (this.#stopped) return;
      await this.#pollContainer(container);
    }
  }

  async #pollContainer({ datastore, client }: WatchedContainer): Promise<void> {
    const { seen } = this.#options;
    const known = seen.seen(datastore);
    const listed: CreatedBlob[] = [];
    try {
      for await (const item of client.listBlobsFlat()) {
        listed.push({
          account: client.accountName,
          container: client.containerName,
          path: item.name,
          url: client.getBlobClient(item.name).url,
          etag: unquote(item.properties.etag),
          contentLength: item.properties.contentLength ?? 0,
          ...(item.properties.contentType ? { contentType: item.properties.contentType } : {}),
          ...(item.properties.blobType ? { blobType: item.properties.blobType } : {}),
          lastModified: item.properties.lastModified,
        });
      }
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) throw err;
      // No container yet: empty is the baseline, so its first blobs are announced.
      if (!seen.hasBaseline(datastore)) seen.setBaseline(datastore);
      return;
    }
    if (!seen.hasBaseline(datastore)) {
      for (const blob of listed) seen.markSeen(datastore, blob.path, blob.etag);
      seen.setBaseline(datastore);
      return;
    }
    const present = new Set(listed.map((b) => b.path));
    for (const path of known.keys()) if (!present.has(path)) seen.forget(datastore, path);
    // Oldest writes first, as Event Grid orders a blob's events by its sequencer.
    const fresh = listed.filter((b) => known.get(b.path) !== b.etag).sort((a, b) => (a.lastModified?.getTime() ?? 0) - (b.lastModified?.getTime() ?? 0));
    for (const blob of fresh) {
      if (this.#stopped) return;
      const event = blobCreatedEvent(blob, seen.nextSequence());
      const [result] = await this.#options.eventGrid.publish([event], { functionName: this.#options.functionName ?? BLOB_CREATED_FUNCTION, maxAttempts: 1 });
      if (result && (result.status < 300 || result.status === 404)) {
        seen.markSeen(datastore, blob.path, blob.etag);
        this.#published++;
      } else {
        this.#options.logger.warn({ datastore, path: blob.path, status: result?.status, error: result?.error }, 'BlobCreated delivery failed; announcing again on the next poll');
        return;
      }
    }
  }
}
