/**
 * What the trigger cores need, injected so tests drive them with a fixed clock and a recording
 * starter, and the functions pass the real services and Durable client.
 */
import type { DurableClient } from 'durable-functions';
import type { Services } from '../../shared/config/services';
import type { DatastoreRegistry } from '../../shared/datastore/types';
import { tryGetStatus } from '../../shared/run/progress';
import type { StateStore } from '../../shared/state/types';
import { createScheduleRunStarter, type StartScheduleRun } from './schedule-run';
import { BATCH_WINDOW_ORCHESTRATOR, QUEUE_WATCH_ORCHESTRATOR, batchWindowInstanceId, queueWatchInstanceId, type BatchWindowInput, type QueueWatchInput } from './names';

export interface TriggerDeps {
  state: StateStore;
  datastores: Pick<DatastoreRegistry, 'get' | 'byContainer'>;
  now(): Date;
  start: StartScheduleRun;
  /** Arms the durable timer that closes a batch window when it is due. */
  armWindow(input: BatchWindowInput): Promise<void>;
  /** Arms the watcher that drains a schedule's queue of waiting runs as runs finish. */
  armQueue(schedule: string): Promise<void>;
}

/** Starts an orchestration unless an instance with that id is pending or running. */
async function startOnce(client: DurableClient, name: string, instanceId: string, input: unknown): Promise<void> {
  const status = await tryGetStatus(client, instanceId);
  if (status && ['Pending', 'Running', 'ContinuedAsNew'].includes(String(status.runtimeStatus))) return;
  try {
    await client.startNew(name, { instanceId, input });
  } catch (err) {
    if (!(await tryGetStatus(client, instanceId))) throw err;
  }
}

export function createTriggerDeps(client: DurableClient, services: Services): TriggerDeps {
  return {
    state: services.state,
    datastores: services.datastores,
    now: () => new Date(),
    start: createScheduleRunStarter(client, services),
    armWindow: (input) => startOnce(client, BATCH_WINDOW_ORCHESTRATOR, batchWindowInstanceId(input.schedule, input.windowStart), input),
    armQueue: (schedule) => startOnce(client, QUEUE_WATCH_ORCHESTRATOR, queueWatchInstanceId(schedule), { schedule } satisfies QueueWatchInput),
  };
}
