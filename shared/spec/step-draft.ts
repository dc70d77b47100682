/**
 * One entry of `jobs:` as written: its type, component, the values it gives to inputs and
 * outputs and its run settings. Bindings between steps are checked later (step-resolve.ts), once
 * every step is known.
 */
import { readDataPath } from './data-ref';
import { readEnvironment } from './environment';
import { checkKeys, expectMap, readCompute, readString, readStringMap, readText } from './fields';
import { readDistribution, readResources, readTimeout, type Resources } from './command-fields';
import { loadComponent, type LoadedComponent } from './component';
import { readJobInput, readJobOutput, type RawInput, type RawOutput } from './job-values';
import { supportedType } from './job-types';
import type { LoadContext } from './load-context';
import { PARALLEL_FIELDS, readParallelDraft, readRetrySettings, type ParallelDraft } from './parallel';
import type { DataRef, EnvironmentRef, LiteralValue, RetrySettings } from './plan';
import type { InheritedSettings } from './pipeline';
import type { YNode } from './yaml-node';

const NODE_KEYS = ['type', 'name', 'display_name', 'description', 'tags', 'properties', 'experiment_name', 'compute', 'component', 'inputs', 'outputs', 'comment', 'identity'];
const COMMAND_JOB_KEYS = [...NODE_KEYS, 'command', 'code', 'environment', 'environment_variables', 'resources', 'distribution', 'limits', 'retry_settings', 'services', 'queue_settings'];
const PARALLEL_JOB_KEYS = [...NODE_KEYS, 'environment_variables', 'resources', 'limits', ...PARALLEL_FIELDS];
const PIPELINE_NODE_KEYS = NODE_KEYS;

export interface StepDraft {
  name: string;
  node: YNode;
  kind: 'command' | 'parallel' | 'pipeline';
  /** Undefined for inline jobs (no `component:`): their ports are inferred from the job. */
  component?: LoadedComponent;
  inputs: Record<string, RawInput>;
  outputs: Record<string, RawOutput>;
  /** Every input and output name the job writes, even those whose value was rejected (no follow-on errors). */
  portNames: { inputs: string[]; outputs: string[] };
  displayName?: string;
  compute?: string;
  environmentVariables: Record<string, string>;
  tags: Record<string, string>;
  timeoutSeconds?: number;
  retry?: RetrySettings;
  resources?: Resources;
  distribution?: Record<string, LiteralValue>;
  command?: { text: string; node: YNode };
  code?: DataRef;
  environment?: EnvironmentRef;
  parallel?: ParallelDraft;
}

/** The step draft; undefined when the job cannot run here (problems are reported). */
export interface DraftOptions {
  /** A top-level command job: its keys are checked, and its ports read, by the caller. */
  topLevel?: boolean;
}

