/**
 * Starts a throwaway Azurite table service for a test (node_modules/.bin/azurite-table's script),
 * in memory on a free port of 127.0.0.1, with the blob helper's watchdog preloaded so it never
 * outlives the test process. Azurite's table service does not report the port it bound when
 * given port 0, so a free port is picked first and picked again if someone takes it meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { AZURITE_ACCOUNT, AZURITE_KEY } from '../azurite';

export interface AzuriteTableInstance {
  tableEndpoint: string;
  connectionString: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function spawnOn(port: number): Promise<{ child: ChildProcess; exited: Promise<void> } | 'port_taken'> {
  const main = path.join(path.dirname(require.resolve('azurite/package.json')), 'dist', 'src', 'table', 'main.js');
  const child = spawn(process.execPath, [
    '--require', path.join(__dirname, '..', 'azurite', 'watchdog.js'), main,
    '--tableHost', '127.0.0.1', '--tablePort', String(port),
    '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck',
  ], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.channel?.unref();
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); resolve(); }));
  const started = await new Promise<boolean>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`Azurite table did not start within 30 s: ${output}`)); }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/successfully (started|listens)/.test(output)) { clearTimeout(timer); resolve(true); }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', () => {
      clearTimeout(timer);
      if (/EADDRINUSE/.test(output)) resolve(false);
      else reject(new Error(`Azurite table exited during start-up: ${output}`));
    });
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return started ? { child, exited } : 'port_taken';
}

export async function startAzuriteTable(): Promise<AzuriteTableInstance> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const spawned = await spawnOn(port);
    if (spawned === 'port_taken') {
      if (attempt >= 5) throw new Error('Azurite table: no free port after 5 attempts');
      continue;
    }
    const { child, exited } = spawned;
    const tableEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
    return {
      tableEndpoint,
      connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};TableEndpoint=${tableEndpoint};`,
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(killTimer);
      },
    };
  }
}
