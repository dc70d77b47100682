/**
 * Job processes: `bash -c <command>` started detached (its own process group, so cancel and
 * timeout can kill everything it started) with stdout/stderr going straight into the log file,
 * so a job keeps running (and keeps logging) across a host restart. A small wrapper writes the
 * command's exit code to a file, which is how a restarted host learns how an adopted job ended.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';

export interface JobProcess {
  pid: number;
  /** Identifies this process among any that later reuse its pid. */
  startTime: string;
  child: ChildProcess;
}

const WRAPPER = 'bash -c "$1"; code=$?; printf "%s" "$code" > "$2.tmp" && mv -f "$2.tmp" "$2"; exit "$code"';

export function startJobProcess(options: { script: string; cwd: string; env: Record<string, string>; logFile: string; exitFile: string }): JobProcess {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn('bash', ['-c', WRAPPER, 'amlsched-job', options.script, options.exitFile], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', log, log],
    });
    if (child.pid === undefined) throw new Error('bash could not be started');
    return { pid: child.pid, startTime: processStartTime(child.pid) ?? '', child };
  } finally {
    closeSync(log);
  }
}

/** The kernel's start time of a process (clock ticks since boot on Linux, `ps` elsewhere); undefined when gone. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses); starttime is field 22.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && process.platform === 'linux') return undefined;
    if (process.platform === 'linux') throw err;
  }
  const result = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
  const text = result.stdout?.trim();
  return result.status === 0 && text ? text : undefined;
}

/** True when the process with this pid is the one that was started at `startTime`. */
export function isSameProcessAlive(pid: number, startTime: string): boolean {
  if (!isAlive(pid)) return false;
  const now = processStartTime(pid);
  return now !== undefined && (startTime === '' || now === startTime);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Signals every process in the job's group; a group that is already gone is fine. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/** True while any process of the group is alive. */
export function isGroupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
