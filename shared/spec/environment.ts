/** Environments: registered (`azureml:NAME:VERSION`), from a registry URI, or inline (image + conda). */
import { stringify } from 'yaml';
import { readDataPath, resolveLocal } from './data-ref';
import { checkKeys, describeKind, readString, readText } from './fields';
import type { LoadContext } from './load-context';
import type { EnvironmentRef } from './plan';
import type { YNode } from './yaml-node';

const REGISTERED = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*):([A-Za-z0-9_.-]+)$/;
const REGISTERED_LATEST = /^azureml:([A-Za-z0-9_][A-Za-z0-9_.-]*)@latest$/;
const REGISTRY_URI = /^azureml:\/\/registries\/[^/]+\/environments\/[^/]+\/(versions\/[^/]+|labels\/[^/]+)$/;

const INLINE_KEYS = ['$schema', 'name', 'version', 'description', 'tags', 'image', 'conda_file', 'build', 'os_type', 'inference_config', 'properties'];
const BUILD_KEYS = ['path', 'dockerfile_path'];

export async function readEnvironment(ctx: LoadContext, n: YNode | undefined, fromFile: string): Promise<EnvironmentRef | undefined> {
  if (!n || n.kind === 'null') return undefined;
  if (n.kind === 'scalar') {
    const raw = readString(ctx, n, 'environment');
    if (raw === undefined) return undefined;
    const reg = raw.match(REGISTERED);
    if (reg) return { kind: 'registered', name: reg[1]!, version: reg[2]! };
    const latest = raw.match(REGISTERED_LATEST);
    if (latest) return { kind: 'registered', name: latest[1]!, version: 'latest' };
    if (REGISTRY_URI.test(raw)) return { kind: 'registry', uri: raw };
    ctx.report(n, 'invalid_value', `environment '${raw}' is not azureml:NAME:VERSION, azureml:NAME@latest, a registry URI or an inline environment`);
    return undefined;
  }
  if (n.kind !== 'map') {
    ctx.report(n, 'invalid_type', `environment must be a reference or a mapping, got ${describeKind(n)}`);
    return undefined;
  }
  checkKeys(ctx, n, INLINE_KEYS, 'environment');
  const env: Extract<EnvironmentRef, { kind: 'inline' }> = { kind: 'inline' };
  const image = readString(ctx, n.get('image'), 'environment.image');
  if (image !== undefined) env.image = image;
  const name = readText(ctx, n.get('name'), 'environment.name');
  if (name !== undefined) env.name = name;
  const version = readText(ctx, n.get('version'), 'environment.version');
  if (version !== undefined) env.version = version;
  const conda = n.get('conda_file');
  if (conda && conda.kind === 'scalar') {
    const written = readString(ctx, conda, 'conda_file');
    if (written !== undefined) {
      const rel = await resolveLocal(ctx, conda, fromFile, written.startsWith('file:') ? written.slice(5) : written, 'file');
      if (rel !== undefined) env.condaFile = rel;
    }
  } else if (conda && conda.kind === 'map') {
    env.conda = stringify(conda.toJS());
  } else if (conda && conda.kind !== 'null') {
    ctx.report(conda, 'invalid_type', `conda_file must be a path or an inline conda mapping, got ${describeKind(conda)}`);
  }
  const build = n.get('build');
  if (build && build.kind === 'map') {
    checkKeys(ctx, build, BUILD_KEYS, 'environment.build');
    const pathNode = build.get('path');
    const raw = readString(ctx, pathNode, 'build.path');
    if (pathNode && raw !== undefined) {
      const context = await readDataPath(ctx, pathNode, fromFile, raw, 'folder');
      const dockerfile = readString(ctx, build.get('dockerfile_path'), 'build.dockerfile_path');
      if (context) env.build = { context, ...(dockerfile !== undefined ? { dockerfilePath: dockerfile } : {}) };
    } else if (!pathNode) ctx.report(build, 'missing_field', `environment.build needs 'path' (the Docker build context)`);
  } else if (build && build.kind !== 'null') {
    ctx.report(build, 'invalid_type', `environment.build must be a mapping, got ${describeKind(build)}`);
  }
  if (env.image === undefined && env.build === undefined) {
    ctx.report(n, 'missing_field', `an inline environment needs 'image' or 'build'`);
  }
  return env;
}
