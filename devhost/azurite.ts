import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ServiceError } from '../shared/errors';
import type { Logger } from './logger';
import { canConnect, freePort, isPortFree } from './ports';
import { isLiveProcessOf, readPidFile, removePidFile, terminateProcess, writePidFile } from './pidfiles';

/**
 * Azurite (blob, queue, table) as a child process of the host: persistent under `<data>/azurite`
 * for `npm start`, in memory on free ports for tests. It is forked with an IPC channel and a
 * preloaded watchdog so it exits when the host dies; its pid file lets a restarted host replace
 * one that survived anyway (e.g. the watchdog was not reached).
 */
export const DEV_ACCOUNT = 'devstoreaccount1';
/** Azurite's well-known development key (public, documented), not a secret. */
export const DEV_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuritePorts {
  blob: number;
  queue: number;
  table: number;
}

export interface AzuriteOptions {
  dataDir: string;
  /** In memory (tests) instead of persisting under `<data>/azurite`. */
  inMemory: boolean;
  /** Fixed ports; when absent, free ports are picked (and picked again on a collision). */
  ports?: AzuritePorts;
  host?: string;
  logger: Logger;
  startTimeoutMs?: number;
}

export interface RunningAzurite {
  readonly pid: number;
  readonly host: string;
  readonly ports: AzuritePorts;
  readonly endpoints: { blob: string; queue: string; table: string };
  readonly accountName: string;
  readonly accountKey: string;
  /** Full connection string (the fixed ports of `UseDevelopmentStorage=true` may not be ours). */
  readonly connectionString: string;
  /** Resolves when the process exits, for whatever reason. */
  readonly exited: Promise<number | null>;
  stop(): Promise<void>;
}

const PID_NAME = 'azurite';
const SERVICES = ['blob', 'queue', 'table'] as const;

function azuriteScript(): string {
  // node_modules/.bin/azurite links to this file; forking it directly keeps the pid ours.
  const manifest = require.resolve('azurite/package.json');
  const { bin } = JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> };
  const rel = bin.azurite;
  if (!rel) throw new ServiceError('azurite_missing', 'the installed azurite package has no "azurite" bin');
  return path.join(path.dirname(manifest), rel);
}

/** Stops an Azurite that a previous, dead host left running with this data folder. */
export async function reclaimStaleAzurite(dataDir: string, logger: Logger): Promise<void> {
  const record = readPidFile(dataDir, PID_NAME);
  if (!record) return;
  if (isLiveProcessOf(record.pid, 'azurite')) {
    logger.warn({ pid: record.pid }, 'stopping Azurite left running by a previous host');
    await terminateProcess(record.pid);
  }
  removePidFile(dataDir, PID_NAME, record.pid);
}

function connectionString(host: string, ports: AzuritePorts): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${DEV_ACCOUNT}`,
    `AccountKey=${DEV_ACCOUNT_KEY}`,
    `BlobEndpoint=http://${host}:${ports.blob}/${DEV_ACCOUNT}`,
    `QueueEndpoint=http://${host}:${ports.queue}/${DEV_ACCOUNT}`,
    `TableEndpoint=http://${host}:${ports.table}/${DEV_ACCOUNT}`,
  ].join(';') + ';';
}

