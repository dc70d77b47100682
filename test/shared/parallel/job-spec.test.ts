import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JOB_TAGS } from '../../../shared/compute/types';
import { buildCommandJobBody } from '../../../shared/compute/azureml/job-body';
import { buildCommandLine } from '../../../shared/compute/command-line';
import { miniBatchJobSpec } from '../../../shared/parallel/job-spec';
import type { JobTemplate } from '../../../shared/parallel/manifest';

const template: JobTemplate = {
  runId: 'run1',
  path: 'score',
  experimentName: 'exp',
  compute: 'cpu-cluster',
  code: 'azureml://datastores/workspaceblobstore/paths/azureml/amlsched-parallel-code/abc/',
  environment: { kind: 'none' },
  environmentVariables: {},
  tags: { team: 'x' },
  timeoutSeconds: 60,
  python: 'python3',
  entryScript: 'score.py',
  programArguments: '--model ${{inputs.model}}\n--k 3',
  inputs: { model: { kind: 'data', type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/m/', mode: 'download' } },
  outputs: {},
  rowsUri: 'azureml://datastores/workspaceblobstore/paths/stage/rows/{index}.txt',
};

test('a file mini-batch: one uri_file input per file in order, rows output per index, derived name and tags', () => {
  const spec = miniBatchJobSpec(template, { index: 7, label: 'a.csv', files: ['azureml://datastores/d/paths/in/a.csv', 'azureml://datastores/d/paths/in/b.csv'] }, 1, 'run1:score~mb-0');
  assert.equal(spec.name, 'run1-score_mb7-1');
  assert.equal(spec.timeoutSeconds, 60);
  assert.deepEqual(spec.inputs.amlsched_f1, { kind: 'data', type: 'uri_file', uri: 'azureml://datastores/d/paths/in/b.csv', mode: 'download' });
  assert.equal(spec.outputs.amlsched_rows?.uri, 'azureml://datastores/workspaceblobstore/paths/stage/rows/000007.txt');
  assert.equal(spec.tags[JOB_TAGS.instanceId], 'run1:score~mb-0');
  assert.equal(spec.tags[JOB_TAGS.attempt], '1');
  const line = buildCommandLine({ command: spec.command, inputs: { amlsched_f0: { kind: 'path', path: '/in/a.csv' }, amlsched_f1: { kind: 'path', path: '/in/b.csv' }, model: { kind: 'path', path: '/m' } }, outputs: { amlsched_rows: '/out/r.txt' } });
  assert.equal(line.script, "python3 amlsched_parallel_driver.py --entry-script score.py --label 7 --file '/in/a.csv' --file '/in/b.csv' --rows '/out/r.txt' -- --model '/m' --k 3");
});

test('a tabular mini-batch reads its slice with the table\'s delimiter and header', () => {
  const spec = miniBatchJobSpec({ ...template, table: { delimiter: ';', header: false }, programArguments: undefined }, { index: 0, label: 'rows 1-5', table: 'azureml://datastores/d/paths/t/000000.csv' }, 0, 'i');
  assert.match(spec.command, /--table \$\{\{inputs\.amlsched_table\}\} --delimiter ';' --no-header --rows/);
  assert.equal(spec.inputs.amlsched_table?.kind, 'data');
});

test('the azureml driver can submit a mini-batch job: each file a Download uri_file input, the rows an Upload output', () => {
  const spec = miniBatchJobSpec(template, { index: 2, label: 'a.csv', files: ['azureml://datastores/d/paths/in/a.csv'] }, 0, 'i');
  const body = buildCommandJobBody(spec, { environmentId: 'env-id', computeId: 'compute-id', codeId: 'code-id' }).properties;
  assert.equal(body.jobType, 'Command');
  assert.equal(body.codeId, 'code-id');
  assert.deepEqual((body.inputs as Record<string, unknown>).amlsched_f0, { jobInputType: 'uri_file', uri: 'azureml://datastores/d/paths/in/a.csv', mode: 'Download' });
  assert.deepEqual((body.outputs as Record<string, unknown>).amlsched_rows, { jobOutputType: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/stage/rows/000002.txt', mode: 'Upload' });
  assert.match(String(body.command), /--file \$\{\{inputs\.amlsched_f0\}\} --rows \$\{\{outputs\.amlsched_rows\}\} -- --model \$\{\{inputs\.model\}\} --k 3$/);
  assert.deepEqual(body.limits, { jobLimitsType: 'Command', timeout: 'PT60S' });
});
