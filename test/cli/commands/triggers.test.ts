import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../../_helpers/api/run-cli';
import { startStubServer, type StubServer } from '../../_helpers/api/stub-server';

const entry = { receivedTime: '2026-01-01T00:00:00.000Z', source: 'blob', eventId: 'e-1', schedule: 'score', outcome: 'started', runId: 'run-1' };
const schedule = {
  name: 'nightly', enabled: true, job: './p.yml', createdTime: '2026-01-01T00:00:00.000Z', updatedTime: '2026-01-01T00:00:00.000Z',
  trigger: { type: 'cron', expression: '0 2 * * *', timeZone: 'Pacific Standard Time', ianaTimeZone: 'America/Los_Angeles', catchUp: 'latest' },
  nextFireTimes: ['2026-01-01T10:00:00.000Z'],
};

let stub: StubServer;

before(async () => {
  stub = await startStubServer((req) => {
    if (req.path === '/api/triggers/history') return { status: 200, body: { value: [entry] } };
    if (req.path === '/api/schedules') return { status: 200, body: { value: [schedule] } };
    return { status: 404, body: 'no route' };
  });
});

after(() => stub.close());

const env = () => ({ AMLSCHED_URL: stub.url, AMLSCHED_KEY: 'k' });

test('triggers history --schedule passes the filter and prints the ledger entries as JSON', async () => {
  const r = await runCli(['triggers', 'history', '--schedule', 'score', '--top', '20', '--output', 'json'], env());
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), [entry]);
  const req = stub.requests.at(-1)!;
  assert.equal(req.query.get('schedule'), 'score');
  assert.equal(req.query.get('top'), '20');
});

test('text output is a table for people', async () => {
  const history = await runCli(['triggers', 'history'], env());
  assert.match(history.stdout, /^RECEIVED\s+SOURCE\s+SCHEDULE\s+OUTCOME\s+RUN\s+REASON\n2026-01-01T00:00:00.000Z\s+blob\s+score\s+started\s+run-1/);
  const schedules = await runCli(['schedules', 'list'], env());
  assert.match(schedules.stdout, /nightly\s+yes\s+cron 0 2 \* \* \* \(Pacific Standard Time\)\s+\.\/p\.yml\s+2026-01-01T10:00:00.000Z/);
});

test('a non-problem error answer still prints one line and exits 1', async () => {
  const r = await runCli(['schedules', 'show', 'nope'], env());
  assert.equal(r.code, 1);
  assert.equal(r.stderr, 'amlsched: GET api/schedules/nope answered 404: no route (not_found)\n');
});
