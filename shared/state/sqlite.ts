/**
 * The StateStore over SQLite (better-sqlite3), in the host's database so product state is written
 * next to the Durable episodes that depend on it. One table holds every logical table, shaped like
 * Azure Table storage: (table, partition key, row key) → JSON data + etag.
 * Every method writes synchronously when called (the returned promise is already settled), so
 * calls made inside a better-sqlite3 `db.transaction(...)` callback commit or roll back with it.
 */
import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Entity, QueryOptions, StateStore, StateTable } from './types';

interface Row {
  partition_key: string;
  row_key: string;
  data: string;
  etag: string;
  updated_time: string;
}

export class SqliteStateStore implements StateStore {
  private readonly tables = new Map<string, SqliteStateTable<unknown>>();

  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS state_entities (
      table_name TEXT NOT NULL,
      partition_key TEXT NOT NULL,
      row_key TEXT NOT NULL,
      data TEXT NOT NULL,
      etag TEXT NOT NULL,
      updated_time TEXT NOT NULL,
      PRIMARY KEY (table_name, partition_key, row_key)
    ) WITHOUT ROWID`);
  }

  table<T>(name: string): StateTable<T> {
    let table = this.tables.get(name);
    if (!table) {
      table = new SqliteStateTable<unknown>(this.db, name);
      this.tables.set(name, table);
    }
    return table as StateTable<T>;
  }
}

class SqliteStateTable<T> implements StateTable<T> {
  private readonly statements;

  constructor(private readonly db: Database, private readonly name: string) {
    const columns = 'partition_key, row_key, data, etag, updated_time';
    this.statements = {
      get: db.prepare<[string, string, string], Row>(`SELECT ${columns} FROM state_entities WHERE table_name = ? AND partition_key = ? AND row_key = ?`),
      insert: db.prepare(`INSERT OR IGNORE INTO state_entities (table_name, ${columns}) VALUES (?, ?, ?, ?, ?, ?)`),
      upsert: db.prepare(`INSERT INTO state_entities (table_name, ${columns}) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (table_name, partition_key, row_key) DO UPDATE SET data = excluded.data, etag = excluded.etag, updated_time = excluded.updated_time`),
      replace: db.prepare(`UPDATE state_entities SET data = ?, etag = ?, updated_time = ? WHERE table_name = ? AND partition_key = ? AND row_key = ? AND etag = ?`),
      delete: db.prepare('DELETE FROM state_entities WHERE table_name = ? AND partition_key = ? AND row_key = ?'),
      queryAsc: db.prepare<[string, string, number, string, number], Row>(`SELECT ${columns} FROM state_entities
        WHERE table_name = ? AND partition_key = ? AND substr(row_key, 1, ?) = ? ORDER BY row_key ASC LIMIT ?`),
      queryDesc: db.prepare<[string, string, number, string, number], Row>(`SELECT ${columns} FROM state_entities
        WHERE table_name = ? AND partition_key = ? AND substr(row_key, 1, ?) = ? ORDER BY row_key DESC LIMIT ?`),
      scan: db.prepare<[string, number], Row>(`SELECT ${columns} FROM state_entities WHERE table_name = ? ORDER BY partition_key, row_key LIMIT ?`),
    };
  }

  async get(partitionKey: string, rowKey: string): Promise<Entity<T> | undefined> {
    const row = this.statements.get.get(this.name, partitionKey, rowKey);
    return row ? toEntity<T>(row) : undefined;
  }

  async insertIfAbsent(partitionKey: string, rowKey: string, data: T): Promise<{ entity: Entity<T>; created: boolean }> {
    const run = this.db.transaction(() => {
      const result = this.statements.insert.run(this.name, partitionKey, rowKey, JSON.stringify(data), randomUUID(), now());
      const row = this.statements.get.get(this.name, partitionKey, rowKey) as Row;
      return { entity: toEntity<T>(row), created: result.changes === 1 };
    });
    return run();
  }

  async upsert(partitionKey: string, rowKey: string, data: T): Promise<Entity<T>> {
    const etag = randomUUID();
    const updatedTime = now();
    this.statements.upsert.run(this.name, partitionKey, rowKey, JSON.stringify(data), etag, updatedTime);
    return { partitionKey, rowKey, data: roundTrip(data), etag, updatedTime };
  }

  async replaceIfMatch(partitionKey: string, rowKey: string, data: T, etag: string): Promise<boolean> {
    const result = this.statements.replace.run(JSON.stringify(data), randomUUID(), now(), this.name, partitionKey, rowKey, etag);
    return result.changes === 1;
  }

  async delete(partitionKey: string, rowKey: string): Promise<void> {
    this.statements.delete.run(this.name, partitionKey, rowKey);
  }

  async query(partitionKey: string, options: QueryOptions = {}): Promise<Entity<T>[]> {
    const prefix = options.rowKeyPrefix ?? '';
    const statement = options.descending ? this.statements.queryDesc : this.statements.queryAsc;
    return statement.all(this.name, partitionKey, prefix.length, prefix, options.limit ?? -1).map((row) => toEntity<T>(row));
  }

  async scan(options: { limit?: number } = {}): Promise<Entity<T>[]> {
    return this.statements.scan.all(this.name, options.limit ?? -1).map((row) => toEntity<T>(row));
  }
}

function toEntity<T>(row: Row): Entity<T> {
  return { partitionKey: row.partition_key, rowKey: row.row_key, data: JSON.parse(row.data) as T, etag: row.etag, updatedTime: row.updated_time };
}

function roundTrip<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}

function now(): string {
  return new Date().toISOString();
}
