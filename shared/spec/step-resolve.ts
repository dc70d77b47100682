/**
 * Turns step drafts into planned steps: checks every binding against the pipeline and the other
 * steps (unknown steps/outputs, incompatible types, missing required inputs), infers the ports of
 * inline jobs and records the dependencies that data bindings make.
 */
import { canonicalJson } from './canonical';
import { checkCommandTemplate } from './command-fields';
import type { RawInput, RawOutput } from './job-values';
import type { LoadContext } from './load-context';
import { finishParallel } from './parallel';
import type {
  ComponentDef,
  DataType,
  InputBinding,
  InputDecl,
  LiteralValue,
  OutputDecl,
  PipelineSettings,
  PlannedInput,
  PlannedOutput,
  PlannedStep,
  PortType,
} from './plan';
import { checkLiteral, isDataType, isLiteralType } from './ports';
import type { StepDraft } from './step-draft';

export interface ParentPorts {
  /** `value`: the literal a pipeline job gives the input (checked against what the step declares). */
  inputs: Record<string, { type: PortType; optional: boolean; value?: LiteralValue }>;
  outputs: Record<string, { type?: DataType }>;
}

const FOLDER_LIKE: readonly string[] = ['uri_folder', 'mltable', 'custom_model', 'mlflow_model', 'triton_model'];

/** Whether data or a value of type `source` can feed an input of type `target`. */
export function compatible(target: PortType, source: PortType): boolean {
  if (target === source) return true;
  if (isLiteralType(target) !== isLiteralType(source)) return false;
  if (isLiteralType(target)) return target === 'string' || (target === 'number' && source === 'integer');
  if (target === 'uri_folder') return FOLDER_LIKE.includes(source);
  return source === 'uri_folder' && target !== 'uri_file';
}

function literalType(v: LiteralValue): PortType {
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return 'string';
}

export function resolveSteps(ctx: LoadContext, drafts: StepDraft[], refused: Set<string>, parent: ParentPorts, settings: PipelineSettings): PlannedStep[] {
  const outputsByStep = new Map(drafts.map((d) => [d.name, plannedOutputs(ctx, d, parent)]));
  const steps: PlannedStep[] = [];
  for (const d of drafts) {
    const outputs = outputsByStep.get(d.name)!;
    const resolved = resolveInputs(ctx, d, drafts, refused, outputsByStep, parent);
    const location = d.node.keyLoc;
    const base = {
      name: d.name,
      ...(d.displayName !== undefined ? { displayName: d.displayName } : {}),
      inputs: resolved.inputs,
      outputs,
      dependsOn: resolved.dependsOn,
      location,
    };
    if (d.kind === 'pipeline') {
      if (d.component?.pipeline) steps.push({ ...base, kind: 'pipeline', pipeline: d.component.pipeline });
      continue;
    }
    const outputDecls: Record<string, OutputDecl> = {};
    for (const [name, o] of Object.entries(outputs)) outputDecls[name] = d.component?.outputs[name] ?? { type: o.type };
    const decls = Object.fromEntries(Object.entries(resolved.inputs).map(([k, v]) => [k, v.decl]));
    const common = {
      ...base,
      compute: d.compute ?? settings.defaultCompute ?? 'local',
      environmentVariables: d.environmentVariables,
      tags: d.tags,
      ...(d.timeoutSeconds !== undefined ? { timeoutSeconds: d.timeoutSeconds } : {}),
    };
    if (d.kind === 'command') {
      if (d.command && !d.component) {
        const known = (names: string[]) => Object.fromEntries(names.map((k) => [k, { optional: false }]));
        checkCommandTemplate(ctx, d.command.node, d.command.text, { ...known(d.portNames.inputs), ...decls }, { ...known(d.portNames.outputs), ...outputDecls });
      }
      const component = componentDef(d, decls, outputDecls, settings);
      const resources = { ...d.component?.resources, ...d.resources };
      const distribution = d.distribution ?? d.component?.distribution;
      steps.push({
        ...common,
        kind: 'command',
        component,
        ...(d.retry ? { retry: d.retry } : {}),
        ...(Object.keys(resources).length > 0 ? { resources } : {}),
        ...(distribution ? { distribution } : {}),
      });
      continue;
    }
    const instanceCount = d.resources?.instanceCount ?? d.component?.resources?.instanceCount ?? 1;
    const ports = { inputs: [...new Set([...Object.keys(decls), ...d.portNames.inputs])], outputs: [...new Set([...Object.keys(outputs), ...d.portNames.outputs])] };
    const parallel = finishParallel(ctx, d.node, d.component?.parallel ?? {}, d.parallel ?? {}, ports, instanceCount);
    if (!parallel) continue;
    const component = componentDef(d, decls, outputDecls, settings, parallel.task);
    steps.push({ ...common, kind: 'parallel', component, parallel });
  }
  checkPipelineOutputBindings(ctx, drafts, parent);
  return steps;
}

