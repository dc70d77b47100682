/**
 * A single command job (`az ml job create` with the commandJob schema) as a one-step pipeline:
 * its inputs and outputs become the pipeline's, and its one step (`main`) binds to them, so
 * run-time overrides of inputs work the same way as for pipelines.
 */
import { readCompute, readStringMap, checkKeys, expectMap } from './fields';
import { readJobOutput, readPipelineInput, type PipelineInputValue, type RawOutput } from './job-values';
import type { LoadContext } from './load-context';
import { DEFAULT_SETTINGS, readJobMetadata } from './pipeline';
import type { PipelineOutputDecl, PipelinePlan } from './plan';
import { draftStep } from './step-draft';
import { resolveSteps } from './step-resolve';
import type { YNode } from './yaml-node';

/** The step name of a single command job's one step. */
export const COMMAND_JOB_STEP = 'main';

const COMMAND_JOB_KEYS = [
  '$schema', 'type', 'name', 'display_name', 'description', 'tags', 'properties', 'experiment_name', 'compute',
  'command', 'code', 'environment', 'environment_variables', 'inputs', 'outputs', 'resources', 'distribution',
  'limits', 'identity', 'services', 'queue_settings', 'comment',
];

export async function buildCommandJobPlan(ctx: LoadContext, doc: YNode, file: string): Promise<PipelinePlan | undefined> {
  const before = ctx.problems.size;
  checkKeys(ctx, doc, COMMAND_JOB_KEYS, 'command job');
  const inputs: Record<string, PipelineInputValue> = {};
  const inNode = doc.get('inputs');
  if (inNode && inNode.kind !== 'null' && expectMap(ctx, inNode, 'inputs')) {
    for (const [name, child] of inNode.entries()) {
      const v = await readPipelineInput(ctx, child, file, name);
      if (v) inputs[name] = v;
    }
  }
  const rawOutputs: Record<string, RawOutput> = {};
  const outNode = doc.get('outputs');
  if (outNode && outNode.kind !== 'null' && expectMap(ctx, outNode, 'outputs')) {
    for (const [name, child] of outNode.entries()) {
      const v = readJobOutput(ctx, child, name);
      if (v && v.bindsTo.length > 0) ctx.report(child, 'invalid_binding', `a command job's output cannot bind to \${{parent.outputs...}}: it has no parent`);
      else if (v) rawOutputs[name] = v;
    }
  }
  const settings = { ...DEFAULT_SETTINGS };
  const compute = readCompute(ctx, doc.get('compute'));
  if (compute !== undefined) settings.defaultCompute = compute;

  // The job's own fields make the step; its inputs and outputs are the plan's, bound through.
  const draft = await draftStep(ctx, COMMAND_JOB_STEP, doc, file, settings, { topLevel: true });
  if (!draft || draft === 'refused') return undefined;
  draft.portNames = { inputs: inNode ? inNode.entries().map(([k]) => k) : [], outputs: outNode ? outNode.entries().map(([k]) => k) : [] };
  for (const [name, v] of Object.entries(inputs)) {
    const node = inNode!.get(name)!;
    draft.inputs[name] = v.value === undefined && !v.data ? { node, kind: 'none' } : { node, kind: 'parent_input', input: name };
  }
  for (const [name, raw] of Object.entries(rawOutputs)) draft.outputs[name] = { node: raw.node, ...(raw.type ? { type: raw.type } : {}), ...(raw.mode ? { mode: raw.mode } : {}), bindsTo: [name] };
  const planOutputs: Record<string, PipelineOutputDecl> = {};
  for (const [name, raw] of Object.entries(rawOutputs)) {
    planOutputs[name] = { type: raw.type ?? 'uri_folder', ...(raw.mode ? { mode: raw.mode } : {}), ...(raw.path ? { path: raw.path } : {}), ...(raw.register ? { register: raw.register } : {}) };
  }
  const parent = {
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { type: v.type, optional: v.optional, ...('value' in v && v.value !== undefined ? { value: v.value } : {}) }])),
    outputs: planOutputs,
  };
  const steps = resolveSteps(ctx, [draft], new Set(), parent, settings);
  if (ctx.problems.size > before) return undefined;
  const plan: PipelinePlan = {
    sourceKind: 'command',
    file,
    tags: readStringMap(ctx, doc.get('tags'), 'tags'),
    inputs,
    outputs: planOutputs,
    settings,
    steps,
    contentHash: '',
    localPaths: [],
  };
  readJobMetadata(ctx, doc, plan);
  return plan;
}
