/**
 * The activity after a job completed: confirm its outputs are in the datastore, register the
 * named ones with lineage, record the reuse entry, and report the result to the parent
 * orchestration. One activity per completion.
 */
import type { DurableClient } from 'durable-functions';
import { ReuseStore } from '../../shared/reuse/store';
import type { CompleteStepInput } from '../../shared/run/step-types';
import type { StepResult } from '../../shared/run/types';
import type { ActivityDeps } from './deps';
import { notifyParent } from './notify';
import { missingOutputs } from './outputs';
import { registerOutputs } from './register-outputs';

export async function completeStep(deps: ActivityDeps, input: CompleteStepInput, client?: DurableClient): Promise<StepResult> {
  const result = await complete(deps, input);
  if (input.notify) await notifyParent(client, input.notify, result);
  return result;
}

async function complete(deps: ActivityDeps, input: CompleteStepInput): Promise<StepResult> {
  const base = { jobName: input.jobName, fingerprint: input.fingerprint, reuse: { reused: false, reason: input.reason } };
  const missing = await missingOutputs(deps, input.outputs);
  if (missing.length > 0) {
    return {
      ...base,
      status: 'Failed',
      outputs: input.outputs,
      error: { code: 'output_missing', message: `job ${input.jobName} completed but output ${missing.map((m) => `'${m}' (${input.outputs[m]})`).join(', ')} is not in the datastore` },
    };
  }
  const registered = await registerOutputs(deps, input);
  const reuse = new ReuseStore(deps.state);
  await reuse.record({ fingerprint: input.fingerprint, runId: input.runId, step: input.path, jobName: input.jobName, outputs: input.outputs, createdTime: deps.clock().toISOString() });
  await reuse.markLast(input.pipelineKey, input.path, input.fingerprint);
  return { ...base, status: 'Completed', outputs: input.outputs, registered };
}
