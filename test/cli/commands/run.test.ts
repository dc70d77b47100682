import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { productRoot } from '../../../devhost/product-root';
import type { PipelineBundle } from '../../../shared/spec/bundle';
import { runCli } from '../../_helpers/api/run-cli';
import { startStubServer, type StubServer } from '../../_helpers/api/stub-server';

const GREET = path.join(productRoot(), 'test', 'fixtures', 'api', 'greet', 'pipeline.yml');

function runObject(runId: string, status: string, say: string) {
  return {
    runId, status, pipeline: { displayName: 'greet' }, trigger: { type: 'http' }, createdTime: '2026-01-01T00:00:00.000Z',
    endTime: ['Completed', 'Failed'].includes(status) ? '2026-01-01T00:00:05.000Z' : null,
    steps: {
      say: { status: say, reused: false, reason: 'no entry', jobName: say === 'NotStarted' ? null : `${runId}-say-1`, outputs: {}, startTime: null, endTime: null },
      show: { status: status === 'Completed' ? 'Completed' : 'NotStarted', reused: false, reason: null, jobName: null, outputs: {}, startTime: null, endTime: null },
    },
    outputs: {},
  };
}

let stub: StubServer;
const polls = new Map<string, number>();

before(async () => {
  stub = await startStubServer((req) => {
    if (req.method === 'POST' && req.path === '/api/runs') {
      const body = req.json() as { inputs: Record<string, string> };
      const runId = body.inputs.times === '0' ? 'run-bad' : 'run-good';
      polls.set(runId, 0);
      const run = runObject(runId, 'NotStarted', 'NotStarted');
      return { status: 202, body: { runId, run, links: { status: `http://x/api/runs/${runId}` } } };
    }
    const m = /^\/api\/runs\/(run-[a-z]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const runId = m[1]!;
      const n = (polls.get(runId) ?? 0) + 1;
      polls.set(runId, n);
      if (n === 1) return { status: 200, body: runObject(runId, 'Running', 'Running') };
      return { status: 200, body: runId === 'run-bad' ? runObject(runId, 'Failed', 'Failed') : runObject(runId, 'Completed', 'Completed') };
    }
    return { status: 404, body: { title: 'Not found', status: 404, code: 'nope', detail: 'no route' }, contentType: 'application/problem+json' };
  });
});

after(() => stub.close());

const env = () => ({ AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k', AMLSCHED_POLL_MS: '50' });

test('run --wait --output json: exactly one run object on stdout, step progress on stderr, exit 0 for Completed', async () => {
  const r = await runCli(['run', GREET, '--set', 'greeting=hi; rm -rf ~', '--set', 'inputs.times=2', '--set', 'settings.force_rerun=true', '--idempotency-key', 'k-1', '--wait', '--output', 'json'], env());
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout) as { runId: string; status: string };
  assert.equal(printed.runId, 'run-good');
  assert.equal(printed.status, 'Completed');
  assert.equal(r.stdout.trim().startsWith('{') && r.stdout.trim().endsWith('}'), true);
  assert.match(r.stderr, /run run-good: Running/);
  assert.match(r.stderr, /step say: Running \(job run-good-say-1\)/);
  assert.match(r.stderr, /step show: Completed/);
  const post = stub.requests.find((q) => q.method === 'POST')!;
  assert.equal(post.headers['idempotency-key'], 'k-1');
  const body = post.json() as { bundle: PipelineBundle; inputs: Record<string, string>; settings: Record<string, unknown> };
  assert.deepEqual(body.inputs, { greeting: 'hi; rm -rf ~', times: '2' });
  assert.deepEqual(body.settings, { force_rerun: true });
  assert.equal(body.bundle.entry, 'pipeline.yml');
  assert.deepEqual(Object.keys(body.bundle.files).sort(), ['pipeline.yml', 'src/say.sh']);
});

test('run --wait exits 1 with one line when the run does not complete; stdout still holds the run', async () => {
  const r = await runCli(['run', GREET, '--set', 'times=0', '--wait', '--output', 'json'], env());
  assert.equal(r.code, 1);
  assert.equal((JSON.parse(r.stdout) as { status: string }).status, 'Failed');
  assert.match(r.stderr, /^amlsched: run run-bad ended Failed \(run_not_completed\)$/m);
});

test('run without --wait prints the started run; text output names the status URL', async () => {
  const r = await runCli(['run', GREET], env());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /started run run-good\n {2}status: http:\/\/x\/api\/runs\/run-good/);
});

test('a bad --set or a missing file sends nothing: exit 2 for usage, 1 for the file', async () => {
  const before = stub.requests.length;
  const bad = await runCli(['run', GREET, '--set', 'jobs.say.x=1'], env());
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^amlsched: --set 'jobs.say.x=1': cannot set 'jobs.say.x'/);
  const missing = await runCli(['run', path.join(productRoot(), 'nope.yml')], env());
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.yml/);
  assert.equal(stub.requests.length, before);
});
