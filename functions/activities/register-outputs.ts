/**
 * Registers a step's named outputs as data versions, once per run: the version is the one the
 * YAML gives, else the run id (deterministic, so a repeated activity is create-or-get), with
 * lineage back to the run, step and job.
 */
import type { OutputRegistration, StepInputValue } from '../../shared/run/step-types';
import type { DataType } from '../../shared/spec/plan';
import type { ActivityDeps } from './deps';

export interface RegisterOutputsInput {
  runId: string;
  path: string;
  jobName: string;
  outputs: Record<string, string>;
  outputTypes: Record<string, { type: DataType }>;
  registrations: Record<string, OutputRegistration[]>;
  inputs: Record<string, StepInputValue>;
}

export async function registerOutputs(deps: ActivityDeps, input: RegisterOutputsInput): Promise<string[]> {
  const lineageInputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.inputs)) if (value.kind === 'data') lineageInputs[name] = value.uri;
  const registered: string[] = [];
  for (const [output, regs] of Object.entries(input.registrations)) {
    const uri = input.outputs[output];
    if (uri === undefined) continue;
    for (const reg of regs) {
      const { version } = await deps.data.createOrGet({
        name: reg.name,
        version: reg.version ?? input.runId,
        type: input.outputTypes[output]?.type ?? 'uri_folder',
        uri,
        tags: { 'amlsched.runId': input.runId, 'amlsched.step': input.path, 'amlsched.output': output },
        producedBy: { runId: input.runId, step: input.path, jobName: input.jobName, inputs: lineageInputs },
      });
      registered.push(`${version.name}:${version.version}`);
    }
  }
  return registered;
}
