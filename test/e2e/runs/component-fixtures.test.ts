/**
 * End to end on the local host (in-process) with the local Azure ML: the component pipelines of
 * azureml-examples (jobs/pipelines-with-components/basics) submitted unchanged, with stand-in step
 * scripts (test/fixtures/component-standins) honouring each component's command line. Their output
 * files must land in the datastore; a step whose interpreter this machine lacks (Rscript) fails clearly.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { artifactsPath } from '../../../devhost/localaml/working-folder';
import { productRoot } from '../../../devhost/product-root';
import { datastoreUri, parseDatastoreUri } from '../../../shared/datastore/types';
import { getLocalServices } from '../../../shared/local-services';
import type { DataVersion } from '../../../shared/registry/types';
import type { RunObject } from '../../../shared/run/types';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { startInProcessHost } from '../../_helpers/host';
import { runsApi } from '../../_helpers/runs/api';

const BASICS = path.join(productRoot(), '..', 'shared', 'fixtures', 'azureml-examples', 'jobs', 'pipelines-with-components', 'basics');
const STANDINS = path.join(productRoot(), 'test', 'fixtures', 'component-standins');

let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };
let scratch: string;

before(async () => {
  process.env.AMLSCHED_COMPUTE = 'local';
  process.env.AMLSCHED_BACKSTOP_SECONDS = '120';
  scratch = mkdtempSync(path.join(os.tmpdir(), 'amlsched-components-'));
  app = makeProductAppDir();
  host = await startInProcessHost({ appDir: app.dir, services: [localAzureMlService()] });
});

after(async () => {
  await host?.cleanup();
  app?.cleanup();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const { call, run: runBundle } = runsApi(() => host);

/** Copies fixture `name` to the scratch folder with stand-ins copied over it (`[from, to]` pairs under STANDINS / the copy). */
function prepare(name: string, standins: [string, string][]): string {
  const dir = path.join(scratch, name);
  cpSync(path.join(BASICS, name), dir, { recursive: true });
  for (const [from, to] of standins) cpSync(path.join(STANDINS, from), path.join(dir, to), { recursive: true });
  return dir;
}

async function runPipeline(dir: string, file = 'pipeline.yml'): Promise<RunObject> {
  return runBundle(path.join(dir, file));
}

/** A file under an output's azureml:// folder URI, read from the host's datastore. */
async function readOutput(uri: string | undefined, file: string): Promise<string> {
  const ref = uri ? parseDatastoreUri(uri) : undefined;
  assert.ok(ref, `output URI ${uri}`);
  const store = getLocalServices().datastores.get(ref.datastore);
  return (await store.get(`${ref.path.replace(/\/?$/, '/')}${file}`)).toString('utf8');
}

/** Where the local compute keeps a step's job artifacts (./outputs, ./logs, user_logs/std_log.txt). */
function artifactsUri(step: RunObject['steps'][string] | undefined): string {
  assert.ok(step?.jobName, `step has a job: ${JSON.stringify(step)}`);
  return datastoreUri(getLocalServices().datastores.defaultName, artifactsPath(step.jobName));
}

async function dataProducedBy(runId: string): Promise<DataVersion[]> {
  const res = await call('GET', '/api/data');
  assert.equal(res.status, 200);
  const { value } = (await res.json()) as { value: DataVersion[] };
  return value.filter((d) => d.producedBy?.runId === runId);
}

function assertCompleted(run: RunObject): void {
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  for (const [name, s] of Object.entries(run.steps)) assert.equal(s.status, 'Completed', `${name}: ${JSON.stringify(s)}`);
}

