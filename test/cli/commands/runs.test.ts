import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../_helpers/api/run-cli';
import { startStubServer, type StubServer } from '../../_helpers/api/stub-server';

const run = {
  runId: 'run-1', status: 'Completed', pipeline: { name: 'p', version: 'abc' }, trigger: { type: 'http' },
  createdTime: '2026-01-01T00:00:00.000Z', endTime: '2026-01-01T00:01:00.000Z',
  steps: { a: { status: 'Completed', reused: false, reason: 'no entry', jobName: 'run-1-a-1', outputs: {}, startTime: null, endTime: null } },
  outputs: {},
};

let stub: StubServer;
let dataDir: string;

before(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'amlsched-cli-'));
  stub = await startStubServer((req) => {
    if (req.method === 'GET' && req.path === '/api/runs') return { status: 200, body: { value: [run] } };
    if (req.method === 'GET' && req.path === '/api/runs/run-1') return { status: 200, body: run };
    if (req.method === 'GET' && req.path === '/api/runs/run-1/steps/outer%2Finner/logs') return { status: 200, body: 'line 1\nline 2\n' };
    if (req.method === 'POST' && req.path === '/api/runs/run-1/rerun') {
      return { status: 202, body: { runId: 'run-2', run: { ...run, runId: 'run-2', status: 'NotStarted', trigger: { type: 'rerun', rerunOf: 'run-1' } }, links: {} } };
    }
    return { status: 404, contentType: 'application/problem+json', body: { type: 'urn:amlsched:problem:run_not_found', title: 'Not found', status: 404, code: 'run_not_found', detail: "run 'nope' not found" } };
  });
});

after(async () => {
  await stub.close();
  await rm(dataDir, { recursive: true, force: true });
});

test('runs list --output json prints the runs array and sends the key from AMLSCHED_KEY', async () => {
  const r = await runCli(['runs', 'list', '--status', 'completed', '--top', '5', '--output', 'json'], { AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k-env' });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [run]);
  const req = stub.requests.at(-1)!;
  assert.equal(req.headers['x-functions-key'], 'k-env');
  assert.equal(req.query.get('status'), 'Completed');
  assert.equal(req.query.get('top'), '5');
});

test("without AMLSCHED_KEY the local host's default function key is read from the data folder", async () => {
  await writeFile(path.join(dataDir, 'host-keys.json'), JSON.stringify({ masterKey: 'm', functionKeys: { default: 'k-file' }, systemKeys: {} }));
  const r = await runCli(['runs', 'show', 'run-1'], { AMLSCHED_URL: stub.url, AMLSCHED_DATA_DIR: dataDir });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /run run-1: Completed/);
  assert.match(r.stdout, /a\s+Completed/);
  assert.equal(stub.requests.at(-1)!.headers['x-functions-key'], 'k-file');
});

test('a problem answer prints one line on stderr and exits 1', async () => {
  const r = await runCli(['runs', 'show', 'nope', '--output', 'json'], { AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k' });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, "amlsched: run 'nope' not found (run_not_found)\n");
});

test('bad arguments are usage errors with exit 2 and send nothing', async () => {
  const before = stub.requests.length;
  for (const args of [['runs', 'list', '--top', '0'], ['runs', 'list', '--status', 'Done'], ['runs', 'show'], ['runs', 'list', '--output', 'yaml']]) {
    const r = await runCli(args, { AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k' });
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.notEqual(r.stderr, '');
  }
  assert.equal(stub.requests.length, before);
});

test('runs logs names a nested step as one path segment and prints the log as it is', async () => {
  const r = await runCli(['runs', 'logs', 'run-1', 'outer/inner'], { AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k' });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'line 1\nline 2\n');
});

test('runs rerun --output json prints exactly the new run object', async () => {
  const r = await runCli(['runs', 'rerun', 'run-1', '--output', 'json'], { AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k' });
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { runId: string; trigger: { rerunOf: string } };
  assert.equal(printed.runId, 'run-2');
  assert.equal(printed.trigger.rerunOf, 'run-1');
});

test('an unreachable host is one line and exit 1', async () => {
  const r = await runCli(['runs', 'list'], { AMLSCHED_URL: 'http://127.0.0.1:9', AMLSCHED_KEY: 'k' });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^amlsched: cannot reach http:\/\/127\.0\.0\.1:9 .*\(host_unreachable\)\n$/);
});
