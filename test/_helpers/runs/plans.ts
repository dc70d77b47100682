/** Small hand-built PipelinePlans for orchestration tests. */
import type { CommandStep, ComponentDef, PipelinePlan, PlannedInput, PlannedOutput, PlannedStep } from '../../../shared/spec/plan';

export interface StepOptions {
  command?: string;
  /** Input name → `step.output` (a dependency) or a literal. */
  inputs?: Record<string, string | number | boolean | { step: string; output: string } | { parent: string }>;
  outputs?: Record<string, { register?: { name: string; version?: string }; bindsTo?: string[] }>;
  compute?: string;
  deterministic?: boolean;
  code?: string;
  retries?: number;
  timeoutSeconds?: number;
}

export function step(name: string, options: StepOptions = {}): CommandStep {
  const inputs: Record<string, PlannedInput> = {};
  const dependsOn: string[] = [];
  for (const [k, v] of Object.entries(options.inputs ?? {})) {
    if (typeof v === 'object' && 'step' in v) {
      inputs[k] = { type: 'uri_folder', optional: false, binding: { kind: 'step_output', step: v.step, output: v.output }, decl: { type: 'uri_folder', optional: false } };
      if (!dependsOn.includes(v.step)) dependsOn.push(v.step);
    } else if (typeof v === 'object') {
      inputs[k] = { type: 'string', optional: false, binding: { kind: 'parent_input', input: v.parent }, decl: { type: 'string', optional: false } };
    } else {
      const type = typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string';
      inputs[k] = { type, optional: false, binding: { kind: 'literal', value: v }, decl: { type, optional: false } };
    }
  }
  const outputs: Record<string, PlannedOutput> = {};
  for (const [k, v] of Object.entries(options.outputs ?? {})) {
    outputs[k] = { type: 'uri_folder', mode: 'rw_mount', bindsTo: v.bindsTo ?? [], ...(v.register ? { register: v.register } : {}) };
  }
  const command = options.command ?? `echo ${name}`;
  const component: ComponentDef = {
    type: 'command',
    source: { kind: 'inline' },
    command,
    ...(options.code ? { code: { kind: 'local', path: options.code } } : {}),
    environment: { kind: 'registry', uri: 'azureml://registries/azureml/environments/sklearn-1.5/labels/latest' },
    inputs: {},
    outputs: {},
    isDeterministic: options.deterministic ?? true,
    canonical: JSON.stringify({ command, code: options.code ?? null }),
  };
  return {
    kind: 'command',
    name,
    inputs,
    outputs,
    dependsOn,
    location: { file: 'pipeline.yml', line: 1, column: 1, path: `jobs.${name}` },
    component,
    compute: options.compute ?? 'cpu-cluster',
    environmentVariables: {},
    tags: {},
    ...(options.retries !== undefined ? { retry: { maxRetries: options.retries } } : {}),
    ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
  };
}

export function plan(name: string, steps: PlannedStep[], extra: Partial<PipelinePlan> = {}): PipelinePlan {
  return {
    sourceKind: 'pipeline',
    file: 'pipeline.yml',
    name,
    tags: {},
    inputs: {},
    outputs: {},
    settings: { defaultDatastore: 'workspaceblobstore', forceRerun: false, continueOnStepFailure: false },
    steps,
    contentHash: name,
    localPaths: [],
    ...extra,
  };
}
