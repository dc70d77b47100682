/**
 * The command job of one mini-batch attempt: the shipped driver run with the step's entry
 * script, each file of the mini-batch as its own `uri_file` input (so a job fetches only its
 * files, locally and in Azure), or the tabular slice as one input. Pure.
 */
import { JOB_TAGS, type JobInput, type JobOutput, type JobSpec } from '../compute/types';
import { jobName, stepInstanceId } from '../run/names';
import { DRIVER_FILE } from './driver-file';
import { fillIndex, type JobTemplate, type MiniBatch } from './manifest';

/** Output name of a mini-batch job's rows file. */
export const ROWS_OUTPUT = 'amlsched_rows';

export function miniBatchJobName(runId: string, path: string, index: number, attempt: number): string {
  return jobName(runId, `${path}/mb${index}`, attempt);
}

export function miniBatchJobSpec(t: JobTemplate, batch: MiniBatch, attempt: number, instanceId: string): JobSpec {
  const name = miniBatchJobName(t.runId, t.path, batch.index, attempt);
  const inputs: Record<string, JobInput> = { ...t.inputs };
  const words = [t.python, DRIVER_FILE, '--entry-script', quote(t.entryScript), '--label', quote(`${batch.index}`)];
  if ('files' in batch) {
    batch.files.forEach((uri, i) => {
      const input = `amlsched_f${i}`;
      inputs[input] = { kind: 'data', type: 'uri_file', uri, mode: 'download' };
      words.push('--file', `\${{inputs.${input}}}`);
    });
  } else {
    inputs.amlsched_table = { kind: 'data', type: 'uri_file', uri: batch.table, mode: 'download' };
    words.push('--table', '${{inputs.amlsched_table}}', '--delimiter', quote(t.table?.delimiter ?? ','));
    if (t.table && !t.table.header) words.push('--no-header');
  }
  const outputs: Record<string, JobOutput> = { ...t.outputs };
  if (t.rowsUri) {
    outputs[ROWS_OUTPUT] = { type: 'uri_file', mode: 'upload', uri: fillIndex(t.rowsUri, 'index', batch.index) };
    words.push('--rows', `\${{outputs.${ROWS_OUTPUT}}}`);
  }
  words.push('--');
  if (t.programArguments) words.push(t.programArguments.replace(/\s+/g, ' ').trim());
  return {
    name,
    displayName: `${t.displayName ?? t.path} mini-batch ${batch.index}`,
    experimentName: t.experimentName,
    command: words.join(' '),
    code: t.code,
    environment: t.environment,
    compute: t.compute,
    inputs,
    outputs,
    environmentVariables: t.environmentVariables,
    ...(t.timeoutSeconds !== undefined ? { timeoutSeconds: t.timeoutSeconds } : {}),
    ...(t.instanceType !== undefined ? { instanceType: t.instanceType } : {}),
    tags: {
      ...t.tags,
      [JOB_TAGS.runId]: t.runId,
      [JOB_TAGS.step]: t.path,
      [JOB_TAGS.instanceId]: instanceId,
      [JOB_TAGS.attempt]: String(attempt),
      [JOB_TAGS.fingerprint]: '',
      'amlsched.miniBatch': String(batch.index),
      'amlsched.stepInstanceId': stepInstanceId(t.runId, t.path),
    },
  };
}

/** Single-quotes a word for bash. */
function quote(text: string): string {
  return /^[A-Za-z0-9_./,=:+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
