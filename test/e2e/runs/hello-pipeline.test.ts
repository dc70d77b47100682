/**
 * End to end on the local host (in-process) with the local Azure ML: the hello-pipeline fixtures
 * run through POST /api/runs, advance on Event Grid job events alone, and run again fully reused.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { productRoot } from '../../../devhost/product-root';
import { parseDatastoreUri } from '../../../shared/datastore/types';
import { getLocalServices } from '../../../shared/local-services';
import type { RunObject } from '../../../shared/run/types';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { startInProcessHost } from '../../_helpers/host';
import { runsApi } from '../../_helpers/runs/api';

const EXAMPLES = path.join(productRoot(), '..', 'shared', 'fixtures', 'azureml-examples', 'jobs');
const BASICS = path.join(EXAMPLES, 'basics');

let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };

before(async () => {
  process.env.AMLSCHED_COMPUTE = 'local';
  process.env.AMLSCHED_BACKSTOP_SECONDS = '120';
  app = makeProductAppDir();
  host = await startInProcessHost({ appDir: app.dir, services: [localAzureMlService()] });
});

after(async () => {
  await host?.cleanup();
  app?.cleanup();
});

const { run: runBundle } = runsApi(() => host);

async function runFile(file: string): Promise<RunObject> {
  return runBundle(path.isAbsolute(file) ? file : path.join(BASICS, file));
}

/** Activities of a kind scheduled by any orchestration of the run. */
function activityCount(runId: string, name: string): number {
  const row = host.durable.db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM dt_history WHERE instance_id LIKE ? || '%' AND json_extract(event, '$.EventType') = 4 AND json_extract(event, '$.Name') = ?",
  ).get(runId, name);
  return row?.n ?? 0;
}

for (const file of ['hello-pipeline.yml', 'hello-pipeline-serverless.yml', 'hello-pipeline-io.yml', 'hello-pipeline-abc.yml']) {
  test(`${file} completes on job events alone (no status poll)`, async () => {
    const run = await runFile(file);
    assert.equal(run.status, 'Completed', JSON.stringify(run));
    for (const [name, s] of Object.entries(run.steps)) assert.equal(s.status, 'Completed', `${name}: ${JSON.stringify(s)}`);
    assert.equal(activityCount(run.runId, 'runs_pollJob'), 0, 'every job event arrived, so nothing was polled');
    assert.ok(activityCount(run.runId, 'runs_prepareStep') >= 2);
  });
}

test('hello-pipeline-io writes world.txt to the datastore, and the consumer reads it', async () => {
  const run = await runFile('hello-pipeline-io.yml');
  assert.equal(run.status, 'Completed');
  const uri = run.steps.hello_job?.outputs.world_output;
  const ref = uri ? parseDatastoreUri(uri) : undefined;
  assert.ok(ref, `output URI ${uri}`);
  const store = getLocalServices().datastores.get(ref.datastore);
  const body = await store.get(`${ref.path.replace(/\/?$/, '/')}world.txt`);
  assert.equal(body.toString().trim(), 'world');
});

test('running a pipeline again submits no job: every step is reused and says from which run', async () => {
  const first = await runFile('hello-pipeline-abc.yml');
  const second = await runFile('hello-pipeline-abc.yml');
  assert.equal(second.status, 'Completed');
  for (const s of Object.values(second.steps)) {
    assert.equal(s.reused, true);
    assert.match(s.reason ?? '', /^reused from run run-/);
  }
  assert.notEqual(first.runId, second.runId);
  assert.equal(activityCount(second.runId, 'runs_completeStep'), 0, 'no job ran');
});

test('3a_basic_pipeline with step scripts: touching one code file reruns exactly that step, naming the file; .amlignored files do not count', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-3a-'));
  try {
    cpSync(path.join(EXAMPLES, 'pipelines-with-components', 'basics', '3a_basic_pipeline'), dir, { recursive: true });
    for (const c of ['A', 'B', 'C']) {
      mkdirSync(path.join(dir, `component${c}_src`));
      writeFileSync(path.join(dir, `component${c}_src`, 'hello.py'), `print("Hello from component ${c}")\n`);
    }
    writeFileSync(path.join(dir, 'componentB_src', 'helper.py'), 'GREETING = "hi"\n');
    writeFileSync(path.join(dir, 'componentA_src', '.amlignore'), 'notes.txt\n');
    writeFileSync(path.join(dir, 'componentA_src', 'notes.txt'), 'draft 1\n');
    const file = path.join(dir, 'pipeline.yml');
    const first = await runFile(file);
    assert.equal(first.status, 'Completed', JSON.stringify(first));
    writeFileSync(path.join(dir, 'componentB_src', 'helper.py'), 'GREETING = "hello"\n');
    const second = await runFile(file);
    assert.equal(second.status, 'Completed', JSON.stringify(second));
    assert.deepEqual(Object.fromEntries(Object.entries(second.steps).map(([k, s]) => [k, [s.reused, s.reason]])), {
      component_a: [true, `reused from run ${first.runId}`],
      component_b: [false, 'code changed: file helper.py'],
      component_c: [true, `reused from run ${first.runId}`],
    });
    // A file the code folder's .amlignore excludes is not part of the snapshot: nothing reruns.
    writeFileSync(path.join(dir, 'componentA_src', 'notes.txt'), 'draft 2\n');
    const third = await runFile(file);
    for (const [name, s] of Object.entries(third.steps)) assert.equal(s.reused, true, `${name}: ${s.reason}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GET /api/health answers 200 JSON without a key (the product registers an anonymous health function)', async () => {
  assert.ok(host.app.functions.has('health'));
  const res = await fetch(`${host.url}/api/health`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /json/);
  assert.equal(((await res.json()) as { status?: string }).status, 'ok');
});
