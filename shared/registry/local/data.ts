/**
 * The local data asset registry (the local host's `az ml data`): data versions in the host's
 * SQLite database. `latest` is the most recently created version, as in Azure ML.
 */
import type { Database } from 'better-sqlite3';
import { ValidationError } from '../../errors';
import type { DataRegistry, DataVersion, DataVersionInput } from '../types';

export class LocalDataRegistry implements DataRegistry {
  private readonly statements;

  constructor(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS aml_data_versions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      version TEXT NOT NULL,
      body TEXT NOT NULL,
      UNIQUE (name, version)
    )`);
    this.statements = {
      insert: db.prepare('INSERT OR IGNORE INTO aml_data_versions (name, version, body) VALUES (?, ?, ?)'),
      get: db.prepare<[string, string], { body: string }>('SELECT body FROM aml_data_versions WHERE name = ? AND version = ?'),
      latest: db.prepare<[string], { body: string }>('SELECT body FROM aml_data_versions WHERE name = ? ORDER BY seq DESC LIMIT 1'),
      listName: db.prepare<[string], { body: string }>('SELECT body FROM aml_data_versions WHERE name = ? ORDER BY seq DESC'),
      listAll: db.prepare<[], { body: string }>('SELECT body FROM aml_data_versions ORDER BY name, seq DESC'),
    };
  }

  async createOrGet(input: DataVersionInput): Promise<{ version: DataVersion; created: boolean }> {
    checkName(input.name, input.version);
    if (!/^azureml:\/\//.test(input.uri) && !/^https?:\/\//.test(input.uri)) {
      throw new ValidationError('invalid_data_uri', `data ${input.name}:${input.version}: path '${input.uri}' must be an azureml:// URI (upload local paths first)`);
    }
    const version: DataVersion = { ...input, createdTime: new Date().toISOString() };
    const created = this.statements.insert.run(input.name, input.version, JSON.stringify(version)).changes === 1;
    const stored = this.statements.get.get(input.name, input.version);
    return { version: JSON.parse((stored as { body: string }).body) as DataVersion, created };
  }

  async get(name: string, version: string): Promise<DataVersion | undefined> {
    const row = version === 'latest' ? this.statements.latest.get(name) : this.statements.get.get(name, version);
    return row ? JSON.parse(row.body) as DataVersion : undefined;
  }

  async list(name?: string): Promise<DataVersion[]> {
    const rows = name === undefined ? this.statements.listAll.all() : this.statements.listName.all(name);
    return rows.map((row) => JSON.parse(row.body) as DataVersion);
  }
}

/**
 * Azure ML asset names and versions: letters, digits, `-`, `_`, `.`; `latest` is reserved. The REST
 * specification puts no length limit on versions; derived ones (a blob-triggered run id) run to ~60.
 */
export function checkName(name: string, version: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(name)) {
    throw new ValidationError('invalid_asset_name', `asset name '${name}' must start with a letter or digit and use letters, digits, '-', '_' and '.'`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,254}$/.test(version) || version === 'latest') {
    throw new ValidationError('invalid_asset_version', `asset ${name}: version '${version}' must be letters, digits, '-', '_' or '.' (and not 'latest')`);
  }
}
