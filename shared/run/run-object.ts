/**
 * The run object of DESIGN.md, from the catalogue record and, while the run is in flight, the
 * live progress in the orchestrations' custom status. Nested pipeline steps appear as
 * `outer/inner` next to `outer`.
 */
import type { RunObject, RunObjectStep, RunProgress, RunRecord, StepResult } from './types';

export function toRunObject(record: RunRecord, live?: RunProgress): RunObject {
  const results = flattenSteps({ ...(live?.steps ?? {}), ...(record.steps ?? {}) });
  const steps: Record<string, RunObjectStep> = {};
  for (const name of record.stepNames) steps[name] = stepObject(results[name]);
  for (const [name, result] of Object.entries(results)) if (!(name in steps)) steps[name] = stepObject(result);
  return {
    runId: record.runId,
    status: record.status,
    pipeline: record.pipeline,
    trigger: record.trigger,
    createdTime: record.createdTime,
    endTime: record.endTime ?? null,
    steps,
    outputs: record.outputs ?? {},
    ...(record.error ? { error: record.error } : {}),
  };
}

/** Step results with nested pipeline steps lifted to `outer/inner` keys. */
export function flattenSteps(steps: Record<string, StepResult>, prefix = ''): Record<string, StepResult> {
  const flat: Record<string, StepResult> = {};
  for (const [name, result] of Object.entries(steps)) {
    const key = prefix + name;
    flat[key] = result;
    if (result.steps) Object.assign(flat, flattenSteps(result.steps, `${key}/`));
  }
  return flat;
}

function stepObject(result: StepResult | undefined): RunObjectStep {
  if (!result) return { status: 'NotStarted', reused: false, reason: null, jobName: null, outputs: {}, startTime: null, endTime: null };
  return {
    status: result.status,
    reused: result.reuse?.reused ?? false,
    reason: result.reuse?.reason ?? null,
    jobName: result.jobName ?? null,
    outputs: result.outputs,
    startTime: result.startTime ?? null,
    endTime: result.endTime ?? null,
    ...(result.error ? { error: result.error } : {}),
    ...(result.miniBatches ? { miniBatches: result.miniBatches } : {}),
  };
}