export async function draftStep(ctx: LoadContext, name: string, n: YNode, file: string, inherited: InheritedSettings, opts: DraftOptions = {}): Promise<StepDraft | 'refused' | undefined> {
  if (!expectMap(ctx, n, `job '${name}'`)) return undefined;
  const typeNode = n.get('type');
  const typeText = readString(ctx, typeNode, 'type') ?? 'command';
  const kind = supportedType(ctx, typeNode ?? n, typeText, 'job');
  if (!kind) return 'refused';
  if (!opts.topLevel) checkKeys(ctx, n, kind === 'command' ? COMMAND_JOB_KEYS : kind === 'parallel' ? PARALLEL_JOB_KEYS : PIPELINE_NODE_KEYS, `${kind} job '${name}'`);
  const draft: StepDraft = {
    name,
    node: n,
    kind,
    inputs: {},
    outputs: {},
    portNames: { inputs: inNodeNames(opts.topLevel ? undefined : n.get('inputs')), outputs: inNodeNames(opts.topLevel ? undefined : n.get('outputs')) },
    environmentVariables: readStringMap(ctx, n.get('environment_variables'), 'environment_variables'),
    tags: readStringMap(ctx, n.get('tags'), 'tags'),
  };
  const displayName = readText(ctx, n.get('display_name'), 'display_name');
  if (displayName !== undefined) draft.displayName = displayName;
  const compute = readCompute(ctx, n.get('compute'));
  if (compute !== undefined) draft.compute = compute;

  const compNode = n.get('component');
  let ok = true;
  if (compNode && compNode.kind !== 'null') {
    const childInherited = compute !== undefined ? { ...inherited, defaultCompute: compute } : inherited;
    const comp = await loadComponent(ctx, compNode, file, childInherited);
    if (!comp) ok = false;
    else if (comp.type !== kind) {
      ctx.report(compNode, 'invalid_value', `job '${name}' is of type ${kind} but its component is of type ${comp.type}`);
      ok = false;
    } else draft.component = comp;
  } else if (kind === 'pipeline') {
    ctx.report(n, 'missing_field', `pipeline job '${name}' needs a 'component' (a pipeline component)`);
    ok = false;
  }

  const inNode = opts.topLevel ? undefined : n.get('inputs');
  if (inNode && inNode.kind !== 'null' && expectMap(ctx, inNode, 'inputs')) {
    for (const [inputName, child] of inNode.entries()) {
      const raw = await readJobInput(ctx, child, file, inputName);
      if (raw) draft.inputs[inputName] = raw;
    }
  }
  const outNode = opts.topLevel ? undefined : n.get('outputs');
  if (outNode && outNode.kind !== 'null' && expectMap(ctx, outNode, 'outputs')) {
    for (const [outputName, child] of outNode.entries()) {
      const raw = readJobOutput(ctx, child, outputName);
      if (raw) draft.outputs[outputName] = raw;
    }
  }

  if (kind !== 'pipeline') {
    const timeout = readTimeout(ctx, n.get('limits'));
    if (timeout !== undefined) draft.timeoutSeconds = timeout;
    const resources = readResources(ctx, n.get('resources'));
    if (resources) draft.resources = resources;
  }
  if (kind === 'command') {
    const retry = readRetrySettings(ctx, n.get('retry_settings'));
    if (retry) draft.retry = retry;
    const distribution = readDistribution(ctx, n.get('distribution'));
    if (distribution) draft.distribution = distribution;
    if (!(await readInlineCommand(ctx, draft, n, file, inherited))) ok = false;
  }
  if (kind === 'parallel') {
    draft.parallel = await readParallelDraft(ctx, n, file);
  }
  return ok ? draft : undefined;
}

function inNodeNames(n: YNode | undefined): string[] {
  return n ? n.entries().map(([k]) => k) : [];
}

/** `command`, `code`, `environment` of a command job (inline, or overriding a component's). */
async function readInlineCommand(ctx: LoadContext, draft: StepDraft, n: YNode, file: string, inherited: InheritedSettings): Promise<boolean> {
  const commandNode = n.get('command');
  const command = readString(ctx, commandNode, 'command');
  if (command !== undefined) draft.command = { text: command, node: commandNode! };
  const codeNode = n.get('code');
  const code = readString(ctx, codeNode, 'code');
  if (codeNode && code !== undefined) {
    const ref = await readDataPath(ctx, codeNode, file, code, 'path');
    if (ref) draft.code = ref;
  }
  const env = await readEnvironment(ctx, n.get('environment'), file);
  if (env) draft.environment = env;
  if (draft.component || n.get('component')) {
    if (commandNode) {
      ctx.report(commandNode, 'invalid_value', `job '${draft.name}' sets both 'component' and 'command'; the command belongs in the component`);
      return false;
    }
    return true;
  }
  if (!commandNode) {
    ctx.report(n, 'missing_field', `command job '${draft.name}' needs a 'command' or a 'component'`);
    return false;
  }
  if (!n.get('environment') && !inherited.defaultEnvironment) {
    ctx.report(n, 'missing_field', `command job '${draft.name}' needs an 'environment' (or settings.default_environment)`);
    return false;
  }
  return true;
}
