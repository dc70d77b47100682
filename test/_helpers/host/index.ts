/**
 * Starts the whole local host for end-to-end tests.
 *
 *   const host = await startTestHost({ app: fixtureApp('basic') });
 *   const res = await host.fetch('/api/runs', { headers: { 'x-functions-key': host.keys.functionKeys.default } });
 *   await host.stop();
 *
 * `startTestHost` runs `amlsched dev` in a child process (loopback, free ports, in-memory
 * Azurite, a temp data folder unless `dataDir` is given), waits for GET /api/health = 200 and
 * returns its URL and keys. `stop()` sends SIGTERM and waits for the exit; `kill()` sends
 * SIGKILL (crash tests). `startInProcessHost` runs the host inside the test process instead
 * (one app per process: `@azure/functions` holds one programming model).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type HostOptions, type RunningHost, startHost } from '../../../devhost/host';
import { type HostKeys, readHostKeys } from '../../../devhost/keys';
import { silentLogger } from '../../../devhost/logger';
import { readPidFile } from '../../../devhost/pidfiles';
import { productRoot } from '../../../devhost/product-root';

export interface TestHostOptions {
  /** App folder; default the product built alongside this helper (`productApp()`). */
  app?: string;
  /** Reuse a data folder (restart tests); default a fresh temp folder, removed by stop(). */
  dataDir?: string;
  /** Extra environment for the host process (settings override local.settings.json Values). */
  env?: Record<string, string | undefined>;
  /** Default 60 s: Azurite and the app load on a busy machine. */
  timeoutMs?: number;
  /** Extra `amlsched dev` arguments. */
  args?: string[];
}

export interface TestHost {
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  readonly keys: HostKeys;
  readonly pid: number;
  readonly child: ChildProcess;
  /** fetch relative to the host URL. */
  fetch(pathAndQuery: string, init?: RequestInit): Promise<Response>;
  /** The host's stderr so far (logs), for assertion messages. */
  logs(): string;
  /** SIGTERM, wait for exit; removes the temp data folder it created. Returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL, wait for exit; keeps the data folder (a restart test reuses it). */
  kill(): Promise<void>;
}

/**
 * The product as an app folder for the build under test: the product root when this is `dist/`,
 * otherwise a folder inside the build root whose package.json points at that build's functions
 * (so `AMLSCHED_TEST_ROOT=.build/<name>` tests run that build, not a stale dist/).
 */
export function productApp(): string {
  const root = productRoot();
  const buildRoot = path.resolve(__dirname, '..', '..', '..');
  if (buildRoot === path.join(root, 'dist')) return root;
  const dir = path.join(buildRoot, 'product-app');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'amlsched-product-under-test', private: true, main: '../functions/*.js' }, null, 2));
  for (const file of ['host.json', 'local.settings.json', 'local.settings.sample.json']) {
    if (existsSync(path.join(root, file))) copyFileSync(path.join(root, file), path.join(dir, file));
  }
  return dir;
}

/** Folder of a test app under test/fixtures/hostapps (plain JS apps, used from the source tree). */
export function fixtureApp(name: string): string {
  return path.join(productRoot(), 'test', 'fixtures', 'hostapps', name);
}

function cliMain(): string {
  // test/_helpers/host/index.js → <build root>/cli/main.js
  return path.resolve(__dirname, '..', '..', '..', 'cli', 'main.js');
}

async function waitForHealth(url: string, deadline: number, exited: () => boolean): Promise<void> {
  for (;;) {
    if (exited()) throw new Error('host exited before it was healthy');
    try {
      const res = await fetch(`${url}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`host at ${url} not healthy in time`);
    await sleep(100);
  }
}

export async function startTestHost(options: TestHostOptions = {}): Promise<TestHost> {
  const ownData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'amlsched-host-'));
  const env: Record<string, string | undefined> = { ...process.env, AMLSCHED_LOG_LEVEL: process.env.AMLSCHED_LOG_LEVEL ?? 'warn', ...options.env };
  delete env.PORT;
  delete env.WEBSITE_HOSTNAME;
  const child = spawn(process.execPath, [cliMain(), 'dev', '--app', options.app ?? productApp(), '--port', '0', '--data', dataDir, '--ephemeral', ...(options.args ?? [])], {
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.resume();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    exitCode = code;
    resolve(code);
  }));
  const pid = child.pid as number;

  const cleanup = () => {
    if (ownData) rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    let url: string | undefined;
    while (!url) {
      if (exitCode !== undefined) throw new Error('host exited during start-up');
      const record = readPidFile(dataDir, 'host');
      if (record?.pid === pid && typeof record.url === 'string') url = record.url;
      else if (Date.now() > deadline) throw new Error('host did not start listening in time');
      else await sleep(50);
    }
    await waitForHealth(url, deadline, () => exitCode !== undefined);
    const keys = readHostKeys(dataDir);
    if (!keys) throw new Error('host started without a key file');
    const hostUrl = url;
    return {
      url: hostUrl,
      port: Number(new URL(hostUrl).port),
      dataDir,
      keys,
      pid,
      child,
      fetch: (p, init) => fetch(`${hostUrl}${p}`, init),
      logs: () => stderr,
      async stop() {
        if (exitCode === undefined) child.kill('SIGTERM');
        const code = await exited;
        cleanup();
        return code;
      },
      async kill() {
        if (exitCode === undefined) child.kill('SIGKILL');
        await exited;
      },
    };
  } catch (err) {
    if (exitCode === undefined) child.kill('SIGKILL');
    await exited;
    cleanup();
    throw new Error(`${(err as Error).message}; host stderr:\n${stderr.slice(-3000)}`);
  }
}

/** The host inside this process (no child): quicker, but only one app per process. */
export async function startInProcessHost(options: Partial<HostOptions> = {}): Promise<RunningHost & { cleanup(): Promise<void> }> {
  const ownData = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'amlsched-host-'));
  const host = await startHost({
    appDir: options.appDir ?? productApp(),
    dataDir,
    port: 0,
    azurite: { inMemory: true },
    logger: silentLogger(),
    ...options,
  });
  return Object.assign(host, {
    async cleanup() {
      await host.stop();
      if (ownData) rmSync(dataDir, { recursive: true, force: true });
    },
  });
}
