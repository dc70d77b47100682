import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import { fixtureApp, startTestHost, type TestHost } from '../../_helpers/host';

// DurableClient from durable-functions, inside an HTTP function of a test app, against the
// local host's Durable HTTP API (the RPC base) and the webhook links it hands out.
let host: TestHost;
let key: string;
before(async () => {
  host = await startTestHost({ app: fixtureApp('durable') });
  key = host.keys.functionKeys.default as string;
});
after(async () => {
  await host?.stop();
});

async function client(op: string, query = '', body?: unknown): Promise<Response> {
  return host.fetch(`/api/client/${op}${query ? `?${query}` : ''}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'x-functions-key': key, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

interface Status { runtimeStatus: string; input: unknown; output: unknown; customStatus: unknown; instanceId: string; name: string }

async function status(id: string): Promise<Status> {
  const res = await client('status', `id=${encodeURIComponent(id)}`);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as Status;
}

async function waitFor(id: string, ok: (s: Status) => boolean): Promise<Status> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const s = await status(id);
    if (ok(s)) return s;
    if (Date.now() > deadline) assert.fail(`instance ${id} stuck at ${JSON.stringify(s)}`);
    await sleep(100);
  }
}

test('start, query, raise an event and complete through DurableClient', async () => {
  const started = await client('start', '', { name: 'approval', input: 21 });
  assert.equal(started.status, 202);
  const links = (await started.json()) as Record<string, string>;
  const id = links.id as string;
  assert.ok(id);
  assert.equal(started.headers.get('location'), links.statusQueryGetUri);
  assert.ok(links.statusQueryGetUri?.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${id}?taskHub=fixturehub&connection=Storage&code=`));

  const waiting = await waitFor(id, (s) => (s.customStatus as { waiting?: string } | null)?.waiting === 'approve');
  assert.equal(waiting.runtimeStatus, 'Running');
  assert.equal(waiting.input, 21);
  assert.equal(waiting.output, null);

  // The handed-out status link works with its system key, and only with it.
  const viaLink = await fetch(links.statusQueryGetUri as string);
  assert.equal(viaLink.status, 202);
  assert.equal(((await viaLink.json()) as Status).runtimeStatus, 'Running');
  assert.equal((await fetch(`${host.url}/runtime/webhooks/durabletask/instances/${id}`)).status, 401);

  assert.equal((await client('raise', `id=${id}&event=approve`, { by: 'alice' })).status, 202);
  const done = await waitFor(id, (s) => s.runtimeStatus === 'Completed');
  assert.deepEqual(done.output, { doubled: 42, approval: { by: 'alice' } });
  assert.equal(done.name, 'approval');

  // Raising to a finished instance is accepted (410 → resolved); an unknown one rejects.
  assert.equal((await client('raise', `id=${id}&event=approve`, {})).status, 202);
  const unknown = await client('raise', 'id=no-such-instance&event=approve', {});
  assert.equal(unknown.status, 500);
  assert.match(((await unknown.json()) as { error: string }).error, /No instance with ID 'no-such-instance' found/);
});

test('terminate with a reason, list by status (following continuation tokens), purge', async () => {
  const started = await client('start', '', { name: 'forever', instanceId: 'term-1' });
  assert.equal(started.status, 202);
  await waitFor('term-1', (s) => s.runtimeStatus === 'Running');
  assert.equal((await client('terminate', 'id=term-1&reason=no%20longer%20needed')).status, 202);
  const terminated = await waitFor('term-1', (s) => s.runtimeStatus === 'Terminated');
  assert.equal(terminated.output, 'no longer needed');

  // Same id again while finished: allowed, as in Durable.
  assert.equal((await client('start', '', { name: 'forever', instanceId: 'term-1' })).status, 202);
  await waitFor('term-1', (s) => s.runtimeStatus === 'Running');
  const dup = await client('start', '', { name: 'forever', instanceId: 'term-1' });
  assert.equal(dup.status, 500, 'a running id cannot be started again');

  for (const id of ['list-a', 'list-b', 'list-c']) await client('start', '', { name: 'forever', instanceId: id });
  for (const id of ['list-a', 'list-b', 'list-c']) await waitFor(id, (s) => s.runtimeStatus === 'Running');
  const running = (await (await client('list', 'status=Running')).json()) as string[];
  assert.deepEqual(running, ['list-a', 'list-b', 'list-c', 'term-1']);

  // Raw API: top=1 pages carry x-ms-continuation-token until the last page.
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  do {
    const res: Response = await host.fetch('/durabletask/instances/?runtimeStatus=Running&top=1', { headers: token ? { 'x-ms-continuation-token': token } : {} });
    assert.equal(res.status, 200);
    const page = (await res.json()) as Status[];
    ids.push(...page.map((s) => s.instanceId));
    for (const s of page) assert.ok('input' in s && 'output' in s, 'input and output are always present');
    token = res.headers.get('x-ms-continuation-token');
    pages++;
  } while (token && pages < 10);
  assert.deepEqual(ids.sort(), ['list-a', 'list-b', 'list-c', 'term-1']);
  assert.ok(pages >= 4);

  for (const id of ['list-a', 'list-b', 'list-c', 'term-1']) await client('terminate', `id=${id}&reason=cleanup`);
  await waitFor('list-a', (s) => s.runtimeStatus === 'Terminated');
  assert.deepEqual(await (await client('purge', 'id=list-a')).json(), { instancesDeleted: 1 });
  assert.deepEqual(await (await client('purge', 'id=list-a')).json(), { instancesDeleted: 0 });
});

test('management API errors: unknown orchestrator 400, bad instance id 400, unknown instance 404, entities 501', async () => {
  assert.equal((await host.fetch('/durabletask/orchestrators/nope', { method: 'POST' })).status, 400);
  assert.equal((await host.fetch('/durabletask/orchestrators/forever/@bad', { method: 'POST' })).status, 400);
  assert.equal((await host.fetch('/durabletask/instances/missing')).status, 404);
  assert.equal((await host.fetch('/durabletask/instances/missing/terminate?reason=x', { method: 'POST' })).status, 404);
  assert.equal((await host.fetch('/durabletask/entities/counter/k')).status, 501);
  assert.equal((await host.fetch('/durabletask/instances/?createdTimeFrom=bad')).status, 400);
  assert.equal((await host.fetch('/durabletask/instances/', { method: 'DELETE' })).status, 400, 'purge by filter needs createdTimeFrom');
});
