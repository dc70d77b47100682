import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { LocalAzureMl, type LocalAzureMlOptions } from '../../../devhost/localaml/compute';
import { RUN_COMPLETED, RUN_STATUS_CHANGED, type EventGridEvent } from '../../../devhost/localaml/events';
import { JobStore } from '../../../devhost/localaml/job-store';
import { JOB_TAGS, isTerminalJobStatus, type JobSpec, type JobState, type JobStatus } from '../../../shared/compute/types';
import { BlobDatastore } from '../../../shared/datastore/blob';
import { StaticDatastoreRegistry } from '../../../shared/datastore/settings';
import { LocalDataRegistry } from '../../../shared/registry/local/data';
import { startAzurite, type AzuriteInstance } from '../../_helpers/azurite';

let azurite: AzuriteInstance;
let datastores: StaticDatastoreRegistry;
let store: BlobDatastore;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'localaml-'));
const started: LocalAzureMl[] = [];

before(async () => {
  azurite = await startAzurite();
  store = new BlobDatastore({ name: 'workspaceblobstore', container: 'azureml-blobstore', connection: { connectionString: azurite.connectionString } });
  datastores = new StaticDatastoreRegistry([store]);
});
after(async () => {
  for (const compute of started) await compute.close();
  await azurite?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

interface Harness {
  compute: LocalAzureMl;
  events: EventGridEvent[];
  db: Database.Database;
  data: LocalDataRegistry;
  dataDir: string;
}

async function harness(overrides: Partial<LocalAzureMlOptions> & { db?: Database.Database; dataDir?: string } = {}): Promise<Harness> {
  const db = overrides.db ?? new Database(':memory:');
  const data = new LocalDataRegistry(db);
  const events: EventGridEvent[] = [];
  const dataDir = overrides.dataDir ?? mkdtempSync(path.join(tmp, 'data-'));
  const compute = new LocalAzureMl({
    db, datastores, data, dataDir, killGraceMs: 300, pollMs: 50,
    publish: async (batch) => { events.push(...batch); },
    ...overrides,
  });
  started.push(compute);
  await compute.start();
  return { compute, events, db, data, dataDir };
}

let counter = 0;
function spec(command: string, extra: Partial<JobSpec> = {}): JobSpec {
  counter += 1;
  const name = `job-${process.pid}-${counter}`;
  return {
    name,
    experimentName: 'exp-local',
    command,
    environment: { kind: 'none' },
    compute: 'local',
    inputs: {},
    outputs: {},
    environmentVariables: {},
    tags: { [JOB_TAGS.runId]: 'run-1', [JOB_TAGS.step]: `step${counter}`, [JOB_TAGS.instanceId]: 'inst', [JOB_TAGS.attempt]: '1', [JOB_TAGS.fingerprint]: 'fp' },
    ...extra,
  };
}

async function waitFor(compute: LocalAzureMl, name: string, done: (state: JobState) => boolean = (s) => isTerminalJobStatus(s.status), timeoutMs = 20_000): Promise<JobState> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await compute.get(name);
    if (done(state)) return state;
    if (Date.now() > deadline) throw new Error(`job ${name} stuck in ${state.status}`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

async function waitForFile(file: string, lines: number): Promise<number[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = (() => { try { return readFileSync(file, 'utf8'); } catch { return ''; } })();
    const values = text.split('\n').filter(Boolean).map(Number);
    if (values.length >= lines) return values;
    if (Date.now() > deadline) throw new Error(`${file} never got ${lines} lines`);
    await new Promise((resolve) => setTimeout(resolve, 40));
  }
}

function statuses(events: EventGridEvent[], name: string): string[] {
  return events.filter((e) => e.data.runId === name).map((e) => e.eventType === RUN_COMPLETED ? 'RunCompleted' : String(e.data.runStatus));
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function allDead(pids: number[]): Promise<boolean> {
  const deadline = Date.now() + 5_000;
  while (pids.some(alive) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  return !pids.some(alive);
}

describe('a job with data inputs, outputs and literals', () => {
  test('inputs materialised, outputs uploaded and registered, logs kept, events in order with tags', async () => {
    const h = await harness();
    await store.put('code/snap1/main.sh', [
      'set -e',
      'ls "$1" > "$3/listing.txt"',
      'cp "$2" "$4"',
      'mkdir -p outputs logs && echo "$5" > outputs/note.txt && echo debug > logs/extra.log',
      'echo hello-stdout; echo hello-stderr >&2',
    ].join('\n'));
    await store.put('data/in/a.txt', 'A');
    await store.put('data/in/sub/b.txt', 'B');
    await store.put('data/file.csv', 'x,y\n');
    const job = spec('bash main.sh ${{inputs.folder}} ${{inputs.file}} ${{outputs.out}} ${{outputs.single}} "${{inputs.msg}}"', {
      code: 'azureml://datastores/workspaceblobstore/paths/code/snap1/',
      inputs: {
        folder: { kind: 'data', type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/data/in', mode: 'ro_mount' },
        file: { kind: 'data', type: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/data/file.csv', mode: 'download' },
        msg: { kind: 'literal', value: 'note for ${{name}}' },
      },
      outputs: {
        out: { type: 'uri_folder', mode: 'rw_mount', uri: '' },
        single: { type: 'uri_file', mode: 'upload', uri: 'azureml://datastores/workspaceblobstore/paths/custom/${{name}}/single.csv', register: { name: 'single-out', version: '1' } },
      },
    });
    const submitted = await h.compute.submit(job);
    assert.equal(submitted.created, true);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Completed', JSON.stringify(done.error));
    assert.equal(done.outputs.out, `azureml://datastores/workspaceblobstore/paths/azureml/${job.name}/out/`);
    assert.equal(done.outputs.single, `azureml://datastores/workspaceblobstore/paths/custom/${job.name}/single.csv`);
    assert.equal((await store.get(`azureml/${job.name}/out/listing.txt`)).toString(), 'a.txt\nsub\n');
    assert.equal((await store.get(`custom/${job.name}/single.csv`)).toString(), 'x,y\n');
    assert.equal((await store.get(`ExperimentRun/dcid.${job.name}/outputs/note.txt`)).toString(), 'note for ${{name}}\n');
    assert.equal((await store.get(`ExperimentRun/dcid.${job.name}/logs/extra.log`)).toString(), 'debug\n');
    const logs = await h.compute.logs(job.name);
    assert.match(logs, /hello-stdout/);
    assert.match(logs, /hello-stderr/);

    const registered = await h.data.get('single-out', '1');
    assert.equal(registered?.uri, done.outputs.single);
    assert.deepEqual(registered?.producedBy, {
      runId: 'run-1', step: job.tags[JOB_TAGS.step], jobName: job.name,
      inputs: { folder: 'azureml://datastores/workspaceblobstore/paths/data/in', file: 'azureml://datastores/workspaceblobstore/paths/data/file.csv' },
    });

    await h.compute.idle();
    assert.deepEqual(statuses(h.events, job.name), ['Queued', 'Running', 'Finalizing', 'Completed', 'RunCompleted']);
    for (const event of h.events) {
      assert.equal(event.topic, '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/local/providers/Microsoft.MachineLearningServices/workspaces/local');
      assert.match(event.subject, new RegExp(`^experiments/[0-9a-f-]{36}/runs/${job.name}$`));
      assert.equal(event.subject, `experiments/${String(event.data.experimentId)}/runs/${job.name}`);
      assert.equal(event.metadataVersion, '1');
      assert.equal(event.dataVersion, '');
      assert.equal(event.data.experimentName, 'exp-local');
      assert.deepEqual(event.data.runTags, job.tags);
      assert.ok(!Number.isNaN(Date.parse(event.eventTime)));
    }
    assert.equal(h.events.filter((e) => e.eventType === RUN_STATUS_CHANGED).length, 4);

    // Create-or-get: the same submission adopts; other tags under the same name are refused.
    const again = await h.compute.submit(job);
    assert.equal(again.created, false);
    assert.equal(again.job.status, 'Completed');
    await assert.rejects(h.compute.submit({ ...job, tags: { ...job.tags, [JOB_TAGS.attempt]: '2' } }), { code: 'job_name_conflict' });

    // A second job registering the same output name+version yields one data version, unchanged.
    const second = spec('echo again > ${{outputs.single}}', {
      outputs: { single: { type: 'uri_file', mode: 'upload', uri: 'azureml://datastores/workspaceblobstore/paths/custom/${{name}}/single.csv', register: { name: 'single-out', version: '1' } } },
    });
    await h.compute.submit(second);
    assert.equal((await waitFor(h.compute, second.name)).status, 'Completed');
    const versions = await h.data.list('single-out');
    assert.equal(versions.length, 1);
    assert.deepEqual(versions[0], registered);
  });

  test('a data asset input resolves through the data registry', async () => {
    const h = await harness();
    await store.put('assets/v1/rows.txt', 'r1\n');
    await h.data.createOrGet({ name: 'rows', version: '1', type: 'uri_folder', uri: 'azureml://datastores/workspaceblobstore/paths/assets/v1/', tags: {} });
    const job = spec('cat ${{inputs.rows}}/rows.txt', { inputs: { rows: { kind: 'data', type: 'uri_folder', uri: 'azureml:rows@latest', mode: 'ro_mount' } } });
    await h.compute.submit(job);
    assert.equal((await waitFor(h.compute, job.name)).status, 'Completed');
    assert.equal(await h.compute.logs(job.name), 'r1\n');
  });
});

describe('literal parameters are data', () => {
  test('; $() backticks quotes and newlines reach the step and run nothing', async () => {
    const h = await harness();
    const value = `a; touch pwned1 $(touch pwned2) \`touch pwned3\` "dq" 'sq' && touch pwned4\nsecond line`;
    const job = spec(`printf '[%s]' \${{inputs.s}}; printf '[%s]' "\${{inputs.s}}"; printf "[%s]" '\${{inputs.s}}'; ls -A`, {
      inputs: { s: { kind: 'literal', value } },
    });
    await h.compute.submit(job);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Completed', JSON.stringify(done.error));
    assert.equal(await h.compute.logs(job.name), `[${value}][${value}][${value}]`);
  });
});

describe('failures, timeout and cancel', () => {
  test('a missing interpreter is a clear step failure', async () => {
    const h = await harness();
    const job = spec('python-that-does-not-exist-xyz train.py');
    await h.compute.submit(job);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Failed');
    assert.equal(done.error?.code, 'UserError');
    assert.match(done.error?.message ?? '', /exited with code 127.*interpreter/s);
    await h.compute.idle();
    assert.deepEqual(statuses(h.events, job.name), ['Queued', 'Running', 'Failed']);
  });

  test('a missing input is a failure before the command runs', async () => {
    const h = await harness();
    const job = spec('cat ${{inputs.f}}', { inputs: { f: { kind: 'data', type: 'uri_file', uri: 'azureml://datastores/workspaceblobstore/paths/none/here.csv', mode: 'download' } } });
    await h.compute.submit(job);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Failed');
    assert.match(done.error?.message ?? '', /none\/here\.csv/);
  });

  test('limits.timeout kills the whole process group, even a child ignoring SIGTERM', async () => {
    const h = await harness();
    const pidFile = path.join(tmp, `pids-${counter + 1}`);
    const job = spec(`trap '' TERM; sleep 300 & echo $! >> "$PID_FILE"; echo $$ >> "$PID_FILE"; wait`, {
      timeoutSeconds: 1,
      environmentVariables: { PID_FILE: pidFile },
    });
    await h.compute.submit(job);
    const pids = await waitForFile(pidFile, 2);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Canceled');
    assert.equal(done.error?.code, 'JobTimeout');
    assert.ok(await allDead(pids), `still alive: ${pids.filter(alive).join(', ')}`);
  });

  test('background processes do not outlive a successful command', async () => {
    const h = await harness();
    const pidFile = path.join(tmp, `pids-${counter + 1}`);
    const job = spec('sleep 300 & echo $! >> "$PID_FILE"; echo done', { environmentVariables: { PID_FILE: pidFile } });
    await h.compute.submit(job);
    const pids = await waitForFile(pidFile, 1);
    assert.equal((await waitFor(h.compute, job.name)).status, 'Completed');
    assert.ok(await allDead(pids));
  });

  test('a finalizing or finished job is not canceled', async () => {
    const h = await harness();
    const job = spec('echo ok');
    await h.compute.submit(job);
    await waitFor(h.compute, job.name, (s) => s.status === 'Finalizing' || s.status === 'Completed');
    await h.compute.cancel(job.name);
    assert.equal((await waitFor(h.compute, job.name)).status, 'Completed');
  });

  test('cancel kills the whole process group and reports Canceled', async () => {
    const h = await harness();
    const pidFile = path.join(tmp, `pids-${counter + 1}`);
    const job = spec('sleep 300 & echo $! >> "$PID_FILE"; echo $$ >> "$PID_FILE"; wait', { environmentVariables: { PID_FILE: pidFile } });
    await h.compute.submit(job);
    const pids = await waitForFile(pidFile, 2);
    await h.compute.cancel(job.name);
    const done = await waitFor(h.compute, job.name);
    assert.equal(done.status, 'Canceled');
    assert.equal(done.error?.code, 'UserCanceled');
    assert.ok(await allDead(pids));
    await h.compute.idle();
    assert.deepEqual(statuses(h.events, job.name), ['Queued', 'Running', 'CancelRequested', 'Canceled']);
    await h.compute.cancel(job.name); // a finished job is left as it is
    assert.equal((await h.compute.get(job.name)).status, 'Canceled');
  });
});

describe('concurrency', () => {
  test('jobs beyond the instance limit wait in Queued; a queued job can be canceled', async () => {
    const h = await harness({ instances: 1 });
    const gate = path.join(tmp, `gate-${counter}`);
    const first = spec('while [ ! -e "$GATE" ]; do sleep 0.05; done', { environmentVariables: { GATE: gate } });
    const second = spec('echo second');
    const third = spec('echo third');
    await h.compute.submit(first);
    await h.compute.submit(second);
    await h.compute.submit(third);
    await waitFor(h.compute, first.name, (s) => s.status === 'Running');
    assert.equal((await h.compute.get(second.name)).status, 'Queued');
    await h.compute.cancel(third.name);
    assert.equal((await h.compute.get(third.name)).status, 'Canceled');
    writeFileSync(gate, '');
    assert.equal((await waitFor(h.compute, first.name)).status, 'Completed');
    assert.equal((await waitFor(h.compute, second.name)).status, 'Completed');
    await h.compute.idle();
    assert.deepEqual(statuses(h.events, third.name), ['Queued', 'Canceled']);
  });

  test('get and logs of an unknown job are not found', async () => {
    const h = await harness();
    await assert.rejects(h.compute.get('nope'), { code: 'job_not_found' });
    await assert.rejects(h.compute.logs('nope'), { code: 'job_not_found' });
  });
});

describe('host restart', () => {
  test('a job whose process still runs is adopted, not run twice', async () => {
    const db = new Database(':memory:');
    const first = await harness({ db });
    const runs = path.join(tmp, `runs-${counter + 1}`);
    const gate = path.join(tmp, `gate-${counter + 1}`);
    const job = spec('echo run >> "$RUNS"; while [ ! -e "$GATE" ]; do sleep 0.05; done; echo adopted > ${{outputs.o}}/x.txt', {
      environmentVariables: { RUNS: runs, GATE: gate },
      outputs: { o: { type: 'uri_folder', mode: 'rw_mount', uri: '' } },
    });
    await first.compute.submit(job);
    await waitForFile(runs, 1);
    const pid = new JobStore(db).get(job.name)?.pid as number;
    assert.ok(pid > 0);
    await first.compute.close();

    const second = await harness({ db, dataDir: first.dataDir });
    assert.equal((await second.compute.get(job.name)).status, 'Running');
    writeFileSync(gate, '');
    const done = await waitFor(second.compute, job.name);
    assert.equal(done.status, 'Completed', JSON.stringify(done.error));
    assert.equal(readFileSync(runs, 'utf8'), 'run\n');
    assert.equal((await store.get(`azureml/${job.name}/o/x.txt`)).toString(), 'adopted\n');
    await second.compute.idle();
    assert.deepEqual(statuses(second.events, job.name), ['Finalizing', 'Completed', 'RunCompleted']);
  });

  test('a job whose process died is run again under the same name', async () => {
    const db = new Database(':memory:');
    const first = await harness({ db });
    const runs = path.join(tmp, `runs-${counter + 1}`);
    const job = spec('echo run >> "$RUNS"; [ "$(wc -l < "$RUNS")" -ge 2 ] || sleep 300', { environmentVariables: { RUNS: runs } });
    await first.compute.submit(job);
    await waitForFile(runs, 1);
    const pid = new JobStore(db).get(job.name)?.pid as number;
    await first.compute.close();
    process.kill(-pid, 'SIGKILL'); // the machine went down with the host
    assert.ok(await allDead([pid]));

    const second = await harness({ db, dataDir: first.dataDir });
    const done = await waitFor(second.compute, job.name);
    assert.equal(done.status, 'Completed', JSON.stringify(done.error));
    assert.equal(readFileSync(runs, 'utf8'), 'run\nrun\n');
    await second.compute.idle();
    assert.deepEqual(statuses(second.events, job.name), ['Queued', 'Running', 'Finalizing', 'Completed', 'RunCompleted']);
  });

  test('a job that ended while no host was watching is finished from its exit code', async () => {
    const db = new Database(':memory:');
    const first = await harness({ db });
    const gate = path.join(tmp, `gate-${counter + 1}`);
    const job = spec('while [ ! -e "$GATE" ]; do sleep 0.05; done; echo late > ${{outputs.o}}/x.txt', {
      environmentVariables: { GATE: gate },
      outputs: { o: { type: 'uri_folder', mode: 'rw_mount', uri: '' } },
    });
    await first.compute.submit(job);
    await waitFor(first.compute, job.name, (s) => s.status === 'Running' && new JobStore(db).get(job.name)?.pid !== undefined);
    const pid = new JobStore(db).get(job.name)?.pid as number;
    await first.compute.close();
    writeFileSync(gate, '');
    assert.ok(await allDead([pid]));

    const second = await harness({ db, dataDir: first.dataDir });
    const done = await waitFor(second.compute, job.name);
    assert.equal(done.status, 'Completed', JSON.stringify(done.error));
    assert.equal((await store.get(`azureml/${job.name}/o/x.txt`)).toString(), 'late\n');
    await second.compute.idle();
    assert.deepEqual(statuses(second.events, job.name), ['Finalizing', 'Completed', 'RunCompleted']);
  });

  test('queued jobs are picked up again after a restart', async () => {
    const db = new Database(':memory:');
    const first = await harness({ db, instances: 1 });
    const gate = path.join(tmp, `gate-${counter + 1}`);
    const blocker = spec('while [ ! -e "$GATE" ]; do sleep 0.05; done', { environmentVariables: { GATE: gate } });
    const waiting = spec('echo picked-up');
    await first.compute.submit(blocker);
    await first.compute.submit(waiting);
    await waitFor(first.compute, blocker.name, (s) => s.status === 'Running');
    await first.compute.close();

    const second = await harness({ db, dataDir: first.dataDir, instances: 1 });
    assert.equal((await second.compute.get(waiting.name)).status, 'Queued' as JobStatus);
    writeFileSync(gate, '');
    assert.equal((await waitFor(second.compute, blocker.name)).status, 'Completed');
    assert.equal((await waitFor(second.compute, waiting.name)).status, 'Completed');
    assert.equal(await second.compute.logs(waiting.name), 'picked-up\n');
  });
});
