import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { BlobServiceClient } from '@azure/storage-blob';
import { startAzurite } from '../../devhost/azurite';
import { silentLogger } from '../../devhost/logger';
import { freePort } from '../../devhost/ports';
import { isAlive, pidFilePath, readPidFile, writePidFile } from '../../devhost/pidfiles';
import { fixtureApp, startTestHost } from '../_helpers/host';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'amlsched-azurite-'));
  dirs.push(dir);
  return dir;
}

async function gone(pid: number, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
  return true;
}

test('persistent Azurite keeps blobs across restarts under <data>/azurite; a taken port is a clear error', async () => {
  const data = tempDir();
  const ports = { blob: await freePort(), queue: await freePort(), table: await freePort() };
  const first = await startAzurite({ dataDir: data, inMemory: false, ports, logger: silentLogger() });
  try {
    const container = BlobServiceClient.fromConnectionString(first.connectionString).getContainerClient('keep');
    await container.create();
    await container.getBlockBlobClient('a.txt').upload('hello', 5);
    // The same ports are now taken: a second Azurite must say so, naming the port.
    await assert.rejects(startAzurite({ dataDir: tempDir(), inMemory: true, ports, logger: silentLogger() }), new RegExp(`Azurite blob port ${ports.blob} on 127.0.0.1 is already in use`));
  } finally {
    await first.stop();
  }
  assert.equal(readPidFile(data, 'azurite'), undefined, 'pid file removed on stop');
  assert.ok(existsSync(path.join(data, 'azurite')));
  const second = await startAzurite({ dataDir: data, inMemory: false, ports, logger: silentLogger() });
  try {
    const blob = BlobServiceClient.fromConnectionString(second.connectionString).getContainerClient('keep').getBlobClient('a.txt');
    assert.equal((await blob.downloadToBuffer()).toString(), 'hello');
  } finally {
    await second.stop();
  }
});

test('SIGTERM stops the host and its Azurite; nothing is left running', async () => {
  const host = await startTestHost({ app: fixtureApp('basic') });
  const azurite = readPidFile(host.dataDir, 'azurite');
  assert.ok(azurite && isAlive(azurite.pid));
  const data = host.dataDir;
  assert.equal(await host.stop(), 0, 'clean exit');
  assert.ok(await gone(azurite.pid), 'Azurite stopped with the host');
  assert.equal(existsSync(pidFilePath(data, 'azurite')), false);
  assert.equal(existsSync(pidFilePath(data, 'host')), false);
});

test('SIGKILL of the host: its Azurite exits by itself; a restart replaces a leftover Azurite', async () => {
  const data = tempDir();
  const host = await startTestHost({ app: fixtureApp('basic'), dataDir: data });
  const azurite = readPidFile(data, 'azurite');
  assert.ok(azurite);
  await host.kill();
  assert.ok(await gone(azurite.pid), 'no orphaned Azurite after SIGKILL of the host');

  // A leftover that outlived its host (started here without the watchdog), recorded in the pid file.
  const port = await freePort();
  const leftover = fork(require.resolve('azurite/dist/src/azurite.js'), ['--blobPort', String(port), '--queuePort', String(await freePort()), '--tablePort', String(await freePort()), '--inMemoryPersistence', '--silent', '--disableTelemetry'], { stdio: 'ignore', detached: true });
  leftover.disconnect();
  leftover.unref();
  const leftoverPid = leftover.pid as number;
  try {
    for (let i = 0; i < 300 && !(await new Promise<boolean>((r) => net.connect(port, '127.0.0.1').once('connect', function (this: net.Socket) { this.destroy(); r(true); }).once('error', () => r(false)))); i++) await sleep(100);
    writePidFile(data, 'azurite', { pid: leftoverPid, startedAt: new Date().toISOString() });
    const restarted = await startTestHost({ app: fixtureApp('basic'), dataDir: data });
    try {
      assert.ok(await gone(leftoverPid), 'the leftover Azurite was stopped');
      const current = readPidFile(data, 'azurite');
      assert.ok(current && current.pid !== leftoverPid && isAlive(current.pid));
      assert.equal((await restarted.fetch('/api/health')).status, 200);
    } finally {
      await restarted.stop();
    }
  } finally {
    if (isAlive(leftoverPid)) process.kill(leftoverPid, 'SIGKILL');
  }
});
