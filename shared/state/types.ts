/**
 * The state store port: the product's own state (trigger ledgers, reuse entries, the run
 * catalogue, published pipelines, schedules, idempotency keys). Shaped like Azure Table storage
 * (partition key + row key + JSON data, optimistic concurrency by etag) so both drivers are
 * thin: SQLite on the local host (the same database as the Durable backend), Azure Tables in Azure.
 */

export interface Entity<T> {
  partitionKey: string;
  rowKey: string;
  data: T;
  /** Opaque version; changes on every write. */
  etag: string;
  updatedTime: string;
}

export interface QueryOptions {
  /** Only rows whose row key starts with this. */
  rowKeyPrefix?: string;
  limit?: number;
  /** Row-key order; ascending by default. */
  descending?: boolean;
}

export interface StateTable<T> {
  get(partitionKey: string, rowKey: string): Promise<Entity<T> | undefined>;
  /** Insert unless present; returns the stored entity and whether this call created it. */
  insertIfAbsent(partitionKey: string, rowKey: string, data: T): Promise<{ entity: Entity<T>; created: boolean }>;
  upsert(partitionKey: string, rowKey: string, data: T): Promise<Entity<T>>;
  /** Replace only if the etag still matches; false when someone else wrote first. */
  replaceIfMatch(partitionKey: string, rowKey: string, data: T, etag: string): Promise<boolean>;
  delete(partitionKey: string, rowKey: string): Promise<void>;
  query(partitionKey: string, options?: QueryOptions): Promise<Entity<T>[]>;
  /** Every partition; for small tables (schedules, pipelines) and purges. */
  scan(options?: { limit?: number }): Promise<Entity<T>[]>;
}

export interface StateStore {
  table<T>(name: string): StateTable<T>;
}
