/** Run-level activities: catalogue status transitions, and forwarding a cancel to child orchestrations. */
import type { DurableClient } from 'durable-functions';
import { RunCatalog } from '../../shared/run/catalog';
import { EVENTS } from '../../shared/run/names';
import type { RecordRunInput } from '../../shared/run/step-types';
import type { ActivityDeps } from './deps';

export async function recordRun(deps: ActivityDeps, input: RecordRunInput): Promise<void> {
  const catalog = new RunCatalog(deps.state);
  if (input.status === 'Running') {
    await catalog.recordStatus(input.runId, { status: 'Running', startTime: input.time });
    return;
  }
  await catalog.recordStatus(input.runId, {
    status: input.status,
    endTime: input.time,
    ...(input.steps ? { steps: input.steps } : {}),
    ...(input.outputs ? { outputs: input.outputs } : {}),
    ...(input.error ? { error: input.error } : {}),
  });
}

/**
 * Raises CancelRun into running child orchestrations. A child that is not created yet or has
 * already ended cannot take it; that is fine: the parent starts nothing new once canceling.
 */
export async function signalCancel(client: DurableClient, input: { instanceIds: string[] }): Promise<{ signaled: string[] }> {
  const signaled: string[] = [];
  await Promise.all(input.instanceIds.map(async (id) => {
    try {
      await client.raiseEvent(id, EVENTS.cancel, { requested: true });
      signaled.push(id);
    } catch {
      // not found (not yet created) or gone (ended): nothing to cancel there
    }
  }));
  return { signaled: signaled.sort() };
}
