/**
 * Blob triggers end to end on the local host (Azurite, blob watcher, Event Grid webhook, Durable
 * runs on local compute): 20 uploads start 20 runs; every event delivered 3 times more, shuffled,
 * after the runs finished, changes nothing but the ledger; a marker folder and a batch window
 * each start one run; max_concurrent_runs 1 runs blobs one after another, none dropped.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { blobCreatedEvent } from '../../../devhost/blob-watcher/event';
import { productRoot } from '../../../devhost/product-root';
import type { ListPage } from '../../../shared/api/contracts';
import type { LedgerEntry } from '../../../shared/triggers/ledger';
import { runCli } from '../../_helpers/api/run-cli';
import { startTriggerHost, type TriggerHost } from '../../_helpers/trigger-runtime/host-api';

const PIPELINE = path.join(productRoot(), 'test', 'fixtures', 'trigger-runtime', 'echo', 'pipeline.yml');

let th: TriggerHost;

before(async () => {
  th = await startTriggerHost();
});

after(async () => {
  await th?.stop();
});

function blobSchedule(name: string, glob: string, extra = '', subject = '${{trigger.blob.uri}}', detail = '${{trigger.blob.etag}}'): string {
  return `$schema: https://azuremlschemas.azureedge.net/latest/schedule.schema.json
name: ${name}
trigger:
  type: blob
  datastore: workspaceblobstore
  path: "${glob}"
${extra}create_job:
  job: ./pipeline.yml
  inputs:
    subject: ${subject}
    detail: "${detail}"
`;
}

function shuffled<T>(items: T[], seed = 11): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const count = (entries: LedgerEntry[], outcome: string) => entries.filter((e) => e.outcome === outcome).length;

test('20 uploads start 20 runs; each event delivered 3 more times, shuffled, after they finished, starts nothing', async () => {
  await th.applySchedule(blobSchedule('e2e_per_blob', 'plain/*.csv'), PIPELINE);
  const uploads = [];
  for (let i = 0; i < 20; i++) uploads.push({ path: `plain/f${String(i).padStart(2, '0')}.csv`, text: `n,${i}\n`, ...(await th.upload(`plain/f${String(i).padStart(2, '0')}.csv`, `n,${i}\n`)) });
  const started = await th.waitFor('20 started runs', async () => {
    const h = await th.history('e2e_per_blob');
    return count(h, 'started') === 20 ? h : undefined;
  });
  const runs = await th.runsOf('e2e_per_blob');
  assert.equal(runs.length, 20);
  for (const run of runs) await th.waitForEnd(run.runId);
  const ended = await th.runsOf('e2e_per_blob');
  assert.ok(ended.every((r) => r.status === 'Completed'), JSON.stringify(ended.map((r) => [r.runId, r.status, r.error])));

  // The same events as the watcher published (ids derive from account, container, path, eTag).
  const endpoint = await th.blobEndpoint();
  const events = uploads.map((u, i) => blobCreatedEvent({
    account: 'devstoreaccount1',
    container: 'azureml-blobstore',
    path: u.path,
    url: `${endpoint.replace(/\/$/, '')}/azureml-blobstore/${u.path}`,
    etag: u.etag.replace(/"/g, ''),
    contentLength: Buffer.byteLength(u.text),
  }, BigInt(1000 + i)));
  assert.deepEqual(events.map((e) => e.id).sort(), started.filter((e) => e.outcome === 'started').map((e) => e.eventId).sort(), 'reconstructed events are the ones the watcher sent');
  const deliveries = shuffled([...events, ...events, ...events]);
  for (let i = 0; i < deliveries.length; i += 6) assert.equal(await th.deliver(deliveries.slice(i, i + 6)), 202);

  assert.deepEqual((await th.runsOf('e2e_per_blob')).map((r) => r.runId).sort(), runs.map((r) => r.runId).sort());
  const h = await th.history('e2e_per_blob');
  assert.equal(count(h, 'started'), 20);
  assert.equal(count(h, 'deduplicated'), 60);
  assert.equal(h.length, 80, JSON.stringify(h.filter((e) => e.outcome !== 'started' && e.outcome !== 'deduplicated')));
  const runByEvent = new Map(h.filter((e) => e.outcome === 'started').map((e) => [e.eventId, e.runId]));
  for (const d of h.filter((e) => e.outcome === 'deduplicated')) assert.equal(d.runId, runByEvent.get(d.eventId));
  // Bindings: the step saw the blob's azureml:// URI and eTag, never an Azurite URL.
  const run = runs[0]!;
  const logs = await (await th.call('GET', `/api/runs/${run.runId}/steps/echo/logs`)).text();
  assert.match(logs, /subject=azureml:\/\/datastores\/workspaceblobstore\/paths\/plain\/f\d\d\.csv detail=0x/);
  assert.doesNotMatch(logs, /127\.0\.0\.1/);

  // The history pages.
  const page = (await (await th.call('GET', '/api/triggers/history?schedule=e2e_per_blob&top=30')).json()) as ListPage<LedgerEntry>;
  assert.equal(page.value.length, 30);
  assert.ok(page.continuationToken);
  const next = (await (await th.call('GET', `/api/triggers/history?schedule=e2e_per_blob&top=100&continuation=${page.continuationToken}`)).json()) as ListPage<LedgerEntry>;
  assert.equal(next.value.length, 50);
  assert.equal((await th.call('GET', '/api/triggers/history?top=0')).status, 400);
});

test('a marker folder starts one run with the folder; a batch window one run for its blobs', async () => {
  await th.applySchedule(blobSchedule('e2e_marker', 'marked/**/*.csv', '  marker: _SUCCESS\n', '${{trigger.folder.uri}}', '${{trigger.blobs.paths}}'), PIPELINE);
  await th.applySchedule(blobSchedule('e2e_window', 'windowed/*.csv', '  batch_window: PT3S\n', '${{trigger.blobs.uris}}', 'batch'), PIPELINE);
  for (const f of ['a', 'b', 'c']) await th.upload(`marked/b1/${f}.csv`, `${f}\n`);
  for (const f of ['a', 'b', 'c', 'd']) await th.upload(`windowed/${f}.csv`, `${f}\n`);
  await th.upload('marked/b1/_SUCCESS', '');
  const [marker] = await th.waitFor('the marker run', async () => {
    const runs = await th.runsOf('e2e_marker');
    return runs.length > 0 ? runs : undefined;
  });
  const window = await th.waitFor('the window run', async () => {
    const runs = await th.runsOf('e2e_window');
    return runs.length > 0 ? runs : undefined;
  });
  assert.equal((await th.waitForEnd(marker!.runId)).status, 'Completed');
  assert.equal((await th.waitForEnd(window[0]!.runId)).status, 'Completed');
  const markerLogs = await (await th.call('GET', `/api/runs/${marker!.runId}/steps/echo/logs`)).text();
  assert.match(markerLogs, /subject=azureml:\/\/datastores\/workspaceblobstore\/paths\/marked\/b1\/ detail=marked\/b1\/a\.csv/);
  const mh = await th.history('e2e_marker');
  assert.equal(count(mh, 'coalesced'), 3);
  assert.equal(count(mh, 'started'), 1);
  const wh = await th.history('e2e_window');
  assert.equal(count(wh, 'coalesced'), 4);
  assert.ok(wh.filter((e) => e.outcome === 'coalesced').every((e) => e.runId === window[0]!.runId), JSON.stringify(wh));
  assert.equal((await th.runsOf('e2e_marker')).length, 1);
  assert.equal((await th.runsOf('e2e_window')).length, 1);
  // The same ledger through `amlsched triggers history`.
  const cli = await runCli(['triggers', 'history', '--schedule', 'e2e_marker', '--output', 'json'], { AMLSCHED_URL: th.host.url, AMLSCHED_KEY: th.host.keys.functionKeys.default! });
  assert.equal(cli.code, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), mh);
});

test('max_concurrent_runs 1 queues blobs and runs them one after another, none dropped', async () => {
  await th.applySchedule(blobSchedule('e2e_capped', 'capped/*.csv', '  max_concurrent_runs: 1\n'), PIPELINE);
  for (const f of ['a', 'b', 'c']) await th.upload(`capped/${f}.csv`, `${f}\n`);
  const runs = await th.waitFor('three runs ended', async () => {
    const list = await th.runsOf('e2e_capped');
    return list.length === 3 && list.every((r) => r.endTime) ? list : undefined;
  }, 90_000);
  assert.ok(runs.every((r) => r.status === 'Completed'));
  const spans = runs.map((r) => [Date.parse(r.createdTime), Date.parse(r.endTime!)] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) assert.ok(spans[i]![0] >= spans[i - 1]![1], `run ${i} started before run ${i - 1} ended`);
  const h = await th.history('e2e_capped');
  assert.equal(count(h, 'started'), 3);
});
