/**
 * The schedules repository: schedule definitions as stored by `PUT /api/schedules/{name}`, in the
 * state store. The one module that touches the `schedules` table, so the timer and blob triggers
 * read exactly what the API wrote. The parsed definition is whatever the schedule layer produced;
 * the YAML source is kept to show and re-parse it.
 */
import type { StateStore, StateTable } from '../state/types';

export const SCHEDULES_TABLE = 'schedules';
const PARTITION = 'schedule';

export interface StoredSchedule<D = unknown> {
  name: string;
  /** The schedule YAML as applied. */
  source: string;
  /** The parsed definition (schedule layer's shape). */
  definition: D;
  /** Pipeline bundle of a `create_job.job` that names a local file (spec layer's bundle format). */
  bundle?: unknown;
  enabled: boolean;
  createdTime: string;
  updatedTime: string;
}

export class SchedulesStore<D = unknown> {
  private readonly table: StateTable<StoredSchedule<D>>;

  constructor(state: StateStore, private readonly now: () => Date = () => new Date()) {
    this.table = state.table<StoredSchedule<D>>(SCHEDULES_TABLE);
  }

  async get(name: string): Promise<StoredSchedule<D> | undefined> {
    return (await this.table.get(PARTITION, name))?.data;
  }

  async list(): Promise<StoredSchedule<D>[]> {
    const rows = await this.table.query(PARTITION);
    return rows.map((row) => row.data).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates or replaces; a replaced schedule keeps its creation time and enabled flag unless given. */
  async apply(name: string, change: { source: string; definition: D; bundle?: unknown; enabled?: boolean }): Promise<{ schedule: StoredSchedule<D>; created: boolean }> {
    const time = this.now().toISOString();
    const { source, definition, bundle, enabled } = change;
    for (;;) {
      const existing = await this.table.get(PARTITION, name);
      if (!existing) {
        const fresh: StoredSchedule<D> = { name, source, definition, ...(bundle !== undefined ? { bundle } : {}), enabled: enabled ?? true, createdTime: time, updatedTime: time };
        const { entity, created } = await this.table.insertIfAbsent(PARTITION, name, fresh);
        if (created) return { schedule: entity.data, created: true };
        continue;
      }
      const { bundle: _old, ...kept } = existing.data;
      const next: StoredSchedule<D> = { ...kept, source, definition, ...(bundle !== undefined ? { bundle } : {}), enabled: enabled ?? existing.data.enabled, updatedTime: time };
      if (await this.table.replaceIfMatch(PARTITION, name, next, existing.etag)) return { schedule: next, created: false };
    }
  }

  /** Undefined when there is no such schedule. */
  async setEnabled(name: string, enabled: boolean): Promise<StoredSchedule<D> | undefined> {
    for (;;) {
      const existing = await this.table.get(PARTITION, name);
      if (!existing) return undefined;
      const next = { ...existing.data, enabled, updatedTime: this.now().toISOString() };
      if (await this.table.replaceIfMatch(PARTITION, name, next, existing.etag)) return next;
    }
  }

  /** False when there was nothing to delete. */
  async delete(name: string): Promise<boolean> {
    const existing = await this.table.get(PARTITION, name);
    if (!existing) return false;
    await this.table.delete(PARTITION, name);
    return true;
  }
}
