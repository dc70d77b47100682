/**
 * The parallel step activities from injected dependencies, like createActivities:
 *   { parallel_plan, parallel_submit, parallel_poll, parallel_finish }
 * parallel_finish reports to the parent orchestration, so it needs the durable client.
 */
import type { DurableClient } from 'durable-functions';
import { parallelSettings, type ParallelSettings } from '../../shared/parallel/settings';
import { PARALLEL_ACTIVITIES, type FinishInput, type ParallelStepInput, type PollInput, type SubmitInput } from '../../shared/parallel/types';
import type { ActivityDeps } from './deps';
import { finishParallel } from './parallel-finish';
import { pollMiniBatches, submitMiniBatches } from './parallel-jobs';
import { planParallel } from './parallel-plan';

export function createParallelActivities(deps: ActivityDeps & { parallel?: ParallelSettings }): Record<string, (input: unknown, client?: DurableClient) => Promise<unknown>> {
  let settings = deps.parallel;
  return {
    [PARALLEL_ACTIVITIES.plan]: (input) => planParallel(deps, (settings ??= parallelSettings(deps.compute.kind)), input as ParallelStepInput),
    [PARALLEL_ACTIVITIES.submit]: (input) => submitMiniBatches(deps, input as SubmitInput),
    [PARALLEL_ACTIVITIES.poll]: (input) => pollMiniBatches(deps, input as PollInput),
    [PARALLEL_ACTIVITIES.finish]: (input, client) => finishParallel(deps, input as FinishInput, client),
  };
}

export const PARALLEL_CLIENT_ACTIVITIES: readonly string[] = [PARALLEL_ACTIVITIES.finish];
