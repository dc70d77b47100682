/**
 * The local Durable Task backend: SQLite task hub + dispatch of orchestration episodes and
 * activities for one loaded app. Dispatch is event-driven (every commit wakes what it made
 * runnable; one wake-up timer for the next due durable timer); a slow scan is only a safety net.
 *
 * Guarantees: one transaction per episode (consumed messages and activity results, history rows,
 * new work, outgoing messages). An activity's result is committed by the episode that delivers it,
 * in the same transaction that deletes its work item and records what the orchestrator does next;
 * until then the work item stays, so after a crash the activity runs again (at-least-once) and its
 * result is never recorded twice. Results of a suspended instance wait in its inbox.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { AmlSchedError, NotFoundError, ValidationError } from '../../shared/errors';
import type { LoadedApp } from '../functions/types';
import type { OrchestratorState } from './actions';
import { activityFailure, activityResultText, encodeActivityInput } from './activity-payload';
import type { HostDatabase } from './db';
import { type ChildStart, decodeReplayState, emptyReplayState, encodeReplayState, type EpisodePlan, runEpisode } from './episode';
import { EventType, type HistoryEvent, historyEvent, isControlEvent } from './history';
import { ACTIVE_STATUSES, decodeContinuation, encodeContinuation, isTerminal, TERMINAL_STATUSES, toInstanceStatus } from './status';
import { type ActivityRow, DurableStore, type InstanceRow, type ParentRef } from './store';
import type { DurableBackend, InstanceQuery, InstanceStatus, RuntimeStatus } from './types';
import { ReplayLog, type ReplayPayload } from './replay-log';
import { WakeTimer } from './wake-timer';

export interface BackendOptions {
  /** The app whose functions run; or call `start(app)` once it is loaded. */
  app?: LoadedApp;
  db: HostDatabase;
  taskHub: string;
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  /** Completions delivered per episode at most; default unlimited (as the extension batches). 1 = one at a time. */
  maxEventsPerEpisode?: number;
  /** What the orchestrator is sent on replay (replay-log.ts); default 'read-events'. */
  replayPayload?: ReplayPayload;
  clock?: () => number;
  log?: (level: 'error' | 'warning' | 'information', message: string) => void;
}

const SAFETY_SCAN_MS = 5_000;
const HISTORY_CACHE_SIZE = 256;
const DEFAULT_PAGE_SIZE = 100;

interface Completion {
  row: ActivityRow;
  event: HistoryEvent;
}

/** A filter time as stored (ISO, ms); a value that is not a date is the caller's error. */
function isoTime(value: string, field: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new ValidationError('invalid_time', `${field} "${value}" is not a date/time`, { path: field });
  return new Date(time).toISOString();
}

