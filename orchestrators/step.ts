/**
 * One step: fingerprint → reuse lookup → submit (one activity), then wait for the job's status
 * events racing a backstop timer; when the timer wins, poll the job once and wait again. The
 * deadline (`limits.timeout`) rests on those polls. On success one activity confirms and
 * registers the outputs and records the reuse entry; on failure the step retries (transient
 * failures only, per the step's retry settings) with a new job name per attempt.
 * A `CancelRun` event cancels the job. The result reaches the parent as a ChildDone event, sent
 * by the last activity (prepare when reused, complete on success) or by runs_notifyParent.
 * Aim: ≤3 episodes and ≤1 activity per job state change.
 */
import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { advanceStatus, isTerminalStatus, normalizeJobStatus } from '../shared/events/status';
import { ACTIVITIES, EVENTS, type JobStatusEvent } from '../shared/run/names';
import type { CompleteStepInput, PollJobResult, PrepareStepInput, PrepareStepResult, StepInput } from '../shared/run/step-types';
import type { StepResult } from '../shared/run/types';
import { activityRetry } from './activity-retry';
import { isTransientFailure } from './retry';

export function* stepOrchestrator(context: OrchestrationContext): Generator<Task, StepResult, unknown> {
  const input = context.df.getInput<StepInput>();
  let result: Outcome;
  try {
    result = yield* runStep(context, input);
  } catch (err) {
    const now = context.df.currentUtcDateTime.toISOString();
    result = { status: 'Failed', outputs: {}, endTime: now, error: { code: 'step_error', message: err instanceof Error ? err.message : String(err) } };
  }
  if (!result.notified) yield context.df.callActivityWithRetry(ACTIVITIES.notifyParent, activityRetry(), { parent: input.parent, result });
  const { notified: _notified, ...plain } = result;
  return plain;
}

/** A step result, and whether the last activity already reported it to the parent. */
type Outcome = StepResult & { notified?: boolean };

function* runStep(context: OrchestrationContext, input: StepInput): Generator<Task, Outcome, unknown> {
  const startTime = context.df.currentUtcDateTime.toISOString();
  const maxRetries = Math.max(0, input.step.retry?.maxRetries ?? 0);
  const cancel = context.df.waitForExternalEvent(EVENTS.cancel);
  const end = (result: Omit<StepResult, 'startTime' | 'endTime'>): StepResult => ({ ...result, startTime, endTime: context.df.currentUtcDateTime.toISOString() });

  let last: StepResult | undefined;
  for (let attempt = 0; attempt <= maxRetries; attempt += 1) {
    const prepareInput: PrepareStepInput = { ...input, attempt, notify: input.parent };
    const prepared = (yield context.df.callActivityWithRetry(ACTIVITIES.prepareStep, activityRetry(), prepareInput)) as PrepareStepResult;
    if (prepared.kind === 'reused') return { ...end(prepared.result), notified: true };
    if (prepared.kind === 'failed') return end({ status: 'Failed', outputs: {}, error: prepared.error, attempts: attempt + 1 });
    const { jobName, fingerprint, reuse, outputs } = prepared;
    context.df.setCustomStatus({ status: 'Running', jobName, fingerprint, reuse, attempt });

    const followed = yield* followJob(context, input, jobName, prepared.status, cancel);
    const common = { jobName, fingerprint, reuse, attempts: attempt + 1 };
    if (followed.status === 'Canceled') return end({ ...common, status: 'Canceled', outputs: {}, ...(followed.error ? { error: followed.error } : {}) });
    if (followed.status === 'Completed') {
      const complete: CompleteStepInput = {
        notify: input.parent,
        runId: input.runId,
        path: input.path,
        jobName,
        fingerprint,
        reason: reuse.reason,
        outputs,
        outputTypes: Object.fromEntries(Object.entries(input.step.outputs).map(([k, o]) => [k, { type: o.type, mode: o.mode }])),
        registrations: input.registrations,
        inputs: input.inputs,
        pipelineKey: input.pipeline.pipelineKey,
      };
      const done = (yield context.df.callActivityWithRetry(ACTIVITIES.completeStep, activityRetry(), complete)) as StepResult;
      return { ...end({ ...done, attempts: attempt + 1 }), notified: true };
    }
    last = end({ ...common, status: 'Failed', outputs: {}, error: followed.error ?? { code: 'job_failed', message: `job ${jobName} failed` } });
    if (!isTransientFailure(followed.error)) break;
  }
  return last ?? end({ status: 'Failed', outputs: {}, error: { code: 'job_failed', message: 'step failed' } });
}

interface Followed {
  status: 'Completed' | 'Failed' | 'Canceled';
  error?: { code: string; message: string };
}

/** Waits for the job to end: events first, a poll each time the backstop timer fires. */
function* followJob(context: OrchestrationContext, input: StepInput, jobName: string, initial: string, cancel: Task): Generator<Task, Followed, unknown> {
  const submitted = context.df.currentUtcDateTime.getTime();
  const deadline = input.step.timeoutSeconds !== undefined ? submitted + input.step.timeoutSeconds * 1000 : undefined;
  let status: string = advanceStatus('NotStarted', initial);
  let error: Followed['error'];
  let event = context.df.waitForExternalEvent(EVENTS.jobStatus);
  while (!isTerminalStatus(status)) {
    const now = context.df.currentUtcDateTime.getTime();
    if (deadline !== undefined && now >= deadline) {
      yield context.df.callActivityWithRetry(ACTIVITIES.cancelJob, activityRetry(), { jobName });
      return { status: 'Failed', error: { code: 'timeout', message: `job ${jobName} exceeded limits.timeout of ${input.step.timeoutSeconds}s` } };
    }
    const wake = Math.min(now + input.settings.backstopSeconds * 1000, deadline ?? Number.POSITIVE_INFINITY);
    const timer: TimerTask = context.df.createTimer(new Date(wake));
    const winner = (yield context.df.Task.any([event, timer, cancel])) as Task;
    if (winner === cancel) {
      if (!timer.isCompleted) timer.cancel();
      yield context.df.callActivityWithRetry(ACTIVITIES.cancelJob, activityRetry(), { jobName });
      return { status: 'Canceled', error: { code: 'canceled', message: 'the run was canceled' } };
    }
    if (winner === event) {
      if (!timer.isCompleted) timer.cancel();
      const data = event.result as JobStatusEvent | undefined;
      event = context.df.waitForExternalEvent(EVENTS.jobStatus);
      // Events of an earlier attempt's job, duplicates and late ones only move the status forward.
      if (data && data.jobName === jobName) status = advanceStatus(status, data.status);
      continue;
    }
    const polled = (yield context.df.callActivityWithRetry(ACTIVITIES.pollJob, activityRetry(), { jobName })) as PollJobResult;
    status = advanceStatus(status, polled.status);
    if (polled.error) error = polled.error;
  }
  const final = normalizeJobStatus(status);
  if (final === 'Completed') return { status: 'Completed' };
  if (!error) {
    // Events carry no failure detail: one poll fetches it (the failure path only).
    const polled = (yield context.df.callActivityWithRetry(ACTIVITIES.pollJob, activityRetry(), { jobName })) as PollJobResult;
    error = polled.error;
  }
  return { status: final === 'Canceled' ? 'Canceled' : 'Failed', ...(error ? { error } : {}) };
}
