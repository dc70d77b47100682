/**
 * The Azure path end to end: AMLSCHED_COMPUTE=azureml against the loopback fake of the Azure ML
 * REST API (every request checked against the published specification), job completion events
 * delivered through the Event Grid webhook as Azure delivers them, data versions registered in
 * the workspace. The local host supplies only the state store and the datastore (Azurite).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SYSTEM_KEY_EVENT_GRID } from '../../../devhost/keys';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { parseDatastoreUri } from '../../../shared/datastore/types';
import { getLocalServices } from '../../../shared/local-services';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk } from '../../../shared/spec/bundle';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { FakeAml } from '../../_helpers/fake-aml/server';
import { startInProcessHost } from '../../_helpers/host';

let fake: FakeAml;
let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };
let tmp: string;

before(async () => {
  fake = await FakeAml.start();
  Object.assign(process.env, fake.env(), { AMLSCHED_COMPUTE: 'azureml', AMLSCHED_BACKSTOP_SECONDS: '120' });
  tmp = mkdtempSync(path.join(os.tmpdir(), 'amlsched-azure-path-'));
  app = makeProductAppDir();
  host = await startInProcessHost({ appDir: app.dir, services: [localAzureMlService()] });
});

after(async () => {
  await host?.cleanup();
  app?.cleanup();
  await fake?.close();
  rmSync(tmp, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${host.url}${route}`, {
    method,
    headers: { 'x-functions-key': host.keys.functionKeys.default ?? host.keys.masterKey, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

type Json = Record<string, unknown>;

/** Plays the workspace: writes each new job's outputs, marks it Completed, delivers RunCompleted through the webhook. */
async function completeJobs(done: Set<string>): Promise<void> {
  for (const [name, job] of fake.jobs) {
    if (done.has(name)) continue;
    done.add(name);
    const props = job.properties as Json;
    const store = getLocalServices().datastores;
    for (const output of Object.values((props.outputs ?? {}) as Record<string, Json>)) {
      const ref = typeof output.uri === 'string' ? parseDatastoreUri(output.uri) : undefined;
      if (ref) await store.get(ref.datastore).put(`${ref.path.replace(/\/?$/, '/')}part-0.txt`, `${name}\n`);
    }
    fake.setJobStatus(name, 'Completed');
    const event = {
      id: `evt-${name}`, topic: fake.workspaceId, subject: `experiments/exp-1/runs/${name}`,
      eventType: 'Microsoft.MachineLearningServices.RunCompleted', eventTime: new Date().toISOString(),
      data: { experimentId: 'exp-1', experimentName: props.experimentName, runId: name, runType: null, runTags: props.tags, runProperties: {} },
      dataVersion: '', metadataVersion: '1',
    };
    const key = host.keys.systemKeys[SYSTEM_KEY_EVENT_GRID] ?? host.keys.masterKey;
    const res = await fetch(`${host.url}/runtime/webhooks/eventgrid?functionName=amlJobEvents&code=${encodeURIComponent(key)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify([event]),
    });
    assert.ok(res.status < 300, `event delivery: ${res.status} ${await res.text()}`);
  }
}

test('a pipeline runs against the fake Azure ML: jobs submitted per the spec, followed by webhook events, outputs registered', async () => {
  const file = path.join(tmp, 'azure.yml');
  writeFileSync(file, `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json
type: pipeline
display_name: azure_path
jobs:
  produce:
    command: echo produce > \${{outputs.out}}/x.txt
    environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest
    compute: azureml:cpu-cluster
    outputs:
      out:
        type: uri_folder
        name: azure_path_out
  consume:
    command: cat \${{inputs.x}}/x.txt
    environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest
    compute: azureml:cpu-cluster
    inputs:
      x: \${{parent.jobs.produce.outputs.out}}
`);
  const { bundle } = await buildBundleFromDisk(file);
  const res = await call('POST', '/api/runs', { bundle });
  const text = await res.text();
  assert.equal(res.status, 202, text);
  const { runId } = JSON.parse(text) as { runId: string };

  const done = new Set<string>();
  const deadline = Date.now() + 60_000;
  let run: RunObject;
  for (;;) {
    await completeJobs(done);
    run = (await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject;
    if (['Completed', 'Failed', 'Canceled'].includes(run.status)) break;
    assert.ok(Date.now() < deadline, `run still ${run.status}: ${JSON.stringify(run)}`);
    await sleep(100);
  }
  assert.equal(run.status, 'Completed', JSON.stringify(run));
  assert.deepEqual(fake.violations(), []);
  const puts = fake.calls('PUT', 'Jobs_CreateOrUpdate');
  assert.deepEqual(puts.map((r) => r.path.split('/').pop()).sort(), [`${runId}-consume-0`, `${runId}-produce-0`]);
  const polls = host.durable.db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM dt_history WHERE instance_id LIKE ? || '%' AND json_extract(event, '$.EventType') = 4 AND json_extract(event, '$.Name') = 'runs_pollJob'").get(runId)?.n;
  assert.equal(polls, 0, 'no status poll: the events arrived');
  const tags = (fake.jobs.get(`${runId}-produce-0`)?.properties as Json).tags as Record<string, string>;
  assert.equal(tags['amlsched.instanceId'], `${runId}:produce`);
  const versions = fake.assets.data.get('azure_path_out');
  assert.deepEqual([...(versions?.keys() ?? [])], [runId], 'one data version for the run');
  const lineage = ((versions?.get(runId)?.properties as Json | undefined)?.tags ?? {}) as Record<string, string>;
  assert.deepEqual([lineage['amlsched.producedBy.runId'], lineage['amlsched.producedBy.step'], lineage['amlsched.producedBy.jobName']], [runId, 'produce', `${runId}-produce-0`]);
  assert.equal(run.steps.consume?.status, 'Completed');
});
