/**
 * The Azure path end to end on the local host: AMLSCHED_COMPUTE=azureml against the loopback fake
 * of the Azure ML REST API (the real @azure/arm-machinelearning client's requests, every body
 * checked against the published 2025-12-01 specification). The fake runs the jobs (statuses move
 * forward, outputs land in the workspace storage) and delivers their status events through the
 * Event Grid webhook as Azure does. The local host supplies only what Azure would: the Functions
 * runtime, Durable, and a storage account (Azurite) that holds the datastore and the product's
 * state in Azure Table storage. No local Azure ML is loaded.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { TableClient, TableServiceClient } from '@azure/data-tables';
import { SYSTEM_KEY_EVENT_GRID } from '../../../devhost/keys';
import { productRoot } from '../../../devhost/product-root';
import { createDatastoreRegistry } from '../../../shared/datastore/settings';
import { parseDatastoreUri } from '../../../shared/datastore/types';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk } from '../../../shared/spec/bundle';
import { azureTableName } from '../../../shared/state/table-keys';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { FakeAmlJobRunner, type JobRunnerOptions } from '../../_helpers/fake-aml/events';
import { FakeAml } from '../../_helpers/fake-aml/server';
import { startInProcessHost } from '../../_helpers/host';
import { runsApi } from '../../_helpers/runs/api';

type Json = Record<string, unknown>;

const EXAMPLES = path.join(productRoot(), '..', 'shared', 'fixtures', 'azureml-examples', 'jobs');
const FIXTURES = path.join(productRoot(), 'test', 'fixtures', 'azure-e2e');
const STATUSES = ['Queued', 'Running', 'Finalizing', 'Completed'];

let fake: FakeAml;
let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };
let runner: FakeAmlJobRunner;
let runnerOptions: JobRunnerOptions;
const saved = { ...process.env };

before(async () => {
  fake = await FakeAml.start();
  Object.assign(process.env, fake.env(), { AMLSCHED_COMPUTE: 'azureml', AMLSCHED_BACKSTOP_SECONDS: '300' });
  delete process.env.AzureWebJobsStorage; // the host points it at its Azurite
  app = makeProductAppDir();
  host = await startInProcessHost({ appDir: app.dir });
  const key = host.keys.systemKeys[SYSTEM_KEY_EVENT_GRID] ?? host.keys.masterKey;
  runnerOptions = {
    webhook: `${host.url}/runtime/webhooks/eventgrid?functionName=amlJobEvents&code=${encodeURIComponent(key)}`,
    // The workspace storage account, reached on its own (not through the product's objects).
    datastores: createDatastoreRegistry({ AzureWebJobsStorage: host.azurite.connectionString }),
    stepMs: 30,
  };
  runner = new FakeAmlJobRunner(fake, runnerOptions);
});

after(async () => {
  await runner?.stop();
  await host?.cleanup();
  app?.cleanup();
  await fake?.close();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
});

const { call, run: runBundle } = runsApi(() => host);

async function runPipeline(file: string): Promise<RunObject> {
  return runBundle(file);
}

function jobBody(name: string): Json {
  const put = fake.calls('PUT', 'Jobs_CreateOrUpdate').find((r) => r.path.endsWith(`/jobs/${name}`));
  assert.ok(put, `job ${name} was submitted`);
  return (put.body as { properties: Json }).properties;
}

/** Job status polls the step orchestrations scheduled (zero when every event arrived). */
function statusPolls(runId: string): number {
  return host.durable.db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM dt_history WHERE instance_id LIKE ? || '%' AND json_extract(event, '$.EventType') = 4 AND json_extract(event, '$.Name') = 'runs_pollJob'").get(runId)?.n ?? -1;
}

function assertNoProblems(): void {
  assert.deepEqual(fake.violations(), [], 'every request valid per the spec');
  assert.deepEqual(runner.problems, [], 'every event valid and accepted');
}

