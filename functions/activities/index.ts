/**
 * The run activities from injected dependencies (Temporal-style factory): tests pass local
 * drivers; the app resolves them lazily from shared/config at first invocation. Activities that
 * report to a parent orchestration or forward a cancel also get the durable client.
 *
 *   createActivities(deps) → { runs_prepareStep, runs_pollJob, runs_completeStep, runs_cancelJob,
 *                              runs_recordRun, runs_signalCancel, runs_notifyParent }
 */
import type { DurableClient } from 'durable-functions';
import { ACTIVITIES } from '../../shared/run/names';
import type { CompleteStepInput, ParentRef, PrepareStepInput, RecordRunInput } from '../../shared/run/step-types';
import { completeStep } from './complete-step';
import type { ActivityDeps } from './deps';
import { cancelJob, pollJob } from './job-activities';
import { notifyParent } from './notify';
import { createParallelActivities, PARALLEL_CLIENT_ACTIVITIES } from './parallel-activities';
import { prepareStep } from './prepare-step';
import { recordRun, signalCancel } from './run-activities';

export type { ActivityDeps } from './deps';

export type ActivityHandler = (input: unknown, client?: DurableClient) => Promise<unknown>;

export function createActivities(deps: ActivityDeps): Record<string, ActivityHandler> {
  return {
    [ACTIVITIES.prepareStep]: (input, client) => prepareStep(deps, input as PrepareStepInput, client),
    [ACTIVITIES.pollJob]: (input) => pollJob(deps, input as { jobName: string }),
    [ACTIVITIES.completeStep]: (input, client) => completeStep(deps, input as CompleteStepInput, client),
    [ACTIVITIES.cancelJob]: (input) => cancelJob(deps, input as { jobName: string }),
    [ACTIVITIES.recordRun]: (input) => recordRun(deps, input as RecordRunInput),
    [ACTIVITIES.signalCancel]: (input, client) => signalCancel(required(client), input as { instanceIds: string[] }),
    [ACTIVITIES.notifyParent]: async (input, client) => {
      const { parent, result } = input as { parent: ParentRef; result: unknown };
      await notifyParent(client, parent, result);
    },
    ...createParallelActivities(deps),
  };
}

/** Activities that talk to other orchestrations. */
export const CLIENT_ACTIVITIES: readonly string[] = [ACTIVITIES.prepareStep, ACTIVITIES.completeStep, ACTIVITIES.signalCancel, ACTIVITIES.notifyParent, ...PARALLEL_CLIENT_ACTIVITIES];

function required(client: DurableClient | undefined): DurableClient {
  if (!client) throw new Error('this activity needs the durable client binding');
  return client;
}
