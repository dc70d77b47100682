/**
 * The working folder of one job attempt, laid out under the data dir as
 *   jobs/<job>/wd/            the command's cwd: a copy of the code folder; ./outputs and ./logs
 *   jobs/<job>/inputs/<X>     downloaded data inputs (datastore paths, data assets, web URLs)
 *   jobs/<job>/outputs/<X>    empty output folders (a uri_file output is a file path inside one)
 *   jobs/<job>/user_logs/std_log.txt, jobs/<job>/exit_code
 * and the moves in and out of the datastores: materialising inputs, uploading outputs on success.
 */
import { access, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildCommandLine, type CommandInput } from '../../shared/compute/command-line';
import type { JobOutput, JobSpec } from '../../shared/compute/types';
import { datastoreUri, parseDatastoreUri, type DatastoreRegistry } from '../../shared/datastore/types';
import { ValidationError } from '../../shared/errors';
import type { DataRegistry } from '../../shared/registry/types';
import { downloadWebFile, isWebUrl } from './web-input';

export interface JobPaths {
  root: string;
  cwd: string;
  logFile: string;
  exitFile: string;
}

export function jobPaths(dataDir: string, jobName: string): JobPaths {
  const root = path.join(dataDir, 'jobs', jobName);
  return { root, cwd: path.join(root, 'wd'), logFile: path.join(root, 'user_logs', 'std_log.txt'), exitFile: path.join(root, 'exit_code') };
}

export interface ResolvedOutput {
  name: string;
  type: JobOutput['type'];
  localPath: string;
  /** Where it is uploaded: `azureml://datastores/D/paths/P`. */
  uri: string;
  register?: { name: string; version: string };
}

export interface PreparedJob {
  script: string;
  env: Record<string, string>;
  outputs: ResolvedOutput[];
}

/** Where the job's artifacts (./outputs, ./logs, user logs) are kept in the default datastore. */
export function artifactsPath(jobName: string): string {
  return `ExperimentRun/dcid.${jobName}/`;
}

/** The output URIs a job writes, `${{name}}` resolved; the default path when the spec gives none. */
export function outputUris(spec: JobSpec, defaultDatastore: string): Record<string, string> {
  const uris: Record<string, string> = {};
  for (const [name, output] of Object.entries(spec.outputs)) {
    const template = output.uri || datastoreUri(defaultDatastore, `azureml/${spec.name}/${name}/`);
    uris[name] = template.replace(/\$\{\{\s*name\s*\}\}/g, spec.name).replace(/\$\{\{\s*output_name\s*\}\}/g, name);
  }
  uris.artifacts = datastoreUri(defaultDatastore, artifactsPath(spec.name));
  return uris;
}

/** Makes a fresh working folder: code copied, data inputs downloaded, empty outputs; builds the script. */
export async function prepareJob(spec: JobSpec, paths: JobPaths, datastores: DatastoreRegistry, data: DataRegistry): Promise<PreparedJob> {
  await rm(paths.root, { recursive: true, force: true });
  await mkdir(paths.cwd, { recursive: true });
  await mkdir(path.dirname(paths.logFile), { recursive: true });

  if (spec.code) {
    const code = parseDatastoreUri(spec.code);
    if (!code) throw new ValidationError('unsupported_code_reference', `job ${spec.name}: code '${spec.code}' must be an azureml://datastores/D/paths/P/ snapshot on the local host`);
    await datastores.get(code.datastore).download(code.path.endsWith('/') ? code.path : `${code.path}/`, paths.cwd);
  }

  const inputs: Record<string, CommandInput> = {};
  for (const [name, input] of Object.entries(spec.inputs)) {
    if (input.kind === 'literal') {
      inputs[name] = { kind: 'literal', value: input.value };
      continue;
    }
    if (isWebUrl(input.uri)) {
      if (input.type !== 'uri_file' && input.mode !== 'direct') {
        throw new ValidationError('unsupported_input_uri', `inputs.${name}: a web URL can be a uri_file input (or any input with mode: direct), not a ${input.type}`);
      }
      const file = input.mode === 'direct' ? input.uri : await downloadWebFile(input.uri, path.join(paths.root, 'inputs', name), name, `inputs.${name}`);
      inputs[name] = { kind: 'path', path: file };
      continue;
    }
    const location = await resolveDataUri(input.uri, data, `inputs.${name}`);
    if (input.mode === 'direct') {
      inputs[name] = { kind: 'path', path: datastoreUri(location.datastore, location.path) };
      continue;
    }
    const store = datastores.get(location.datastore);
    const target = path.join(paths.root, 'inputs', name);
    if (input.type === 'uri_file') {
      const file = path.join(target, path.posix.basename(location.path) || name);
      await store.download(location.path, file);
      inputs[name] = { kind: 'path', path: file };
    } else {
      await store.download(location.path.endsWith('/') || location.path === '' ? location.path : `${location.path}/`, target);
      inputs[name] = { kind: 'path', path: target };
    }
  }

  const outputs = resolveOutputs(spec, paths, datastores.defaultName);
  for (const output of outputs) {
    datastores.get((parseDatastoreUri(output.uri) as { datastore: string }).datastore); // fails early on an unknown datastore
    await mkdir(path.join(paths.root, 'outputs', output.name), { recursive: true });
  }

  const commandOutputs = Object.fromEntries(outputs.map((o) => [o.name, o.localPath]));
  const line = buildCommandLine({ command: spec.command, inputs, outputs: commandOutputs });
  return { script: line.script, env: line.env, outputs };
}

