/**
 * `type: parallel` steps end to end on the local host with local compute: 1,000 CSV files in
 * mini-batches of 10 (100 mini-batch jobs), rows appended in input order and the output
 * registered once; mini-batches that fail once are retried; failures beyond
 * mini_batch_error_threshold fail the step naming the mini-batches and why; a tabular (mltable)
 * input cut by size reaches run() as a pandas DataFrame. Mini-batch jobs run Debian's
 * /usr/bin/python3 (pandas from python3-pandas), set through AMLSCHED_PYTHON.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { DataVersion } from '../../../shared/registry/types';
import type { RunObject } from '../../../shared/run/types';
import { runCli } from '../../_helpers/api/run-cli';
import { startBatchHost, type BatchHost } from '../../_helpers/batch/host';
import { hostDatastore, putAll, readUri } from '../../_helpers/batch/host-store';

const PYTHON = '/usr/bin/python3';
let host: BatchHost;
let work: string;
let store: ReturnType<typeof hostDatastore>;

before(async () => {
  // The tabular case needs pandas for this interpreter (CI installs python3-pandas).
  execFileSync(PYTHON, ['-c', 'import pandas']);
  work = mkdtempSync(path.join(os.tmpdir(), 'amlsched-batch-'));
  mkdirSync(path.join(work, 'state'));
  host = await startBatchHost({ AMLSCHED_COMPUTE: 'local', AMLSCHED_BACKSTOP_SECONDS: process.env.BATCH_BACKSTOP ?? '5', AMLSCHED_PYTHON: PYTHON, AMLSCHED_LOCAL_INSTANCES: '4', BATCH_TEST_STATE: path.join(work, 'state') });
  store = hostDatastore(host.dataDir);
});

after(async () => {
  await host?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

const SCORE = `
import csv, os
state = os.environ["BATCH_TEST_STATE"]
factor = 0

def init():
    global factor
    import argparse
    p = argparse.ArgumentParser()
    p.add_argument("--factor", type=int, required=True)
    factor = p.parse_args().factor

def run(mini_batch):
    if hasattr(mini_batch, "columns"):
        return [("row %s %d" % (r.id, int(r.x) * factor)) for r in mini_batch.itertuples()]
    out = []
    for path in mini_batch:
        name = os.path.basename(path)
        if "alwaysfail" in name:
            raise ValueError("cannot score %s" % name)
        if "failonce" in name:
            flag = os.path.join(state, name + ".failed")
            if not os.path.exists(flag):
                open(flag, "w").close()
                raise RuntimeError("transient failure on %s" % name)
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                out.append("%s,%s,%d" % (name, row["id"], int(row["x"]) * factor))
    return out
`;

/** A pipeline folder with one parallel step over `input_data` (uri_folder or mltable). */
function pipeline(name: string, opts: { type?: 'uri_folder' | 'mltable'; size: string; threshold: number; retries: number; concurrency?: number }): string {
  const dir = path.join(work, name);
  mkdirSync(path.join(dir, 'src'), { recursive: true });
  writeFileSync(path.join(dir, 'src', 'score.py'), SCORE);
  writeFileSync(path.join(dir, 'pipeline.yml'), `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
display_name: ${name}
inputs:
  input_data:
    type: ${opts.type ?? 'uri_folder'}
    path: azureml://datastores/workspaceblobstore/paths/${name}/
  factor: 3
outputs:
  scored:
    type: uri_file
    name: ${name}_scored
jobs:
  score:
    type: parallel
    compute: azureml:cpu-cluster
    inputs:
      input_data: \${{parent.inputs.input_data}}
      factor: \${{parent.inputs.factor}}
    outputs:
      rows: \${{parent.outputs.scored}}
    input_data: \${{inputs.input_data}}
    mini_batch_size: "${opts.size}"
    resources:
      instance_count: ${opts.concurrency ?? 4}
    max_concurrency_per_instance: 1
    mini_batch_error_threshold: ${opts.threshold}
    retry_settings:
      max_retries: ${opts.retries}
      timeout: 120
    task:
      type: run_function
      code: ./src
      entry_script: score.py
      program_arguments: --factor \${{inputs.factor}}
      append_row_to: \${{outputs.rows}}
`);
  return path.join(dir, 'pipeline.yml');
}

