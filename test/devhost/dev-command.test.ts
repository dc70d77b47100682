import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pidFilePath, readPidFile } from '../../devhost/pidfiles';
import { fixtureApp } from '../_helpers/host';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const main = path.resolve(__dirname, '..', '..', 'cli', 'main.js');

function dev(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string; data: string }> {
  const data = mkdtempSync(path.join(os.tmpdir(), 'amlsched-dev-'));
  dirs.push(data);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [main, 'dev', '--data', data, '--ephemeral', ...args], { env: { ...process.env, AMLSCHED_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stderr, data }));
  });
}

test('a missing setting stops start-up with one line naming it, and leaves nothing running', async () => {
  const { code, stderr, data } = await dev(['--app', fixtureApp('basic'), '--port', '0'], { TICK_SCHEDULE: '' });
  assert.equal(code, 1);
  assert.equal(stderr, "amlsched: TICK_SCHEDULE: is not set but function 'tick' schedule refers to it as %TICK_SCHEDULE% (invalid_setting)\n");
  assert.equal(existsSync(pidFilePath(data, 'azurite')), false, 'Azurite was stopped');
  assert.equal(existsSync(pidFilePath(data, 'host')), false);
});

test('a taken port and a wrong --port are clear one-line errors', async () => {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  try {
    const taken = await dev(['--app', fixtureApp('basic'), '--port', String(port)]);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr, `amlsched: port ${port} on 127.0.0.1 is already in use: stop what listens there or choose another port (--port or PORT) (port_in_use)\n`);
  } finally {
    server.close();
  }
  const bad = await dev(['--app', fixtureApp('basic'), '--port', 'seventy']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^amlsched: --port must be a port number \(0-65535\), got 'seventy' \(usage\)\n$/);
});

test('an app folder without host.json is named in the error', async () => {
  const empty = mkdtempSync(path.join(os.tmpdir(), 'amlsched-noapp-'));
  dirs.push(empty);
  const { code, stderr } = await dev(['--app', empty, '--port', '0']);
  assert.equal(code, 1);
  assert.equal(stderr, `amlsched: host.json: not found in ${empty} (the app folder must contain one) (invalid_setting)\n`);
});

test('health answers 503 naming the parts still starting, function routes 503, then 200 once all are up', async () => {
  const data = mkdtempSync(path.join(os.tmpdir(), 'amlsched-dev-'));
  dirs.push(data);
  const child = spawn(process.execPath, [main, 'dev', '--data', data, '--ephemeral', '--app', fixtureApp('basic'), '--port', '0'], {
    env: { ...process.env, AMLSCHED_LOG_LEVEL: 'silent', APP_START_DELAY_MS: '4000' }, stdio: 'ignore',
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    let url: string | undefined;
    while (!url) {
      const record = readPidFile(data, 'host');
      if (record && record.pid === child.pid && typeof record.url === 'string') url = record.url;
      else await sleep(20);
    }
    const early = await fetch(`${url}/api/health`);
    assert.equal(early.status, 503);
    const report = (await early.json()) as { status: string; parts: Record<string, { state: string }> };
    assert.equal(report.status, 'unhealthy');
    assert.equal(report.parts.server?.state, 'up');
    assert.equal(report.parts.app?.state, 'starting');
    assert.equal((await fetch(`${url}/api/hello/x`)).status, 503, 'functions wait for the app');
    let status = 503;
    const deadline = Date.now() + 60_000;
    while (status !== 200 && Date.now() < deadline) {
      await sleep(100);
      status = (await fetch(`${url}/api/health`)).status;
    }
    assert.equal(status, 200);
    assert.equal((await fetch(`${url}/api/hello/x`)).status, 200);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
});