async function pickPorts(host: string): Promise<AzuritePorts> {
  const taken = new Set<number>();
  const pick = async () => {
    for (;;) {
      const port = await freePort(host);
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  return { blob: await pick(), queue: await pick(), table: await pick() };
}

class PortCollision extends Error {}

interface Spawned {
  child: ChildProcess;
  exited: Promise<number | null>;
  allClosed: Promise<void>;
}

async function spawnAndWait(options: AzuriteOptions, host: string, ports: AzuritePorts): Promise<Spawned> {
  const args = [
    '--blobHost', host, '--blobPort', String(ports.blob),
    '--queueHost', host, '--queuePort', String(ports.queue),
    '--tableHost', host, '--tablePort', String(ports.table),
    '--disableTelemetry', '--skipApiVersionCheck', '--silent',
  ];
  const location = path.join(options.dataDir, 'azurite');
  if (options.inMemory) args.push('--inMemoryPersistence');
  else {
    mkdirSync(location, { recursive: true });
    args.push('--location', location);
  }
  const env = { ...process.env };
  delete env.AZURITE_ACCOUNTS; // keep the well-known dev account
  const child = fork(azuriteScript(), args, {
    cwd: options.inMemory ? options.dataDir : location,
    env,
    execArgv: ['--require', path.join(__dirname, 'azurite-watchdog.js')],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let gone = false;
  void exited.then(() => {
    gone = true;
  });

  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (gone) {
      if (/EADDRINUSE|address already in use/i.test(output)) throw new PortCollision(output);
      throw new ServiceError('azurite_failed', `Azurite exited during start-up: ${output.trim().split('\n').slice(-3).join(' | ')}`);
    }
    const up = await Promise.all(SERVICES.map((s) => canConnect(ports[s], host)));
    if (up.every(Boolean)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new ServiceError('azurite_timeout', `Azurite did not listen on ${host}:${ports.blob}/${ports.queue}/${ports.table} within ${options.startTimeoutMs ?? 30_000} ms`);
    }
    await sleep(50);
  }
  // Keep draining the pipes, but let the host's event loop end without waiting for Azurite.
  child.stdout?.removeListener('data', collect);
  child.stderr?.removeListener('data', collect);
  let closed = 0;
  let onClosed = () => {};
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    closed += (text.match(/service successfully closed/g) ?? []).length;
    if (closed >= SERVICES.length) onClosed();
    options.logger.debug({ azurite: text.trim() }, 'azurite');
  });
  child.stderr?.on('data', (chunk: Buffer) => options.logger.warn({ azurite: chunk.toString().trim() }, 'azurite'));
  // Azurite closes its servers on SIGTERM (saving metadata when persistent) but its process can
  // linger for seconds afterwards; once all three report closed, ending it loses nothing.
  const allClosed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  return { child, exited, allClosed };
}

export async function startAzurite(options: AzuriteOptions): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  mkdirSync(options.dataDir, { recursive: true });
  await reclaimStaleAzurite(options.dataDir, options.logger);

  let spawned: Spawned | undefined;
  let ports: AzuritePorts | undefined;
  for (let attempt = 1; !spawned; attempt++) {
    if (options.ports) {
      ports = options.ports;
      for (const service of SERVICES) {
        if (!(await isPortFree(ports[service], host))) {
          throw new ServiceError('azurite_port_in_use', `Azurite ${service} port ${ports[service]} on ${host} is already in use: stop what listens there or choose other Azurite ports`);
        }
      }
    } else {
      ports = await pickPorts(host);
    }
    try {
      spawned = await spawnAndWait(options, host, ports);
    } catch (err) {
      if (!(err instanceof PortCollision)) throw err;
      if (options.ports || attempt >= 5) {
        throw new ServiceError('azurite_port_in_use', `Azurite could not bind ${host}:${ports.blob}/${ports.queue}/${ports.table}: a port is already in use`);
      }
      options.logger.debug({ ports }, 'Azurite port collision, picking new ports');
    }
  }
  const { child, exited, allClosed } = spawned;
  const finalPorts = ports as AzuritePorts;
  const pid = child.pid as number;
  writePidFile(options.dataDir, PID_NAME, { pid, startedAt: new Date().toISOString(), ports: finalPorts, inMemory: options.inMemory });
  for (const handle of [child, child.stdout, child.stderr, child.channel] as ({ unref?: () => void } | null | undefined)[]) handle?.unref?.();
  options.logger.info({ pid, ports: finalPorts, inMemory: options.inMemory }, 'Azurite started');

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        // Hold the event loop open until Azurite is gone (its handles were unref'd after start).
        child.ref();
        (child.stdout as { ref?: () => void } | null)?.ref?.();
        child.kill('SIGTERM');
        const done = await Promise.race([exited.then(() => true), allClosed.then(() => false), sleep(10_000, undefined, { ref: false }).then(() => false)]);
        if (!done) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      removePidFile(options.dataDir, PID_NAME, pid);
    })());

  const base = (port: number) => `http://${host}:${port}/${DEV_ACCOUNT}`;
  return {
    pid,
    host,
    ports: finalPorts,
    endpoints: { blob: base(finalPorts.blob), queue: base(finalPorts.queue), table: base(finalPorts.table) },
    accountName: DEV_ACCOUNT,
    accountKey: DEV_ACCOUNT_KEY,
    connectionString: connectionString(host, finalPorts),
    exited,
    stop,
  };
}
