/**
 * Components: inline, from a file (relative to the referencing file, with or without `file:`),
 * or registered (`azureml:NAME:VERSION`, `azureml:NAME@latest`) through a ComponentResolver.
 * Nested `type: pipeline` components become sub-plans.
 */
import { classifyPath, readDataPath } from './data-ref';
import { readEnvironment } from './environment';
import { checkKeys, expectMap, readBool, readString, readText } from './fields';
import { checkCommandTemplate, readDistribution, readResources, type Resources } from './command-fields';
import { supportedType } from './job-types';
import type { LoadContext } from './load-context';
import { PARALLEL_FIELDS, readParallelDraft, type ParallelDraft } from './parallel';
import type { ComponentSource, DataRef, EnvironmentRef, InputDecl, LiteralValue, OutputDecl, PipelinePlan } from './plan';
import { readPortDecls } from './ports';
import { resolveRelative } from './source-tree';
import { nodeFromObject, type YNode } from './yaml-node';
import { buildPipelinePlan, type InheritedSettings } from './pipeline';

export interface LoadedComponent {
  type: 'command' | 'parallel' | 'pipeline';
  source: ComponentSource;
  node: YNode;
  name?: string;
  version?: string;
  displayName?: string;
  inputs: Record<string, InputDecl>;
  outputs: Record<string, OutputDecl>;
  command?: string;
  code?: DataRef;
  environment?: EnvironmentRef;
  isDeterministic: boolean;
  resources?: Resources;
  distribution?: Record<string, LiteralValue>;
  parallel?: ParallelDraft;
  pipeline?: PipelinePlan;
}

const COMMON_KEYS = ['$schema', 'type', 'name', 'version', 'display_name', 'description', 'tags', 'is_deterministic', 'inputs', 'outputs', 'properties'];
const COMMAND_KEYS = [...COMMON_KEYS, 'code', 'environment', 'command', 'resources', 'distribution', 'additional_includes', 'environment_variables'];
const PARALLEL_KEYS = [...COMMON_KEYS, 'resources', ...PARALLEL_FIELDS];
const PIPELINE_KEYS = [...COMMON_KEYS, 'jobs'];

const REGISTERED = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*):([A-Za-z0-9_.-]+)$/;
const REGISTERED_LATEST = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*)@latest$/;
const REGISTRY_URI = /^azureml:\/\/registries\/[^/]+\/components\/([^/]+)\/(?:versions\/([^/]+)|labels\/latest)$/;

/** Loads the component a job's `component:` field names. */
export async function loadComponent(ctx: LoadContext, n: YNode, fromFile: string, inherited: InheritedSettings): Promise<LoadedComponent | undefined> {
  if (n.kind === 'map') return readComponentDoc(ctx, n, fromFile, { kind: 'inline' }, inherited);
  const raw = readString(ctx, n, 'component');
  if (raw === undefined) return undefined;
  const reg = raw.match(REGISTERED) ?? raw.match(REGISTRY_URI);
  const latest = raw.match(REGISTERED_LATEST);
  if (reg || latest) {
    const name = (reg ?? latest)![1]!;
    const version = reg?.[2] ?? 'latest';
    return loadRegistered(ctx, n, raw, name, version, inherited);
  }
  if (raw.startsWith('azureml:')) {
    ctx.report(n, 'invalid_value', `component '${raw}' is not azureml:NAME:VERSION, azureml:NAME@latest or a registry URI`);
    return undefined;
  }
  const written = raw.startsWith('file:') ? raw.slice('file:'.length) : raw;
  const rel = resolveRelative(fromFile, written);
  if (rel === undefined || written.startsWith('/')) {
    ctx.report(n, 'path_outside_root', `component file '${written}' is outside the source root`);
    return undefined;
  }
  ctx.localPaths.add(rel);
  if (ctx.componentStack.includes(rel)) {
    const loop = [...ctx.componentStack.slice(ctx.componentStack.indexOf(rel)), rel];
    ctx.report(n, 'cycle', `component files use each other in a cycle: ${loop.join(' -> ')}`);
    return undefined;
  }
  const parsed = await ctx.loadYaml(rel, n, written);
  if (!parsed) return undefined;
  ctx.componentStack.push(rel);
  try {
    return await readComponentDoc(ctx, parsed.root, rel, { kind: 'file', file: rel }, inherited);
  } finally {
    ctx.componentStack.pop();
  }
}