test('hello-pipeline-io as it is: jobs submitted per the spec, followed by Event Grid events alone, state in Azure Tables', async () => {
  const run = await runPipeline(path.join(EXAMPLES, 'basics', 'hello-pipeline-io.yml'));
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assertNoProblems();
  const { runId } = run;
  const hello = `${runId}-hello_job-0`;
  const world = `${runId}-world_job-0`;
  assert.deepEqual(fake.calls('PUT', 'Jobs_CreateOrUpdate').filter((r) => r.path.includes(runId)).map((r) => r.path.split('/').pop()).sort(), [hello, world]);

  const helloBody = jobBody(hello);
  const worldOut = `azureml://datastores/workspaceblobstore/paths/azureml/${hello}/world_output/`;
  assert.equal(helloBody.jobType, 'Command');
  assert.equal(helloBody.command, `echo "hello" && echo "world" > \${{outputs.world_output}}/world.txt`);
  assert.equal(helloBody.computeId, `${fake.workspaceId}/computes/cpu-cluster`);
  assert.deepEqual(helloBody.outputs, { world_output: { jobOutputType: 'uri_folder', uri: worldOut, mode: 'ReadWriteMount' } });
  const tags = helloBody.tags as Record<string, string>;
  assert.equal(tags['amlsched.instanceId'], `${runId}:hello_job`);
  assert.equal(tags['amlsched.runId'], runId);
  const worldBody = jobBody(world);
  assert.deepEqual(worldBody.inputs, { world_input: { jobInputType: 'uri_folder', uri: worldOut, mode: 'ReadOnlyMount' } });
  assert.equal(run.steps.world_job?.jobName, world);
  assert.deepEqual(run.steps.hello_job?.outputs, { world_output: worldOut });

  // Statuses followed by events alone: every change delivered once, accepted at the first attempt, no poll.
  for (const job of [hello, world]) {
    const events = runner.delivered.filter((d) => d.jobName === job);
    assert.deepEqual(events.map((d) => `${d.eventType.split('.').pop()}:${d.status}`), [...STATUSES.map((s) => `RunStatusChanged:${s}`), 'RunCompleted:Completed']);
    assert.ok(events.every((d) => d.attempts.length === 1 && d.attempts[0] === 202), JSON.stringify(events.map((d) => d.attempts)));
  }
  assert.equal(statusPolls(runId), 0, 'no status poll: the events arrived');
  // The world job ran only on the hello job's output, which the fake wrote into Azurite.
  const ref = parseDatastoreUri(worldOut)!;
  assert.equal((await runnerOptions.datastores.get(ref.datastore).get(`${ref.path}part-0`)).toString(), `${hello}/world_output\n`);

  // The product's state went to Azure Table storage in the host's storage account (Azurite).
  const tables = TableServiceClient.fromConnectionString(host.azurite.connectionString, { allowInsecureConnection: true });
  const names: string[] = [];
  for await (const t of tables.listTables()) names.push(t.name ?? '');
  assert.ok(names.includes(azureTableName('runs')) && names.includes(azureTableName('reuse')), names.join(', '));
  const runs = TableClient.fromConnectionString(host.azurite.connectionString, azureTableName('runs'), { allowInsecureConnection: true });
  const rows: string[] = [];
  for await (const e of runs.listEntities()) rows.push(`${e.partitionKey}/${e.rowKey}`);
  assert.ok(rows.some((r) => r.endsWith(runId)), `run ${runId} in the runs table: ${rows.join(', ')}`);
});

test('named outputs register data versions with lineage; code is uploaded to the datastore; a second run is reused from the Table store', async () => {
  const file = path.join(FIXTURES, 'named', 'pipeline.yml');
  const run = await runPipeline(file);
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assertNoProblems();
  const { runId } = run;
  const prep = `${runId}-prep-0`;
  const score = `${runId}-score-0`;

  const prepBody = jobBody(prep);
  assert.deepEqual((prepBody.inputs as Json).greeting, { jobInputType: 'literal', value: 'hello' });
  // The code folder went to the workspace datastore as az ml lays it out, and a code version points at it.
  const codeId = String(prepBody.codeId);
  assert.match(codeId, new RegExp(`^${fake.workspaceId}/codes/amlsched-code/versions/[0-9a-f]+$`));
  const codeVersion = fake.assets.codes.get('amlsched-code')?.get(codeId.split('/').pop()!);
  assert.ok(codeVersion, 'code version created');
  const uploaded: string[] = [];
  for await (const blob of runnerOptions.datastores.get('workspaceblobstore').list('LocalUpload/')) uploaded.push(blob.path);
  assert.ok(uploaded.some((p) => /^LocalUpload\/[0-9a-f]{64}\/src\/prep\.py$/.test(p)), uploaded.join(', '));

  // PUT data/{name}/versions/{version}: once per named output per run, with lineage, per the spec.
  const puts = fake.calls('PUT', 'DataVersions_CreateOrUpdate').filter((r) => r.status === 201 && /azure_e2e_/.test(r.path));
  assert.deepEqual(puts.map((r) => r.path.split('/data/')[1]).sort(), [`azure_e2e_final/versions/${runId}`, `azure_e2e_prepared/versions/${runId}`]);
  const expected: Record<string, [string, string]> = { azure_e2e_prepared: ['prep', prep], azure_e2e_final: ['score', score] };
  for (const [name, [step, job]] of Object.entries(expected)) {
    const props = fake.assets.data.get(name)?.get(runId)?.properties as Json;
    assert.equal(props.dataType, 'uri_folder');
    assert.ok(String(props.dataUri).includes(`azureml/${job}/`), `${name}: ${String(props.dataUri)}`);
    const lineage = props.tags as Record<string, string>;
    assert.deepEqual([lineage['amlsched.producedBy.runId'], lineage['amlsched.producedBy.step'], lineage['amlsched.producedBy.jobName']], [runId, step, job]);
  }
  assert.equal(run.outputs.final, run.steps.score?.outputs.scored);
  assert.equal(statusPolls(runId), 0);

  // Same pipeline again: nothing changed, so the reuse entries (in Azure Tables) answer and no job is submitted.
  const jobsBefore = fake.calls('PUT', 'Jobs_CreateOrUpdate').length;
  const again = await runPipeline(file);
  assert.equal(again.status, 'Completed', JSON.stringify(again));
  assert.equal(fake.calls('PUT', 'Jobs_CreateOrUpdate').length, jobsBefore, 'no job submitted for a reused run');
  assert.ok(Object.values(again.steps).every((s) => s.reused), JSON.stringify(again.steps));
  assertNoProblems();
});