async function run(file: string, input: string): Promise<{ run: RunObject; stderr: string; code: number }> {
  const env = { AMLSCHED_URL: host.url, AMLSCHED_KEY: host.key, AMLSCHED_POLL_MS: '250' };
  const res = await runCli(['run', file, '--set', `input_data=${input}`, '--wait', '--output', 'json'], env);
  assert.ok(res.stdout.trim().startsWith('{'), `no run object printed (exit ${res.code}):\n${res.stderr}`);
  return { run: JSON.parse(res.stdout) as RunObject, stderr: res.stderr, code: res.code };
}

async function versions(name: string): Promise<DataVersion[]> {
  const res = await host.fetch(`/api/data?name=${name}`, { headers: { 'x-functions-key': host.key } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as DataVersion[] | { value: DataVersion[] };
  return Array.isArray(body) ? body : body.value;
}

test('1,000 CSV files in mini-batches of 10: 100 mini-batch jobs, every row appended in input order, the output registered once', async () => {
  const files = Array.from({ length: 1000 }, (_, i) => ({ path: `big/in/f-${String(i).padStart(4, '0')}.csv`, body: `id,x\n${i},${i}\n` }));
  await putAll(store, files);
  const started = Date.now();
  const { run: result, stderr, code } = await run(pipeline('big', { size: '10', threshold: 0, retries: 1 }), 'azureml://datastores/workspaceblobstore/paths/big/in/');
  const seconds = (Date.now() - started) / 1000;
  assert.equal(code, 0, stderr);
  assert.equal(result.status, 'Completed', JSON.stringify(result));
  const step = result.steps.score!;
  assert.equal(step.status, 'Completed');
  const lines = (await readUri(store, step.outputs.rows!)).trimEnd().split('\n');
  assert.equal(lines.length, 1000);
  assert.deepEqual(lines, files.map((_, i) => `f-${String(i).padStart(4, '0')}.csv,${i},${i * 3}`));
  // 100 mini-batch jobs, each with its own derived name and attempt 0.
  const jobs = new Set<string>();
  for await (const blob of store.list('ExperimentRun/')) {
    const m = /^ExperimentRun\/dcid\.(.*_mb(\d+)-(\d+))\//.exec(blob.path);
    if (m && m[1]!.startsWith(result.runId)) jobs.add(m[1]!);
  }
  assert.equal(jobs.size, 100, [...jobs].slice(0, 5).join(', '));
  const registered = await versions('big_scored');
  assert.equal(registered.length, 1);
  assert.equal(registered[0]!.version, result.runId);
  assert.equal(registered[0]!.uri, step.outputs.rows);
  assert.match(stderr, /mini-batches 100\/100/);
  process.stderr.write(`# 1,000 files / 100 mini-batches on the local host: ${seconds.toFixed(1)} s\n`);
});

test('three mini-batches that fail once are retried and succeed', async () => {
  const files = Array.from({ length: 60 }, (_, i) => {
    const kind = [5, 25, 45].includes(i) ? 'failonce' : 'ok';
    return { path: `retry/in/f-${String(i).padStart(2, '0')}-${kind}.csv`, body: `id,x\n${i},${i}\n` };
  });
  await putAll(store, files);
  const { run: result, code, stderr } = await run(pipeline('retry', { size: '10', threshold: 0, retries: 2 }), 'azureml://datastores/workspaceblobstore/paths/retry/in/');
  assert.equal(code, 0, stderr);
  assert.equal(result.status, 'Completed', JSON.stringify(result));
  const lines = (await readUri(store, result.steps.score!.outputs.rows!)).trimEnd().split('\n');
  assert.equal(lines.length, 60);
  assert.deepEqual(lines.map((l) => Number(l.split(',')[1])), files.map((_, i) => i));
  // The retried mini-batches ran as attempt 1 under a new job name.
  const retried: string[] = [];
  for await (const blob of store.list('ExperimentRun/')) {
    const m = /^ExperimentRun\/dcid\.(.*_mb(\d+)-1)\/user_logs/.exec(blob.path);
    if (m && m[1]!.startsWith(result.runId)) retried.push(m[2]!);
  }
  assert.deepEqual(retried.sort(), ['0', '2', '4']);
});

test('failures beyond mini_batch_error_threshold fail the step, naming the mini-batches and why', async () => {
  const files = Array.from({ length: 40 }, (_, i) => ({
    path: `fail/in/f-${String(i).padStart(2, '0')}${[3, 33].includes(i) ? '-alwaysfail' : ''}.csv`,
    body: `id,x\n${i},${i}\n`,
  }));
  await putAll(store, files);
  const { run: result, code } = await run(pipeline('fail', { size: '10', threshold: 1, retries: 1, concurrency: 1 }), 'azureml://datastores/workspaceblobstore/paths/fail/in/');
  assert.notEqual(code, 0);
  assert.equal(result.status, 'Failed');
  const step = result.steps.score!;
  assert.equal(step.status, 'Failed');
  assert.equal(step.error?.code, 'mini_batch_error_threshold');
  const message = step.error?.message ?? '';
  assert.match(message, /^2 of 4 mini-batches failed, more than mini_batch_error_threshold 1/);
  assert.match(message, /mini-batch 0 \(f-00\.csv … f-09\.csv \(10 files\); job \S+_mb0-1, 2 attempts\): the command exited with code 1;[^;]*ValueError: cannot score f-03-alwaysfail\.csv/);
  assert.match(message, /mini-batch 3 \(f-30\.csv … f-39\.csv \(10 files\); job \S+_mb3-1, 2 attempts\): the command exited with code 1;[^;]*ValueError: cannot score f-33-alwaysfail\.csv/);
  assert.equal((await versions('fail_scored')).length, 0, 'nothing registered');
});

test('an mltable input with read_delimited is cut into mini-batches by size and run() gets a DataFrame', async () => {
  const header = 'id,x';
  const rows = Array.from({ length: 300 }, (_, i) => `${i},${i % 97}`);
  await putAll(store, [
    { path: 'table/MLTable', body: 'type: mltable\npaths:\n  - pattern: ./part-*.csv\ntransformations:\n  - read_delimited:\n      delimiter: ","\n      header: all_files_same_headers\n' },
    { path: 'table/part-1.csv', body: `${header}\n${rows.slice(0, 150).join('\n')}\n` },
    { path: 'table/part-2.csv', body: `${header}\n${rows.slice(150).join('\n')}\n` },
  ]);
  const { run: result, code, stderr } = await run(pipeline('table', { type: 'mltable', size: '1kb', threshold: 0, retries: 0 }), 'azureml://datastores/workspaceblobstore/paths/table/');
  assert.equal(code, 0, stderr);
  assert.equal(result.status, 'Completed', JSON.stringify(result));
  const lines = (await readUri(store, result.steps.score!.outputs.rows!)).trimEnd().split('\n');
  assert.deepEqual(lines, rows.map((r) => `row ${r.split(',')[0]} ${Number(r.split(',')[1]) * 3}`));
  // 300 rows of about 7 bytes in 1 KiB mini-batches: several mini-batches, not one.
  const m = [...stderr.matchAll(/mini-batches (\d+)\/(\d+)/g)].pop();
  assert.ok(m && Number(m[2]) >= 2 && m[1] === m[2], stderr);
});