async function loadRegistered(ctx: LoadContext, at: YNode, ref: string, name: string, version: string, inherited: InheritedSettings): Promise<LoadedComponent | undefined> {
  if (!ctx.resolver) {
    ctx.report(at, 'unresolved_reference', `registered component ${ref} cannot be looked up: no registry available (offline)`);
    return undefined;
  }
  let spec: Record<string, unknown> | undefined;
  try {
    spec = await ctx.resolver.resolve(name, version);
  } catch (err) {
    ctx.report(at, 'unresolved_reference', `registered component ${ref} cannot be looked up: ${(err as Error).message}`);
    return undefined;
  }
  if (!spec) {
    ctx.report(at, 'unresolved_reference', `registered component ${ref} was not found in the registry`);
    return undefined;
  }
  const doc = nodeFromObject(spec, ref, at.loc);
  const resolvedVersion = typeof spec.version === 'string' || typeof spec.version === 'number' ? String(spec.version) : version;
  return readComponentDoc(ctx, doc, at.file, { kind: 'registered', name, version: resolvedVersion }, inherited);
}

/** Reads a component document (a file's root, an inline mapping or a registered spec). */
export async function readComponentDoc(
  ctx: LoadContext,
  doc: YNode,
  file: string,
  source: ComponentSource,
  inherited: InheritedSettings,
): Promise<LoadedComponent | undefined> {
  if (!expectMap(ctx, doc, 'component')) return undefined;
  const typeNode = doc.get('type');
  const typeText = readString(ctx, typeNode, 'component type') ?? 'command';
  const type = supportedType(ctx, typeNode ?? doc, typeText, 'component');
  if (!type) return undefined;
  checkKeys(ctx, doc, type === 'command' ? COMMAND_KEYS : type === 'parallel' ? PARALLEL_KEYS : PIPELINE_KEYS, `${type} component`);
  const comp: LoadedComponent = {
    type,
    source,
    node: doc,
    inputs: {},
    outputs: {},
    isDeterministic: readBool(ctx, doc.get('is_deterministic'), 'is_deterministic') ?? true,
  };
  const name = readText(ctx, doc.get('name'), 'name');
  if (name !== undefined) comp.name = name;
  const version = readText(ctx, doc.get('version'), 'version');
  if (version !== undefined) comp.version = version;
  const displayName = readText(ctx, doc.get('display_name'), 'display_name');
  if (displayName !== undefined) comp.displayName = displayName;
  if (type === 'pipeline') {
    const plan = await buildPipelinePlan(ctx, doc, file, 'pipeline_component', inherited);
    if (!plan) return undefined;
    comp.pipeline = plan;
    comp.inputs = plan.inputs;
    return comp;
  }
  const ports = await readPortDecls(ctx, doc, file);
  comp.inputs = ports.inputs;
  comp.outputs = ports.outputs;
  const includes = doc.get('additional_includes');
  if (includes && includes.kind !== 'null') {
    ctx.report(includes, 'unsupported_field', `additional_includes is not supported by amlsched: put the files in the code folder`);
  }
  const env = await readEnvironment(ctx, doc.get('environment'), file);
  if (env) comp.environment = env;
  const codeNode = doc.get('code');
  const code = readString(ctx, codeNode, 'code');
  if (codeNode && code !== undefined) {
    if (source.kind === 'registered' && 'local' in classifyPath(code)) {
      ctx.report(codeNode, 'invalid_value', `registered component ${source.name}:${source.version} names the local code path '${code}'; registered code must be a datastore or asset URI`);
    } else {
      const ref = await readDataPath(ctx, codeNode, file, code, 'path');
      if (ref) comp.code = ref;
    }
  }
  const resources = readResources(ctx, doc.get('resources'));
  if (resources) comp.resources = resources;
  if (type === 'parallel') {
    comp.parallel = await readParallelDraft(ctx, doc, file);
    return comp;
  }
  const distribution = readDistribution(ctx, doc.get('distribution'));
  if (distribution) comp.distribution = distribution;
  const commandNode = doc.get('command');
  const command = readString(ctx, commandNode, 'command');
  if (!commandNode) ctx.report(doc, 'missing_field', `a command component needs a 'command'`);
  if (!doc.get('environment')) ctx.report(doc, 'missing_field', `a command component needs an 'environment'`);
  if (command !== undefined) {
    comp.command = command;
    checkCommandTemplate(ctx, commandNode!, command, comp.inputs, comp.outputs);
  }
  return comp;
}
