/**
 * The first activity of a step attempt: fingerprint → reuse lookup → submit, in one call so a
 * step costs one activity before its job runs. A reused step also registers its named outputs
 * for this run here.
 */
import type { DurableClient } from 'durable-functions';
import { JOB_TAGS, type JobInput, type JobOutput, type JobSpec } from '../../shared/compute/types';
import { AmlSchedError, toSerializedError } from '../../shared/errors';
import { canonicalJson, fingerprintOf, missReason, type FingerprintParts } from '../../shared/reuse/fingerprint';
import { ReuseStore } from '../../shared/reuse/store';
import { dataRefUri } from '../../shared/run/inputs';
import { jobName as deriveJobName, stepInstanceId } from '../../shared/run/names';
import type { PrepareStepInput, PrepareStepResult } from '../../shared/run/step-types';
import type { StepResult } from '../../shared/run/types';
import { dataIdentity, uriIdentity } from './data-identity';
import type { ActivityDeps } from './deps';
import { notifyParent } from './notify';
import { missingOutputs, outputUri } from './outputs';
import { registerOutputs } from './register-outputs';

export async function prepareStep(deps: ActivityDeps, input: PrepareStepInput, client?: DurableClient): Promise<PrepareStepResult> {
  let result: PrepareStepResult;
  try {
    result = await prepare(deps, input);
  } catch (err) {
    // The user's problems (a missing input, a bad reference) fail the step; anything else is
    // thrown so the Durable runtime retries the activity.
    const e = toSerializedError(err);
    if (!e.nonRetryable) throw err;
    return { kind: 'failed', error: { code: e.code, message: e.message } };
  }
  if (result.kind === 'reused' && input.notify) await notifyParent(client, input.notify, result.result);
  return result;
}

async function prepare(deps: ActivityDeps, input: PrepareStepInput): Promise<PrepareStepResult> {
  const { step } = input;
  const parts = await fingerprintParts(deps, input);
  const fingerprint = fingerprintOf(parts);
  const reuse = new ReuseStore(deps.state);
  await reuse.recordParts(fingerprint, parts);

  const reused = await tryReuse(deps, input, fingerprint, parts, reuse);
  if (reused.result) return { kind: 'reused', result: reused.result };

  const name = deriveJobName(input.runId, input.path, input.attempt);
  const outputs: Record<string, string> = {};
  const jobOutputs: Record<string, JobOutput> = {};
  for (const [outName, out] of Object.entries(step.outputs)) {
    const uri = outputUri(out, outName, name, input.pipeline.defaultDatastore);
    outputs[outName] = uri;
    jobOutputs[outName] = { type: out.type, mode: out.mode, uri };
  }
  const jobInputs: Record<string, JobInput> = {};
  for (const [inName, value] of Object.entries(input.inputs)) {
    if (value.kind === 'literal') jobInputs[inName] = { kind: 'literal', value: value.value };
    else if (value.kind === 'data') jobInputs[inName] = { kind: 'data', type: value.type, uri: value.uri, mode: value.mode ?? step.inputs[inName]?.decl.mode ?? 'ro_mount' };
  }
  const component = step.component;
  const spec: JobSpec = {
    name,
    ...(step.displayName ? { displayName: step.displayName } : {}),
    experimentName: input.pipeline.experimentName,
    command: component.command ?? '',
    ...(component.code ? { code: dataRefUri(component.code, input.sources, `jobs.${step.name}.code`) } : {}),
    environment: component.environment,
    compute: step.compute,
    inputs: jobInputs,
    outputs: jobOutputs,
    environmentVariables: step.environmentVariables,
    ...(step.timeoutSeconds !== undefined ? { timeoutSeconds: step.timeoutSeconds } : {}),
    ...(step.resources?.instanceCount !== undefined ? { instanceCount: step.resources.instanceCount } : {}),
    ...(step.resources?.instanceType !== undefined ? { instanceType: step.resources.instanceType } : {}),
    tags: {
      ...step.tags,
      [JOB_TAGS.runId]: input.runId,
      [JOB_TAGS.step]: input.path,
      [JOB_TAGS.instanceId]: stepInstanceId(input.runId, input.path),
      [JOB_TAGS.attempt]: String(input.attempt),
      [JOB_TAGS.fingerprint]: fingerprint,
    },
  };
  const { job } = await deps.compute.submit(spec);
  return {
    kind: 'submitted',
    jobName: job.name,
    status: job.status,
    fingerprint,
    reuse: { reused: false, reason: reused.reason },
    outputs,
    ...(job.error ? { error: job.error } : {}),
  };
}

