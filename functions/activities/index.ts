/**
 * The run activities from injected dependencies (Temporal-style factory): tests pass local
 * drivers; the app resolves them lazily from shared/config at first invocation.
 *
 *   createActivities(deps) → { runs_prepareStep, runs_pollJob, runs_completeStep, runs_cancelJob, runs_recordRun }
 *   runs_signalCancel needs a durable client and is registered separately (signalCancel).
 */
import { ACTIVITIES } from '../../shared/run/names';
import type { CompleteStepInput, PrepareStepInput, RecordRunInput } from '../../shared/run/step-types';
import { completeStep } from './complete-step';
import type { ActivityDeps } from './deps';
import { cancelJob, pollJob } from './job-activities';
import { prepareStep } from './prepare-step';
import { recordRun } from './run-activities';

export type { ActivityDeps } from './deps';
export { signalCancel } from './run-activities';

export type ActivityHandler = (input: unknown) => Promise<unknown>;

export function createActivities(deps: ActivityDeps): Record<string, ActivityHandler> {
  return {
    [ACTIVITIES.prepareStep]: (input) => prepareStep(deps, input as PrepareStepInput),
    [ACTIVITIES.pollJob]: (input) => pollJob(deps, input as { jobName: string }),
    [ACTIVITIES.completeStep]: (input) => completeStep(deps, input as CompleteStepInput),
    [ACTIVITIES.cancelJob]: (input) => cancelJob(deps, input as { jobName: string }),
    [ACTIVITIES.recordRun]: (input) => recordRun(deps, input as RecordRunInput),
  };
}