function componentDef(
  d: StepDraft,
  inputs: Record<string, InputDecl>,
  outputs: Record<string, OutputDecl>,
  settings: PipelineSettings,
  task?: { code?: ComponentDef['code']; environment: ComponentDef['environment'] },
): ComponentDef {
  const c = d.component;
  const command = c?.command ?? d.command?.text;
  const code = task?.code ?? d.code ?? c?.code;
  const environment = (task && task.environment.kind !== 'none' ? task.environment : undefined) ?? d.environment ?? c?.environment ?? settings.defaultEnvironment ?? { kind: 'none' };
  const def: Omit<ComponentDef, 'canonical'> = {
    ...(c?.name !== undefined ? { name: c.name } : {}),
    ...(c?.version !== undefined ? { version: c.version } : {}),
    ...(c?.displayName !== undefined ? { displayName: c.displayName } : {}),
    type: d.kind === 'parallel' ? 'parallel' : 'command',
    source: c?.source ?? { kind: 'inline' },
    ...(command !== undefined ? { command } : {}),
    ...(code ? { code } : {}),
    environment,
    inputs: c ? c.inputs : inputs,
    outputs: c ? c.outputs : outputs,
    isDeterministic: c?.isDeterministic ?? true,
  };
  return { ...def, canonical: canonicalJson(def) };
}

/** Outputs of a step: the component's declarations (or the job's, for inline jobs) with the job's settings. */
function plannedOutputs(ctx: LoadContext, d: StepDraft, parent: ParentPorts): Record<string, PlannedOutput> {
  const out: Record<string, PlannedOutput> = {};
  const declared: Record<string, OutputDecl> | undefined = d.component
    ? d.component.pipeline
      ? Object.fromEntries(Object.entries(d.component.pipeline.outputs).map(([k, v]) => [k, { type: v.type, ...(v.mode ? { mode: v.mode } : {}) }]))
      : d.component.outputs
    : undefined;
  if (declared) {
    for (const [name, decl] of Object.entries(declared)) out[name] = { type: decl.type, mode: decl.mode ?? 'rw_mount', bindsTo: [] };
  }
  for (const [name, raw] of Object.entries(d.outputs)) {
    const decl = declared?.[name];
    if (declared && !decl) {
      ctx.report(raw.node.keyLoc, 'unknown_output', `step '${d.name}' has no output '${name}' (its component declares: ${Object.keys(declared).join(', ') || 'none'})`);
      continue;
    }
    if (decl && raw.type && raw.type !== decl.type) {
      ctx.report(raw.node, 'incompatible_binding', `output '${name}' is declared ${decl.type} by the component; the job says ${raw.type}`);
    }
    out[name] = applyRaw(raw, decl?.type ?? raw.type ?? inferOutputType(raw, parent), decl?.mode);
  }
  return out;
}

function inferOutputType(raw: RawOutput, parent: ParentPorts): DataType {
  for (const p of raw.bindsTo) {
    const t = parent.outputs[p]?.type;
    if (t) return t;
  }
  return 'uri_folder';
}

