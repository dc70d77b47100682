/**
 * Benchmark of `type: parallel` steps on the local host with local compute: FILES small CSV
 * files (default 1,000) in mini-batches of 10, scored by a standard-library entry script, four
 * mini-batch jobs at a time. Prints one JSON line: mini-batches per second end to end (plan,
 * jobs as Python subprocesses, events, gathering, registration) and the orchestration history
 * it leaves (events in all, per 1,000 files, and the largest single history).
 *   node dist/bench/parallel.js        FILES=… MINI_BATCH=… CONCURRENCY=… AMLSCHED_PYTHON=…
 *   BENCH_DEBUG=1 also prints the first chunk's history events by durable event type (stderr).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startHost } from '../devhost/host';
import { silentLogger } from '../devhost/logger';
import { productRoot } from '../devhost/product-root';
import { BlobDatastore } from '../shared/datastore/blob';
import type { RunObject } from '../shared/run/types';
import { buildBundleFromDisk } from '../shared/spec/bundle';

const PEER = 'amlsched-local';
const FILES = Number(process.env.FILES ?? 1000);
const MINI_BATCH = Number(process.env.MINI_BATCH ?? 10);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 4);

const SCORE = 'import os\n\ndef run(mini_batch):\n    return [os.path.basename(p) for p in mini_batch]\n';

function pipelineYaml(): string {
  return `type: pipeline
inputs:
  input_data:
    type: uri_folder
    path: azureml://datastores/workspaceblobstore/paths/bench/in/
outputs:
  scored:
    type: uri_file
    name: bench_scored
jobs:
  score:
    type: parallel
    compute: azureml:cpu-cluster
    inputs:
      input_data: \${{parent.inputs.input_data}}
    outputs:
      rows: \${{parent.outputs.scored}}
    input_data: \${{inputs.input_data}}
    mini_batch_size: "${MINI_BATCH}"
    resources:
      instance_count: ${CONCURRENCY}
    task:
      type: run_function
      code: ./src
      entry_script: score.py
      append_row_to: \${{outputs.rows}}
`;
}

/** A temporary app folder loading this build's functions (as package.json `main` does). */
function appDir(work: string): string {
  const functions = path.resolve(__dirname, '..', 'functions');
  const dir = path.join(work, 'app');
  mkdirSync(dir);
  const entries = readdirSync(functions).filter((f) => f.endsWith('.js')).sort();
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'amlsched-bench-app', main: 'index.js' }));
  writeFileSync(path.join(dir, 'index.js'), entries.map((f) => `require(${JSON.stringify(path.join(functions, f))});`).join('\n'));
  copyFileSync(path.join(productRoot(), 'host.json'), path.join(dir, 'host.json'));
  return dir;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(tmpdir(), 'amlsched-bench-parallel-'));
  Object.assign(process.env, { AMLSCHED_TASK_HUB: process.env.AMLSCHED_TASK_HUB ?? 'amlsched', AMLSCHED_COMPUTE: 'local', AMLSCHED_BACKSTOP_SECONDS: '30', AMLSCHED_LOCAL_INSTANCES: String(CONCURRENCY) });
  const host = await startHost({ appDir: appDir(work), dataDir: path.join(work, 'data'), port: 0, azurite: { inMemory: true }, logger: silentLogger() });
  try {
    const key = host.keys.functionKeys.default!;
    const call = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${host.url}${route}`, { method, headers: { 'x-functions-key': key, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const store = new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: { connectionString: host.azurite.connectionString } });
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < FILES) {
        const i = next++;
        await store.put(`bench/in/f-${String(i).padStart(6, '0')}.csv`, `id\n${i}\n`);
      }
    }));
    mkdirSync(path.join(work, 'pipeline', 'src'), { recursive: true });
    writeFileSync(path.join(work, 'pipeline', 'src', 'score.py'), SCORE);
    writeFileSync(path.join(work, 'pipeline', 'pipeline.yml'), pipelineYaml());
    const { bundle } = await buildBundleFromDisk(path.join(work, 'pipeline', 'pipeline.yml'));

    const started = performance.now();
    const { runId } = await call<{ runId: string }>('POST', '/api/runs', { bundle });
    let run: RunObject;
    for (;;) {
      run = await call<RunObject>('GET', `/api/runs/${runId}`);
      if (['Completed', 'Failed', 'Canceled'].includes(run.status)) break;
      await sleep(200);
    }
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== 'Completed') throw new Error(`run ${runId} ended ${run.status}: ${JSON.stringify(run.error)}`);
    const miniBatches = run.steps.score?.miniBatches?.total ?? Math.ceil(FILES / MINI_BATCH);
    const rows = host.durable.db.prepare('SELECT instance_id AS id, COUNT(*) AS n FROM dt_history WHERE instance_id LIKE ? GROUP BY instance_id').all(`${runId}%`) as { id: string; n: number }[];
    const total = rows.reduce((s, r) => s + r.n, 0);
    if (process.env.BENCH_DEBUG) {
      const kinds = host.durable.db.prepare('SELECT event FROM dt_history WHERE instance_id LIKE ?').all(`${runId}%~mb-0`) as { event: string }[];
      const counts: Record<string, number> = {};
      for (const k of kinds) { const t = String((JSON.parse(k.event) as { EventType?: unknown; eventType?: unknown }).EventType ?? (JSON.parse(k.event) as { eventType?: unknown }).eventType); counts[t] = (counts[t] ?? 0) + 1; }
      process.stderr.write(`${JSON.stringify(counts)}\n`);
    }
    process.stdout.write(`${JSON.stringify({
      peer: PEER,
      case: 'parallel-minibatches',
      files: FILES,
      mini_batches: miniBatches,
      concurrency: CONCURRENCY,
      seconds: Number(seconds.toFixed(2)),
      mini_batches_per_s: Number((miniBatches / seconds).toFixed(2)),
      orchestrations: rows.length,
      history_events: total,
      history_events_per_1000_files: Math.round((total * 1000) / FILES),
      max_history_events_per_orchestration: Math.max(...rows.map((r) => r.n)),
      node_peak_rss_mb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    })}\n`);
  } finally {
    await host.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench parallel: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exitCode = 1;
});
