/**
 * The local Azure ML compute: runs a job's command with `bash -c` in a fresh working folder,
 * with Azure ML's statuses (NotStarted → Queued → Running → Finalizing → Completed | Failed |
 * Canceled) and events, a per-compute concurrency limit, limits.timeout, cancel that kills the
 * whole process group, and job records in the host's SQLite database so a restarted host adopts
 * the jobs whose process still runs and runs the others again under the same name.
 */
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import type { ChildProcess } from 'node:child_process';
import type { Database } from 'better-sqlite3';
import { JOB_TAGS, isTerminalJobStatus, type ComputeBackend, type JobSpec, type JobState, type JobStatus, type SubmitResult } from '../../shared/compute/types';
import type { DatastoreRegistry } from '../../shared/datastore/types';
import { NotFoundError, ValidationError, toSerializedError } from '../../shared/errors';
import type { DataRegistry } from '../../shared/registry/types';
import { LOCAL_WORKSPACE, jobEvents, type PublishEvents, type WorkspaceIdentity } from './events';
import { JobStore, type JobRecord } from './job-store';
import { isAlive, isSameProcessAlive, signalGroup, startJobProcess } from './process';
import { artifactsPath, jobPaths, outputUris, prepareJob, resolveOutputs, uploadArtifacts, uploadOutputs, type PreparedJob, type ResolvedOutput } from './working-folder';

export interface LocalAzureMlOptions {
  db: Database;
  datastores: DatastoreRegistry;
  data: DataRegistry;
  publish: PublishEvents;
  /** Working folders go under `<dataDir>/jobs/`. */
  dataDir: string;
  /** Concurrent jobs per compute: one number for every compute, or per compute name (`*` for the rest). Default: the core count. */
  instances?: number | Record<string, number>;
  workspace?: WorkspaceIdentity;
  /** Time between SIGTERM and SIGKILL when a job is canceled or times out. */
  killGraceMs?: number;
  /** How often an adopted process (not a child of this host) is checked. */
  pollMs?: number;
  log?: { warn(message: string): void };
}

interface Watch {
  child?: ChildProcess;
  poll?: NodeJS.Timeout;
  timeout?: NodeJS.Timeout;
  kill?: NodeJS.Timeout;
  prepared?: PreparedJob;
}

const JOB_NAME = /^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$/;
const COMMAND_NOT_FOUND = 127;