function validateInstanceId(id: string): void {
  if (id.length === 0 || id.length > 256 || id.startsWith('@') || /[/\\#?\u0000-\u001f\u007f]/.test(id)) {
    throw new ValidationError('invalid_instance_id', `instance id "${id}" is not valid: 1–256 characters, not starting with @, without / \\ # ? or control characters`);
  }
}

export class SqliteDurableBackend implements DurableBackend {
  readonly taskHub: string;
  readonly db: HostDatabase;
  readonly #store: DurableStore;
  #app: LoadedApp | undefined;
  readonly #now: () => number;
  readonly #log: NonNullable<BackendOptions['log']>;
  readonly #maxActivities: number;
  readonly #maxOrchestrations: number;
  readonly #maxEventsPerEpisode: number;

  readonly #ready = new Set<string>();
  readonly #running = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #activityQueue: ActivityRow[] = [];
  #activitiesInFlight = 0;
  /**
   * Finished activities not yet committed, by instance: the next episode of the instance consumes
   * them and deletes their work items in its own transaction (one commit per step). Until then the
   * work item stays, so a crash re-runs the activity (at-least-once).
   */
  readonly #results = new Map<string, Completion[]>();
  #pumpScheduled = false;
  readonly #wake: WakeTimer;
  #safetyScan: NodeJS.Timeout | undefined;
  readonly #idleWaiters: (() => void)[] = [];
  readonly #finishWaiters = new Map<string, ((status: InstanceStatus) => void)[]>();
  readonly #historyCache = new Map<string, ReplayLog>();
  readonly #replayPayload: ReplayPayload;
  #closed = false;
  /** One wrapper for every transaction (creating one per call costs more than the commit). */
  readonly #tx: (fn: () => unknown) => unknown;

  constructor(options: BackendOptions) {
    this.taskHub = options.taskHub;
    this.db = options.db;
    this.#tx = options.db.transaction((fn: () => unknown) => fn());
    this.#store = new DurableStore(options.db);
    this.#now = options.clock ?? Date.now;
    this.#log = options.log ?? ((level, message) => { if (level !== 'information') process.stderr.write(`[durable ${level}] ${message}\n`); });
    const cores = os.availableParallelism();
    this.#maxActivities = options.maxConcurrentActivities ?? 10 * cores;
    this.#maxOrchestrations = options.maxConcurrentOrchestrations ?? 10 * cores;
    this.#maxEventsPerEpisode = options.maxEventsPerEpisode ?? Infinity;
    this.#replayPayload = options.replayPayload ?? 'read-events';
    this.#wake = new WakeTimer(() => this.#scanDue(), this.#now);
    if (options.app) this.start(options.app);
  }

  /**
   * Begins dispatching for `app`. Recovery: activities whose results never committed run again
   * (at-least-once), due messages and timers are dispatched.
   */
  start(app: LoadedApp): void {
    if (this.#app) throw new AmlSchedError('already_started', 'the durable backend is already started', { nonRetryable: true });
    this.#app = app;
    this.#safetyScan = setInterval(() => this.#scanDue(), SAFETY_SCAN_MS);
    this.#safetyScan.unref();
    for (const row of this.#store.allActivities.all()) this.#activityQueue.push(row);
    this.#scanDue();
    this.#pumpActivities();
  }

  #started(): LoadedApp {
    if (!this.#app) throw new AmlSchedError('not_started', 'the durable backend has no app yet (call start(app) once the app is loaded)');
    return this.#app;
  }

  /** Runs `fn` in a transaction of the host database (shared with the state store); nests as a savepoint. */
  transaction<T>(fn: () => T): T {
    return this.#tx(fn) as T;
  }

  // ---------------------------------------------------------------- management operations

  async startNew(name: string, options: { instanceId?: string; input?: unknown; version?: string }): Promise<string> {
    const fn = this.#started().functions.get(name);
    if (!fn || fn.trigger.type !== 'orchestrationTrigger') {
      throw new ValidationError('unknown_orchestrator', `"${name}" is not an orchestrator function of this app`);
    }
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    validateInstanceId(instanceId);
    const input = options.input === undefined ? null : JSON.stringify(options.input) ?? null;
    this.transaction(() => {
      const existing = this.#store.getInstance.get(instanceId);
      if (existing && ACTIVE_STATUSES.includes(existing.status)) {
        throw new AmlSchedError('instance_exists', `an instance with id "${instanceId}" is already ${existing.status}`, { kind: 'user', nonRetryable: true });
      }
      this.#createInstance({ instanceId, name, version: options.version, input, parent: null });
    });
    this.#notify(instanceId);
    return instanceId;
  }

  async getStatus(instanceId: string, options: { showHistory?: boolean; showHistoryOutput?: boolean; showInput?: boolean } = {}): Promise<InstanceStatus | undefined> {
    const row = this.#store.getInstance.get(instanceId);
    if (!row) return undefined;
    const history = options.showHistory
      ? this.#store.readHistory(instanceId).map((t) => JSON.parse(t) as HistoryEvent)
      : undefined;
    return toInstanceStatus(row, {
      ...(options.showInput !== undefined ? { showInput: options.showInput } : {}),
      ...(history ? { history } : {}),
      ...(options.showHistoryOutput !== undefined ? { showHistoryOutput: options.showHistoryOutput } : {}),
    });
  }

  async query(query: InstanceQuery): Promise<{ instances: InstanceStatus[]; continuationToken?: string }> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.createdTimeFrom) { where.push('created_time >= ?'); params.push(isoTime(query.createdTimeFrom, 'createdTimeFrom')); }
    if (query.createdTimeTo) { where.push('created_time <= ?'); params.push(isoTime(query.createdTimeTo, 'createdTimeTo')); }
    if (query.runtimeStatus?.length) {
      where.push(`status IN (${query.runtimeStatus.map(() => '?').join(',')})`);
      params.push(...query.runtimeStatus);
    }
    if (query.instanceIdPrefix) {
      where.push('substr(instance_id, 1, ?) = ?');
      params.push(query.instanceIdPrefix.length, query.instanceIdPrefix);
    }
    if (query.continuationToken) {
      const after = decodeContinuation(query.continuationToken);
      if (!after) throw new ValidationError('invalid_continuation_token', 'the continuation token is not one this host issued');
      where.push('(created_time > ? OR (created_time = ? AND instance_id > ?))');
      params.push(after[0], after[0], after[1]);
    }
    const top = query.top && query.top > 0 ? query.top : DEFAULT_PAGE_SIZE;
    const sql = `SELECT * FROM dt_instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_time, instance_id LIMIT ?`;
    const rows = this.db.prepare<unknown[], InstanceRow>(sql).all(...params, top + 1);
    const page = rows.slice(0, top);
    const last = page[page.length - 1];
    return {
      instances: page.map((r) => toInstanceStatus(r, { showInput: query.showInput ?? false })),
      ...(rows.length > top && last ? { continuationToken: encodeContinuation(last.created_time, last.instance_id) } : {}),
    };
  }

  /** Posts a control or event message to an existing, unfinished instance. */
  #postToActive(instanceId: string, event: HistoryEvent): void {
    this.transaction(() => {
      const row = this.#store.getInstance.get(instanceId);
      if (!row) throw new NotFoundError('not_found', `No instance with ID '${instanceId}' found.`);
      if (isTerminal(row.status)) {
        throw new AmlSchedError('gone', `instance '${instanceId}' is already ${row.status}`, { kind: 'user', nonRetryable: true });
      }
      this.#store.postEvent(instanceId, null, event, this.#now());
    });
    this.#notify(instanceId);
  }

  async raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void> {
    const input = data === undefined ? null : JSON.stringify(data) ?? null;
    this.#postToActive(instanceId, historyEvent(EventType.EventRaised, this.#iso(), { Name: eventName, Input: input }));
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    this.#postToActive(instanceId, historyEvent(EventType.ExecutionTerminated, this.#iso(), { Input: reason }));
  }

  async suspend(instanceId: string, reason: string): Promise<void> {
    this.#postToActive(instanceId, historyEvent(EventType.ExecutionSuspended, this.#iso(), { Reason: reason }));
  }

  async resume(instanceId: string, reason: string): Promise<void> {
    this.#postToActive(instanceId, historyEvent(EventType.ExecutionResumed, this.#iso(), { Reason: reason }));
  }

  async rewind(instanceId: string, _reason: string): Promise<void> {
    if (!this.#store.getInstance.get(instanceId)) throw new NotFoundError('not_found', `No instance with ID '${instanceId}' found.`);
    throw new AmlSchedError('not_supported', 'rewind is not supported by the local host\'s storage provider', { kind: 'user', nonRetryable: true });
  }

  async purge(instanceId: string): Promise<number> {
    const existed = this.transaction(() => {
      const row = this.#store.getInstance.get(instanceId);
      if (row) this.#store.erase(instanceId);
      return row !== undefined;
    });
    this.#historyCache.delete(instanceId);
    return existed ? 1 : 0;
  }

  async purgeBy(filter: { createdTimeFrom: string; createdTimeTo?: string; runtimeStatus?: RuntimeStatus[] }): Promise<number> {
    if (!filter.createdTimeFrom) throw new ValidationError('missing_created_time_from', 'purging by filter needs createdTimeFrom');
    const statuses = filter.runtimeStatus?.length ? filter.runtimeStatus : TERMINAL_STATUSES;
    const params: unknown[] = [isoTime(filter.createdTimeFrom, 'createdTimeFrom')];
    let sql = `SELECT instance_id FROM dt_instances WHERE created_time >= ?`;
    if (filter.createdTimeTo) { sql += ' AND created_time <= ?'; params.push(isoTime(filter.createdTimeTo, 'createdTimeTo')); }
    sql += ` AND status IN (${statuses.map(() => '?').join(',')})`;
    params.push(...statuses);
    const ids = this.transaction(() => {
      const found = this.db.prepare<unknown[], { instance_id: string }>(sql).all(...params).map((r) => r.instance_id);
      for (const id of found) this.#store.erase(id);
      return found;
    });
    for (const id of ids) this.#historyCache.delete(id);
    return ids.length;
  }

  /** Resolves with the status once the instance has finished (Completed, Failed, Terminated). */
  whenFinished(instanceId: string): Promise<InstanceStatus> {
    return new Promise((resolve, reject) => {
      const list = this.#finishWaiters.get(instanceId) ?? [];
      list.push(resolve);
      this.#finishWaiters.set(instanceId, list);
      this.getStatus(instanceId).then((status) => {
        if (status && isTerminal(status.runtimeStatus)) this.#finished(instanceId);
      }, reject);
    });
  }

  #finished(instanceId: string): void {
    const waiters = this.#finishWaiters.get(instanceId);
    if (!waiters) return;
    this.#finishWaiters.delete(instanceId);
    void this.getStatus(instanceId).then((status) => {
      if (status) for (const resolve of waiters) resolve(status);
    });
  }

  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      this.#checkIdle();
    });
  }

  /**
   * Stops dispatching and waits (up to `graceMs`) for running episodes and activities; activities
   * still running then are left to run again after the next start. The database stays open.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    this.#wake.cancel();
    if (this.#safetyScan) clearInterval(this.#safetyScan);
    const deadline = Date.now() + graceMs;
    while ((this.#running.size > 0 || this.#activitiesInFlight > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const pending = [...this.#results.values()].flat();
    this.#results.clear();
    this.transaction(() => this.#persistResults(pending));
  }

  // ---------------------------------------------------------------- dispatch

  #iso(): string {
    return new Date(this.#now()).toISOString();
  }

  #notify(instanceId: string): void {
    if (this.#closed || !this.#app) return;
    if (this.#running.has(instanceId)) this.#dirty.add(instanceId);
    else this.#ready.add(instanceId);
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      setImmediate(() => {
        this.#pumpScheduled = false;
        this.#pumpOrchestrations();
        this.#checkIdle();
      });
    }
  }

  #scanDue(): void {
    if (this.#closed || !this.#app) return;
    const now = this.#now();
    const due = this.#store.dueInstances.all(now);
    for (const { instance_id: id } of due) this.#notify(id);
    const next = this.#store.nextVisible.get(now)?.t;
    if (next !== null && next !== undefined) this.#wake.armAt(next);
  }

  #pumpOrchestrations(): void {
    for (const id of this.#ready) {
      if (this.#running.size >= this.#maxOrchestrations) break;
      this.#ready.delete(id);
      if (this.#running.has(id)) {
        this.#dirty.add(id);
        continue;
      }
      this.#running.add(id);
      this.#processInstance(id)
        .catch((err: unknown) => this.#log('error', `orchestration ${id}: ${(err as Error).stack ?? String(err)}`))
        .finally(() => {
          this.#running.delete(id);
          if (this.#dirty.delete(id)) this.#ready.add(id);
          this.#pumpOrchestrations();
          this.#checkIdle();
        });
    }
  }

  #pumpActivities(): void {
    while (!this.#closed && this.#activitiesInFlight < this.#maxActivities && this.#activityQueue.length > 0) {
      const row = this.#activityQueue.shift() as ActivityRow;
      this.#activitiesInFlight++;
      void this.#runActivity(row);
    }
  }

  async #runActivity(row: ActivityRow): Promise<void> {
    let event: HistoryEvent;
    try {
      const result = await this.#started().invoke({ functionName: row.name, triggerData: encodeActivityInput(row.input) });
      event = historyEvent(EventType.TaskCompleted, this.#iso(), { TaskScheduledId: row.task_id, Result: activityResultText(result.returnValue) });
    } catch (err) {
      event = historyEvent(EventType.TaskFailed, this.#iso(), { TaskScheduledId: row.task_id, ...activityFailure(row.name, err) });
    }
    const list = this.#results.get(row.instance_id);
    if (list) list.push({ row, event });
    else this.#results.set(row.instance_id, [{ row, event }]);
    this.#activitiesInFlight--;
    this.#notify(row.instance_id);
    this.#pumpActivities();
  }

  /** Moves results to the instance's inbox (suspended instances, shutdown); drops stale ones. Inside a transaction. */
  #persistResults(results: Completion[]): void {
    const now = this.#now();
    for (const { row, event } of results) {
      if (this.#store.deleteActivity.run(row.id).changes === 0) continue;
      const inst = this.#store.getInstance.get(row.instance_id);
      if (!inst || inst.execution_id !== row.execution_id || isTerminal(inst.status)) continue;
      this.#store.postEvent(row.instance_id, row.execution_id, event, now);
    }
  }

  #checkIdle(): void {
    if (this.#idleWaiters.length === 0) return;
    const busy = this.#ready.size > 0 || this.#running.size > 0 || this.#activityQueue.length > 0
      || this.#activitiesInFlight > 0 || this.#results.size > 0 || this.#pumpScheduled;
    if (busy) return;
    this.#scanDue();
    if (this.#ready.size > 0 || this.#pumpScheduled) return;
    for (const resolve of this.#idleWaiters.splice(0)) resolve();
  }

  // ---------------------------------------------------------------- episodes

  #createInstance(start: { instanceId: string; name: string; version: string | undefined; input: string | null; parent: ParentRef | null }): void {
    const nowIso = this.#iso();
    const executionId = randomUUID().replace(/-/g, '');
    this.#store.erase(start.instanceId);
    this.#historyCache.delete(start.instanceId);
    this.#store.insertInstance.run({
      instance_id: start.instanceId, execution_id: executionId, name: start.name, version: start.version ?? null,
      status: 'Pending', input: start.input, output: null, custom_status: null, created_time: nowIso,
      last_updated_time: nowIso, parent: start.parent ? JSON.stringify(start.parent) : null,
      replay_state: encodeReplayState(emptyReplayState()),
    });
    this.#store.postEvent(start.instanceId, executionId, this.#executionStarted(start, executionId, nowIso), this.#now());
  }

  #executionStarted(start: { instanceId: string; name: string; version: string | undefined; input: string | null; parent: ParentRef | null }, executionId: string, nowIso: string): HistoryEvent {
    const parent = start.parent;
    return historyEvent(EventType.ExecutionStarted, nowIso, {
      OrchestrationInstance: { InstanceId: start.instanceId, ExecutionId: executionId },
      ParentInstance: parent
        ? { Name: parent.name, OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId }, TaskScheduleId: parent.taskScheduledId }
        : null,
      Name: start.name, Version: start.version ?? '', Input: start.input, Tags: null, Correlation: null, ScheduledStartTime: null, Generation: 0,
    });
  }

  #historyOf(row: InstanceRow): ReplayLog {
    const cached = this.#historyCache.get(row.instance_id);
    if (cached && cached.executionId === row.execution_id) {
      this.#historyCache.delete(row.instance_id);
      this.#historyCache.set(row.instance_id, cached);
      return cached;
    }
    const log = new ReplayLog(row.execution_id, this.#replayPayload);
    for (const text of this.#store.readHistory(row.instance_id)) log.append(JSON.parse(text) as HistoryEvent, text);
    this.#historyCache.set(row.instance_id, log);
    if (this.#historyCache.size > HISTORY_CACHE_SIZE) {
      const oldest = this.#historyCache.keys().next().value;
      if (oldest !== undefined) this.#historyCache.delete(oldest);
    }
    return log;
  }

  async #processInstance(instanceId: string): Promise<void> {
    const results = this.#results.get(instanceId) ?? [];
    this.#results.delete(instanceId);
    try {
      await this.#runInstance(instanceId, results);
    } catch (err) {
      // Keep the results durable rather than retrying the episode in a loop (and only once).
      const requeued = this.#results.get(instanceId)?.filter((r) => !results.includes(r));
      if (requeued?.length) this.#results.set(instanceId, requeued);
      else this.#results.delete(instanceId);
      this.transaction(() => this.#persistResults(results));
      throw err;
    }
  }

  async #runInstance(instanceId: string, results: Completion[]): Promise<void> {
    const now = this.#now();
    const row = this.#store.getInstance.get(instanceId);
    const inbox = this.#store.inboxDue.all(instanceId, now);
    if (inbox.length === 0 && results.length === 0) return;
    if (!row || isTerminal(row.status)) {
      // Messages to unknown or finished instances are dropped, as in the extension.
      this.transaction(() => {
        for (const m of inbox) this.#store.deleteInboxRow.run(m.id);
        for (const { row: work } of results) this.#store.deleteActivity.run(work.id);
      });
      return;
    }

    const consumed: number[] = [];
    const control: HistoryEvent[] = [];
    const deliver: HistoryEvent[] = [];
    let status: RuntimeStatus = row.status;
    let terminated: HistoryEvent | undefined;
    let leftOver = false;
    for (const m of inbox) {
      if (m.execution_id !== null && m.execution_id !== row.execution_id) {
        consumed.push(m.id);
        continue;
      }
      const event = JSON.parse(m.event) as HistoryEvent;
      if (m.event_type === EventType.ExecutionTerminated) {
        terminated = event;
        break;
      }
      if (status === 'Suspended') {
        if (m.event_type !== EventType.ExecutionResumed) continue;
        status = row.status === 'Suspended' ? 'Running' : row.status;
      } else if (m.event_type === EventType.ExecutionSuspended) {
        status = 'Suspended';
      }
      if (!isControlEvent(m.event_type) && deliver.length >= this.#maxEventsPerEpisode) {
        leftOver = true;
        continue;
      }
      consumed.push(m.id);
      if (isControlEvent(m.event_type)) control.push(event);
      else deliver.push(event);
    }

    if (terminated) {
      this.#terminateNow(row, control, terminated);
      return;
    }
    // In-memory results follow the stored messages; a suspended instance keeps them in its inbox.
    const current = results.filter((r) => r.row.execution_id === row.execution_id);
    const stale = results.filter((r) => r.row.execution_id !== row.execution_id);
    const room = status === 'Suspended' ? 0 : Math.max(0, this.#maxEventsPerEpisode - deliver.length);
    const taken = current.slice(0, room);
    const later = current.slice(room);
    for (const r of taken) deliver.push(r.event);
    const persistNow = status === 'Suspended' ? later : [];
    if (status !== 'Suspended' && later.length > 0) {
      this.#results.set(instanceId, [...later, ...(this.#results.get(instanceId) ?? [])]);
      leftOver = true;
    }
    const settle = (): void => {
      for (const r of [...taken, ...stale]) this.#store.deleteActivity.run(r.row.id);
      this.#persistResults(persistNow);
    };

    const history = this.#historyOf(row);
    const parent = row.parent ? JSON.parse(row.parent) as ParentRef : null;
    if (deliver.length === 0) {
      // Only control messages: record them, no replay needed.
      this.#commit(instanceId, () => {
        for (const id of consumed) this.#store.deleteInboxRow.run(id);
        settle();
        this.#appendHistory(row, history, control);
        this.#store.updateInstance.run({ ...this.#rowUpdate(row), status: status === 'Running' && history.storedCount === 0 ? 'Pending' : status });
      });
      if (leftOver) this.#notify(instanceId);
      return;
    }

    const replay = decodeReplayState(row.replay_state);
    const plan = await runEpisode({
      instanceId, executionId: row.execution_id, name: row.name, input: row.input, parent, replay,
      customStatus: row.custom_status, events: deliver, now,
    }, history.json, (json) => this.#invokeOrchestrator(row.name, json));

    const activityRows: ActivityRow[] = [];
    const woken = new Set<string>();
    let nextVisible = Infinity;
    const committed = this.#commit(instanceId, () => {
      const latest = this.#store.getInstance.get(instanceId);
      if (!latest || latest.execution_id !== row.execution_id) return false;
      for (const id of consumed) this.#store.deleteInboxRow.run(id);
      settle();
      this.#appendHistory(row, history, [...control, ...plan.history]);
      const finalStatus = status === 'Suspended' && plan.status === 'Running' ? 'Suspended' : plan.status;
      this.#store.updateInstance.run({
        ...this.#rowUpdate(row), status: finalStatus, output: plan.output, custom_status: plan.customStatus,
        replay_state: encodeReplayState(plan.replay),
      });
      for (const a of plan.activities) {
        const info = this.#store.insertActivity.run(instanceId, row.execution_id, a.taskId, a.name, a.input);
        activityRows.push({ id: Number(info.lastInsertRowid), instance_id: instanceId, execution_id: row.execution_id, task_id: a.taskId, name: a.name, input: a.input });
      }
      for (const p of plan.posts) {
        this.#store.postEvent(p.instanceId, p.executionId, p.event, p.visibleAt);
        if (p.visibleAt <= now) woken.add(p.instanceId);
        else nextVisible = Math.min(nextVisible, p.visibleAt);
      }
      for (const child of plan.children) this.#startChild(child, woken);
      if (plan.continueAsNew) this.#continueAsNew(row, plan, woken);
      if (isTerminal(plan.status)) {
        this.#store.deleteInbox.run(instanceId);
        this.#store.deleteActivities.run(instanceId);
      }
      return true;
    });
    if (!committed) return;
    if (isTerminal(plan.status) || plan.continueAsNew) this.#historyCache.delete(instanceId);
    if (isTerminal(plan.status)) this.#finished(instanceId);
    this.#activityQueue.push(...activityRows);
    this.#pumpActivities();
    if (leftOver) woken.add(instanceId);
    for (const id of woken) this.#notify(id);
    if (nextVisible !== Infinity) this.#wake.armAt(nextVisible);
  }

  #rowUpdate(row: InstanceRow): { instance_id: string; execution_id: string; status: string; output: string | null; custom_status: string | null; last_updated_time: string; replay_state: string; input: string | null } {
    return {
      instance_id: row.instance_id, execution_id: row.execution_id, status: row.status, output: row.output,
      custom_status: row.custom_status, last_updated_time: this.#iso(), replay_state: row.replay_state, input: row.input,
    };
  }

  /** A transaction that touches an instance's cached replay log: a rollback drops the cache entry. */
  #commit<T>(instanceId: string, fn: () => T): T {
    try {
      return this.transaction(fn);
    } catch (err) {
      this.#historyCache.delete(instanceId);
      throw err;
    }
  }

  /** Stores events and extends the cached replay log; on rollback the caller drops the cache entry. */
  #appendHistory(row: InstanceRow, history: ReplayLog, events: HistoryEvent[]): void {
    for (const e of events) {
      const text = JSON.stringify(e);
      this.#store.appendHistory.run(row.instance_id, history.storedCount, text);
      history.append(e, text);
    }
  }

  async #invokeOrchestrator(name: string, bindingInfo: string): Promise<{ state: OrchestratorState } | { error: Error }> {
    try {
      const result = await this.#started().invoke({ functionName: name, triggerData: { string: bindingInfo } });
      const json = result.returnValue?.json;
      if (json === undefined) return { error: new Error('the orchestrator returned no OrchestratorState') };
      return { state: JSON.parse(json) as OrchestratorState };
    } catch (err) {
      return { error: err instanceof Error ? err : new Error(String(err)) };
    }
  }

  #startChild(child: ChildStart, woken: Set<string>): void {
    const existing = this.#store.getInstance.get(child.instanceId);
    if (existing && ACTIVE_STATUSES.includes(existing.status)) {
      const reason = `A sub-orchestration with instance id '${child.instanceId}' is already ${existing.status}`;
      this.#store.postEvent(child.parent.instanceId, child.parent.executionId, historyEvent(EventType.SubOrchestrationInstanceFailed, this.#iso(),
        { TaskScheduledId: child.parent.taskScheduledId, Reason: reason, Details: '' }), this.#now());
      woken.add(child.parent.instanceId);
      return;
    }
    this.#createInstance({ instanceId: child.instanceId, name: child.name, version: child.version, input: child.input, parent: child.parent });
    woken.add(child.instanceId);
  }

  #continueAsNew(row: InstanceRow, plan: EpisodePlan, woken: Set<string>): void {
    const next = plan.continueAsNew as NonNullable<EpisodePlan['continueAsNew']>;
    const nowIso = this.#iso();
    const parent = row.parent ? JSON.parse(row.parent) as ParentRef : null;
    this.#store.deleteHistory.run(row.instance_id);
    this.#store.deleteActivities.run(row.instance_id);
    this.#store.deleteExecutionInbox.run(row.instance_id);
    this.#store.updateInstance.run({
      ...this.#rowUpdate(row), execution_id: next.executionId, status: 'ContinuedAsNew', output: null,
      custom_status: plan.customStatus, replay_state: encodeReplayState(emptyReplayState()), input: next.input,
    });
    this.#store.postEvent(row.instance_id, next.executionId,
      this.#executionStarted({ instanceId: row.instance_id, name: row.name, version: row.version ?? undefined, input: next.input, parent }, next.executionId, nowIso),
      this.#now());
    woken.add(row.instance_id);
  }

  #terminateNow(row: InstanceRow, control: HistoryEvent[], terminated: HistoryEvent): void {
    const nowIso = this.#iso();
    const reason = typeof terminated.Input === 'string' ? terminated.Input : '';
    const history = this.#historyOf(row);
    this.#commit(row.instance_id, () => {
      this.#appendHistory(row, history, [
        ...control,
        terminated,
        historyEvent(EventType.ExecutionCompleted, nowIso, { OrchestrationStatus: 'Terminated', Result: reason }),
      ]);
      this.#store.updateInstance.run({ ...this.#rowUpdate(row), status: 'Terminated', output: JSON.stringify(reason) });
      this.#store.deleteInbox.run(row.instance_id);
      this.#store.deleteActivities.run(row.instance_id);
    });
    this.#historyCache.delete(row.instance_id);
    this.#finished(row.instance_id);
  }
}
