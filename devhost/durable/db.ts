/**
 * The local host's SQLite database: the Durable task hub tables live here, and so does the product's
 * state store (shared/state/sqlite.ts opens its tables on the same handle), so state an episode
 * depends on can commit in the same transaction.
 *
 * WAL with synchronous=NORMAL: a commit survives a killed process (not a power loss) at ~0.03 ms.
 * One process owns a database file at a time; the host guards that with its pid file.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

export type HostDatabase = Database.Database;

const DURABLE_SCHEMA = `
CREATE TABLE IF NOT EXISTS dt_instances (
  instance_id       TEXT PRIMARY KEY,
  execution_id      TEXT NOT NULL,
  name              TEXT NOT NULL,
  version           TEXT,
  status            TEXT NOT NULL,
  input             TEXT,
  output            TEXT,
  custom_status     TEXT,
  created_time      TEXT NOT NULL,
  last_updated_time TEXT NOT NULL,
  parent            TEXT,
  replay_state      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS dt_instances_created ON dt_instances (created_time, instance_id);
CREATE TABLE IF NOT EXISTS dt_history (
  instance_id TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  event       TEXT NOT NULL,
  PRIMARY KEY (instance_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS dt_inbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id  TEXT NOT NULL,
  execution_id TEXT,
  event_type   INTEGER NOT NULL,
  event        TEXT NOT NULL,
  visible_at   INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS dt_inbox_instance ON dt_inbox (instance_id, id);
CREATE INDEX IF NOT EXISTS dt_inbox_visible ON dt_inbox (visible_at);
CREATE TABLE IF NOT EXISTS dt_activities (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id  TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  task_id      INTEGER NOT NULL,
  name         TEXT NOT NULL,
  input        TEXT
);
CREATE INDEX IF NOT EXISTS dt_activities_instance ON dt_activities (instance_id);
`;

/**
 * Opens (creating if needed) the host database at `file` (`':memory:'` for tests) with the pragmas
 * the Durable backend relies on, and creates the task hub tables.
 */
export function openHostDatabase(file: string): HostDatabase {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(DURABLE_SCHEMA);
  return db;
}
