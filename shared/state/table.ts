/**
 * The StateStore over Azure Table storage (@azure/data-tables), for the app in Azure: one Azure
 * table per logical table (created on first use), the JSON data in string properties `d0..dN`
 * (a string property holds at most 64 KiB, so large values are split; past ~900 KB an entity no
 * longer fits and the write is refused), the service's etag for optimistic concurrency.
 * Row-key order follows the logical keys: results are sorted client-side after decoding, so keys
 * holding characters Azure forbids (escaped, see table-keys.ts) sort exactly as in SQLite.
 */
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import { AmlSchedError, ServiceError, ValidationError } from '../errors';
import { type TableClientFactory, tableClientFactory } from './table-connection';
import { azureTableName, decodeKey, encodeKey, prefixUpperBound } from './table-keys';
import type { Entity, QueryOptions, StateStore, StateTable } from './types';

const CHUNK_CHARS = 30_000; // 60 KB of UTF-16, under the 64 KiB property limit
const MAX_CHUNKS = 15; // the entity (1 MiB) must hold every chunk

type Stored = { partitionKey: string; rowKey: string; parts: number; updatedTime: string } & Record<string, unknown>;

export class TableStateStore implements StateStore {
  private readonly tables = new Map<string, AzureStateTable<unknown>>();

  constructor(private readonly clientFor: TableClientFactory) {}

  /** From app settings (AzureWebJobsStorage or its identity-based form); throws a ConfigurationError naming the setting. */
  static fromSettings(settings: Record<string, string | undefined> = process.env): TableStateStore {
    return new TableStateStore(tableClientFactory(settings));
  }

  table<T>(name: string): StateTable<T> {
    let table = this.tables.get(name);
    if (!table) {
      table = new AzureStateTable<unknown>(this.clientFor, name);
      this.tables.set(name, table);
    }
    return table as StateTable<T>;
  }
}

class AzureStateTable<T> implements StateTable<T> {
  private client?: TableClient;
  private created?: Promise<void>;

  constructor(private readonly clientFor: TableClientFactory, private readonly name: string) {}

  async get(partitionKey: string, rowKey: string): Promise<Entity<T> | undefined> {
    const client = await this.ready();
    try {
      return toEntity<T>(await client.getEntity<Stored>(encodeKey(partitionKey, 'partitionKey'), encodeKey(rowKey, 'rowKey')));
    } catch (err) {
      if (status(err) === 404) return undefined;
      throw this.failed('get', err);
    }
  }

  async insertIfAbsent(partitionKey: string, rowKey: string, data: T): Promise<{ entity: Entity<T>; created: boolean }> {
    const client = await this.ready();
    const stored = toStored(partitionKey, rowKey, data);
    try {
      const { etag } = await client.createEntity(stored);
      return { entity: { partitionKey, rowKey, data: roundTrip(data), etag: etag ?? '', updatedTime: stored.updatedTime }, created: true };
    } catch (err) {
      if (status(err) !== 409) throw this.failed('insert', err);
    }
    const existing = await this.get(partitionKey, rowKey);
    // Deleted between our insert and read: try again rather than report a row that is gone.
    return existing ? { entity: existing, created: false } : this.insertIfAbsent(partitionKey, rowKey, data);
  }

  async upsert(partitionKey: string, rowKey: string, data: T): Promise<Entity<T>> {
    const client = await this.ready();
    const stored = toStored(partitionKey, rowKey, data);
    try {
      const { etag } = await client.upsertEntity(stored, 'Replace');
      return { partitionKey, rowKey, data: roundTrip(data), etag: etag ?? '', updatedTime: stored.updatedTime };
    } catch (err) {
      throw this.failed('upsert', err);
    }
  }

  async replaceIfMatch(partitionKey: string, rowKey: string, data: T, etag: string): Promise<boolean> {
    const client = await this.ready();
    try {
      await client.updateEntity(toStored(partitionKey, rowKey, data), 'Replace', { etag });
      return true;
    } catch (err) {
      if (status(err) === 412 || status(err) === 404) return false;
      throw this.failed('replace', err);
    }
  }

  async delete(partitionKey: string, rowKey: string): Promise<void> {
    const client = await this.ready();
    try {
      await client.deleteEntity(encodeKey(partitionKey, 'partitionKey'), encodeKey(rowKey, 'rowKey'));
    } catch (err) {
      if (status(err) !== 404) throw this.failed('delete', err);
    }
  }

