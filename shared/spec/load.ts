/**
 * Entry points: a pipeline job, pipeline component or single command job YAML → PipelinePlan, or
 * every located problem found. Works on a SourceTree (an in-memory bundle) or on disk.
 */
import * as path from 'node:path';
import type { ComponentResolver } from '../registry/types';
import { buildCommandJobPlan } from './command-job';
import { finalizePlan } from './finalize';
import { supportedType } from './job-types';
import { LoadContext } from './load-context';
import { buildPipelinePlan, DEFAULT_SETTINGS } from './pipeline';
import type { ComponentDef, PipelinePlan } from './plan';
import { canonicalJson } from './canonical';
import type { Problem } from './problems';
import { DiskSourceTree, normalizeRelPath } from './source-tree';
import type { SourceTree } from './source-tree';
import { readString } from './fields';
import { readComponentDoc } from './component';
import type { YNode } from './yaml-node';

export interface LoadOptions {
  /** Looks up registered `azureml:` components; without one they are `unresolved_reference` (offline). */
  resolver?: ComponentResolver;
}

export type LoadResult =
  | { ok: true; plan: PipelinePlan; warnings: Problem[] }
  | {
      ok: false;
      problems: Problem[];
      warnings: Problem[];
      /** Local paths named so far (root-relative), even though the document was rejected. */
      localPaths: string[];
    };

/** Loads `entry` (root-relative) from a source tree; paths in the plan and problems are root-relative. */
export async function loadPlanFromSource(tree: SourceTree, entry: string, opts: LoadOptions = {}): Promise<LoadResult> {
  const ctx = new LoadContext(tree, opts.resolver);
  const file = normalizeRelPath(entry);
  if (file === undefined || file === '') {
    ctx.report({ file: entry, line: 1, column: 1, path: '' }, 'path_outside_root', `entry '${entry}' is not a path inside the source root`);
    return fail(ctx);
  }
  ctx.localPaths.add(file);
  ctx.componentStack.push(file);
  const loc = { file, line: 1, column: 1, path: '' };
  let parsed;
  try {
    parsed = await ctx.loadYaml(file);
    if (!parsed && ctx.problems.size === 0) {
      const exists = await tree.exists(file);
      ctx.report(loc, exists ? 'unreadable_file' : 'missing_path', exists ? `cannot read ${file}` : `local file '${entry}' does not exist`, exists ? undefined : file);
    }
  } catch (err) {
    ctx.report(loc, 'unreadable_file', `cannot read ${file}: ${(err as Error).message}`);
  }
  if (!parsed) return fail(ctx);
  const doc = parsed.root;
  if (doc.kind !== 'map') {
    ctx.report(doc, 'invalid_type', `a job YAML must be a mapping`);
    return fail(ctx);
  }
  const plan = await buildFromDocument(ctx, doc, file);
  if (!plan || ctx.problems.size > 0) return fail(ctx);
  return { ok: true, plan: finalizePlan(plan), warnings: ctx.warnings.list() };
}

async function buildFromDocument(ctx: LoadContext, doc: YNode, file: string): Promise<PipelinePlan | undefined> {
  const typeNode = doc.get('type');
  const type = readString(ctx, typeNode, 'type') ?? (doc.get('jobs') ? 'pipeline' : 'command');
  const schema = readString(ctx, doc.get('$schema'), '$schema') ?? '';
  const isComponentSchema = /Component\.schema\.json$/i.test(schema);
  const kind = supportedType(ctx, typeNode ?? doc, type, isComponentSchema ? 'component' : 'job');
  if (!kind) return undefined;
  if (isComponentSchema && kind === 'pipeline') {
    const comp = await readComponentDoc(ctx, doc, file, { kind: 'file', file }, DEFAULT_SETTINGS);
    return comp?.pipeline;
  }
  if (kind === 'pipeline') return buildPipelinePlan(ctx, doc, file, 'pipeline', DEFAULT_SETTINGS);
  if (kind === 'parallel') {
    ctx.report(typeNode ?? doc, 'unsupported_job_type', `a standalone parallel job is not supported; put it in a pipeline's jobs`);
    return undefined;
  }
  if (isComponentSchema) {
    ctx.report(doc, 'invalid_value', `${file} is a ${kind} component, not a job: reference it from a pipeline job`);
    return undefined;
  }
  return buildCommandJobPlan(ctx, doc, file);
}

export type ComponentLoadResult = { ok: true; component: ComponentDef; warnings: Problem[] } | { ok: false; problems: Problem[]; warnings: Problem[] };

