/**
 * A `type: parallel` step: one activity plans the mini-batches (manifests in blob storage),
 * chunk sub-orchestrations run them one chunk after another, each with the step's whole
 * concurrency (`instance_count × max_concurrency_per_instance`), and one activity gathers the
 * rows (`append_row_to`) and registers the outputs. Failures beyond
 * `mini_batch_error_threshold` fail the step naming the mini-batches and why. Progress
 * (done/failed/total mini-batches) is in the custom status. The result reaches the parent as a
 * ChildDone event, like a command step's.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { chunkRanges } from '../shared/parallel/mini-batches';
import {
  PARALLEL_ACTIVITIES, PARALLEL_ORCHESTRATORS, parallelChunkInstanceId,
  type ChunkInput, type ChunkResult, type FinishInput, type MiniBatchFailure, type MiniBatchProgress, type ParallelStepInput, type PlanResult,
} from '../shared/parallel/types';
import { ACTIVITIES, EVENTS, type ChildDone } from '../shared/run/names';
import type { StepResult } from '../shared/run/types';

const MAX_FAILURES_IN_MESSAGE = 10;

type Outcome = StepResult & { notified?: boolean };

export function* parallelStepOrchestrator(context: OrchestrationContext): Generator<Task, StepResult, unknown> {
  const input = context.df.getInput<ParallelStepInput>();
  const startTime = context.df.currentUtcDateTime.toISOString();
  let result: Outcome;
  try {
    result = yield* runParallel(context, input);
  } catch (err) {
    result = { status: 'Failed', outputs: {}, error: { code: 'step_error', message: err instanceof Error ? err.message : String(err) } };
  }
  const { notified, ...plain } = { ...result, startTime, endTime: context.df.currentUtcDateTime.toISOString() };
  if (!notified) yield context.df.callActivity(ACTIVITIES.notifyParent, { parent: input.parent, result: plain });
  return plain;
}

function* runParallel(context: OrchestrationContext, input: ParallelStepInput): Generator<Task, Outcome, unknown> {
  const p = input.step.parallel;
  const plan = (yield context.df.callActivity(PARALLEL_ACTIVITIES.plan, input)) as PlanResult;
  if (plan.kind === 'failed') return { status: 'Failed', outputs: {}, error: plan.error };

  const progress: MiniBatchProgress = { total: plan.total, done: 0, failed: 0 };
  const failures: MiniBatchFailure[] = [];
  const cancel = context.df.waitForExternalEvent(EVENTS.cancel);
  let childDone = context.df.waitForExternalEvent(EVENTS.childDone);
  let canceled = false;
  let stopped = false;

  for (const [chunk, range] of chunkRanges(plan.total, plan.perChunk).entries()) {
    if (canceled || stopped) break;
    context.df.setCustomStatus({ status: 'Running', miniBatches: progress, chunk });
    const key = `chunk-${chunk}`;
    const instanceId = parallelChunkInstanceId(context.df.instanceId, chunk);
    const chunkInput: ChunkInput = {
      parent: { instanceId: context.df.instanceId, key },
      planUri: plan.planUri,
      chunk,
      first: range.first,
      count: range.count,
      concurrency: plan.concurrency,
      maxRetries: Math.max(0, p.retry.maxRetries),
      errorThreshold: p.errorThreshold,
      failedBefore: progress.failed,
      backstopSeconds: input.settings.backstopSeconds,
    };
    const task = context.df.callSubOrchestrator(PARALLEL_ORCHESTRATORS.chunk, chunkInput, instanceId);
    let outcome: ChunkResult | undefined;
    let first = true;
    while (!outcome) {
      // The chunk task is yielded once (it schedules the chunk); after that only its ChildDone counts.
      const winner = (yield context.df.Task.any([...(first ? [task] : []), childDone, ...(canceled ? [] : [cancel])])) as Task;
      first = false;
      if (winner === cancel) {
        canceled = true;
        yield context.df.callActivity(ACTIVITIES.signalCancel, { instanceIds: [instanceId] });
      } else if (winner === childDone) {
        const done = childDone.result as ChildDone | undefined;
        childDone = context.df.waitForExternalEvent(EVENTS.childDone);
        if (done?.key === key) outcome = done.result as ChunkResult;
      } else {
        outcome = task.isFaulted
          ? { done: 0, failed: range.count, failures: [{ index: range.first, label: key, jobName: '', attempts: 0, error: { code: 'chunk_failed', message: String((task.result as Error | undefined)?.message ?? task.result) } }], stopped: true, canceled: false }
          : (task.result as ChunkResult);
      }
    }
    progress.done += outcome.done;
    progress.failed += outcome.failed;
    failures.push(...outcome.failures.slice(0, Math.max(0, MAX_FAILURES_IN_MESSAGE - failures.length)));
    if (outcome.canceled) canceled = true;
    if (outcome.stopped) stopped = true;
  }
  context.df.setCustomStatus({ status: canceled ? 'Canceled' : 'Running', miniBatches: progress });

  if (canceled) return { status: 'Canceled', outputs: {}, miniBatches: progress, error: { code: 'canceled', message: 'the run was canceled' } };
  if (p.errorThreshold >= 0 && progress.failed > p.errorThreshold) {
    return { status: 'Failed', outputs: {}, miniBatches: progress, error: { code: 'mini_batch_error_threshold', message: thresholdMessage(progress, p.errorThreshold, failures) } };
  }
  const finish: FinishInput = { notify: input.parent, step: input, planUri: plan.planUri, progress };
  const result = (yield context.df.callActivity(PARALLEL_ACTIVITIES.finish, finish)) as StepResult;
  return { ...result, notified: true };
}

function thresholdMessage(progress: MiniBatchProgress, threshold: number, failures: MiniBatchFailure[]): string {
  const listed = failures.map((f) => `mini-batch ${f.index} (${f.label}; job ${f.jobName}, ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}): ${f.error.message}`);
  const more = progress.failed > failures.length ? `; and ${progress.failed - failures.length} more` : '';
  return `${progress.failed} of ${progress.total} mini-batches failed, more than mini_batch_error_threshold ${threshold}${progress.done + progress.failed < progress.total ? ' (the rest were not run)' : ''}: ${listed.join('; ')}${more}`;
}
