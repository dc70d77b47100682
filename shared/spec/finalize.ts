/**
 * The last pass over a built plan: maps every local path (used to re-root plans loaded from disk),
 * recomputes component canonical forms, lists local paths and computes content hashes bottom-up.
 */
import { canonicalJson, sha256Hex } from './canonical';
import type { ComponentDef, DataRef, EnvironmentRef, InputBinding, InputDecl, PipelinePlan, PlannedStep, SourceLocation } from './plan';

type MapPath = (p: string) => string;

function mapRef(ref: DataRef, f: MapPath, seen: Set<string>): DataRef {
  if (ref.kind !== 'local') return ref;
  const path = f(ref.path);
  seen.add(path);
  return { kind: 'local', path };
}

function mapEnv(env: EnvironmentRef, f: MapPath, seen: Set<string>): EnvironmentRef {
  if (env.kind !== 'inline') return env;
  const out = { ...env };
  if (env.condaFile !== undefined) {
    out.condaFile = f(env.condaFile);
    seen.add(out.condaFile);
  }
  if (env.build) out.build = { ...env.build, context: mapRef(env.build.context, f, seen) };
  return out;
}

function mapDecl<T extends InputDecl>(d: T, f: MapPath, seen: Set<string>): T {
  return d.defaultData ? { ...d, defaultData: mapRef(d.defaultData, f, seen) } : d;
}

function mapBinding(b: InputBinding, f: MapPath, seen: Set<string>): InputBinding {
  return b.kind === 'data' ? { ...b, ref: mapRef(b.ref, f, seen) } : b;
}

function mapLocation(l: SourceLocation, f: MapPath): SourceLocation {
  return { ...l, file: f(l.file) };
}

function mapComponent(c: ComponentDef, f: MapPath, seen: Set<string>): ComponentDef {
  const source = c.source.kind === 'file' ? { kind: 'file' as const, file: f(c.source.file) } : c.source;
  if (source.kind === 'file') seen.add(source.file);
  const { canonical: _old, ...rest } = c;
  const def = {
    ...rest,
    source,
    ...(c.code ? { code: mapRef(c.code, f, seen) } : {}),
    environment: mapEnv(c.environment, f, seen),
    inputs: Object.fromEntries(Object.entries(c.inputs).map(([k, d]) => [k, mapDecl(d, f, seen)])),
  };
  return { ...def, canonical: canonicalJson(def) };
}

function mapStep(s: PlannedStep, f: MapPath, seen: Set<string>): PlannedStep {
  const inputs = Object.fromEntries(
    Object.entries(s.inputs).map(([k, i]) => [k, { ...i, binding: mapBinding(i.binding, f, seen), decl: mapDecl(i.decl, f, seen) }]),
  );
  const location = mapLocation(s.location, f);
  switch (s.kind) {
    case 'pipeline': {
      const pipeline = finalizePlan(s.pipeline, f);
      for (const p of pipeline.localPaths) seen.add(p);
      return { ...s, inputs, location, pipeline };
    }
    case 'command':
      return { ...s, inputs, location, component: mapComponent(s.component, f, seen) };
    case 'parallel': {
      const task = s.parallel.task;
      return {
        ...s,
        inputs,
        location,
        component: mapComponent(s.component, f, seen),
        parallel: { ...s.parallel, task: { ...task, ...(task.code ? { code: mapRef(task.code, f, seen) } : {}), environment: mapEnv(task.environment, f, seen) } },
      };
    }
  }
}

/** The plan with paths mapped through `f`, canonical components, `localPaths` and `contentHash` filled. */
export function finalizePlan(plan: PipelinePlan, f: MapPath = (p) => p): PipelinePlan {
  const seen = new Set<string>();
  const file = f(plan.file);
  seen.add(file);
  const inputs = Object.fromEntries(
    Object.entries(plan.inputs).map(([k, v]) => [k, v.data ? { ...mapDecl(v, f, seen), data: mapRef(v.data, f, seen) } : mapDecl(v, f, seen)]),
  );
  const settings = plan.settings.defaultEnvironment ? { ...plan.settings, defaultEnvironment: mapEnv(plan.settings.defaultEnvironment, f, seen) } : plan.settings;
  const steps = plan.steps.map((s) => mapStep(s, f, seen));
  const out: PipelinePlan = { ...plan, file, inputs, settings, steps, localPaths: [...seen].sort(), contentHash: '' };
  out.contentHash = planHash(out);
  return out;
}

/** sha256 of the canonical plan without source locations (and without the hash itself). */
export function planHash(plan: PipelinePlan): string {
  return sha256Hex(canonicalJson({ ...plan, contentHash: undefined }, ['location']));
}
