/**
 * The first activity of a parallel step: lists the input data in a stable order (lexicographic
 * path), cuts it into mini-batches, builds the mini-batch jobs' code snapshot (the step's code
 * folder plus the shipped driver) and writes the job template and one manifest per chunk to the
 * default datastore. It returns only their URI and counts, so no history holds the list.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import picomatch from 'picomatch';
import type { JobInput, JobOutput } from '../../shared/compute/types';
import { datastoreUri, parseDatastoreUri, type Datastore } from '../../shared/datastore/types';
import { AmlSchedError, ValidationError, toSerializedError } from '../../shared/errors';
import { driverSource, DRIVER_FILE } from '../../shared/parallel/driver-file';
import { fillIndex, pad, type ChunkManifest, type JobTemplate, type MiniBatch, type ParallelPlan } from '../../shared/parallel/manifest';
import { cutIntoMiniBatches, delimitedRows, rowBytes } from '../../shared/parallel/mini-batches';
import { parseMlTable, type MlTable } from '../../shared/parallel/mltable';
import type { ParallelSettings } from '../../shared/parallel/settings';
import type { ParallelStepInput, PlanResult } from '../../shared/parallel/types';
import { dataRefUri } from '../../shared/run/inputs';
import { jobName } from '../../shared/run/names';
import type { ActivityDeps } from './deps';
import { outputUri } from './outputs';

/** Staging folder of a parallel step in the default datastore (manifests, slices, rows). */
export function stagingPath(input: ParallelStepInput): string {
  return `azureml/${jobName(input.runId, input.path, 0)}/parallel/`;
}

export async function planParallel(deps: ActivityDeps, settings: ParallelSettings, input: ParallelStepInput): Promise<PlanResult> {
  try {
    return await plan(deps, settings, input);
  } catch (err) {
    const e = toSerializedError(err);
    return { kind: 'failed', error: { code: e.code, message: e.message } };
  }
}