/** Where each output is written locally and uploaded to (a uri_file output is a file in its own folder). */
export function resolveOutputs(spec: JobSpec, paths: JobPaths, defaultDatastore: string): ResolvedOutput[] {
  const uris = outputUris(spec, defaultDatastore);
  return Object.entries(spec.outputs).map(([name, output]) => {
    const uri = uris[name] as string;
    const location = parseDatastoreUri(uri);
    if (!location) throw new ValidationError('unsupported_output_uri', `job ${spec.name}: output ${name} path '${uri}' must be an azureml://datastores/D/paths/P URI`);
    const folder = path.join(paths.root, 'outputs', name);
    const localPath = output.type === 'uri_file' ? path.join(folder, path.posix.basename(location.path) || name) : folder;
    return { name, type: output.type, localPath, uri, ...(output.register ? { register: output.register } : {}) };
  });
}

/** Follows `azureml:NAME:VERSION` / `azureml:NAME@latest` to the data version's datastore path. */
async function resolveDataUri(uri: string, data: DataRegistry, field: string): Promise<{ datastore: string; path: string }> {
  const direct = parseDatastoreUri(uri);
  if (direct) return direct;
  const asset = /^azureml:([^:@/]+)(?::([^:@/]+)|@latest)$/.exec(uri);
  if (asset) {
    const [, name, version] = asset as unknown as [string, string, string | undefined];
    const found = await data.get(name, version ?? 'latest');
    if (!found) throw new ValidationError('unresolved_reference', `${field}: data asset ${name}:${version ?? 'latest'} is not registered`);
    const location = parseDatastoreUri(found.uri);
    if (!location) throw new ValidationError('unsupported_input_uri', `${field}: data asset ${name}:${found.version} points at '${found.uri}', not a datastore path`);
    return location;
  }
  throw new ValidationError('unsupported_input_uri', `${field}: '${uri}' is not an azureml://datastores/D/paths/P URI or azureml:NAME:VERSION data asset`);
}

/** Uploads the outputs of a successful command; a uri_file output the command did not write is an error. */
export async function uploadOutputs(outputs: ResolvedOutput[], datastores: DatastoreRegistry): Promise<void> {
  for (const output of outputs) {
    const location = parseDatastoreUri(output.uri) as { datastore: string; path: string };
    const store = datastores.get(location.datastore);
    if (output.type === 'uri_file') {
      const exists = await access(output.localPath).then(() => true, () => false);
      if (!exists) throw new ValidationError('missing_output', `output ${output.name}: the command wrote no file at \${{outputs.${output.name}}}`);
      await store.upload(output.localPath, location.path);
      if (!(await store.stat(location.path))) throw new ValidationError('missing_output', `output ${output.name}: upload to ${output.uri} is not visible`);
    } else {
      await store.upload(output.localPath, location.path.endsWith('/') ? location.path : `${location.path}/`);
    }
  }
}

/** Keeps ./outputs, ./logs and the captured stdout/stderr as the job's artifacts. */
export async function uploadArtifacts(jobName: string, paths: JobPaths, datastores: DatastoreRegistry): Promise<void> {
  const store = datastores.get(datastores.defaultName);
  const prefix = artifactsPath(jobName);
  for (const folder of ['outputs', 'logs']) {
    const local = path.join(paths.cwd, folder);
    if (await access(local).then(() => true, () => false)) await store.upload(local, `${prefix}${folder}/`);
  }
  if (await access(paths.logFile).then(() => true, () => false)) await store.upload(paths.logFile, `${prefix}user_logs/std_log.txt`);
}
