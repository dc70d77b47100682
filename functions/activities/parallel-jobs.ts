/**
 * Submitting and polling mini-batch jobs. Submission is create-or-get on the derived job name,
 * so a repeated activity adopts the job it already started. Plans and chunk manifests are read
 * once per process (a few are cached) rather than once per mini-batch.
 */
import { parseDatastoreUri } from '../../shared/datastore/types';
import { toSerializedError } from '../../shared/errors';
import { miniBatchJobSpec } from '../../shared/parallel/job-spec';
import { fillIndex, type ChunkManifest, type ParallelPlan } from '../../shared/parallel/manifest';
import type { PolledJob, PollInput, SubmitInput, SubmittedBatch } from '../../shared/parallel/types';
import type { ActivityDeps } from './deps';

const CACHE_SIZE = 16;
const cache = new Map<string, unknown>();

async function readJson<T>(deps: ActivityDeps, uri: string): Promise<T> {
  const hit = cache.get(uri);
  if (hit !== undefined) return hit as T;
  const where = parseDatastoreUri(uri);
  if (!where) throw new Error(`not a datastore URI: ${uri}`);
  const value = JSON.parse((await deps.datastores.get(where.datastore).get(where.path)).toString('utf8')) as T;
  cache.set(uri, value);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return value;
}

export async function submitMiniBatches(deps: ActivityDeps, input: SubmitInput): Promise<SubmittedBatch[]> {
  const plan = await readJson<ParallelPlan>(deps, input.planUri);
  const manifest = await readJson<ChunkManifest>(deps, fillIndex(plan.chunkUri, 'chunk', input.chunk));
  return Promise.all(input.batches.map(async ({ index, attempt }): Promise<SubmittedBatch> => {
    const batch = manifest.batches.find((b) => b.index === index);
    if (!batch) throw new Error(`mini-batch ${index} is not in chunk ${input.chunk} of ${input.planUri}`);
    const spec = miniBatchJobSpec(plan.template, batch, attempt, input.instanceId);
    try {
      const { job } = await deps.compute.submit(spec);
      return { index, attempt, jobName: job.name, label: batch.label, status: job.status, ...(job.error ? { error: job.error } : {}) };
    } catch (err) {
      const e = toSerializedError(err);
      return { index, attempt, jobName: spec.name, label: batch.label, status: 'Failed', error: { code: e.code, message: `submitting the job failed: ${e.message}` } };
    }
  }));
}

export async function pollMiniBatches(deps: ActivityDeps, input: PollInput): Promise<PolledJob[]> {
  return Promise.all(input.jobNames.map(async (jobName): Promise<PolledJob> => {
    const job = await deps.compute.get(jobName);
    return { jobName, status: job.status, ...(job.error ? { error: job.error } : {}) };
  }));
}
