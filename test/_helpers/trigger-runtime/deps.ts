/**
 * Trigger cores (functions/triggers/) with injected parts: an in-memory SQLite state store, a
 * settable clock, a MemoryDatastore mapped to storage account `mlstore` container `data`, and a
 * recording starter that writes the run catalogue entry as startRun does (so the concurrency cap
 * sees running runs) and never starts the same run id twice.
 */
import Database from 'better-sqlite3';
import { SchedulesStore } from '../../../shared/api/schedules-store';
import type { Datastore } from '../../../shared/datastore/types';
import { RunCatalog } from '../../../shared/run/catalog';
import type { RunObject } from '../../../shared/run/types';
import type { Schedule } from '../../../shared/spec/schedule';
import { parseSchedule, scheduleOrThrow } from '../../../shared/spec/schedule-load';
import { SqliteStateStore } from '../../../shared/state/sqlite';
import type { TriggerDeps } from '../../../functions/triggers/deps';
import type { ScheduleRunRequest } from '../../../functions/triggers/schedule-run';
import type { BatchWindowInput } from '../../../functions/triggers/names';
import { MemoryDatastore } from '../fake-aml/memory-datastore';

export interface StartedRun extends ScheduleRunRequest {
  schedule: string;
}

export interface TriggerTestbed {
  deps: TriggerDeps;
  state: SqliteStateStore;
  datastore: MemoryDatastore;
  clock: { now: Date };
  /** Every run started, in order (a run id appears once). */
  started: StartedRun[];
  windows: BatchWindowInput[];
  queues: string[];
  /** Makes the next start of this run id fail with the error. */
  failNext: Map<string, Error>;
  addSchedule(yaml: string, createdAt?: Date): Promise<Schedule>;
  finish(runId: string): Promise<void>;
}

export function triggerTestbed(start = new Date('2026-05-01T10:00:00Z')): TriggerTestbed {
  const state = new SqliteStateStore(new Database(':memory:'));
  const datastore = new MemoryDatastore('workspaceblobstore', 'data');
  const clock = { now: start };
  const started: StartedRun[] = [];
  const windows: BatchWindowInput[] = [];
  const queues: string[] = [];
  const failNext = new Map<string, Error>();
  const catalog = new RunCatalog(state);
  const byName = new Map<string, Datastore>([[datastore.name, datastore]]);
  const deps: TriggerDeps = {
    state,
    datastores: {
      get: (name) => {
        const d = byName.get(name);
        if (!d) throw new Error(`no datastore ${name}`);
        return d;
      },
      byContainer: (account, container) => (account === 'mlstore' && container === 'data' ? datastore : undefined),
    },
    now: () => clock.now,
    start: async (stored, request) => {
      const failure = failNext.get(request.runId);
      if (failure) {
        failNext.delete(request.runId);
        throw failure;
      }
      const { record, created } = await catalog.createOrGet({
        runId: request.runId,
        status: 'Running',
        pipeline: { name: stored.name },
        trigger: request.trigger,
        createdTime: clock.now.toISOString(),
        orchestrator: 'test',
        inputs: {},
        stepNames: [],
      });
      if (created) started.push({ ...request, schedule: stored.name });
      return { runId: record.runId, status: record.status } as RunObject;
    },
    armWindow: async (input) => {
      windows.push(input);
    },
    armQueue: async (schedule) => {
      queues.push(schedule);
    },
  };
  return {
    deps,
    state,
    datastore,
    clock,
    started,
    windows,
    queues,
    failNext,
    async addSchedule(yaml, createdAt = clock.now) {
      const schedule = scheduleOrThrow(parseSchedule(yaml, 'test.yml'));
      await new SchedulesStore<Schedule>(state, () => createdAt).apply(schedule.name, { source: yaml, definition: schedule, enabled: schedule.isEnabled });
      return schedule;
    },
    async finish(runId) {
      await catalog.recordStatus(runId, { status: 'Completed', endTime: clock.now.toISOString() });
    },
  };
}
