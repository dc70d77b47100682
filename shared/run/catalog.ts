/**
 * The run catalogue: one entity per run in the state store (table `runs`), written when a run is
 * started and at each status transition. Statuses only move forward (NotStarted → Running →
 * Completed | Failed | Canceled), so late or repeated writes are harmless.
 */
import { NotFoundError } from '../errors';
import type { StateStore, StateTable } from '../state/types';
import type { RunRecord, RunStatus } from './types';

export const RUNS_TABLE = 'runs';
const PARTITION = 'run';

const RANK: Record<RunStatus, number> = { NotStarted: 0, Running: 1, Completed: 2, Failed: 2, Canceled: 2 };

export function isFinished(status: RunStatus): boolean {
  return RANK[status] === 2;
}

export interface RunListFilter {
  status?: RunStatus[];
  /** Pipeline name or display name. */
  pipeline?: string;
  /** Only runs created before this ISO time. */
  createdBefore?: string;
  /** Page size (default 50). */
  top?: number;
  /** From a previous page's `continuationToken`. */
  continuationToken?: string;
}

export interface RunPage {
  runs: RunRecord[];
  continuationToken?: string;
}

export type RunPatch = Partial<Omit<RunRecord, 'runId' | 'createdTime' | 'orchestrator' | 'trigger' | 'pipeline' | 'inputs'>> & { status: RunStatus };

export class RunCatalog {
  private readonly table: StateTable<RunRecord>;

  constructor(state: StateStore) {
    this.table = state.table<RunRecord>(RUNS_TABLE);
  }

  async get(runId: string): Promise<RunRecord | undefined> {
    return (await this.table.get(PARTITION, runId))?.data;
  }

  async require(runId: string): Promise<RunRecord> {
    const record = await this.get(runId);
    if (!record) throw new NotFoundError('run_not_found', `run '${runId}' not found`);
    return record;
  }

  /** Inserts the record unless the run id is taken; returns the stored one either way. */
  async createOrGet(record: RunRecord): Promise<{ record: RunRecord; created: boolean }> {
    const { entity, created } = await this.table.insertIfAbsent(PARTITION, record.runId, record);
    return { record: entity.data, created };
  }

  /** Applies a status transition; ignored when it would move the status backwards or rewrite an ended run. */
  async recordStatus(runId: string, patch: RunPatch): Promise<RunRecord> {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const entity = await this.table.get(PARTITION, runId);
      if (!entity) throw new NotFoundError('run_not_found', `run '${runId}' not found`);
      const current = entity.data;
      if (isFinished(current.status) || RANK[patch.status] < RANK[current.status]) return current;
      const next: RunRecord = { ...current, ...patch };
      if (await this.table.replaceIfMatch(PARTITION, runId, next, entity.etag)) return next;
    }
    throw new Error(`run catalogue: too many concurrent writes to run '${runId}'`);
  }

  async list(filter: RunListFilter = {}): Promise<RunPage> {
    const all = (await this.table.query(PARTITION)).map((e) => e.data).filter((r) => matches(r, filter));
    all.sort((a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : a.runId < b.runId ? 1 : -1));
    const offset = filter.continuationToken ? Number.parseInt(filter.continuationToken, 10) || 0 : 0;
    const top = filter.top ?? 50;
    const runs = all.slice(offset, offset + top);
    return offset + top < all.length ? { runs, continuationToken: String(offset + top) } : { runs };
  }

  async delete(runId: string): Promise<void> {
    await this.table.delete(PARTITION, runId);
  }
}

function matches(record: RunRecord, filter: RunListFilter): boolean {
  if (filter.status && !filter.status.includes(record.status)) return false;
  if (filter.pipeline && record.pipeline.name !== filter.pipeline && record.pipeline.displayName !== filter.pipeline) return false;
  if (filter.createdBefore && !(record.createdTime < filter.createdBefore)) return false;
  return true;
}