function applyRaw(raw: RawOutput, type: DataType, declMode: PlannedOutput['mode'] | undefined): PlannedOutput {
  return {
    type,
    mode: raw.mode ?? declMode ?? 'rw_mount',
    ...(raw.path ? { path: raw.path } : {}),
    ...(raw.register ? { register: raw.register } : {}),
    bindsTo: raw.bindsTo,
  };
}

function checkPipelineOutputBindings(ctx: LoadContext, drafts: StepDraft[], parent: ParentPorts): void {
  const boundBy = new Map<string, string>();
  for (const d of drafts) {
    for (const raw of Object.values(d.outputs)) {
      for (const p of raw.bindsTo) {
        if (!(p in parent.outputs)) {
          ctx.report(raw.node, 'unknown_output', `\${{parent.outputs.${p}}}: the pipeline has no output '${p}' (outputs: ${Object.keys(parent.outputs).join(', ') || 'none'})`);
        } else if (boundBy.has(p)) {
          ctx.report(raw.node, 'invalid_binding', `pipeline output '${p}' is already bound to step '${boundBy.get(p)}'`);
        } else boundBy.set(p, d.name);
      }
    }
  }
}

interface SourceInfo {
  binding: InputBinding;
  type?: PortType;
  /** The literal behind a binding to a pipeline input, when the pipeline gives one. */
  value?: LiteralValue;
  optional?: boolean;
  dependsOn?: string;
  describe: string;
}

/** What feeds an input, and its type; undefined (reported) for unknown references. */
function sourceOf(
  ctx: LoadContext,
  d: StepDraft,
  raw: RawInput,
  drafts: StepDraft[],
  refused: Set<string>,
  outputsByStep: Map<string, Record<string, PlannedOutput>>,
  parent: ParentPorts,
): SourceInfo | undefined {
  const mode = 'mode' in raw && raw.mode ? { mode: raw.mode } : {};
  switch (raw.kind) {
    case 'none':
      return { binding: { kind: 'none' }, optional: true, describe: 'nothing' };
    case 'literal':
      return { binding: { kind: 'literal', value: raw.value }, type: literalType(raw.value), describe: `the literal ${JSON.stringify(raw.value)}` };
    case 'data':
      return { binding: { kind: 'data', type: raw.type, ref: raw.ref, ...mode }, type: raw.type, describe: `${raw.type} data` };
    case 'parent_input': {
      const p = parent.inputs[raw.input];
      if (!p) {
        ctx.report(raw.node, 'unknown_input', `\${{parent.inputs.${raw.input}}}: the pipeline has no input '${raw.input}' (inputs: ${Object.keys(parent.inputs).join(', ') || 'none'})`);
        return undefined;
      }
      return {
        binding: { kind: 'parent_input', input: raw.input, ...mode },
        type: p.type,
        optional: p.optional,
        ...(p.value !== undefined ? { value: p.value } : {}),
        describe: `pipeline input '${raw.input}' (${p.type})`,
      };
    }
    case 'step_output': {
      const binding: InputBinding = { kind: 'step_output', step: raw.step, output: raw.output, ...mode };
      if (refused.has(raw.step)) return { binding, dependsOn: raw.step, describe: `step '${raw.step}'` };
      if (raw.step === d.name) {
        ctx.report(raw.node, 'cycle', `step '${d.name}' uses its own output '${raw.output}'`);
        return undefined;
      }
      const outs = outputsByStep.get(raw.step);
      if (!outs) {
        const known = drafts.map((s) => s.name).join(', ');
        ctx.report(raw.node, 'unknown_step', `\${{parent.jobs.${raw.step}.outputs.${raw.output}}}: there is no step '${raw.step}' (steps: ${known})`);
        return undefined;
      }
      const o = outs[raw.output];
      if (!o) {
        ctx.report(raw.node, 'unknown_output', `\${{parent.jobs.${raw.step}.outputs.${raw.output}}}: step '${raw.step}' has no output '${raw.output}' (outputs: ${Object.keys(outs).join(', ') || 'none'})`);
        return undefined;
      }
      return { binding, type: o.type, dependsOn: raw.step, describe: `output '${raw.output}' of step '${raw.step}' (${o.type})` };
    }
  }
}

