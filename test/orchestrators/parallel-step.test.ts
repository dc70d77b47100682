/**
 * The parallel step and chunk orchestrators on the local Durable backend with a scripted compute
 * (no Python): thousands of files stay in bounded histories (manifests by reference, chunks),
 * at most instance_count × max_concurrency_per_instance jobs run at once, rows come back in
 * mini-batch order, outputs register once, and cancel stops every mini-batch job.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { ParallelStep } from '../../shared/spec/plan';
import { cancelRun } from '../../shared/run/start';
import { startRunsHarness, type RunsHarness } from '../_helpers/runs/harness';
import { plan } from '../_helpers/runs/plans';

let h: RunsHarness;
before(async () => { h = await startRunsHarness(); });
after(async () => { await h.close(); });

function parallelStep(name: string, folder: string, opts: { instances: number; perInstance: number; threshold?: number }): ParallelStep {
  return {
    kind: 'parallel',
    name,
    inputs: { data: { type: 'uri_folder', optional: false, binding: { kind: 'data', type: 'uri_folder', ref: { kind: 'datastore', datastore: 'workspaceblobstore', path: folder } }, decl: { type: 'uri_folder', optional: false } } },
    outputs: { rows: { type: 'uri_file', mode: 'upload', bindsTo: [], register: { name: `${name}_rows` } } },
    dependsOn: [],
    location: { file: 'pipeline.yml', line: 1, column: 1, path: `jobs.${name}` },
    component: { type: 'parallel', source: { kind: 'inline' }, environment: { kind: 'none' }, inputs: {}, outputs: {}, isDeterministic: true, canonical: name },
    compute: 'cpu',
    environmentVariables: {},
    tags: {},
    parallel: {
      inputData: 'data',
      miniBatchSize: { kind: 'count', files: 10 },
      errorThreshold: opts.threshold ?? 0,
      maxConcurrencyPerInstance: opts.perInstance,
      instanceCount: opts.instances,
      retry: { maxRetries: 0 },
      task: { type: 'run_function', code: { kind: 'datastore', datastore: 'workspaceblobstore', path: 'code/' }, entryScript: 'score.py', appendRowTo: 'rows', environment: { kind: 'none' } },
    },
  };
}

async function seed(folder: string, files: number): Promise<void> {
  await h.datastore.put('code/score.py', 'def run(mb):\n    return mb\n');
  for (let i = 0; i < files; i += 1) await h.datastore.put(`${folder}f-${String(i).padStart(5, '0')}.csv`, `${i}\n`);
}

test('3,000 files: 300 mini-batches in chunks, bounded histories, capped concurrency, rows in order, registered once', async () => {
  await seed('wide/', 3000);
  const started = await h.start({ plan: plan('wide', [parallelStep('score', 'wide/', { instances: 3, perInstance: 2 })]) });
  const run = await h.wait(started.runId, 600_000);
  assert.equal(run.status, 'Completed', JSON.stringify(run.error ?? run.steps));
  const step = run.steps.score!;
  assert.deepEqual(step.miniBatches, { total: 300, done: 300, failed: 0 });
  assert.ok((h.compute.peakRunning.get('cpu') ?? 0) <= 6, `peak ${h.compute.peakRunning.get('cpu')}`);
  const rows = (await h.datastore.get(step.outputs.rows!.replace('azureml://datastores/workspaceblobstore/paths/', ''))).toString('utf8').trimEnd().split('\n');
  assert.deepEqual(rows, Array.from({ length: 300 }, (_, i) => `${started.runId}-score_mb${i}-0`));
  assert.equal((await h.data.list('score_rows')).length, 1);

  const histories = h.backend.db.prepare('SELECT instance_id AS id, COUNT(*) AS n FROM dt_history WHERE instance_id LIKE ? GROUP BY instance_id').all(`${started.runId}%`) as { id: string; n: number }[];
  const byId = new Map(histories.map((r) => [r.id, r.n]));
  assert.equal(histories.filter((r) => r.id.includes('~mb-')).length, 15, '300 mini-batches in chunks of 20');
  assert.ok(Math.max(...histories.map((r) => r.n)) <= 700, JSON.stringify(histories));
  assert.ok((byId.get(`${started.runId}:score`) ?? 0) <= 120, 'the step history grows with chunks, not mini-batches');
  // No history holds the file list: the largest event is small.
  const largest = h.backend.db.prepare('SELECT MAX(LENGTH(event)) AS n FROM dt_history WHERE instance_id LIKE ?').get(`${started.runId}%`) as { n: number };
  assert.ok(largest.n < 20_000, `largest history event ${largest.n} bytes`);
});

test('canceling the run cancels every running mini-batch job and ends the step Canceled', async () => {
  await seed('hang/', 50);
  h.compute.behaviours.set('score', { outcome: 'hang' });
  try {
    const started = await h.start({ plan: plan('hang', [parallelStep('score', 'hang/', { instances: 2, perInstance: 2 })]) });
    const deadline = Date.now() + 60_000;
    while (h.compute.submits.filter((n) => n.startsWith(`${started.runId}-`)).length < 4) {
      assert.ok(Date.now() < deadline, 'mini-batch jobs were not submitted');
      await sleep(50);
    }
    await cancelRun(h.client, { state: h.state }, started.runId);
    const run = await h.wait(started.runId, 60_000);
    assert.equal(run.status, 'Canceled');
    assert.equal(run.steps.score?.status, 'Canceled');
    const submitted = h.compute.submits.filter((n) => n.startsWith(`${started.runId}-`));
    assert.equal(submitted.length, 4, 'no job beyond the first four');
    for (const name of submitted) assert.ok(h.compute.cancels.includes(name), `${name} canceled`);
  } finally {
    h.compute.behaviours.delete('score');
  }
});