  async query(partitionKey: string, options: QueryOptions = {}): Promise<Entity<T>[]> {
    const prefix = options.rowKeyPrefix ?? '';
    let filter = odata`PartitionKey eq ${encodeKey(partitionKey, 'partitionKey')}`;
    if (prefix) {
      const low = encodeKey(prefix, 'rowKey');
      const high = prefixUpperBound(low);
      filter += ` and ${odata`RowKey ge ${low}`}${high === undefined ? '' : ` and ${odata`RowKey lt ${high}`}`}`;
    }
    const rows = (await this.list('query', filter)).filter((e) => e.rowKey.startsWith(prefix));
    rows.sort((a, b) => compare(a.rowKey, b.rowKey));
    if (options.descending) rows.reverse();
    return options.limit === undefined || options.limit < 0 ? rows : rows.slice(0, options.limit);
  }

  async scan(options: { limit?: number } = {}): Promise<Entity<T>[]> {
    const rows = await this.list('scan');
    rows.sort((a, b) => compare(a.partitionKey, b.partitionKey) || compare(a.rowKey, b.rowKey));
    return options.limit === undefined || options.limit < 0 ? rows : rows.slice(0, options.limit);
  }

  private async list(operation: string, filter?: string): Promise<Entity<T>[]> {
    const client = await this.ready();
    const rows: Entity<T>[] = [];
    try {
      for await (const entity of client.listEntities<Stored>(filter ? { queryOptions: { filter } } : {})) rows.push(toEntity<T>(entity));
    } catch (err) {
      throw this.failed(operation, err);
    }
    return rows;
  }

  /** The client, with its table created once (creating an existing table is a no-op). */
  private async ready(): Promise<TableClient> {
    this.client ??= this.clientFor(azureTableName(this.name));
    const client = this.client;
    this.created ??= client.createTable().catch((err: unknown) => {
      this.created = undefined;
      throw this.failed('create table', err);
    });
    await this.created;
    return client;
  }

  private failed(operation: string, err: unknown): AmlSchedError {
    if (err instanceof AmlSchedError) return err;
    const code = status(err);
    return new ServiceError('state_store_failed', `table state store: ${operation} in table '${this.name}' failed${code ? ` (HTTP ${code})` : ''}: ${(err as Error).message}`, { cause: err });
  }
}

function toStored<T>(partitionKey: string, rowKey: string, data: T): Stored {
  const json = asciiJson(data);
  const stored: Stored = { partitionKey: encodeKey(partitionKey, 'partitionKey'), rowKey: encodeKey(rowKey, 'rowKey'), parts: 0, updatedTime: new Date().toISOString() };
  for (let start = 0; start < json.length || stored.parts === 0;) {
    const end = Math.min(start + CHUNK_CHARS, json.length);
    stored[`d${stored.parts}`] = json.slice(start, end);
    stored.parts += 1;
    start = end;
    if (stored.parts > MAX_CHUNKS) {
      throw new ValidationError('state_value_too_large', `table state store: the value for ${partitionKey}/${rowKey} is ${json.length} characters of JSON; an Azure Table entity holds at most ${MAX_CHUNKS * CHUNK_CHARS}`);
    }
  }
  return stored;
}

/**
 * JSON with every non-ASCII character as a \\u escape: chunks never split a character, and
 * Azurite corrupts multi-byte UTF-8 characters that straddle its 64 KiB request-body chunks.
 */
function asciiJson(data: unknown): string {
  return JSON.stringify(data).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function toEntity<T>(stored: TableEntityResult<Stored>): Entity<T> {
  let json = '';
  for (let i = 0; i < Number(stored.parts); i++) json += String(stored[`d${i}`] ?? '');
  return {
    partitionKey: decodeKey(stored.partitionKey ?? ''),
    rowKey: decodeKey(stored.rowKey ?? ''),
    data: JSON.parse(json) as T,
    etag: stored.etag,
    updatedTime: typeof stored.updatedTime === 'string' ? stored.updatedTime : stored.timestamp ?? '',
  };
}

function status(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Code-unit order, as Azure compares keys (SQLite's BINARY collation agrees within the BMP). */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function roundTrip<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}
