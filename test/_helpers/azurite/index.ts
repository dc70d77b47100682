/**
 * Starts a throwaway Azurite blob service for a test: in memory, on an ephemeral port of
 * 127.0.0.1 (port 0, read back from Azurite's "listens on" line), stopped by `stop()`.
 * Use `withAzurite(t)` in node:test to tie the stop to the test's `after` hook.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync } from 'node:fs';
import path from 'node:path';

export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteInstance {
  blobPort: number;
  blobEndpoint: string;
  connectionString: string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function repoRoot(): string {
  // Compiled helpers live in <root>/<outDir>/test/_helpers/azurite: look upwards for node_modules.
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
    try {
      accessSync(candidate);
      return dir;
    } catch {
      const parent = path.dirname(dir);
      if (parent === dir) throw new Error('node_modules/azurite not found above ' + __dirname);
      dir = parent;
    }
  }
}

export async function startAzurite(): Promise<AzuriteInstance> {
  // node_modules/.bin/azurite-blob is this script; run it with node so the watchdog can be preloaded.
  const main = path.join(repoRoot(), 'node_modules', 'azurite', 'dist', 'src', 'blob', 'main.js');
  const child = spawn(process.execPath, [
    '--require', path.join(__dirname, 'watchdog.js'), main,
    '--blobHost', '127.0.0.1', '--blobPort', '0',
    '--inMemoryPersistence', '--extentMemoryLimit', '256',
    '--disableTelemetry', '--skipApiVersionCheck',
  ], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.channel?.unref();
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); resolve(); }));

  const port = await new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within 30 s: ${output}`)), 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match?.[1]) { clearTimeout(timer); resolve(Number(match[1])); }
    };
    const fail = (err: Error): void => { clearTimeout(timer); child.kill('SIGKILL'); reject(err); };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`Azurite exited with ${code}: ${output}`)));
  });
  child.stdout?.resume();
  child.stderr?.resume();

  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  return {
    blobPort: port,
    blobEndpoint,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=${blobEndpoint};`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killTimer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killTimer);
    },
  };
}

/** Starts Azurite once for a test file's `describe`/top level and stops it in `after`. */
export async function withAzurite(hooks: { after(fn: () => Promise<void>): void }): Promise<AzuriteInstance> {
  const azurite = await startAzurite();
  hooks.after(() => azurite.stop());
  return azurite;
}
