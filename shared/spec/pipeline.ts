/**
 * Pipeline jobs (`type: pipeline`) and pipeline components (nested sub-pipelines) → PipelinePlan:
 * settings, inputs, outputs, steps in a topological order of their data bindings.
 */
import { findCycles, topologicalOrder } from './dag';
import { readEnvironment } from './environment';
import { checkKeys, expectMap, readBool, readCompute, readString, readStringMap, readText } from './fields';
import { readPipelineInput, readPipelineOutput, type PipelineInputValue } from './job-values';
import type { LoadContext } from './load-context';
import type { DataType, PipelineOutputDecl, PipelinePlan, PipelineSettings, PlannedStep } from './plan';
import { readPortDecls } from './ports';
import { draftStep, type StepDraft } from './step-draft';
import { resolveSteps } from './step-resolve';
import type { YNode } from './yaml-node';

/** Settings a nested pipeline takes from the pipeline that runs it. */
export type InheritedSettings = PipelineSettings;

export const DEFAULT_SETTINGS: InheritedSettings = { defaultDatastore: 'workspaceblobstore', forceRerun: false, continueOnStepFailure: false };

const PIPELINE_JOB_KEYS = ['$schema', 'type', 'name', 'display_name', 'description', 'tags', 'properties', 'experiment_name', 'compute', 'settings', 'inputs', 'outputs', 'jobs', 'identity', 'services', 'comment'];
const SETTING_KEYS = ['default_compute', 'default_datastore', 'force_rerun', 'continue_on_step_failure', 'default_environment'];

/** Closest known key, for "did you mean" hints. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const dist = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let prev = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const tmp = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
        prev = tmp;
      }
    }
    return row[b.length]!;
  };
  const best = candidates.map((c) => [c, dist(word, c)] as const).sort((x, y) => x[1] - y[1])[0];
  return best && best[1] <= 3 ? best[0] : undefined;
}

function stripAzureml(value: string): string {
  return value.startsWith('azureml:') ? value.slice('azureml:'.length) : value;
}

/**
 * `settings:`. az ml passes unknown keys through to the service (its settings schema includes
 * unknown fields), and the service ignores them, so they are warnings here, not errors; a
 * misspelt `default_datestore` therefore leaves the default datastore in place, as in Azure.
 */
async function readSettings(ctx: LoadContext, n: YNode | undefined, file: string, inherited: InheritedSettings, topCompute: string | undefined): Promise<PipelineSettings> {
  const s: PipelineSettings = { ...inherited };
  if (topCompute !== undefined) s.defaultCompute = topCompute;
  if (!n || n.kind === 'null' || !expectMap(ctx, n, 'settings')) return s;
  for (const [key, child] of n.entries()) {
    if (SETTING_KEYS.includes(key)) continue;
    const hint = closest(key, SETTING_KEYS);
    ctx.warn(child, 'unknown_setting', `unknown setting '${key}' is passed through by az ml and ignored${hint ? ` (did you mean '${hint}'?)` : ''}`);
  }
  const compute = readCompute(ctx, n.get('default_compute'));
  if (compute !== undefined) s.defaultCompute = compute;
  const datastore = readString(ctx, n.get('default_datastore'), 'default_datastore');
  if (datastore !== undefined) s.defaultDatastore = stripAzureml(datastore);
  const force = readBool(ctx, n.get('force_rerun'), 'force_rerun');
  if (force !== undefined) s.forceRerun = force;
  const cont = readBool(ctx, n.get('continue_on_step_failure'), 'continue_on_step_failure');
  if (cont !== undefined) s.continueOnStepFailure = cont;
  const env = await readEnvironment(ctx, n.get('default_environment'), file);
  if (env) s.defaultEnvironment = env;
  return s;
}

