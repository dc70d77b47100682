/**
 * Starting, reading, cancelling and re-running runs: the API the HTTP functions, schedules and
 * triggers call.
 *
 *   startRun(client, { state, settings? }, { plan, inputs, trigger, idempotencyKey?, runId?, sources?, reuseHints? }) → RunObject
 *   getRun(client, { state }, runId) → RunObject            (catalogue + live progress)
 *   cancelRun(client, { state }, runId) → RunObject         (raises CancelRun into the run)
 *   rerunRun(client, { state, settings? }, runId) → RunObject (new run reusing the old run's completed steps)
 *
 * A run id is derived from the idempotency key or trigger identity when there is one, so a
 * repeated request returns the existing run; a run id that was used never starts again.
 */
import type { DurableClient } from 'durable-functions';
import { AmlSchedError, ValidationError } from '../errors';
import type { PipelinePlan } from '../spec/plan';
import type { StateStore } from '../state/types';
import { RunCatalog, isFinished } from './catalog';
import { resolvePipelineInputs } from './inputs';
import { EVENTS, ORCHESTRATORS } from './names';
import { readProgress, tryGetStatus } from './progress';
import { deriveRunId, isValidRunId } from './run-id';
import { toRunObject, flattenSteps } from './run-object';
import { DEFAULT_RUN_SETTINGS } from './settings';
import type { LocalSource, RunInput, RunObject, RunRecord, RunSettings, RunTrigger, StepResult } from './types';

export interface RunDeps {
  state: StateStore;
  settings?: RunSettings;
  now?: () => Date;
}

export interface StartRunOptions {
  plan: PipelinePlan;
  /** Pipeline input values from outside (strings from `--set` are converted to the declared type). */
  inputs?: Record<string, unknown>;
  trigger: RunTrigger;
  idempotencyKey?: string;
  runId?: string;
  /** Uploaded local files/folders of the plan, by their plan-relative path. */
  sources?: Record<string, LocalSource>;
  /** Results of an earlier run's steps to reuse (rerun-from-failure). */
  reuseHints?: RunInput['reuseHints'];
  /** Published pipeline version the run pins. */
  pipelineVersion?: string;
}

export async function startRun(client: DurableClient, deps: RunDeps, options: StartRunOptions): Promise<RunObject> {
  const sources = options.sources ?? {};
  const inputs = resolvePipelineInputs(options.plan, options.inputs ?? {}, sources);
  if (options.runId !== undefined && !isValidRunId(options.runId)) {
    throw new ValidationError('invalid_run_id', `runId: '${options.runId}' must be letters, digits and '-' (at most 100)`, { path: 'runId' });
  }
  const trigger: RunTrigger = options.idempotencyKey ? { ...options.trigger, idempotencyKey: options.idempotencyKey } : options.trigger;
  const runId = options.runId ?? deriveRunId(trigger, options.idempotencyKey);
  const catalog = new RunCatalog(deps.state);
  const plan = options.plan;
  const record: RunRecord = {
    runId,
    status: 'NotStarted',
    pipeline: {
      ...(plan.name !== undefined ? { name: plan.name } : {}),
      ...(options.pipelineVersion !== undefined ? { version: options.pipelineVersion } : {}),
      ...(plan.displayName !== undefined ? { displayName: plan.displayName } : {}),
    },
    trigger,
    createdTime: (deps.now?.() ?? new Date()).toISOString(),
    orchestrator: ORCHESTRATORS.run,
    inputs,
    stepNames: stepPaths(plan),
  };
  const { record: stored, created } = await catalog.createOrGet(record);
  if (!created && (stored.status !== 'NotStarted' || (await tryGetStatus(client, runId)) !== undefined)) {
    return toRunObject(stored);
  }
  const input: RunInput = {
    runId,
    plan,
    inputs: stored.inputs,
    sources,
    settings: deps.settings ?? DEFAULT_RUN_SETTINGS,
    ...(options.reuseHints ? { reuseHints: options.reuseHints } : {}),
  };
  try {
    await client.startNew(stored.orchestrator, { instanceId: runId, input });
  } catch (err) {
    // Another caller started the same run id between our catalogue read and here: that run stands.
    if ((await tryGetStatus(client, runId)) === undefined) throw err;
  }
  return toRunObject(stored);
}

export async function getRun(client: DurableClient, deps: Pick<RunDeps, 'state'>, runId: string): Promise<RunObject> {
  const record = await new RunCatalog(deps.state).require(runId);
  if (isFinished(record.status)) return toRunObject(record);
  const live = await readProgress(client, runId);
  if (!live) return toRunObject(record);
  const status = record.status === 'NotStarted' && live.runtimeStatus !== 'Pending' ? 'Running' : record.status;
  return toRunObject({ ...record, status }, live.progress);
}

export async function cancelRun(client: DurableClient, deps: Pick<RunDeps, 'state'>, runId: string): Promise<RunObject> {
  const record = await new RunCatalog(deps.state).require(runId);
  if (!isFinished(record.status)) {
    try {
      await client.raiseEvent(runId, EVENTS.cancel, { requested: true });
    } catch (err) {
      if ((await tryGetStatus(client, runId)) !== undefined) throw err;
      // Never started (crashed between catalogue and start): nothing runs, so it is canceled.
      await new RunCatalog(deps.state).recordStatus(runId, { status: 'Canceled', endTime: new Date().toISOString() });
    }
  }
  return getRun(client, deps, runId);
}

/** A new run of the same plan and inputs that reuses the completed steps of `runId`. */
export async function rerunRun(client: DurableClient, deps: RunDeps, runId: string, options: { idempotencyKey?: string } = {}): Promise<RunObject> {
  const record = await new RunCatalog(deps.state).require(runId);
  if (!isFinished(record.status)) throw new AmlSchedError('run_not_finished', `run '${runId}' is ${record.status}; rerun it when it has ended`, { kind: 'user' });
  const status = await tryGetStatus(client, runId, true);
  const old = status?.input as RunInput | undefined;
  if (!old?.plan) throw new AmlSchedError('run_history_purged', `run '${runId}' has no stored plan any more (purged); submit the pipeline again`, { kind: 'user' });
  const hints: NonNullable<RunInput['reuseHints']> = {};
  for (const [path, result] of Object.entries(flattenSteps(record.steps ?? {}))) {
    if (result.status === 'Completed' && result.fingerprint) hints[path] = { ...stripNested(result), runId: old.runId };
  }
  return startRun(client, deps, {
    plan: old.plan,
    inputs: Object.fromEntries(Object.entries(old.inputs).flatMap(([k, v]) => (v.kind === 'literal' ? [[k, v.value]] : v.kind === 'data' ? [[k, v.uri]] : []))),
    trigger: { type: 'rerun', rerunOf: runId },
    sources: old.sources,
    reuseHints: hints,
    ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(record.pipeline.version ? { pipelineVersion: record.pipeline.version } : {}),
  });
}

function stripNested(result: StepResult): StepResult {
  const { steps: _nested, ...rest } = result;
  return rest;
}

/** Every step path of a plan, nested pipeline steps as `outer/inner`, in topological order. */
export function stepPaths(plan: PipelinePlan, prefix = ''): string[] {
  return plan.steps.flatMap((step) => [prefix + step.name, ...(step.kind === 'pipeline' ? stepPaths(step.pipeline, `${prefix}${step.name}/`) : [])]);
}
