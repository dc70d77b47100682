/**
 * What the blob watcher has announced, in the host database (tables `blob_watcher_*`), so a
 * restart announces only what changed while the host was down. Re-announcing would be harmless
 * (event ids derive from the blob and its eTag, and the trigger ledger makes a repeat a no-op),
 * but it would fill the ledger with duplicates.
 */
import type { HostDatabase } from '../durable/db';

export interface SeenBlob {
  path: string;
  etag: string;
}

export class SeenStore {
  readonly #statements;

  constructor(db: HostDatabase) {
    db.exec(`CREATE TABLE IF NOT EXISTS blob_watcher_blobs (
      datastore TEXT NOT NULL, path TEXT NOT NULL, etag TEXT NOT NULL,
      PRIMARY KEY (datastore, path)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS blob_watcher_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;`);
    this.#statements = {
      all: db.prepare<[string], SeenBlob>('SELECT path, etag FROM blob_watcher_blobs WHERE datastore = ?'),
      put: db.prepare('INSERT INTO blob_watcher_blobs (datastore, path, etag) VALUES (?, ?, ?) ON CONFLICT (datastore, path) DO UPDATE SET etag = excluded.etag'),
      remove: db.prepare('DELETE FROM blob_watcher_blobs WHERE datastore = ? AND path = ?'),
      getState: db.prepare<[string], { value: string }>('SELECT value FROM blob_watcher_state WHERE key = ?'),
      setState: db.prepare('INSERT INTO blob_watcher_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
    };
  }

  /** Path → eTag of every blob announced (or baselined) in the datastore. */
  seen(datastore: string): Map<string, string> {
    return new Map(this.#statements.all.all(datastore).map((b) => [b.path, b.etag]));
  }

  markSeen(datastore: string, path: string, etag: string): void {
    this.#statements.put.run(datastore, path, etag);
  }

  forget(datastore: string, path: string): void {
    this.#statements.remove.run(datastore, path);
  }

  /** Whether the datastore's existing blobs were taken as the baseline (first start). */
  hasBaseline(datastore: string): boolean {
    return this.#statements.getState.get(`baseline:${datastore}`) !== undefined;
  }

  setBaseline(datastore: string): void {
    this.#statements.setState.run(`baseline:${datastore}`, new Date().toISOString());
  }

  /** The next sequencer value: persisted, so it keeps rising across restarts. */
  nextSequence(): bigint {
    const current = BigInt(this.#statements.getState.get('sequencer')?.value ?? '0');
    const next = current + 1n;
    this.#statements.setState.run('sequencer', next.toString());
    return next;
  }
}