export async function buildPipelinePlan(
  ctx: LoadContext,
  doc: YNode,
  file: string,
  sourceKind: 'pipeline' | 'pipeline_component',
  inherited: InheritedSettings,
): Promise<PipelinePlan | undefined> {
  const before = ctx.problems.size;
  if (sourceKind === 'pipeline') checkKeys(ctx, doc, PIPELINE_JOB_KEYS, 'pipeline job');
  const topCompute = sourceKind === 'pipeline' ? readCompute(ctx, doc.get('compute')) : undefined;
  const settings = sourceKind === 'pipeline' ? await readSettings(ctx, doc.get('settings'), file, inherited, topCompute) : { ...inherited };

  const inputs: Record<string, PipelineInputValue> = {};
  const outputs: Record<string, Omit<PipelineOutputDecl, 'type'> & { type?: DataType }> = {};
  if (sourceKind === 'pipeline_component') {
    const ports = await readPortDecls(ctx, doc, file);
    Object.assign(inputs, ports.inputs);
    for (const [k, v] of Object.entries(ports.outputs)) outputs[k] = { type: v.type, ...(v.mode ? { mode: v.mode } : {}) };
  } else {
    const inNode = doc.get('inputs');
    if (inNode && inNode.kind !== 'null' && expectMap(ctx, inNode, 'inputs')) {
      for (const [name, child] of inNode.entries()) {
        const v = await readPipelineInput(ctx, child, file, name);
        if (v) inputs[name] = v;
      }
    }
    const outNode = doc.get('outputs');
    if (outNode && outNode.kind !== 'null' && expectMap(ctx, outNode, 'outputs')) {
      for (const [name, child] of outNode.entries()) {
        const v = readPipelineOutput(ctx, child, name);
        if (v) {
          const { node: _node, ...decl } = v;
          outputs[name] = decl;
        }
      }
    }
  }

  const jobsNode = doc.get('jobs');
  const drafts: StepDraft[] = [];
  const refused = new Set<string>();
  if (!jobsNode) ctx.report(doc, 'missing_field', `a pipeline needs 'jobs'`);
  else if (expectMap(ctx, jobsNode, 'jobs')) {
    if (jobsNode.entries().length === 0) ctx.report(jobsNode, 'missing_field', `'jobs' is empty`);
    for (const [name, child] of jobsNode.entries()) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        ctx.report(child.keyLoc, 'invalid_value', `step name '${name}' must start with a letter or _ and hold only letters, digits and _`);
      }
      const d = await draftStep(ctx, name, child, file, settings);
      if (d === 'refused') refused.add(name);
      else if (d) drafts.push(d);
    }
  }

  const parent = {
    inputs: Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, { type: v.type, optional: v.optional, ...('value' in v && v.value !== undefined ? { value: v.value } : {}) }])),
    outputs,
  };
  const steps = resolveSteps(ctx, drafts, refused, parent, settings);
  for (const cycle of findCycles(steps)) {
    const first = steps.find((s) => s.name === cycle[0])!;
    ctx.report(first.location, 'cycle', `steps form a cycle: ${cycle.join(' -> ')} (each uses an output of the next)`);
  }
  if (ctx.problems.size > before) return undefined;

  const planOutputs: Record<string, PipelineOutputDecl> = {};
  for (const [name, o] of Object.entries(outputs)) planOutputs[name] = { ...o, type: o.type ?? boundOutputType(steps, name) ?? 'uri_folder' };
  const plan: PipelinePlan = {
    sourceKind,
    file,
    tags: readStringMap(ctx, doc.get('tags'), 'tags'),
    inputs,
    outputs: planOutputs,
    settings,
    steps: topologicalOrder(steps),
    contentHash: '',
    localPaths: [],
  };
  readJobMetadata(ctx, doc, plan);
  return plan;
}

/** The top-level `name`, `display_name`, `description` and `experiment_name` of a job document. */
export function readJobMetadata(ctx: LoadContext, doc: YNode, plan: PipelinePlan): void {
  const name = readText(ctx, doc.get('name'), 'name');
  if (name !== undefined) plan.name = name;
  const displayName = readText(ctx, doc.get('display_name'), 'display_name');
  if (displayName !== undefined) plan.displayName = displayName;
  const description = readString(ctx, doc.get('description'), 'description');
  if (description !== undefined) plan.description = description;
  const experiment = readText(ctx, doc.get('experiment_name'), 'experiment_name');
  if (experiment !== undefined) plan.experimentName = experiment;
}

function boundOutputType(steps: PlannedStep[], pipelineOutput: string): DataType | undefined {
  for (const s of steps) for (const o of Object.values(s.outputs)) if (o.bindsTo.includes(pipelineOutput)) return o.type;
  return undefined;
}
