/**
 * One chunk of a parallel step's mini-batches: keeps at most `concurrency` mini-batch jobs in
 * flight, follows them by their status events (the jobs carry this instance's id) racing a
 * backstop timer that polls them, retries a failed mini-batch up to `max_retries` times with a
 * new job name, and stops (canceling what still runs) once the step's
 * `mini_batch_error_threshold` is exceeded. Chunks keep each history bounded however large
 * the input. The result reaches the parent as a ChildDone event.
 */
import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { advanceStatus, isTerminalStatus, normalizeJobStatus } from '../shared/events/status';
import { PARALLEL_ACTIVITIES, type ChunkInput, type ChunkResult, type MiniBatchFailure, type PolledJob, type SubmittedBatch } from '../shared/parallel/types';
import { ACTIVITIES, EVENTS, type JobStatusEvent } from '../shared/run/names';

/** Failure details kept per chunk (counts are always exact). */
const MAX_FAILURE_DETAILS = 20;

interface Running {
  index: number;
  attempt: number;
  jobName: string;
  label: string;
  status: string;
  error?: { code: string; message: string };
}

export function* parallelChunkOrchestrator(context: OrchestrationContext): Generator<Task, ChunkResult, unknown> {
  const input = context.df.getInput<ChunkInput>();
  let result: ChunkResult;
  try {
    result = yield* runChunk(context, input);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    result = { done: 0, failed: input.count, failures: [{ index: input.first, label: `chunk ${input.chunk}`, jobName: '', attempts: 0, error: { code: 'chunk_error', message } }], stopped: true, canceled: false };
  }
  yield context.df.callActivity(ACTIVITIES.notifyParent, { parent: input.parent, result });
  return result;
}

function* runChunk(context: OrchestrationContext, input: ChunkInput): Generator<Task, ChunkResult, unknown> {
  const queue = Array.from({ length: input.count }, (_, i) => ({ index: input.first + i, attempt: 0 }));
  const running = new Map<string, Running>();
  const failures: MiniBatchFailure[] = [];
  let failed = 0;
  let done = 0;
  let stopped = false;
  const cancel = context.df.waitForExternalEvent(EVENTS.cancel);
  let event = context.df.waitForExternalEvent(EVENTS.jobStatus);
  const exceeded = (): boolean => input.errorThreshold >= 0 && input.failedBefore + failed > input.errorThreshold;

  for (;;) {
    if (!stopped) {
      const batches = queue.splice(0, Math.max(0, input.concurrency - running.size));
      if (batches.length > 0) {
        const submitted = (yield context.df.callActivity(PARALLEL_ACTIVITIES.submit, { planUri: input.planUri, chunk: input.chunk, batches, instanceId: context.df.instanceId })) as SubmittedBatch[];
        for (const s of submitted) running.set(s.jobName, { ...s, status: advanceStatus('NotStarted', s.status) });
      }
    }

    const ended = [...running.values()].filter((r) => isTerminalStatus(r.status));
    if (ended.length > 0) {
      // Events carry no failure detail: one poll fetches it for every failed job at once.
      const unexplained = ended.filter((r) => normalizeJobStatus(r.status) !== 'Completed' && !r.error).map((r) => r.jobName);
      if (unexplained.length > 0) {
        const polled = (yield context.df.callActivity(PARALLEL_ACTIVITIES.poll, { jobNames: unexplained })) as PolledJob[];
        for (const p of polled) if (p.error) running.get(p.jobName)!.error = p.error;
      }
      for (const r of ended) {
        running.delete(r.jobName);
        if (normalizeJobStatus(r.status) === 'Completed') {
          done += 1;
        } else if (r.attempt < input.maxRetries && !stopped) {
          queue.unshift({ index: r.index, attempt: r.attempt + 1 });
        } else {
          failed += 1;
          const error = r.error ?? { code: 'job_failed', message: `job ${r.jobName} ended ${r.status}` };
          if (failures.length < MAX_FAILURE_DETAILS) failures.push({ index: r.index, label: r.label, jobName: r.jobName, attempts: r.attempt + 1, error });
          if (exceeded()) stopped = true;
        }
      }
      if (stopped && running.size > 0) {
        yield context.df.Task.all([...running.keys()].map((jobName) => context.df.callActivity(ACTIVITIES.cancelJob, { jobName })));
        running.clear();
      }
      continue;
    }

    context.df.setCustomStatus({ chunk: input.chunk, miniBatches: { total: input.count, done, failed } });
    if (running.size === 0 && (queue.length === 0 || stopped)) break;

    const wake = new Date(context.df.currentUtcDateTime.getTime() + input.backstopSeconds * 1000);
    const timer: TimerTask = context.df.createTimer(wake);
    const winner = (yield context.df.Task.any([event, timer, cancel])) as Task;
    if (winner === cancel) {
      if (!timer.isCompleted) timer.cancel();
      if (running.size > 0) yield context.df.Task.all([...running.keys()].map((jobName) => context.df.callActivity(ACTIVITIES.cancelJob, { jobName })));
      return { done, failed, failures, stopped: true, canceled: true };
    }
    if (winner === event) {
      if (!timer.isCompleted) timer.cancel();
      const data = event.result as JobStatusEvent | undefined;
      event = context.df.waitForExternalEvent(EVENTS.jobStatus);
      const r = data ? running.get(data.jobName) : undefined;
      // Events of earlier attempts, duplicates and late ones only move a status forward.
      if (r && data) r.status = advanceStatus(r.status, data.status);
      continue;
    }
    const polled = (yield context.df.callActivity(PARALLEL_ACTIVITIES.poll, { jobNames: [...running.keys()] })) as PolledJob[];
    for (const p of polled) {
      const r = running.get(p.jobName);
      if (!r) continue;
      r.status = advanceStatus(r.status, p.status);
      if (p.error) r.error = p.error;
    }
  }
  return { done, failed, failures, stopped, canceled: false };
}
