/**
 * The HTTP API and the CLI end to end on the local host (in this process, with the local Azure ML
 * service; the CLI runs as a subprocess against its URL) with local compute: keys, problem+json
 * answers that change nothing, Idempotency-Key, bundles with code, published pipelines, data,
 * components, uploads and schedules.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import type { ListPage, RunStarted } from '../../../shared/api/contracts';
import type { RunObject } from '../../../shared/run/types';
import { buildBundleFromDisk, type PipelineBundle } from '../../../shared/spec/bundle';
import { productRoot } from '../../../devhost/product-root';
import { makeProductAppDir } from '../../_helpers/api/product-app';
import { runCli } from '../../_helpers/api/run-cli';
import { localAzureMlService } from '../../../devhost/localaml/service';
import { startInProcessHost } from '../../_helpers/host';

const FIXTURES = path.join(productRoot(), 'test', 'fixtures', 'api');
const GREET = path.join(FIXTURES, 'greet', 'pipeline.yml');

let host: Awaited<ReturnType<typeof startInProcessHost>>;
let app: { dir: string; cleanup(): void };
let bundle: PipelineBundle;
let key: string;

before(async () => {
  app = makeProductAppDir();
  process.env.AMLSCHED_BACKSTOP_SECONDS = '2';
  host = await startInProcessHost({ appDir: app.dir, services: [localAzureMlService()] });
  key = host.keys.functionKeys.default!;
  bundle = (await buildBundleFromDisk(GREET)).bundle;
});

after(async () => {
  await host?.cleanup();
  app?.cleanup();
});

function call(method: string, route: string, options: { body?: unknown; raw?: string; headers?: Record<string, string>; key?: string | null } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== null) headers['x-functions-key'] = options.key ?? key;
  let body: string | undefined;
  if (options.raw !== undefined) body = options.raw;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${host.url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}) });
}

async function listRuns(): Promise<RunObject[]> {
  const res = await call('GET', '/api/runs?top=1000');
  assert.equal(res.status, 200);
  return ((await res.json()) as ListPage<RunObject>).value;
}

async function waitForEnd(runId: string, timeoutMs = 60_000): Promise<RunObject> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/runs/${runId}`);
    const run = (await res.json()) as RunObject;
    if (['Completed', 'Failed', 'Canceled'].includes(run.status)) return run;
    if (Date.now() > deadline) assert.fail(`run ${runId} still ${run.status}: ${JSON.stringify(run)}`);
    await sleep(200);
  }
}

const cliEnv = () => ({ AMLSCHED_URL: host.url, AMLSCHED_KEY: key, AMLSCHED_POLL_MS: '200' });

test('a request without a key, or with a wrong one, is 401 and changes nothing', async () => {
  const before = (await listRuns()).length;
  for (const k of [null, 'not-a-key']) {
    assert.equal((await call('POST', '/api/runs', { body: { bundle }, key: k })).status, 401);
    assert.equal((await call('PUT', '/api/schedules/nightly_greet', { body: { yaml: 'x' }, key: k })).status, 401);
    assert.equal((await call('GET', '/api/runs', { key: k })).status, 401);
  }
  assert.equal((await listRuns()).length, before);
  const schedules = (await (await call('GET', '/api/schedules')).json()) as ListPage<unknown>;
  assert.deepEqual(schedules.value, []);
});

async function ledgerLength(): Promise<number> {
  return ((await (await call('GET', '/api/triggers/history?top=1000')).json()) as ListPage<unknown>).value.length;
}

test('bad requests are 400 problem+json naming the field, and start nothing', async () => {
  const before = (await listRuns()).length;
  const ledgerBefore = await ledgerLength();
  const cases: { method: string; route: string; raw?: string; body?: unknown; headers?: Record<string, string>; field: string }[] = [
    { method: 'POST', route: '/api/runs', raw: '{"bundle":', field: 'body' },
    { method: 'POST', route: '/api/runs', body: {}, field: 'body.bundle' },
    { method: 'POST', route: '/api/runs', body: { bundle, inptus: {} }, field: 'body' },
    { method: 'POST', route: '/api/runs', body: { bundle: { entry: 'x.yml', files: {} } }, field: 'body.bundle.entry' },
    { method: 'POST', route: '/api/runs', body: { bundle, inputs: { times: 'many' } }, field: 'body.inputs.times' },
    { method: 'POST', route: '/api/runs', body: { bundle, inputs: { nope: 1 } }, field: 'body.inputs.nope' },
    { method: 'POST', route: '/api/runs', body: { bundle, settings: { default_compute: 'x' } }, field: 'body.settings' },
    { method: 'POST', route: '/api/runs', body: { bundle }, headers: { 'idempotency-key': 'has space' }, field: 'header.Idempotency-Key' },
    { method: 'GET', route: '/api/runs?top=0', field: 'query.top' },
    { method: 'POST', route: '/api/data', body: { name: 'd', type: 'blob', path: 'azureml://datastores/workspaceblobstore/paths/x' }, field: 'body.type' },
    { method: 'POST', route: '/api/data', body: { name: 'd', type: 'uri_file', path: './local.csv' }, field: 'body.path' },
    { method: 'POST', route: '/api/components', body: { component: { name: 'c', type: 'command' } }, field: 'body.component.command' },
    { method: 'POST', route: '/api/pipelines/greet-published/runs', body: { inputs: [] }, field: 'body.inputs' },
  ];
  for (const c of cases) {
    const res = await call(c.method, c.route, { ...(c.raw !== undefined ? { raw: c.raw } : {}), ...(c.body !== undefined ? { body: c.body } : {}), ...(c.headers ? { headers: c.headers } : {}) });
    const label = `${c.method} ${c.route} ${c.raw ?? JSON.stringify(c.body)?.slice(0, 80)}`;
    assert.equal(res.status, 400, label);
    assert.equal(res.headers.get('content-type'), 'application/problem+json', label);
    const problem = (await res.json()) as { title: string; field?: string; detail: string; status: number };
    assert.equal(problem.status, 400, label);
    assert.ok(problem.title.length > 0, label);
    assert.ok(problem.field === c.field || problem.field?.startsWith(`${c.field}.`), `${label}: field ${problem.field} (${problem.detail})`);
  }
  const broken = await call('POST', '/api/runs', { body: { bundle: { ...bundle, files: { ...bundle.files, 'pipeline.yml': { base64: Buffer.from('type: pipeline\njobs:\n  a:\n    type: sweep\n').toString('base64') } } } } });
  assert.equal(broken.status, 400);
  const located = (await broken.json()) as { code: string; errors: { code: string; line: number }[] };
  assert.equal(located.code, 'unsupported_job_type');
  assert.ok(located.errors.some((e) => e.code === 'unsupported_job_type' && e.line === 4));
  assert.equal((await listRuns()).length, before);
  assert.deepEqual(((await (await call('GET', '/api/data')).json()) as ListPage<unknown>).value, []);
  assert.equal(await ledgerLength(), ledgerBefore);
});

test('unknown runs and steps are 404', async () => {
  const res = await call('GET', '/api/runs/run-nope');
  assert.equal(res.status, 404);
  assert.equal(((await res.json()) as { code: string }).code, 'run_not_found');
  assert.equal((await call('POST', '/api/runs/run-nope/cancel')).status, 404);
  assert.equal((await call('POST', '/api/runs/run-nope/rerun')).status, 404);
  assert.equal((await call('GET', '/api/runs/run-nope/steps/say/logs')).status, 404);
  assert.equal((await call('POST', '/api/pipelines/never-published/runs', { body: {} })).status, 404);
});

test('the same Idempotency-Key twice starts one run: 202 then 200 with the same run and status URL', async () => {
  const headers = { 'idempotency-key': 'api-test-once' };
  const first = await call('POST', '/api/runs', { body: { bundle, inputs: { greeting: 'once' } }, headers });
  assert.equal(first.status, 202);
  const a = (await first.json()) as RunStarted;
  assert.equal(first.headers.get('location'), a.links.status);
  assert.equal(a.run.trigger.idempotencyKey, 'api-test-once');
  const second = await call('POST', '/api/runs', { body: { bundle, inputs: { greeting: 'once' } }, headers });
  assert.equal(second.status, 200);
  const b = (await second.json()) as RunStarted;
  assert.equal(b.runId, a.runId);
  assert.equal((await listRuns()).filter((r) => r.trigger.idempotencyKey === 'api-test-once').length, 1);
  const ledger = (await (await call('GET', '/api/triggers/history?top=1000')).json()) as ListPage<{ source: string; eventId: string; outcome: string; runId?: string }>;
  assert.deepEqual(ledger.value.filter((e) => e.eventId === 'api-test-once').map((e) => [e.source, e.outcome, e.runId]),
    [['http', 'deduplicated', a.runId], ['http', 'started', a.runId]]);
  const ended = await waitForEnd(a.runId);
  assert.equal(ended.status, 'Completed', JSON.stringify(ended));
  const cancelEnded = await call('POST', `/api/runs/${a.runId}/cancel`);
  assert.equal(cancelEnded.status, 409);
  assert.equal(((await cancelEnded.json()) as { code: string }).code, 'run_finished');
  const status = await fetch(a.links.status, { headers: { 'x-functions-key': key } });
  assert.equal(((await status.json()) as RunObject).runId, a.runId);
});

test('five concurrent requests with one Idempotency-Key start one run', async () => {
  const headers = { 'idempotency-key': 'api-test-racing' };
  const answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', '/api/runs', { body: { bundle, inputs: { greeting: 'race' } }, headers })));
  const bodies = (await Promise.all(answers.map((a) => a.json()))) as RunStarted[];
  assert.ok(answers.every((a) => a.status === 202 || a.status === 200), answers.map((a) => a.status).join());
  assert.equal(new Set(bodies.map((b) => b.runId)).size, 1);
  assert.equal((await listRuns()).filter((r) => r.trigger.idempotencyKey === 'api-test-racing').length, 1);
  assert.equal((await waitForEnd(bodies[0]!.runId)).status, 'Completed');
});

test('amlsched run --wait --output json prints exactly one run object; the step log shows the literal as data', async () => {
  const r = await runCli(['run', GREET, '--set', 'greeting=hi; rm -rf ~', '--set', 'inputs.times=2', '--wait', '--output', 'json'], cliEnv());
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout) as RunObject;
  assert.equal(run.status, 'Completed');
  assert.deepEqual(Object.keys(run.steps).sort(), ['say', 'show']);
  assert.match(r.stderr, /step say: Completed/);
  const logs = await runCli(['runs', 'logs', run.runId, 'show'], cliEnv());
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout.split('\n').filter((l) => l === 'hi; rm -rf ~').length, 2, logs.stdout);
  const shown = (await (await call('GET', `/api/runs/${run.runId}`)).json()) as RunObject;
  assert.equal(shown.steps.say?.status, 'Completed');
});

test('a run that fails makes run --wait exit 1 with one line, and the JSON still on stdout', async () => {
  const r = await runCli(['run', GREET, '--set', 'times=-1', '--wait', '--output', 'json'], cliEnv());
  const run = JSON.parse(r.stdout) as RunObject;
  assert.equal(run.status, 'Failed');
  assert.equal(r.code, 1);
  assert.match(r.stderr, /ended Failed/);
});

test('publishing the same content gives the same version; a run by name pins it', async () => {
  const p1 = await runCli(['pipelines', 'publish', GREET, '--name', 'greet-published', '--output', 'json'], cliEnv());
  assert.equal(p1.code, 0, p1.stderr);
  const v1 = (JSON.parse(p1.stdout) as { version: string }).version;
  const p2 = await call('PUT', '/api/pipelines/greet-published', { body: { bundle } });
  assert.equal(p2.status, 200);
  assert.equal(((await p2.json()) as { version: string }).version, v1);
  const res = await call('POST', '/api/pipelines/greet-published/runs', { body: { inputs: { greeting: 'by name' } } });
  assert.equal(res.status, 202);
  const started = (await res.json()) as RunStarted;
  assert.deepEqual({ name: started.run.pipeline.name, version: started.run.pipeline.version }, { name: 'greet-published', version: v1 });
  const unknownVersion = await call('POST', '/api/pipelines/greet-published/runs', { body: { version: 'ffff' } });
  assert.equal(unknownVersion.status, 404);
  assert.equal((await waitForEnd(started.runId)).status, 'Completed');
  const byName = (await (await call('GET', '/api/runs?pipeline=greet-published')).json()) as ListPage<RunObject>;
  assert.deepEqual(byName.value.map((r) => r.runId), [started.runId]);
});

test('upload, data create and data list; components create uploads the code folder', async () => {
  const csv = path.join(FIXTURES, 'greet', 'src', 'say.sh');
  const up = await runCli(['upload', csv, 'azureml://datastores/workspaceblobstore/paths/api-test/say.sh', '--output', 'json'], cliEnv());
  assert.equal(up.code, 0, up.stderr);
  assert.equal((JSON.parse(up.stdout) as { uri: string }).uri, 'azureml://datastores/workspaceblobstore/paths/api-test/say.sh');
  const created = await call('POST', '/api/data', { body: { name: 'greeter', type: 'uri_file', path: 'azureml://datastores/workspaceblobstore/paths/api-test/say.sh' } });
  assert.equal(created.status, 201);
  assert.equal(((await created.json()) as { version: string }).version, '1');
  const local = await runCli(['data', 'create', '--file', path.join(FIXTURES, 'greeter-data.yml'), '--output', 'json'], cliEnv());
  assert.equal(local.code, 0, local.stderr);
  assert.match((JSON.parse(local.stdout) as { uri: string }).uri, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]+\/src\/$/);
  const list = (await (await call('GET', '/api/data?name=greeter')).json()) as ListPage<{ version: string }>;
  assert.deepEqual(list.value.map((d) => d.version).sort(), ['1', '2']);
  const component = await runCli(['components', 'create', '--file', path.join(FIXTURES, 'component.yml'), '--output', 'json'], cliEnv());
  assert.equal(component.code, 0, component.stderr);
  const registered = JSON.parse(component.stdout) as { name: string; version: string; spec: { code: string } };
  assert.deepEqual([registered.name, registered.version], ['greet_component', '1']);
  assert.match(registered.spec.code, /^azureml:\/\/datastores\/workspaceblobstore\/paths\/LocalUpload\/[0-9a-f]+\/src\/$/);
});

test('schedules apply, list with next fire times, disable, delete', async () => {
  const file = path.join(FIXTURES, 'schedules', 'nightly-greet.yml');
  const applied = await runCli(['schedules', 'apply', file, '--output', 'json'], cliEnv());
  assert.equal(applied.code, 0, applied.stderr);
  const view = JSON.parse(applied.stdout) as { name: string; enabled: boolean; nextFireTimes: string[] };
  assert.equal(view.name, 'nightly_greet');
  assert.equal(view.nextFireTimes.length, 3);
  assert.ok(view.nextFireTimes.every((t) => /T(09|10):00:00\.000Z$/.test(t)), view.nextFireTimes.join());
  const disabled = await call('POST', '/api/schedules/nightly_greet/disable');
  assert.equal(((await disabled.json()) as { enabled: boolean }).enabled, false);
  const list = await runCli(['schedules', 'list', '--output', 'json'], cliEnv());
  assert.deepEqual((JSON.parse(list.stdout) as { name: string; nextFireTimes: string[] }[]).map((s) => [s.name, s.nextFireTimes.length]), [['nightly_greet', 0]]);
  assert.equal((await call('DELETE', '/api/schedules/nightly_greet')).status, 204);
  const again = await runCli(['schedules', 'delete', 'nightly_greet'], cliEnv());
  assert.equal(again.code, 1);
  assert.equal(again.stderr, "amlsched: schedule 'nightly_greet' not found (schedule_not_found)\n");
});

test('cancel ends a running run Canceled; rerun of it starts a new run that points back', async () => {
  const started = await call('POST', '/api/runs', { body: { bundle, inputs: { pause: 60 } } });
  assert.equal(started.status, 202);
  const { runId } = (await started.json()) as RunStarted;
  const deadline = Date.now() + 30_000;
  while (((await (await call('GET', `/api/runs/${runId}`)).json()) as RunObject).steps.say?.status !== 'Running') {
    if (Date.now() > deadline) assert.fail('step say never started');
    await sleep(200);
  }
  const cancel = await runCli(['runs', 'cancel', runId, '--output', 'json'], cliEnv());
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.equal((JSON.parse(cancel.stdout) as RunObject).runId, runId);
  const ended = await waitForEnd(runId);
  assert.equal(ended.status, 'Canceled');
  assert.equal((await call('POST', `/api/runs/${runId}/cancel`)).status, 200);
  const rerun = await call('POST', `/api/runs/${runId}/rerun`);
  assert.equal(rerun.status, 202);
  const again = (await rerun.json()) as RunStarted;
  assert.notEqual(again.runId, runId);
  assert.deepEqual(again.run.trigger, { type: 'rerun', rerunOf: runId });
  await call('POST', `/api/runs/${again.runId}/cancel`);
  assert.equal((await waitForEnd(again.runId)).status, 'Canceled');
});

test('runs purge --older-than removes finished runs from the catalogue; unfinished ones stay', async () => {
  const finished = (await listRuns()).filter((r) => ['Completed', 'Failed', 'Canceled'].includes(r.status));
  assert.ok(finished.length > 0);
  await sleep(1100);
  const r = await runCli(['runs', 'purge', '--older-than', '1s', '--output', 'json'], cliEnv());
  assert.equal(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as { purged: number; runIds: string[] };
  assert.deepEqual([...result.runIds].sort(), finished.map((f) => f.runId).sort());
  assert.equal((await call('GET', `/api/runs/${finished[0]!.runId}`)).status, 404);
  assert.equal((await call('POST', '/api/runs/purge', { body: { olderThan: 'soon' } })).status, 400);
});
