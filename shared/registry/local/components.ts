/**
 * The local component and environment registry (the local host's `az ml component create` /
 * `az ml environment create`), in the host's SQLite database. `latest` is the most recently
 * created version. Environments are recorded only: local steps run with the machine's interpreters.
 */
import type { Database } from 'better-sqlite3';
import type { ComponentRegistry, RegisteredComponent } from '../types';
import { checkName } from './data';

export interface RegisteredEnvironment {
  name: string;
  version: string;
  image?: string;
  /** The environment YAML as a plain object. */
  spec: Record<string, unknown>;
  createdTime: string;
}

type Kind = 'component' | 'environment';

export class LocalComponentRegistry implements ComponentRegistry {
  private readonly statements;

  constructor(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS aml_assets (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      name TEXT NOT NULL,
      version TEXT NOT NULL,
      body TEXT NOT NULL,
      UNIQUE (kind, name, version)
    )`);
    this.statements = {
      insert: db.prepare('INSERT OR IGNORE INTO aml_assets (kind, name, version, body) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[Kind, string, string], { body: string }>('SELECT body FROM aml_assets WHERE kind = ? AND name = ? AND version = ?'),
      latest: db.prepare<[Kind, string], { body: string }>('SELECT body FROM aml_assets WHERE kind = ? AND name = ? ORDER BY seq DESC LIMIT 1'),
      listName: db.prepare<[Kind, string], { body: string }>('SELECT body FROM aml_assets WHERE kind = ? AND name = ? ORDER BY seq DESC'),
      listAll: db.prepare<[Kind], { body: string }>('SELECT body FROM aml_assets WHERE kind = ? ORDER BY name, seq DESC'),
    };
  }

  async createOrGet(name: string, version: string, spec: Record<string, unknown>): Promise<{ component: RegisteredComponent; created: boolean }> {
    const { body, created } = this.insert('component', name, version, { name, version, spec, createdTime: new Date().toISOString() });
    return { component: body as RegisteredComponent, created };
  }

  async get(name: string, version: string): Promise<RegisteredComponent | undefined> {
    return this.find('component', name, version) as RegisteredComponent | undefined;
  }

  async list(name?: string): Promise<RegisteredComponent[]> {
    return this.all('component', name) as RegisteredComponent[];
  }

  async createOrGetEnvironment(name: string, version: string, spec: Record<string, unknown>): Promise<{ environment: RegisteredEnvironment; created: boolean }> {
    const image = typeof spec.image === 'string' ? spec.image : undefined;
    const environment: RegisteredEnvironment = { name, version, ...(image ? { image } : {}), spec, createdTime: new Date().toISOString() };
    const { body, created } = this.insert('environment', name, version, environment);
    return { environment: body as RegisteredEnvironment, created };
  }

  async getEnvironment(name: string, version: string): Promise<{ name: string; version: string; image?: string } | undefined> {
    const environment = this.find('environment', name, version) as RegisteredEnvironment | undefined;
    if (!environment) return undefined;
    return { name: environment.name, version: environment.version, ...(environment.image ? { image: environment.image } : {}) };
  }

  async listEnvironments(name?: string): Promise<RegisteredEnvironment[]> {
    return this.all('environment', name) as RegisteredEnvironment[];
  }

  private insert(kind: Kind, name: string, version: string, body: object): { body: unknown; created: boolean } {
    checkName(name, version);
    const created = this.statements.insert.run(kind, name, version, JSON.stringify(body)).changes === 1;
    return { body: JSON.parse((this.statements.get.get(kind, name, version) as { body: string }).body), created };
  }

  private find(kind: Kind, name: string, version: string): unknown {
    const row = version === 'latest' ? this.statements.latest.get(kind, name) : this.statements.get.get(kind, name, version);
    return row ? JSON.parse(row.body) : undefined;
  }

  private all(kind: Kind, name: string | undefined): unknown[] {
    const rows = name === undefined ? this.statements.listAll.all(kind) : this.statements.listName.all(kind, name);
    return rows.map((row) => JSON.parse(row.body));
  }
}
