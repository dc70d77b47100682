/**
 * The last activity of a successful parallel step: appends the rows every mini-batch returned
 * into the `append_row_to` output in mini-batch order, streaming blob by blob (never the whole
 * output in memory), confirms it, registers the step's named outputs once through the common
 * registration path, and reports the result to the parent orchestration.
 */
import { Readable } from 'node:stream';
import type { DurableClient } from 'durable-functions';
import { parseDatastoreUri } from '../../shared/datastore/types';
import { toSerializedError } from '../../shared/errors';
import { fillIndex, type ParallelPlan } from '../../shared/parallel/manifest';
import { DEFAULT_ROWS_FILE, type FinishInput } from '../../shared/parallel/types';
import { jobName } from '../../shared/run/names';
import type { StepResult } from '../../shared/run/types';
import type { ActivityDeps } from './deps';
import { notifyParent } from './notify';
import { outputUri } from './outputs';
import { registerOutputs } from './register-outputs';

export async function finishParallel(deps: ActivityDeps, input: FinishInput, client?: DurableClient): Promise<StepResult> {
  let result: StepResult;
  try {
    result = await finish(deps, input);
  } catch (err) {
    const e = toSerializedError(err);
    result = { status: 'Failed', outputs: {}, miniBatches: input.progress, error: { code: e.code, message: `gathering the mini-batch results failed: ${e.message}` } };
  }
  await notifyParent(client, input.notify, result);
  return result;
}

async function finish(deps: ActivityDeps, input: FinishInput): Promise<StepResult> {
  const { step } = input;
  const base = jobName(step.runId, step.path, 0);
  const outputs: Record<string, string> = {};
  for (const [name, out] of Object.entries(step.step.outputs)) outputs[name] = outputUri(out, name, base, step.pipeline.defaultDatastore);
  const target = step.step.parallel.task.appendRowTo;
  if (target !== undefined && outputs[target] !== undefined) {
    const where = await planOf(deps, input.planUri);
    const uri = outputs[target];
    const dest = parseDatastoreUri(uri);
    if (!dest) throw new Error(`output ${target}: ${uri} is not a datastore path`);
    const file = dest.path.endsWith('/') ? `${dest.path}${DEFAULT_ROWS_FILE}` : dest.path;
    const appended = await appendRows(deps, where, input.progress.total, dest.datastore, file);
    if (appended.files !== input.progress.done) {
      throw new Error(`${input.progress.done} mini-batches completed but ${appended.files} rows files were found under ${where.template.rowsUri ?? ''}`);
    }
  }
  const registered = await registerOutputs(deps, {
    runId: step.runId,
    path: step.path,
    jobName: base,
    outputs,
    outputTypes: step.step.outputs,
    registrations: step.registrations,
    inputs: step.inputs,
  });
  return { status: 'Completed', jobName: base, outputs, registered, reuse: { reused: false, reason: 'parallel steps always run' }, attempts: 1, miniBatches: input.progress };
}

async function planOf(deps: ActivityDeps, uri: string): Promise<ParallelPlan> {
  const where = parseDatastoreUri(uri);
  if (!where) throw new Error(`not a datastore URI: ${uri}`);
  return JSON.parse((await deps.datastores.get(where.datastore).get(where.path)).toString('utf8')) as ParallelPlan;
}

/** Streams every mini-batch's rows file, in index order, into one blob; missing ones (failed mini-batches) are skipped. */
async function appendRows(deps: ActivityDeps, plan: ParallelPlan, total: number, datastore: string, file: string): Promise<{ files: number }> {
  const rows = plan.template.rowsUri ? parseDatastoreUri(plan.template.rowsUri) : undefined;
  if (!rows) throw new Error('the plan has no rows location');
  const source = deps.datastores.get(rows.datastore);
  let files = 0;
  async function* pieces(): AsyncGenerator<Buffer> {
    for (let index = 0; index < total; index += 1) {
      const blob = fillIndex(rows!.path, 'index', index);
      if (!(await source.stat(blob))) continue;
      files += 1;
      yield await source.get(blob);
    }
  }
  await deps.datastores.get(datastore).putStream(file, Readable.from(pieces()), { contentType: 'text/plain' });
  if (!(await deps.datastores.get(datastore).stat(file))) throw new Error(`the appended rows file ${datastore}/${file} is not visible after writing it`);
  return { files };
}