test('a failed job reaches the run as RunStatusChanged only (PascalCase data, lowercase status): the run fails, its dependent never starts', async () => {
  runnerOptions.outcome = (name) => (name.endsWith('-breaks-0') ? 'Failed' : 'Completed');
  runnerOptions.casing = 'pascal';
  try {
    const run = await runPipeline(path.join(FIXTURES, 'failing', 'pipeline.yml'));
    assert.equal(run.status, 'Failed', JSON.stringify(run));
    assertNoProblems();
    const breaks = `${run.runId}-breaks-0`;
    assert.equal(run.steps.breaks?.status, 'Failed');
    assert.notEqual(run.steps.after_break?.status, 'Completed');
    assert.equal(fake.calls('PUT', 'Jobs_CreateOrUpdate').filter((r) => r.path.includes(run.runId)).length, 1, 'only the failing job was submitted');
    const events = runner.delivered.filter((d) => d.jobName === breaks);
    assert.deepEqual(events.map((d) => d.status), ['Queued', 'Running', 'Finalizing', 'Failed']);
    assert.ok(events.every((d) => d.eventType.endsWith('RunStatusChanged') && (d.event.data as Json).RunStatus === d.status.toLowerCase()));
    // The status came by event; events carry no failure detail, so the step reads the job once for it.
    assert.equal(statusPolls(run.runId), 1);
  } finally {
    delete runnerOptions.outcome;
    delete runnerOptions.casing;
  }
});

test('cancel mid-run: the running job is canceled through the cancel operation, Canceled arrives by event, the dependent never starts', async () => {
  fake.cancelPolls = 0;
  runnerOptions.hold = (name) => name.endsWith('-long_train-0');
  try {
    const { bundle } = await buildBundleFromDisk(path.join(FIXTURES, 'cancel', 'pipeline.yml'));
    const res = await call('POST', '/api/runs', { bundle });
    assert.equal(res.status, 202);
    const { runId } = (await res.json()) as { runId: string };
    const job = `${runId}-long_train-0`;
    const deadline = Date.now() + 60_000;
    while (!runner.delivered.some((d) => d.jobName === job && d.status === 'Running')) {
      assert.ok(Date.now() < deadline, 'job running');
      await sleep(50);
    }
    const cancel = await call('POST', `/api/runs/${runId}/cancel`);
    assert.ok(cancel.status < 300, await cancel.text());
    let run: RunObject;
    for (;;) {
      run = (await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject;
      if (['Completed', 'Failed', 'Canceled'].includes(run.status)) break;
      assert.ok(Date.now() < deadline, `run still ${run.status}`);
      await sleep(100);
    }
    assert.equal(run.status, 'Canceled', JSON.stringify(run));
    assertNoProblems();
    assert.equal(fake.calls('POST', 'Jobs_Cancel').filter((r) => r.path.endsWith(`/jobs/${job}/cancel`)).length, 1);
    assert.equal(String((fake.jobs.get(job)?.properties as Json).status), 'Canceled');
    // The event may land after the run ended (the step stops at the cancel); wait for the runner to send it.
    while (!runner.delivered.some((d) => d.jobName === job && d.status === 'Canceled')) {
      assert.ok(Date.now() < deadline, 'Canceled event delivered');
      await sleep(50);
    }
    assert.equal(fake.calls('PUT', 'Jobs_CreateOrUpdate').filter((r) => r.path.includes(runId)).length, 1, 'evaluate never submitted');
  } finally {
    delete runnerOptions.hold;
    fake.cancelPolls = 1;
  }
});
