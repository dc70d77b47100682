import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fixtureApp, startTestHost, type TestHost } from '../_helpers/host';
import { rawRequest } from '../_helpers/host/raw-request';

// One host (child process) for the whole file; the restart test uses its own data folder.
let host: TestHost;
before(async () => {
  host = await startTestHost({ app: fixtureApp('basic'), env: { OVERRIDDEN: 'env-value' } });
});
after(async () => {
  await host?.stop();
});

async function record(): Promise<{ http: Record<string, number> }> {
  return (await (await host.fetch('/api/record')).json()) as { http: Record<string, number> };
}

test('health answers 200 with every part up', async () => {
  const res = await host.fetch('/api/health');
  assert.equal(res.status, 200);
  const body = (await res.json()) as { status: string; parts: Record<string, { state: string }> };
  assert.equal(body.status, 'healthy');
  for (const part of ['server', 'azurite', 'app', 'triggers']) assert.equal(body.parts[part]?.state, 'up', part);
});

test('an anonymous route gets params, query, absolute url; headers and cookies come back', async () => {
  const res = await host.fetch('/api/hello/J%C3%BCrgen?q=1&q=2');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('x-custom'), 'yes');
  assert.equal(res.headers.get('set-cookie'), 'session=abc; Path=/; HttpOnly; SameSite=Lax');
  assert.deepEqual(await res.json(), { name: 'Jürgen', q: '1,2', url: `${host.url}/api/hello/J%C3%BCrgen?q=1&q=2` });
});

test('request bodies reach the function as bytes and come back unchanged', async () => {
  const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
  const res = await host.fetch('/api/echo', { method: 'POST', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('x-length'), '7');
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), bytes);
});

test('route precedence, constraints, catch-all and optional parameters', async () => {
  const get = async (p: string) => (await (await host.fetch(p)).json()) as Record<string, unknown>;
  assert.deepEqual(await get('/api/items/latest'), { kind: 'literal' });
  assert.deepEqual(await get('/api/items/42'), { id: '42', kind: 'int' });
  assert.deepEqual(await get('/api/items/abc'), { name: 'abc', kind: 'name' });
  assert.deepEqual(await get('/api/files/a/b/c.txt'), { rest: 'a/b/c.txt' });
  assert.deepEqual(await get('/api/opt'), { x: null });
  assert.deepEqual(await get('/api/opt/7'), { x: '7' });
});

test('wrong method or unknown route is 404; a handler returning nothing is 204; a throwing one 500', async () => {
  assert.equal((await host.fetch('/api/hello/x', { method: 'POST' })).status, 404);
  assert.equal((await host.fetch('/api/nope')).status, 404);
  assert.equal((await host.fetch('/api/nothing')).status, 204);
  const boom = await host.fetch('/api/boom');
  assert.equal(boom.status, 500);
  assert.equal(await boom.text(), '');
});

test('authLevel function: 401 without a key and the function is not invoked; header or ?code= work', async () => {
  const before = (await record()).http.secure ?? 0;
  assert.equal((await host.fetch('/api/secure')).status, 401);
  assert.equal((await host.fetch('/api/secure?code=wrong')).status, 401);
  assert.equal((await host.fetch('/api/secure', { headers: { 'x-functions-key': 'wrong' } })).status, 401);
  assert.equal((await record()).http.secure ?? 0, before, 'not invoked without a valid key');
  const byHeader = await host.fetch('/api/secure', { headers: { 'x-functions-key': host.keys.functionKeys.default as string } });
  assert.equal(byHeader.status, 200);
  assert.equal(await byHeader.text(), 'secret ok');
  assert.equal((await host.fetch(`/api/secure?code=${encodeURIComponent(host.keys.masterKey)}`)).status, 200);
  assert.equal((await record()).http.secure, before + 2);
});

test('authLevel admin accepts only the master key', async () => {
  assert.equal((await host.fetch('/api/admin-only', { headers: { 'x-functions-key': host.keys.functionKeys.default as string } })).status, 401);
  assert.equal((await host.fetch('/api/admin-only', { headers: { 'x-functions-key': host.keys.masterKey } })).status, 200);
});

test('a foreign Host header (DNS rebinding) or a cross-site Origin is refused with 403 before any function runs', async () => {
  const url = `${host.url}/api/hello/x`;
  const rebound = await rawRequest(url, { headers: { host: `attacker.example:${host.port}` } });
  assert.equal(rebound.status, 403);
  const wrongPort = await rawRequest(url, { headers: { host: '127.0.0.1:1' } });
  assert.equal(wrongPort.status, 403);
  const crossSite = await rawRequest(`${host.url}/api/echo`, { method: 'POST', headers: { host: `localhost:${host.port}`, origin: 'https://evil.example' }, body: 'x' });
  assert.equal(crossSite.status, 403);
  const fine = await rawRequest(url, { headers: { host: `localhost:${host.port}` } });
  assert.equal(fine.status, 200);
  assert.equal((await record()).http.hello, 2, 'only the accepted request and the earlier test invoked hello');
});

test('settings: file Values reach the app, the environment wins, WEBSITE_HOSTNAME and AzureWebJobsStorage are set', async () => {
  const s = (await (await host.fetch('/api/settings')).json()) as Record<string, unknown>;
  assert.deepEqual(s, { FROM_FILE: 'file-value', OVERRIDDEN: 'env-value', WEBSITE_HOSTNAME: `localhost:${host.port}`, storageIsAzurite: true });
});

test('keys are generated on first start and kept across restarts', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'amlsched-keys-restart-'));
  try {
    const first = await startTestHost({ app: fixtureApp('basic'), dataDir: data });
    const keys = first.keys;
    await first.stop();
    const second = await startTestHost({ app: fixtureApp('basic'), dataDir: data });
    try {
      assert.deepEqual(second.keys, keys);
      assert.equal((await second.fetch('/api/secure', { headers: { 'x-functions-key': keys.functionKeys.default as string } })).status, 200);
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('/admin/host/status reports every part with the master key only', async () => {
  assert.equal((await host.fetch('/admin/host/status')).status, 401);
  assert.equal((await host.fetch('/admin/host/status', { headers: { 'x-functions-key': host.keys.functionKeys.default as string } })).status, 401);
  const res = await host.fetch('/admin/host/status', { headers: { 'x-functions-key': host.keys.masterKey } });
  assert.equal(res.status, 200);
  const body = (await res.json()) as { parts: Record<string, { state: string; detail?: Record<string, unknown> }> };
  for (const part of ['app', 'azurite', 'durable', 'server', 'triggers']) assert.equal(body.parts[part]?.state, 'up', part);
  for (const [name, part] of Object.entries(body.parts)) assert.equal(part.state, 'up', `built-in service ${name}`);
  assert.deepEqual(body.parts.triggers?.detail, { http: 13, timers: 2 });
  assert.equal(body.parts.durable?.detail?.taskHub, 'basichub');
});
