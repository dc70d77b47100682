/**
 * Job records of the local Azure ML in the host's SQLite database, so a restarted host finds
 * the jobs it was running (with the pid and start time of their process) and the queue order.
 */
import type { Database } from 'better-sqlite3';
import type { JobSpec, JobState } from '../../shared/compute/types';

export interface JobRecord {
  spec: JobSpec;
  state: JobState;
  /** Process of the current attempt, while it may be running. */
  pid?: number;
  pidStartTime?: string;
  /** Why the process is being stopped, so its exit is reported as Canceled or timed out. */
  stopReason?: 'cancel' | 'timeout';
}

interface Row {
  spec: string;
  state: string;
  pid: number | null;
  pid_start_time: string | null;
  stop_reason: string | null;
}

export class JobStore {
  private readonly statements;

  constructor(db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS aml_jobs (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      compute TEXT NOT NULL,
      spec TEXT NOT NULL,
      state TEXT NOT NULL,
      terminal INTEGER NOT NULL DEFAULT 0,
      pid INTEGER,
      pid_start_time TEXT,
      stop_reason TEXT
    )`);
    const columns = 'spec, state, pid, pid_start_time, stop_reason';
    this.statements = {
      insert: db.prepare('INSERT OR IGNORE INTO aml_jobs (name, compute, spec, state) VALUES (?, ?, ?, ?)'),
      get: db.prepare<[string], Row>(`SELECT ${columns} FROM aml_jobs WHERE name = ?`),
      state: db.prepare('UPDATE aml_jobs SET state = ?, terminal = ? WHERE name = ?'),
      process: db.prepare('UPDATE aml_jobs SET pid = ?, pid_start_time = ? WHERE name = ?'),
      stop: db.prepare('UPDATE aml_jobs SET stop_reason = ? WHERE name = ?'),
      active: db.prepare<[], Row>(`SELECT ${columns} FROM aml_jobs WHERE terminal = 0 ORDER BY seq`),
    };
  }

  /** Inserts unless the name exists; returns the stored record and whether this call created it. */
  insertIfAbsent(spec: JobSpec, state: JobState): { record: JobRecord; created: boolean } {
    const created = this.statements.insert.run(spec.name, spec.compute, JSON.stringify(spec), JSON.stringify(state)).changes === 1;
    return { record: this.get(spec.name) as JobRecord, created };
  }

  get(name: string): JobRecord | undefined {
    const row = this.statements.get.get(name);
    return row ? toRecord(row) : undefined;
  }

  saveState(state: JobState, terminal: boolean): void {
    this.statements.state.run(JSON.stringify(state), terminal ? 1 : 0, state.name);
  }

  saveProcess(name: string, pid: number | undefined, startTime: string | undefined): void {
    this.statements.process.run(pid ?? null, startTime ?? null, name);
  }

  saveStopReason(name: string, reason: 'cancel' | 'timeout' | undefined): void {
    this.statements.stop.run(reason ?? null, name);
  }

  /** Jobs not yet Completed/Failed/Canceled, in submission order. */
  active(): JobRecord[] {
    return this.statements.active.all().map(toRecord);
  }
}

function toRecord(row: Row): JobRecord {
  return {
    spec: JSON.parse(row.spec) as JobSpec,
    state: JSON.parse(row.state) as JobState,
    ...(row.pid !== null ? { pid: row.pid } : {}),
    ...(row.pid_start_time !== null ? { pidStartTime: row.pid_start_time } : {}),
    ...(row.stop_reason === 'cancel' || row.stop_reason === 'timeout' ? { stopReason: row.stop_reason } : {}),
  };
}
