/**
 * The Jobs_CreateOrUpdate body (api-version 2025-12-01, `CommandJob`) for a JobSpec whose
 * references (code, environment, compute) are already ARM ids. Sent as raw JSON: the SDK's
 * serializer would drop `uri`/`mode` of uri_folder/uri_file inputs and outputs.
 * The 2025-12-01 AssetJobOutput has no assetName/assetVersion (additionalProperties: false), so
 * an output's registration is carried in the job's `properties` and done when it completes.
 */
import type { InputMode, OutputMode } from '../../spec/plan';
import type { JobSpec } from '../types';

export const INPUT_MODES: Record<InputMode, string> = {
  ro_mount: 'ReadOnlyMount', rw_mount: 'ReadWriteMount', download: 'Download', direct: 'Direct',
  eval_mount: 'EvalMount', eval_download: 'EvalDownload',
};

export const OUTPUT_MODES: Record<OutputMode, string> = { rw_mount: 'ReadWriteMount', upload: 'Upload', direct: 'Direct' };

/** Job property naming the data version an output registers as: value `NAME:VERSION`. */
export const REGISTER_PROPERTY_PREFIX = 'amlsched.register.';

export interface ResolvedReferences {
  environmentId: string;
  /** Absent for serverless jobs. */
  computeId?: string;
  codeId?: string;
}

export function buildCommandJobBody(spec: JobSpec, refs: ResolvedReferences): { properties: Record<string, unknown> } {
  const inputs: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    inputs[name] = input.kind === 'literal'
      ? { jobInputType: 'literal', value: String(input.value) }
      : { jobInputType: input.type, uri: input.uri, mode: INPUT_MODES[input.mode] };
  }
  const outputs: Record<string, unknown> = {};
  const properties: Record<string, string> = {};
  for (const [name, output] of Object.entries(spec.outputs)) {
    outputs[name] = { jobOutputType: output.type, uri: output.uri, mode: OUTPUT_MODES[output.mode] };
    if (output.register) properties[REGISTER_PROPERTY_PREFIX + name] = `${output.register.name}:${output.register.version}`;
  }
  const body: Record<string, unknown> = {
    jobType: 'Command',
    command: spec.command,
    environmentId: refs.environmentId,
    experimentName: spec.experimentName,
    inputs,
    outputs,
    environmentVariables: spec.environmentVariables,
    tags: spec.tags,
    properties,
  };
  if (refs.computeId) body.computeId = refs.computeId;
  if (refs.codeId) body.codeId = refs.codeId;
  if (spec.displayName) body.displayName = spec.displayName;
  if (spec.timeoutSeconds !== undefined) body.limits = { jobLimitsType: 'Command', timeout: `PT${Math.max(1, Math.ceil(spec.timeoutSeconds))}S` };
  if (spec.instanceCount !== undefined || spec.instanceType !== undefined) {
    body.resources = {
      ...(spec.instanceCount === undefined ? {} : { instanceCount: spec.instanceCount }),
      ...(spec.instanceType === undefined ? {} : { instanceType: spec.instanceType }),
    };
  }
  return { properties: body };
}
