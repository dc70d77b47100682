/**
 * End to end on the local host with the local Azure ML, with a 1 s backstop: lost job events,
 * continue_on_step_failure, rerun-from-failure, cancellation (no job process left), and one
 * data version per named output per run with lineage.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { artifactsPath } from '../../../devhost/localaml/working-folder';
import { getLocalServices } from '../../../shared/local-services';
import type { DataVersion } from '../../../shared/registry/types';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk } from '../../../shared/spec/bundle';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { startInProcessHost } from '../../_helpers/host';

const ENV = 'environment: azureml://registries/azureml/environments/sklearn-1.5/labels/latest';
let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };
let key: string;
let tmp: string;

before(async () => {
  process.env.AMLSCHED_COMPUTE = 'local';
  process.env.AMLSCHED_BACKSTOP_SECONDS = '1';
  // No subscriptions from the settings file: the lost-events test installs the only one for amlJobEvents.
  process.env.AMLSCHED_EVENTGRID_SUBSCRIPTIONS = '';
  tmp = mkdtempSync(path.join(os.tmpdir(), 'amlsched-runs-e2e-'));
  app = makeProductAppDir();
  host = await startInProcessHost({ appDir: app.dir, services: [localAzureMlService()] });
  key = host.keys.functionKeys.default ?? host.keys.masterKey;
});

after(async () => {
  await host?.cleanup();
  app?.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

async function call(method: string, route: string, body?: unknown): Promise<Response> {
  return fetch(`${host.url}${route}`, {
    method,
    headers: { 'x-functions-key': key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}

function pipeline(name: string, yaml: string): string {
  const file = path.join(tmp, `${name}.yml`);
  writeFileSync(file, `$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json\ntype: pipeline\ndisplay_name: ${name}\n${yaml}`);
  return file;
}

async function submit(file: string): Promise<string> {
  const { bundle } = await buildBundleFromDisk(file);
  const res = await call('POST', '/api/runs', { bundle });
  const text = await res.text();
  assert.equal(res.status, 202, text);
  return (JSON.parse(text) as { runId: string }).runId;
}

async function getRun(runId: string): Promise<RunObject> {
  return (await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject;
}

async function waitForEnd(runId: string): Promise<RunObject> {
  const deadline = Date.now() + 90_000;
  for (;;) {
    const run = await getRun(runId);
    if (['Completed', 'Failed', 'Canceled'].includes(run.status)) return run;
    assert.ok(Date.now() < deadline, `run ${runId} still ${run.status}: ${JSON.stringify(run)}`);
    await sleep(100);
  }
}

function activityCount(runId: string, name: string): number {
  return host.durable.db.prepare<[string, string], { n: number }>(
    "SELECT count(*) AS n FROM dt_history WHERE instance_id LIKE ? || '%' AND json_extract(event, '$.EventType') = 4 AND json_extract(event, '$.Name') = ?",
  ).get(runId, name)?.n ?? 0;
}

test('with every job event lost, the run still completes through the backstop polls', async () => {
  // A subscription for other event types only: Event Grid no longer delivers job events to the app.
  const unsubscribe = host.eventGrid.subscribe({ functionName: 'amlJobEvents', includedEventTypes: ['Microsoft.Storage.BlobCreated'] });
  try {
    const file = pipeline('lost_events', `jobs:
  first:
    command: echo first lost > \${{outputs.out}}/first.txt
    ${ENV}
    outputs:
      out:
  second:
    command: cat \${{inputs.x}}/first.txt
    ${ENV}
    inputs:
      x: \${{parent.jobs.first.outputs.out}}
`);
    const run = await waitForEnd(await submit(file));
    assert.equal(run.status, 'Completed', JSON.stringify(run));
    assert.ok(activityCount(run.runId, 'runs_pollJob') >= 2, 'each job was found finished by a poll');
  } finally {
    unsubscribe();
  }
});

test('continue_on_step_failure: the failing branch fails, its dependent is skipped, the independent branch completes; rerun-from-failure reruns only what failed', async () => {
  const marker = path.join(tmp, 'fixed');
  const file = pipeline('branches', `settings:
  continue_on_step_failure: true
jobs:
  flaky:
    command: test -f "\${{inputs.marker}}" && echo ok > \${{outputs.out}}/ok.txt
    ${ENV}
    inputs:
      marker: ${marker}
    outputs:
      out:
  after_flaky:
    command: cat \${{inputs.x}}/ok.txt
    ${ENV}
    inputs:
      x: \${{parent.jobs.flaky.outputs.out}}
  steady:
    command: echo steady branches > \${{outputs.out}}/steady.txt
    ${ENV}
    outputs:
      out:
        type: uri_folder
        name: e2e_steady
`);
  const first = await waitForEnd(await submit(file));
  assert.equal(first.status, 'Failed', JSON.stringify(first));
  assert.equal(first.steps.flaky?.status, 'Failed');
  assert.equal(first.steps.after_flaky?.status, 'Skipped');
  assert.equal(first.steps.steady?.status, 'Completed');

  writeFileSync(marker, 'fixed');
  const res = await call('POST', `/api/runs/${first.runId}/rerun`);
  const text = await res.text();
  assert.equal(res.status, 202, text);
  const second = await waitForEnd((JSON.parse(text) as { runId: string }).runId);
  assert.equal(second.status, 'Completed', JSON.stringify(second));
  assert.equal(second.trigger.rerunOf, first.runId);
  assert.deepEqual([second.steps.steady?.reused, second.steps.steady?.reason], [true, `reused from run ${first.runId}`]);
  assert.equal(second.steps.flaky?.reused, false);
  assert.equal(second.steps.after_flaky?.reused, false);

  // One version of the named output per run, each with lineage to its run and step.
  const list = ((await (await call('GET', '/api/data?name=e2e_steady')).json()) as { value: DataVersion[] }).value;
  assert.deepEqual(list.map((v) => v.version).sort(), [first.runId, second.runId].sort());
  for (const v of list) assert.deepEqual([v.producedBy?.runId, v.producedBy?.step], [v.version, 'steady']);
});

test('cancel mid-run cancels the running job, leaves no job process, and ends Canceled', async () => {
  const sleeper = `sleep 37.${process.pid}`;
  const file = pipeline('cancel_me', `jobs:
  long:
    command: ${sleeper}
    ${ENV}
    outputs:
      out:
  never:
    command: echo never
    ${ENV}
    inputs:
      x: \${{parent.jobs.long.outputs.out}}
`);
  const runId = await submit(file);
  const deadline = Date.now() + 30_000;
  while ((await getRun(runId)).steps.long?.status !== 'Running' || !processes().some((p) => p.includes(sleeper))) {
    assert.ok(Date.now() < deadline, 'the job started');
    await sleep(100);
  }
  const res = await call('POST', `/api/runs/${runId}/cancel`);
  assert.ok(res.status < 300, await res.text());
  const run = await waitForEnd(runId);
  assert.equal(run.status, 'Canceled', JSON.stringify(run));
  assert.equal(run.steps.long?.status, 'Canceled');
  assert.equal(run.steps.never?.status, 'NotStarted');
  const gone = Date.now() + 10_000;
  while (processes().some((p) => p.includes(sleeper))) {
    assert.ok(Date.now() < gone, 'no job process left');
    await sleep(100);
  }
  // The local Azure ML uploads a cancelled job's logs in the background; let it finish before the host stops.
  const store = getLocalServices().datastores.get(getLocalServices().datastores.defaultName);
  const logs = `${artifactsPath(run.steps.long?.jobName ?? '')}user_logs/std_log.txt`;
  const uploaded = Date.now() + 10_000;
  while (!(await store.stat(logs)) && Date.now() < uploaded) await sleep(100);
});

function processes(): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n');
}