for (const name of ['2a_basic_component', '5a_env_public_docker_image', '5b_env_registered', '5c_env_conda_file']) {
  test(`${name}: 'python hello.py' completes; its ./outputs file and log are kept in the datastore`, async () => {
    const run = await runPipeline(prepare(name, [['hello', 'src']]));
    assertCompleted(run);
    const step = run.steps.hello_python_world_job;
    assert.ok(step);
    assert.equal(await readOutput(artifactsUri(step), 'outputs/hello.txt'), 'Hello Python World\n');
    assert.match(await readOutput(artifactsUri(step), 'user_logs/std_log.txt'), /Hello Python World/);
    assert.deepEqual(await dataProducedBy(run.runId), [], 'no output has a name, so nothing is registered');
  });
}

test('2b_component_with_input_output: the local data folder goes in, the default string is passed, the output lands at the pipeline output', async () => {
  const run = await runPipeline(prepare('2b_component_with_input_output', [['hello-io', 'src']]));
  assertCompleted(run);
  const uri = run.steps.hello_python_world_job?.outputs.sample_output_data;
  assert.equal(await readOutput(uri, 'message.txt'), 'hello_python_world_default\n');
  assert.equal(await readOutput(uri, 'files.txt'), 'sample.csv\n');
  assert.equal(run.outputs.pipeline_sample_output_data, uri, 'the pipeline output is the step output it is bound to');
  assert.deepEqual(await dataProducedBy(run.runId), [], 'no output has a name, so nothing is registered');
});

for (const [name, stepName] of [['6a_tf_hello_world', 'tf_job'], ['6b_pytorch_hello_world', 'pytorch_job']] as const) {
  test(`${name}: the distributed echo command completes locally and its log is kept`, async () => {
    const run = await runPipeline(prepare(name, []));
    assertCompleted(run);
    const log = await readOutput(artifactsUri(run.steps[stepName]), 'user_logs/std_log.txt');
    if (name === '6b_pytorch_hello_world') assert.match(log, /RANK: .*LOCAL_RANK: .*MASTER_PORT:/s);
  });
}

test('6c_r_iris unchanged: the step fails clearly (its public https input is unreachable offline; online, Rscript is missing); the run ends Failed', async () => {
  const run = await runPipeline(prepare('6c_r_iris', [['r-iris/src', 'src'], ['r-iris/docker-context', 'docker-context']]));
  assert.equal(run.status, 'Failed', JSON.stringify(run));
  const step = run.steps.r_iris_example;
  assert.equal(step?.status, 'Failed', JSON.stringify(step));
  assert.match(step.error?.message ?? '', /inputs\.iris: downloading https:\/\/azuremlexamples\.blob\.core\.windows\.net\/datasets\/iris\.csv|exited with code 127 \(command not found.*Rscript/s);
  assert.equal((await fetch(`${host.url}/api/health`)).status, 200, 'the host still serves');
});

test('6c_r_iris with its web input served over loopback: the file is downloaded, then without Rscript the step fails naming exit 127', async () => {
  const dir = prepare('6c_r_iris', [['r-iris/src', 'src'], ['r-iris/docker-context', 'docker-context']]);
  const csv = readFileSync(path.join(STANDINS, 'r-iris', 'iris.csv'));
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/csv' }).end(csv);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const original = readFileSync(path.join(dir, 'pipeline.yml'), 'utf8');
    const local = original.replace('https://azuremlexamples.blob.core.windows.net/datasets/iris.csv', `http://127.0.0.1:${port}/datasets/iris.csv`);
    assert.notEqual(local, original);
    writeFileSync(path.join(dir, 'pipeline-loopback-iris.yml'), local);
    const run = await runPipeline(dir, 'pipeline-loopback-iris.yml');
    assert.deepEqual(requests, ['/datasets/iris.csv'], 'the local compute downloaded the web input once');
    assert.equal(run.status, 'Failed', JSON.stringify(run));
    const step = run.steps.r_iris_example;
    assert.equal(step?.status, 'Failed', JSON.stringify(step));
    assert.match(step.error?.message ?? '', /exited with code 127 \(command not found/);
    assert.match(step.error?.message ?? '', /Rscript/);
    assert.equal((await fetch(`${host.url}/api/health`)).status, 200, 'the host still serves');
  } finally {
    server.close();
  }
});