function resolveInputs(
  ctx: LoadContext,
  d: StepDraft,
  drafts: StepDraft[],
  refused: Set<string>,
  outputsByStep: Map<string, Record<string, PlannedOutput>>,
  parent: ParentPorts,
): { inputs: Record<string, PlannedInput>; dependsOn: string[] } {
  const declared: Record<string, InputDecl> | undefined = d.component ? (d.component.pipeline?.inputs ?? d.component.inputs) : undefined;
  const inputs: Record<string, PlannedInput> = {};
  const dependsOn = new Set<string>();
  for (const [name, raw] of Object.entries(d.inputs)) {
    let decl = declared?.[name];
    if (declared && !decl) {
      ctx.report(raw.node.keyLoc, 'unknown_input', `step '${d.name}' has no input '${name}' (its component declares: ${Object.keys(declared).join(', ') || 'none'})`);
      continue;
    }
    const src = sourceOf(ctx, d, raw, drafts, refused, outputsByStep, parent);
    if (!src) continue;
    if (src.dependsOn) dependsOn.add(src.dependsOn);
    if (!decl) {
      const type = raw.declaredType ?? src.type ?? 'uri_folder';
      decl = { type, optional: src.optional ?? false, ...('mode' in raw && raw.mode ? { mode: raw.mode } : {}) };
    } else if (raw.declaredType && !compatible(decl.type, raw.declaredType)) {
      ctx.report(raw.node, 'incompatible_binding', `input '${name}' is ${decl.type} in the component; the job gives it type ${raw.declaredType}`);
      continue;
    }
    if (src.binding.kind === 'none') {
      if (!decl.optional && decl.default === undefined && !decl.defaultData) {
        ctx.report(raw.node, 'missing_input', `step '${d.name}' leaves required input '${name}' (${decl.type}) empty`);
        continue;
      }
      inputs[name] = defaultInput(decl);
      continue;
    }
    if (src.binding.kind === 'literal') {
      const checked = checkLiteral(src.binding.value, decl);
      if ('error' in checked) {
        const code = isDataType(decl.type) ? 'incompatible_binding' : 'invalid_value';
        ctx.report(raw.node, code, `input '${name}' ${checked.error}`);
        continue;
      }
      inputs[name] = { type: decl.type, optional: decl.optional, binding: { kind: 'literal', value: checked.value }, decl };
      continue;
    }
    if (src.value !== undefined && isLiteralType(decl.type)) {
      // A pipeline literal feeds the input: check the value itself ("5" suits an integer input).
      const checked = checkLiteral(src.value, decl);
      if ('error' in checked) {
        ctx.report(raw.node, 'incompatible_binding', `input '${name}' ${checked.error} from ${src.describe}`);
        continue;
      }
    } else if (src.type && !compatible(decl.type, src.type)) {
      ctx.report(raw.node, 'incompatible_binding', `input '${name}' (${decl.type}) cannot take ${src.describe}`);
      continue;
    }
    inputs[name] = { type: decl.type, optional: decl.optional, binding: src.binding, decl };
  }
  for (const [name, decl] of Object.entries(declared ?? {})) {
    if (name in d.inputs) continue;
    if (!decl.optional && decl.default === undefined && !decl.defaultData) {
      ctx.report(d.node.keyLoc, 'missing_input', `step '${d.name}' does not set required input '${name}' (${decl.type})`);
      continue;
    }
    inputs[name] = defaultInput(decl);
  }
  return { inputs, dependsOn: [...dependsOn] };
}

function defaultInput(decl: InputDecl): PlannedInput {
  const binding: InputBinding =
    decl.default !== undefined
      ? { kind: 'literal', value: decl.default }
      : decl.defaultData && isDataType(decl.type)
        ? { kind: 'data', type: decl.type, ref: decl.defaultData, ...(decl.mode ? { mode: decl.mode } : {}) }
        : { kind: 'none' };
  return { type: decl.type, optional: decl.optional, binding, decl };
}
