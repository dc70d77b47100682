/**
 * Binding a step's inputs to values once its dependencies are done, and collecting the data
 * asset registrations of its outputs. Pure.
 */
import { dataRefUri } from '../shared/run/inputs';
import type { OutputRegistration, StepInputValue } from '../shared/run/step-types';
import type { LocalSource, ResolvedInput, StepResult } from '../shared/run/types';
import type { PipelineOutputDecl, PlannedStep } from '../shared/spec/plan';

export function bindStepInputs(
  step: PlannedStep,
  pipelineInputs: Record<string, ResolvedInput>,
  results: Record<string, StepResult>,
  sources: Record<string, LocalSource>,
): Record<string, StepInputValue> {
  const bound: Record<string, StepInputValue> = {};
  for (const [name, input] of Object.entries(step.inputs)) {
    const b = input.binding;
    const field = `jobs.${step.name}.inputs.${name}`;
    switch (b.kind) {
      case 'literal': bound[name] = { kind: 'literal', value: b.value }; break;
      case 'none': bound[name] = { kind: 'none' }; break;
      case 'data': bound[name] = { kind: 'data', type: b.type, uri: dataRefUri(b.ref, sources, field), ...(b.mode ? { mode: b.mode } : {}) }; break;
      case 'parent_input': {
        const value = pipelineInputs[b.input] ?? { kind: 'none' };
        bound[name] = value.kind === 'data' ? { ...value, ...(b.mode ? { mode: b.mode } : {}) } : value;
        break;
      }
      case 'step_output': {
        const upstream = results[b.step];
        const uri = upstream?.outputs[b.output];
        if (uri === undefined) throw new Error(`${field}: step '${b.step}' has no output '${b.output}'`);
        bound[name] = {
          kind: 'data',
          type: input.type === 'string' || input.type === 'integer' || input.type === 'number' || input.type === 'boolean' ? 'uri_folder' : input.type,
          uri,
          ...(b.mode ? { mode: b.mode } : {}),
          ...(upstream?.fingerprint ? { upstreamFingerprint: upstream.fingerprint } : {}),
        };
        break;
      }
    }
  }
  return bound;
}

/** Registrations of each output: its own `name`, then every bound pipeline output that carries one. */
export function outputRegistrations(
  step: PlannedStep,
  pipelineOutputs: Record<string, PipelineOutputDecl>,
  inherited: Record<string, OutputRegistration[]>,
): Record<string, OutputRegistration[]> {
  const regs: Record<string, OutputRegistration[]> = {};
  for (const [name, output] of Object.entries(step.outputs)) {
    const list: OutputRegistration[] = [];
    if (output.register) list.push(output.register);
    for (const target of output.bindsTo) {
      const decl = pipelineOutputs[target];
      if (decl?.register) list.push(decl.register);
      list.push(...(inherited[target] ?? []));
    }
    const seen = new Set<string>();
    regs[name] = list.filter((r) => !seen.has(r.name) && (seen.add(r.name), true));
  }
  return regs;
}

/** Pipeline output name → URI of the step output bound to it. */
export function pipelineOutputsOf(steps: PlannedStep[], results: Record<string, StepResult>): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const step of steps) {
    for (const [name, output] of Object.entries(step.outputs)) {
      const uri = results[step.name]?.outputs[name];
      if (uri !== undefined) for (const target of output.bindsTo) outputs[target] = uri;
    }
  }
  return outputs;
}