/** Loads a command or parallel component file on its own (as `az ml component create` reads it). */
export async function loadComponentFromSource(tree: SourceTree, entry: string, opts: LoadOptions = {}): Promise<ComponentLoadResult> {
  const ctx = new LoadContext(tree, opts.resolver);
  const file = normalizeRelPath(entry) ?? entry;
  const parsed = await ctx.loadYaml(file);
  if (!parsed && ctx.problems.size === 0) ctx.report({ file, line: 1, column: 1, path: '' }, 'missing_path', `local file '${entry}' does not exist`, file);
  const comp = parsed ? await readComponentDoc(ctx, parsed.root, file, { kind: 'file', file }, DEFAULT_SETTINGS) : undefined;
  if (comp?.type === 'pipeline') ctx.report(parsed!.root, 'invalid_value', `${file} is a pipeline component: load it with loadPlanFromSource`);
  if (!comp || ctx.problems.size > 0) return { ok: false, problems: ctx.problems.list(), warnings: ctx.warnings.list() };
  const def: Omit<ComponentDef, 'canonical'> = {
    ...(comp.name !== undefined ? { name: comp.name } : {}),
    ...(comp.version !== undefined ? { version: comp.version } : {}),
    ...(comp.displayName !== undefined ? { displayName: comp.displayName } : {}),
    type: comp.type,
    source: comp.source,
    ...(comp.command !== undefined ? { command: comp.command } : {}),
    ...(comp.code ? { code: comp.code } : {}),
    environment: comp.environment ?? comp.parallel?.task?.environment ?? { kind: 'none' },
    inputs: comp.inputs,
    outputs: comp.outputs,
    isDeterministic: comp.isDeterministic,
  };
  return { ok: true, component: { ...def, canonical: canonicalJson(def) }, warnings: ctx.warnings.list() };
}

function fail(ctx: LoadContext): LoadResult {
  return { ok: false, problems: ctx.problems.list(), warnings: ctx.warnings.list(), localPaths: [...ctx.localPaths].sort() };
}

export interface DiskLoadResult {
  /** Absolute folder the plan's paths are relative to: the common ancestor of every file it names. */
  root: string;
  result: LoadResult;
}

/**
 * Loads a YAML file from disk. The source root is the deepest folder that holds the file and every
 * local path it names, so the plan carries no absolute paths and a bundle can carry them all.
 */
export async function loadPlanFromFile(file: string, opts: LoadOptions = {}): Promise<DiskLoadResult> {
  const abs = path.resolve(file);
  const fsRoot = path.parse(abs).root;
  const toRel = (p: string): string => path.relative(fsRoot, p).split(path.sep).join('/');
  const tree = new DiskSourceTree(fsRoot);
  const result = await loadPlanFromSource(tree, toRel(abs), opts);
  const named = result.ok ? result.plan.localPaths : result.localPaths;
  // A folder may be the root itself (`code: .`); a file needs its parent folder.
  const holders = await Promise.all(named.map(async (p) => ((await tree.isDirectory(p)) ? p : parentOf(p))));
  const rootRel = commonFolder([toRel(path.dirname(abs)), ...holders]);
  const root = path.join(fsRoot, ...rootRel.split('/').filter(Boolean));
  const strip = (p: string): string => (rootRel && p.startsWith(`${rootRel}/`) ? p.slice(rootRel.length + 1) : p === rootRel ? '.' : p);
  // Messages may name files too (cycles of component files): those become root-relative as well.
  const fixProblem = (p: Problem): Problem => ({
    ...p,
    file: strip(p.file),
    message: rootRel ? p.message.split(`${rootRel}/`).join('') : p.message,
    ...(p.target !== undefined ? { target: strip(p.target) } : {}),
  });
  if (result.ok) return { root, result: { ok: true, plan: finalizePlan(result.plan, strip), warnings: result.warnings.map(fixProblem) } };
  return {
    root,
    result: { ok: false, problems: result.problems.map(fixProblem), warnings: result.warnings.map(fixProblem), localPaths: result.localPaths.map(strip) },
  };
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i < 0 ? '' : p.slice(0, i);
}

/** Longest common folder prefix of root-relative folders. */
function commonFolder(folders: string[]): string {
  const split = folders.map((f) => f.split('/').filter(Boolean));
  const first = split[0] ?? [];
  let n = first.length;
  for (const parts of split) {
    let i = 0;
    while (i < n && i < parts.length && parts[i] === first[i]) i++;
    n = i;
  }
  return first.slice(0, n).join('/');
}
