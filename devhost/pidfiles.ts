import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Pid files under `<data>/pids/`, so a restarted host can find what a dead one left behind
 * (Azurite, job processes) and reclaim or replace it.
 */
export interface PidRecord {
  pid: number;
  startedAt: string;
  [field: string]: unknown;
}

export function pidFilePath(dataDir: string, name: string): string {
  return path.join(dataDir, 'pids', `${name}.json`);
}

export function writePidFile(dataDir: string, name: string, record: PidRecord): void {
  const file = pidFilePath(dataDir, name);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(record, null, 2));
  renameSync(tmp, file);
}

export function readPidFile(dataDir: string, name: string): PidRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(pidFilePath(dataDir, name), 'utf8')) as PidRecord;
    return Number.isInteger(record.pid) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the file only if it still names `pid` (a newer owner may have replaced it). */
export function removePidFile(dataDir: string, name: string, pid: number): void {
  if (readPidFile(dataDir, name)?.pid === pid) rmSync(pidFilePath(dataDir, name), { force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The process's command line (Linux /proc), to make sure a recorded pid was not reused by another program. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive and, where the command line can be read, it contains `marker`. */
export function isLiveProcessOf(pid: number, marker: string): boolean {
  if (!isAlive(pid)) return false;
  const cmd = commandLine(pid);
  return cmd === undefined || cmd.includes(marker);
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminateProcess(pid: number, graceMs = 5000): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(50);
  if (!isAlive(pid)) return;
  signal('SIGKILL');
  while (isAlive(pid)) await sleep(20);
}