async function plan(deps: ActivityDeps, settings: ParallelSettings, input: ParallelStepInput): Promise<PlanResult> {
  const { step } = input;
  const p = step.parallel;
  const field = `jobs.${step.name}`;
  const store = deps.datastores.get(input.pipeline.defaultDatastore);
  const staging = stagingPath(input);

  const data = input.inputs[p.inputData];
  if (!data || data.kind !== 'data') throw new ValidationError('missing_input', `${field}.input_data: input '${p.inputData}' has no data bound`, { path: `${field}.inputs.${p.inputData}` });
  const where = await locate(deps, data.uri, `${field}.inputs.${p.inputData}`);
  const source = deps.datastores.get(where.datastore);

  let batches: MiniBatch[];
  let table: JobTemplate['table'];
  if (data.type === 'mltable') {
    const mlt = await readMlTable(source, where.path, `${field}.inputs.${p.inputData}`);
    const files = await mlTableFiles(deps, source, where.path, mlt);
    if (mlt.delimited) {
      table = { delimiter: mlt.delimited.delimiter, header: mlt.delimited.header };
      batches = await tableBatches(source, store, files, mlt.delimited.header, input, staging);
    } else {
      batches = fileBatches(files, input);
    }
  } else {
    const files = data.type === 'uri_file' ? [await fileInfo(source, where.path)] : await listFolder(source, where.path);
    batches = fileBatches(files, input);
  }
  if (batches.length === 0) throw new ValidationError('empty_input', `${field}.input_data: ${data.uri} holds no files to score`, { path: `${field}.input_data` });

  const template = await jobTemplate(deps, settings, input, store, staging, table);
  const chunkPath = `${staging}chunks/{chunk}.json`;
  const perChunk = settings.perChunk;
  const chunks = Math.ceil(batches.length / perChunk);
  const writes: Promise<unknown>[] = [];
  for (let c = 0; c < chunks; c += 1) {
    const manifest: ChunkManifest = { chunk: c, batches: batches.slice(c * perChunk, (c + 1) * perChunk) };
    writes.push(store.put(fillIndex(chunkPath, 'chunk', c), JSON.stringify(manifest), { contentType: 'application/json' }));
    if (writes.length >= 8) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  const planDoc: ParallelPlan = { template, total: batches.length, perChunk, chunkUri: datastoreUri(store.name, chunkPath) };
  const planPath = `${staging}plan.json`;
  await store.put(planPath, JSON.stringify(planDoc), { contentType: 'application/json' });
  return {
    kind: 'planned',
    planUri: datastoreUri(store.name, planPath),
    total: batches.length,
    perChunk,
    chunks,
    concurrency: Math.max(1, p.instanceCount) * Math.max(1, p.maxConcurrencyPerInstance),
  };
}

interface FileRef {
  datastore: string;
  path: string;
  size: number;
  /** Path relative to the input (labels). */
  relative: string;
}

function fileBatches(files: FileRef[], input: ParallelStepInput): MiniBatch[] {
  return cutIntoMiniBatches(files, input.step.parallel.miniBatchSize, (f) => f.size).map((group, index) => ({
    index,
    label: group.length === 1 ? group[0]!.relative : `${group[0]!.relative} … ${group[group.length - 1]!.relative} (${group.length} files)`,
    files: group.map((f) => datastoreUri(f.datastore, f.path)),
  }));
}

/** Cuts the rows of every table file, in order, and writes each mini-batch as its own delimited file. */
async function tableBatches(source: Datastore, store: Datastore, files: FileRef[], hasHeader: boolean, input: ParallelStepInput, staging: string): Promise<MiniBatch[]> {
  let header: string | undefined;
  const rows: string[] = [];
  for (const file of files) {
    const parsed = delimitedRows((await source.get(file.path)).toString('utf8'), hasHeader);
    header ??= parsed.header;
    rows.push(...parsed.rows);
  }
  const groups = cutIntoMiniBatches(rows, input.step.parallel.miniBatchSize, rowBytes);
  const batches: MiniBatch[] = [];
  let first = 1;
  const writes: Promise<unknown>[] = [];
  for (const [index, group] of groups.entries()) {
    const slice = `${staging}tables/${pad(index)}.csv`;
    writes.push(store.put(slice, `${header !== undefined ? `${header}\n` : ''}${group.join('\n')}\n`, { contentType: 'text/csv' }));
    if (writes.length >= 8) await Promise.all(writes.splice(0));
    batches.push({ index, label: `rows ${first}-${first + group.length - 1}`, table: datastoreUri(store.name, slice) });
    first += group.length;
  }
  await Promise.all(writes);
  return batches;
}

async function jobTemplate(deps: ActivityDeps, settings: ParallelSettings, input: ParallelStepInput, store: Datastore, staging: string, table: JobTemplate['table']): Promise<JobTemplate> {
  const { step } = input;
  const p = step.parallel;
  const inputs: Record<string, JobInput> = {};
  for (const [name, value] of Object.entries(input.inputs)) {
    if (name === p.inputData) continue;
    if (value.kind === 'literal') inputs[name] = { kind: 'literal', value: value.value };
    else if (value.kind === 'data') inputs[name] = { kind: 'data', type: value.type, uri: value.uri, mode: value.mode ?? step.inputs[name]?.decl.mode ?? 'download' };
  }
  const base = jobName(input.runId, input.path, 0);
  const outputs: Record<string, JobOutput> = {};
  for (const [name, out] of Object.entries(step.outputs)) {
    if (name === p.task.appendRowTo) continue;
    outputs[name] = { type: out.type, mode: 'upload', uri: outputUri(out, name, base, input.pipeline.defaultDatastore) };
  }
  if (!p.task.code) throw new ValidationError('missing_field', `jobs.${step.name}.task.code: a parallel step needs the code folder holding ${p.task.entryScript}`, { path: `jobs.${step.name}.task.code` });
  const code = await codeSnapshot(deps, input, store);
  return {
    runId: input.runId,
    path: input.path,
    experimentName: input.pipeline.experimentName,
    ...(step.displayName ? { displayName: step.displayName } : {}),
    compute: step.compute,
    code,
    environment: p.task.environment.kind === 'none' ? step.component.environment : p.task.environment,
    environmentVariables: step.environmentVariables,
    tags: step.tags,
    ...(p.retry.timeoutSeconds !== undefined ? { timeoutSeconds: p.retry.timeoutSeconds } : {}),
    python: settings.python,
    entryScript: p.task.entryScript,
    ...(p.task.programArguments ? { programArguments: p.task.programArguments } : {}),
    inputs,
    outputs,
    ...(p.task.appendRowTo ? { rowsUri: datastoreUri(store.name, `${staging}rows/{index}.txt`) } : {}),
    ...(table ? { table } : {}),
  };
}

/**
 * The step's code folder plus the driver, as one snapshot named by the hash of both (built once,
 * then shared by every run with the same code and driver).
 */
async function codeSnapshot(deps: ActivityDeps, input: ParallelStepInput, store: Datastore): Promise<string> {
  const code = input.step.parallel.task.code!;
  const field = `jobs.${input.step.name}.task.code`;
  const codeUri = dataRefUri(code, input.sources, field);
  const identity = code.kind === 'local' ? (input.sources[code.path]?.hash ?? codeUri) : codeUri;
  const driver = driverSource();
  const folder = `azureml/amlsched-parallel-code/${createHash('sha256').update(`${identity}\n${driver.sha256}`).digest('hex').slice(0, 32)}/`;
  if (await store.stat(`${folder}${DRIVER_FILE}`)) return datastoreUri(store.name, folder);
  const from = await locate(deps, codeUri, field);
  const source = deps.datastores.get(from.datastore);
  const prefix = from.path.endsWith('/') ? from.path : `${from.path}/`;
  for await (const blob of source.list(prefix)) {
    await store.put(`${folder}${blob.path.slice(prefix.length)}`, await source.get(blob.path));
  }
  // Written last: its presence marks a complete snapshot.
  await store.put(`${folder}${DRIVER_FILE}`, driver.text, { contentType: 'text/x-python' });
  return datastoreUri(store.name, folder);
}

/** Datastore and path of an `azureml://datastores/...` URI or a registered data asset. */
async function locate(deps: ActivityDeps, uri: string, field: string): Promise<{ datastore: string; path: string }> {
  const direct = parseDatastoreUri(uri);
  if (direct) return direct;
  const asset = /^azureml:([^:@/]+)(?::([^:@/]+)|@latest)$/.exec(uri);
  if (asset) {
    const found = await deps.data.get(asset[1]!, asset[2] ?? 'latest');
    const location = found ? parseDatastoreUri(found.uri) : undefined;
    if (!found) throw new ValidationError('unresolved_reference', `${field}: data asset ${asset[1]}:${asset[2] ?? 'latest'} is not registered`, { path: field });
    if (location) return location;
    throw new ValidationError('unsupported_input_uri', `${field}: data asset ${found.name}:${found.version} points at '${found.uri}', not a datastore path`, { path: field });
  }
  throw new ValidationError('unsupported_input_uri', `${field}: parallel steps read azureml://datastores/D/paths/P or azureml:NAME:VERSION data, got '${uri}'`, { path: field });
}

async function fileInfo(store: Datastore, file: string): Promise<FileRef> {
  const info = await store.stat(file);
  if (!info) throw new AmlSchedError('input_not_found', `${store.name}: ${file} does not exist`, { kind: 'user' });
  return { datastore: store.name, path: file, size: info.size, relative: path.posix.basename(file) };
}

async function listFolder(store: Datastore, folder: string): Promise<FileRef[]> {
  const prefix = folder === '' || folder.endsWith('/') ? folder : `${folder}/`;
  const files: FileRef[] = [];
  for await (const blob of store.list(prefix)) {
    if (!blob.path.endsWith('/')) files.push({ datastore: store.name, path: blob.path, size: blob.size, relative: blob.path.slice(prefix.length) });
  }
  // The port lists in lexicographic order already; sorting keeps the order a contract here.
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function readMlTable(store: Datastore, folder: string, field: string): Promise<MlTable> {
  const file = `${folder.replace(/\/?$/, '/')}MLTable`;
  const info = await store.stat(file);
  if (!info) throw new ValidationError('invalid_mltable', `${field}: an mltable input needs an MLTable file, and ${store.name}/${file} does not exist`, { path: field });
  return parseMlTable((await store.get(file)).toString('utf8'), `${field} (${file})`);
}

/** The files an MLTable's paths name, in their order; each path's files in lexicographic order. */
async function mlTableFiles(deps: ActivityDeps, store: Datastore, folder: string, table: MlTable): Promise<FileRef[]> {
  const base = folder.replace(/\/?$/, '/');
  const files: FileRef[] = [];
  for (const entry of table.paths) {
    const absolute = parseDatastoreUri(entry.value);
    const target = absolute ? deps.datastores.get(absolute.datastore) : store;
    const p = absolute ? absolute.path : path.posix.normalize(`${base}${entry.value.replace(/^\.\//, '')}`);
    if (entry.kind === 'file') files.push(await fileInfo(target, p));
    else if (entry.kind === 'folder') files.push(...(await listFolder(target, p)));
    else {
      const scan = picomatch.scan(p);
      const matches = picomatch(p);
      for (const f of await listFolder(target, scan.base)) if (matches(f.path)) files.push(f);
    }
  }
  return files;
}