export class LocalAzureMl implements ComputeBackend {
  readonly kind = 'local' as const;
  private readonly store: JobStore;
  private readonly queues = new Map<string, string[]>();
  private readonly running = new Map<string, Set<string>>();
  private readonly watches = new Map<string, Watch>();
  private readonly workspace: WorkspaceIdentity;
  private readonly killGraceMs: number;
  private readonly pollMs: number;
  private readonly log: { warn(message: string): void };
  private events: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly options: LocalAzureMlOptions) {
    this.store = new JobStore(options.db);
    this.workspace = options.workspace ?? LOCAL_WORKSPACE;
    this.killGraceMs = options.killGraceMs ?? 10_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.log = options.log ?? { warn: (message) => process.emitWarning(message, 'LocalAzureMl') };
  }

  /** Finds the jobs a previous host left unfinished: adopts live processes, finishes or reruns the others. */
  async start(): Promise<void> {
    for (const record of this.store.active()) {
      const name = record.spec.name;
      const paths = jobPaths(this.options.dataDir, name);
      const status = record.state.status;
      if (status === 'NotStarted' || status === 'Queued') {
        if (status === 'NotStarted') this.setStatus(name, 'Queued');
        this.enqueue(record.spec);
        continue;
      }
      if (record.pid !== undefined && isSameProcessAlive(record.pid, record.pidStartTime ?? '')) {
        this.slot(record.spec.compute).add(name);
        this.watchAdopted(record, record.pid);
        continue;
      }
      const exitCode = await readExitCode(paths.exitFile);
      if (record.stopReason === 'cancel' || status === 'CancelRequested') {
        this.slot(record.spec.compute).add(name);
        await this.finish(name, 'Canceled', { code: 'UserCanceled', message: 'the job was canceled' });
      } else if (exitCode !== undefined && record.pid !== undefined) {
        // It ended while no host was watching: report it as if we had seen it end.
        this.slot(record.spec.compute).add(name);
        await this.onExit(name, record.pid, exitCode);
      } else {
        // Whatever the lost attempt left running must not write into the new attempt's folders.
        if (record.pid !== undefined && !isAlive(record.pid)) signalGroup(record.pid, 'SIGKILL');
        this.store.saveProcess(name, undefined, undefined);
        this.setStatus(name, 'Queued', { startTime: undefined });
        this.enqueue(record.spec);
      }
    }
    for (const compute of this.queues.keys()) this.pump(compute);
  }

  async submit(spec: JobSpec): Promise<SubmitResult> {
    this.assertOpen();
    if (!JOB_NAME.test(spec.name)) {
      throw new ValidationError('invalid_job_name', `job name '${spec.name}' must match ${JOB_NAME.source}`);
    }
    const initial: JobState = {
      name: spec.name,
      status: 'NotStarted',
      tags: { ...spec.tags },
      createdTime: new Date().toISOString(),
      outputs: outputUris(spec, this.options.datastores.defaultName),
    };
    const { record, created } = this.store.insertIfAbsent(spec, initial);
    if (!created) {
      const mismatched = Object.values(JOB_TAGS).filter((tag) => record.state.tags[tag] !== spec.tags[tag]);
      if (mismatched.length > 0) {
        throw new ValidationError('job_name_conflict', `job ${spec.name} already exists with different tags (${mismatched.join(', ')}); a new attempt needs a new job name`);
      }
      return { job: record.state, created: false };
    }
    const queued = this.setStatus(spec.name, 'Queued');
    this.enqueue(spec);
    this.pump(spec.compute);
    return { job: queued, created: true };
  }

  async get(name: string): Promise<JobState> {
    return this.require(name).state;
  }

  async cancel(name: string): Promise<void> {
    this.assertOpen();
    const record = this.require(name);
    // A job that is uploading its outputs has already run to the end; it completes as it is.
    if (isTerminalJobStatus(record.state.status) || record.state.status === 'Finalizing' || record.stopReason === 'cancel') return;
    this.store.saveStopReason(name, 'cancel');
    const queue = this.queues.get(record.spec.compute) ?? [];
    if (queue.includes(name)) {
      queue.splice(queue.indexOf(name), 1);
      this.slot(record.spec.compute).add(name);
      await this.finish(name, 'Canceled', { code: 'UserCanceled', message: 'the job was canceled before it started' });
      return;
    }
    this.setStatus(name, 'CancelRequested');
    // A job still preparing has no process yet; it is stopped before its process would start.
    if (record.pid !== undefined) this.stopProcess(name, record.pid);
  }

  async logs(name: string): Promise<string> {
    this.require(name);
    const local = await readFile(jobPaths(this.options.dataDir, name).logFile, 'utf8').catch(() => undefined);
    if (local !== undefined) return local;
    const store = this.options.datastores.get(this.options.datastores.defaultName);
    const stored = await store.stat(`${artifactsPath(name)}user_logs/std_log.txt`);
    return stored ? (await store.get(stored.path)).toString('utf8') : '';
  }

  /** Resolves once every event published so far has been handed to `publish`. */
  async idle(): Promise<void> {
    await this.events;
  }

  /**
   * Stops watching (the host is shutting down): running processes are left alone, to be adopted
   * by the next host over the same database.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const watch of this.watches.values()) {
      watch.child?.removeAllListeners('exit');
      clearInterval(watch.poll);
      clearTimeout(watch.timeout);
      clearTimeout(watch.kill);
    }
    this.watches.clear();
    await this.idle();
  }

  private enqueue(spec: JobSpec): void {
    const queue = this.queues.get(spec.compute) ?? [];
    if (!queue.includes(spec.name)) queue.push(spec.name);
    this.queues.set(spec.compute, queue);
  }

  private slot(compute: string): Set<string> {
    let set = this.running.get(compute);
    if (!set) {
      set = new Set();
      this.running.set(compute, set);
    }
    return set;
  }

  private limit(compute: string): number {
    const instances = this.options.instances;
    const cores = os.availableParallelism();
    if (instances === undefined) return cores;
    if (typeof instances === 'number') return Math.max(1, instances);
    return Math.max(1, instances[compute] ?? instances['*'] ?? cores);
  }

  private pump(compute: string): void {
    if (this.closed) return;
    const queue = this.queues.get(compute) ?? [];
    const running = this.slot(compute);
    while (queue.length > 0 && running.size < this.limit(compute)) {
      const name = queue.shift() as string;
      running.add(name);
      this.execute(name)
        .catch((err: unknown) => this.finish(name, 'Failed', systemError(err)))
        .catch((err: unknown) => this.log.warn(`job ${name}: ${toSerializedError(err).message}`));
    }
  }

  private async execute(name: string): Promise<void> {
    const spec = this.require(name).spec;
    const paths = jobPaths(this.options.dataDir, name);
    this.setStatus(name, 'Running', { startTime: new Date().toISOString(), endTime: undefined, error: undefined });
    let prepared: PreparedJob;
    try {
      prepared = await prepareJob(spec, paths, this.options.datastores, this.options.data);
    } catch (err) {
      const error = toSerializedError(err);
      await this.finish(name, 'Failed', { code: error.kind === 'user' ? 'UserError' : 'SystemError', message: `preparing the job failed: ${error.message}` });
      return;
    }
    if (this.closed) return;
    if (this.require(name).stopReason === 'cancel') {
      await this.finish(name, 'Canceled', { code: 'UserCanceled', message: 'the job was canceled' });
      return;
    }
    const proc = startJobProcess({ script: prepared.script, cwd: paths.cwd, env: this.jobEnvironment(spec, prepared), logFile: paths.logFile, exitFile: paths.exitFile });
    this.store.saveProcess(name, proc.pid, proc.startTime);
    const watch: Watch = { child: proc.child, prepared };
    this.watches.set(name, watch);
    proc.child.once('exit', () => this.exited(name, proc.pid));
    this.armTimeout(name, proc.pid, spec, this.require(name).state);
  }

  private watchAdopted(record: JobRecord, pid: number): void {
    const name = record.spec.name;
    const watch: Watch = {};
    this.watches.set(name, watch);
    watch.poll = setInterval(() => {
      if (isSameProcessAlive(pid, record.pidStartTime ?? '')) return;
      clearInterval(watch.poll);
      this.exited(name, pid);
    }, this.pollMs);
    if (record.stopReason) this.stopProcess(name, pid);
    else this.armTimeout(name, pid, record.spec, record.state);
  }

  private armTimeout(name: string, pid: number, spec: JobSpec, state: JobState): void {
    if (!spec.timeoutSeconds) return;
    const started = state.startTime ? Date.parse(state.startTime) : Date.now();
    const remaining = Math.max(0, started + spec.timeoutSeconds * 1000 - Date.now());
    const watch = this.watches.get(name);
    if (!watch) return;
    watch.timeout = setTimeout(() => {
      this.store.saveStopReason(name, 'timeout');
      this.stopProcess(name, pid);
    }, remaining);
  }

  /** SIGTERM to the whole process group, SIGKILL after the grace period. */
  private stopProcess(name: string, pid: number): void {
    signalGroup(pid, 'SIGTERM');
    const watch = this.watches.get(name);
    if (watch) {
      clearTimeout(watch.kill);
      watch.kill = setTimeout(() => signalGroup(pid, 'SIGKILL'), this.killGraceMs);
    }
  }

  private exited(name: string, pid: number): void {
    readExitCode(jobPaths(this.options.dataDir, name).exitFile)
      .then((code) => this.onExit(name, pid, code))
      .catch((err: unknown) => this.finish(name, 'Failed', systemError(err)))
      .catch((err: unknown) => this.log.warn(`job ${name}: ${toSerializedError(err).message}`));
  }

  /** The job's process ended (exitCode undefined: it vanished without reporting one). */
  private async onExit(name: string, pid: number, exitCode: number | undefined): Promise<void> {
    if (this.closed) return;
    const watch = this.watches.get(name);
    clearTimeout(watch?.timeout);
    clearTimeout(watch?.kill);
    clearInterval(watch?.poll);
    const record = this.require(name);
    // Nothing the command started may outlive it (Azure ML tears the container down). A pid now
    // held by another process means our group is gone (a live group keeps its id from reuse).
    if (!isAlive(pid) || isSameProcessAlive(pid, record.pidStartTime ?? '')) signalGroup(pid, 'SIGKILL');
    const paths = jobPaths(this.options.dataDir, name);
    await uploadArtifacts(name, paths, this.options.datastores).catch((err: unknown) =>
      this.log.warn(`job ${name}: keeping logs and artifacts failed: ${toSerializedError(err).message}`));

    if (record.stopReason === 'cancel') {
      await this.finish(name, 'Canceled', { code: 'UserCanceled', message: 'the job was canceled' });
    } else if (record.stopReason === 'timeout') {
      await this.finish(name, 'Canceled', { code: 'JobTimeout', message: `the job exceeded limits.timeout (${record.spec.timeoutSeconds} s) and was canceled` });
    } else if (exitCode === undefined) {
      // The process died without a trace (killed from outside, machine restart): run it again.
      this.store.saveProcess(name, undefined, undefined);
      this.slot(record.spec.compute).delete(name);
      this.watches.delete(name);
      this.setStatus(name, 'Queued', { startTime: undefined });
      this.enqueue(record.spec);
      this.pump(record.spec.compute);
    } else if (exitCode !== 0) {
      await this.finish(name, 'Failed', await exitError(exitCode, paths.logFile));
    } else {
      await this.finalize(name, watch?.prepared?.outputs ?? resolveOutputs(record.spec, paths, this.options.datastores.defaultName));
    }
  }

  private async finalize(name: string, outputs: ResolvedOutput[]): Promise<void> {
    const record = this.require(name);
    this.setStatus(name, 'Finalizing');
    try {
      await uploadOutputs(outputs, this.options.datastores);
      for (const output of outputs) {
        if (!output.register) continue;
        await this.options.data.createOrGet({
          name: output.register.name,
          version: output.register.version,
          type: output.type,
          uri: output.uri,
          tags: {},
          producedBy: {
            runId: record.spec.tags[JOB_TAGS.runId] ?? '',
            step: record.spec.tags[JOB_TAGS.step] ?? '',
            jobName: name,
            inputs: dataInputIdentities(record.spec),
          },
        });
      }
    } catch (err) {
      const error = toSerializedError(err);
      await this.finish(name, 'Failed', { code: error.kind === 'user' ? 'UserError' : 'SystemError', message: `uploading outputs failed: ${error.message}` });
      return;
    }
    await this.finish(name, 'Completed');
  }

  private async finish(name: string, status: JobStatus, error?: { code: string; message: string }): Promise<void> {
    const record = this.require(name);
    this.setStatus(name, status, { endTime: new Date().toISOString(), ...(error ? { error } : {}) });
    this.store.saveProcess(name, undefined, undefined);
    this.watches.delete(name);
    this.slot(record.spec.compute).delete(name);
    await rm(jobPaths(this.options.dataDir, name).root, { recursive: true, force: true }).catch(() => undefined);
    this.pump(record.spec.compute);
  }

  private setStatus(name: string, status: JobStatus, patch: Partial<JobState> = {}): JobState {
    const record = this.require(name);
    const state: JobState = { ...record.state, ...patch, status };
    for (const key of Object.keys(patch) as (keyof JobState)[]) {
      if (patch[key] === undefined) delete state[key];
    }
    this.store.saveState(state, isTerminalJobStatus(status));
    if (record.state.status !== status) {
      const events = jobEvents(record.spec, state, this.workspace);
      this.events = this.events.then(() => this.options.publish(events)).catch((err: unknown) =>
        this.log.warn(`job ${name}: publishing ${status} events failed: ${toSerializedError(err).message}`));
    }
    return state;
  }

  private jobEnvironment(spec: JobSpec, prepared: PreparedJob): Record<string, string> {
    const inherited: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      // The host's own settings (storage keys, function keys) are not the job's business.
      if (value !== undefined && !/^(AzureWebJobs|AMLSCHED_|AML_|AZURE_CLIENT_SECRET)/i.test(key)) inherited[key] = value;
    }
    return {
      ...inherited,
      ...spec.environmentVariables,
      ...prepared.env,
      AZUREML_RUN_ID: spec.name,
      AZUREML_EXPERIMENT_NAME: spec.experimentName,
    };
  }

  private require(name: string): JobRecord {
    const record = this.store.get(name);
    if (!record) throw new NotFoundError('job_not_found', `job '${name}' does not exist on the local compute`);
    return record;
  }

  private assertOpen(): void {
    if (this.closed) throw new ValidationError('compute_closed', 'the local Azure ML has been shut down');
  }
}

async function readExitCode(file: string): Promise<number | undefined> {
  const text = await readFile(file, 'utf8').catch(() => undefined);
  const code = text === undefined ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(code) ? code : undefined;
}

async function exitError(exitCode: number, logFile: string): Promise<{ code: string; message: string }> {
  const log = await readFile(logFile, 'utf8').catch(() => '');
  const tail = log.trimEnd().split('\n').slice(-5).join('\n');
  const hint = exitCode === COMMAND_NOT_FOUND
    ? ' (command not found: is its interpreter, e.g. python, installed on this machine? Environments are recorded but local steps run with the machine\'s interpreters)'
    : '';
  return { code: 'UserError', message: `the command exited with code ${exitCode}${hint}${tail ? `; last output:\n${tail}` : ''}` };
}

/** The data the job read, as its spec names it (asset versions or datastore URIs), for lineage. */
function dataInputIdentities(spec: JobSpec): Record<string, string> {
  const identities: Record<string, string> = {};
  for (const [name, input] of Object.entries(spec.inputs)) if (input.kind === 'data') identities[name] = input.uri;
  return identities;
}

function systemError(err: unknown): { code: string; message: string } {
  return { code: 'SystemError', message: toSerializedError(err).message };
}