/** A reused step result, or why there is none. */
async function tryReuse(deps: ActivityDeps, input: PrepareStepInput, fingerprint: string, parts: FingerprintParts, reuse: ReuseStore): Promise<{ result?: StepResult; reason: string }> {
  const hint = input.hint;
  if (hint && hint.fingerprint === fingerprint && hint.jobName) {
    return { result: await reusedResult(deps, input, fingerprint, hint.jobName, hint.outputs, hint.runId), reason: '' };
  }
  if (input.pipeline.forceRerun) return { reason: 'forced' };
  if (!input.step.component.isDeterministic) return { reason: 'not deterministic' };
  const entry = await reuse.lookup(fingerprint);
  if (entry) {
    if ((await missingOutputs(deps, entry.outputs, 1)).length === 0) {
      return { result: await reusedResult(deps, input, fingerprint, entry.jobName, entry.outputs, entry.runId), reason: '' };
    }
    await reuse.forget(fingerprint);
    return { reason: 'outputs of the earlier job are gone' };
  }
  return { reason: missReason(await reuse.lastParts(input.pipeline.pipelineKey, input.path), parts) };
}

async function reusedResult(deps: ActivityDeps, input: PrepareStepInput, fingerprint: string, jobName: string, outputs: Record<string, string>, fromRun: string): Promise<StepResult> {
  const registered = await registerOutputs(deps, {
    runId: input.runId,
    path: input.path,
    jobName,
    outputs,
    outputTypes: input.step.outputs,
    registrations: input.registrations,
    inputs: input.inputs,
  });
  return { status: 'Completed', jobName, fingerprint, reuse: { reused: true, reason: `reused from run ${fromRun}` }, outputs, registered, attempts: 0 };
}

async function fingerprintParts(deps: ActivityDeps, input: PrepareStepInput): Promise<FingerprintParts> {
  const component = input.step.component;
  const literals: Record<string, string> = {};
  const data: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.inputs)) {
    if (value.kind === 'literal') literals[name] = canonicalJson(value.value);
    else if (value.kind === 'data') data[name] = await dataIdentity(deps, name, value);
  }
  let code = '';
  let codeFiles: Record<string, string> | undefined;
  if (component.code?.kind === 'local') {
    const source = input.sources[component.code.path];
    if (!source) throw new AmlSchedError('missing_source', `jobs.${input.step.name}.code: '${component.code.path}' was not uploaded with the bundle`, { kind: 'user' });
    code = source.hash;
    codeFiles = source.files;
  } else if (component.code) {
    code = await uriIdentity(deps, `jobs.${input.step.name}.code`, dataRefUri(component.code, input.sources, `jobs.${input.step.name}.code`));
  }
  return {
    component: component.canonical,
    command: component.command ?? '',
    environment: await environmentIdentity(deps, input),
    code,
    ...(codeFiles ? { codeFiles } : {}),
    literals,
    data,
  };
}

async function environmentIdentity(deps: ActivityDeps, input: PrepareStepInput): Promise<string> {
  const env = input.step.component.environment;
  if (env.kind === 'registered' && env.version === 'latest') {
    const resolved = await deps.components.getEnvironment(env.name, 'latest');
    return canonicalJson({ ...env, version: resolved?.version ?? 'latest' });
  }
  if (env.kind === 'inline' && env.condaFile) {
    return canonicalJson({ ...env, condaFileHash: input.sources[env.condaFile]?.hash ?? '' });
  }
  return canonicalJson(env);
}
