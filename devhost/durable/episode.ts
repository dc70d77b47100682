/**
 * One orchestration episode, as the Durable extension runs it: deliver the new events after an
 * OrchestratorStarted, replay the whole history through durable-functions, and turn the returned
 * (cumulative) actions into history rows and work, reproducing the library's sequence-id numbering
 * (protocols §2.6):
 *
 * - ids are handed out in the order tasks are first yielded, which is the order of the leaves of the
 *   cumulative action list, so leaves beyond those already recorded get the next ids in order;
 * - retries consume ids while an event is processed (a failed attempt: +1 for the retry timer; that
 *   timer firing: +1 for the next attempt, or none after the last attempt's dummy timer). Those events
 *   never resume user code, so several completions can share an episode if such events go first:
 *   their ids are then followed by the ids of the new actions, exactly as the library numbers them.
 *
 * Planning is pure; the backend commits the plan in one transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  type Action, ActionType, actionInputText, flattenLeaves, leafSignature, type OrchestratorState, type RetryOptions,
  retryDelayMs, takesSequenceId,
} from './actions';
import { completedTaskId, EventType, type HistoryEvent, historyEvent } from './history';
import type { ParentRef } from './store';
import type { RuntimeStatus } from './types';

interface RetryRecord {
  kind: 'activity' | 'orchestration';
  name: string;
  input: string | null;
  options: RetryOptions;
  /** 1-based attempt the pending id belongs to (the timer's: the attempt it will start). */
  attempt: number;
  phase: 'attempt' | 'timer';
  /** For a timer: true when it is the "dummy" timer after the last attempt. */
  final?: boolean;
  instanceId?: string;
  version?: string;
}

/** Bookkeeping persisted with the instance between episodes. */
export interface ReplayState {
  leaves: string[];
  nextSeq: number;
  retries: Record<string, RetryRecord>;
}

export const emptyReplayState = (): ReplayState => ({ leaves: [], nextSeq: 0, retries: {} });

/** Stored form: leaves run-length encoded (a fan-out of 1,000 identical calls is one pair). */
export function encodeReplayState(state: ReplayState): string {
  const runs: [string, number][] = [];
  for (const leaf of state.leaves) {
    const last = runs[runs.length - 1];
    if (last && last[0] === leaf) last[1]++;
    else runs.push([leaf, 1]);
  }
  return JSON.stringify({ runs, nextSeq: state.nextSeq, retries: state.retries });
}

export function decodeReplayState(text: string): ReplayState {
  const stored = JSON.parse(text) as { runs: [string, number][]; nextSeq: number; retries: ReplayState['retries'] };
  const leaves: string[] = [];
  for (const [leaf, count] of stored.runs) for (let i = 0; i < count; i++) leaves.push(leaf);
  return { leaves, nextSeq: stored.nextSeq, retries: stored.retries };
}

export interface EpisodeInput {
  instanceId: string;
  executionId: string;
  name: string;
  input: string | null;
  parent: ParentRef | null;
  replay: ReplayState;
  customStatus: string | null;
  /** Events to deliver, in arrival order (control messages already handled). */
  events: HistoryEvent[];
  now: number;
}

export interface ChildStart {
  instanceId: string;
  name: string;
  version: string | undefined;
  input: string | null;
  parent: ParentRef;
}

export interface EpisodePlan {
  /** Rows appended to the current execution's history. */
  history: HistoryEvent[];
  status: RuntimeStatus;
  output: string | null;
  customStatus: string | null;
  replay: ReplayState;
  activities: { taskId: number; name: string; input: string | null }[];
  /** Messages to this instance (timers) or to its parent. */
  posts: { instanceId: string; executionId: string | null; event: HistoryEvent; visibleAt: number }[];
  children: ChildStart[];
  /** Set when the orchestration continued as new: the next execution. */
  continueAsNew?: { executionId: string; input: string | null };
}

export type EpisodeInvoke = (bindingInfoJson: string) => Promise<{ state: OrchestratorState } | { error: Error }>;

const OUT_OF_PROC_MARKER = '$OutOfProcData$:';

/** The `OrchestratorState` embedded in a failed invocation's message, if any (protocols §2.8). */
export function parseOutOfProcData(message: string): OrchestratorState | undefined {
  const at = message.indexOf(OUT_OF_PROC_MARKER);
  if (at < 0) return undefined;
  try {
    return JSON.parse(message.slice(at + OUT_OF_PROC_MARKER.length)) as OrchestratorState;
  } catch {
    return undefined;
  }
}

/** Settings the extension sends with every orchestration trigger (protocols §2.2); timers never split. */
const BINDING_SETTINGS = '"upperSchemaVersion":1,"upperSchemaVersionNew":2,"longRunningTimerIntervalDuration":"3.00:00:00",'
  + '"maximumShortTimerDuration":"36500.00:00:00","defaultHttpAsyncRequestSleepTimeMillseconds":30000';

/** `history` is the comma-separated JSON of the events to replay. */
export function bindingInfoJson(instanceId: string, parentInstanceId: string | null, input: string | null, history: string, isReplaying: boolean): string {
  return `{"history":[${history}],"input":${input ?? 'null'},"instanceId":${JSON.stringify(instanceId)},`
    + `"isReplaying":${isReplaying},"parentInstanceId":${JSON.stringify(parentInstanceId)},${BINDING_SETTINGS}}`;
}

class NonDeterminismError extends Error {}
class UnsupportedActionError extends Error {}

/** Ids that processing `event` consumes for retries; also updates the retry records. */
function isRetryAllocating(event: HistoryEvent, retries: Record<string, RetryRecord>): boolean {
  const id = completedTaskId(event);
  const rec = id === undefined ? undefined : retries[id];
  if (!rec) return false;
  if (event.EventType === EventType.TaskFailed || event.EventType === EventType.SubOrchestrationInstanceFailed) return rec.phase === 'attempt';
  return event.EventType === EventType.TimerFired && rec.phase === 'timer' && !rec.final;
}

/** `oldHistory`: the comma-separated JSON of the earlier events to replay ('' for a new execution). */
export async function runEpisode(input: EpisodeInput, oldHistory: string, invoke: EpisodeInvoke): Promise<EpisodePlan> {
  const nowIso = new Date(input.now).toISOString();
  const replay: ReplayState = { leaves: [...input.replay.leaves], nextSeq: input.replay.nextSeq, retries: { ...input.replay.retries } };
  const allocating = input.events.filter((e) => isRetryAllocating(e, replay.retries));
  const others = input.events.filter((e) => !allocating.includes(e));
  const delivered = [historyEvent(EventType.OrchestratorStarted, nowIso), ...allocating, ...others];

  const plan: EpisodePlan = {
    history: [...delivered], status: 'Running', output: null, customStatus: input.customStatus, replay,
    activities: [], posts: [], children: [],
  };
  const scheduled: HistoryEvent[] = [];

  const scheduleTask = (id: number, kind: 'activity' | 'orchestration', name: string, taskInput: string | null, explicitId?: string, version?: string): void => {
    if (kind === 'activity') {
      scheduled.push(historyEvent(EventType.TaskScheduled, nowIso, { Name: name, Version: '', Input: taskInput }, id));
      plan.activities.push({ taskId: id, name, input: taskInput });
      return;
    }
    const childId = explicitId ?? `${input.executionId}:${id}`;
    scheduled.push(historyEvent(EventType.SubOrchestrationInstanceCreated, nowIso,
      { Name: name, Version: version ?? '', InstanceId: childId, Input: taskInput }, id));
    plan.children.push({
      instanceId: childId, name, version, input: taskInput,
      parent: { instanceId: input.instanceId, executionId: input.executionId, taskScheduledId: id, name: input.name },
    });
  };
  const scheduleTimer = (id: number, fireAt: number): void => {
    const fireAtIso = new Date(fireAt).toISOString();
    scheduled.push(historyEvent(EventType.TimerCreated, nowIso, { FireAt: fireAtIso }, id));
    plan.posts.push({
      instanceId: input.instanceId, executionId: input.executionId,
      event: historyEvent(EventType.TimerFired, fireAtIso, { TimerId: id, FireAt: fireAtIso }), visibleAt: fireAt,
    });
  };

  // Ids consumed by retry bookkeeping, in delivery order.
  for (const event of allocating) {
    const id = completedTaskId(event) as number;
    const rec = replay.retries[id] as RetryRecord;
    delete replay.retries[id];
    const next = replay.nextSeq++;
    if (rec.phase === 'attempt') {
      const final = rec.attempt >= rec.options.maxNumberOfAttempts;
      const fireAt = final ? input.now : input.now + retryDelayMs(rec.options, rec.attempt);
      replay.retries[next] = { ...rec, phase: 'timer', attempt: rec.attempt + 1, final };
      scheduleTimer(next, fireAt);
    } else {
      replay.retries[next] = { ...rec, phase: 'attempt' };
      scheduleTask(next, rec.kind, rec.name, rec.input, rec.instanceId, rec.version);
    }
  }
  for (const event of others) {
    const id = completedTaskId(event);
    if (id !== undefined && replay.retries[id]) delete replay.retries[id];
  }

  const fresh = delivered.map((e) => JSON.stringify(e)).join(',');
  const history = oldHistory === '' ? fresh : `${oldHistory},${fresh}`;
  const result = await invoke(bindingInfoJson(input.instanceId, input.parent?.instanceId ?? null, input.input, history, oldHistory !== ''));
  let state: OrchestratorState | undefined;
  let failure: string | undefined;
  if ('error' in result) {
    state = parseOutOfProcData(result.error.message);
    failure = `Orchestrator function '${input.name}' failed: ${state?.error ?? result.error.message}`;
  } else {
    state = result.state;
  }
  if (state?.customStatus !== undefined && state.customStatus !== null) plan.customStatus = JSON.stringify(state.customStatus);

  let continueAction: Action | undefined;
  if (failure === undefined && state) {
    try {
      continueAction = applyActions(state.actions[0] ?? [], replay, nowIso, input, scheduleTask, scheduleTimer);
    } catch (err) {
      if (!(err instanceof NonDeterminismError || err instanceof UnsupportedActionError)) throw err;
      failure = err instanceof UnsupportedActionError ? `Orchestrator function '${input.name}' failed: ${err.message}` : err.message;
    }
  }

  if (failure !== undefined) {
    plan.history.push(historyEvent(EventType.ExecutionCompleted, nowIso, { OrchestrationStatus: 'Failed', Result: failure }));
    plan.history.push(historyEvent(EventType.OrchestratorCompleted, nowIso));
    plan.status = 'Failed';
    plan.output = JSON.stringify(failure);
    plan.activities = [];
    plan.children = [];
    plan.posts = [];
    notifyParent(plan, input, nowIso, { failed: failure });
    return plan;
  }

  plan.history.push(...scheduled.sort((a, b) => a.EventId - b.EventId));
  if (state?.isDone && continueAction) {
    plan.history.push(historyEvent(EventType.ExecutionCompleted, nowIso, { OrchestrationStatus: 'ContinuedAsNew', Result: null }));
    plan.history.push(historyEvent(EventType.OrchestratorCompleted, nowIso));
    plan.status = 'ContinuedAsNew';
    plan.activities = [];
    plan.children = [];
    plan.posts = [];
    plan.continueAsNew = { executionId: randomUUID().replace(/-/g, ''), input: actionInputText(continueAction) };
    return plan;
  }
  if (state?.isDone) {
    const output = state.output === undefined ? null : JSON.stringify(state.output) ?? null;
    plan.history.push(historyEvent(EventType.ExecutionCompleted, nowIso, { OrchestrationStatus: 'Completed', Result: output }));
    plan.history.push(historyEvent(EventType.OrchestratorCompleted, nowIso));
    plan.status = 'Completed';
    plan.output = output;
    notifyParent(plan, input, nowIso, { output });
    return plan;
  }
  plan.history.push(historyEvent(EventType.OrchestratorCompleted, nowIso));
  return plan;
}

/** Returns the ContinueAsNew action when there is one. */
function applyActions(
  actions: Action[], replay: ReplayState, nowIso: string, input: EpisodeInput,
  scheduleTask: (id: number, kind: 'activity' | 'orchestration', name: string, taskInput: string | null, explicitId?: string, version?: string) => void,
  scheduleTimer: (id: number, fireAt: number) => void,
): Action | undefined {
  const leaves = flattenLeaves(actions);
  const known = replay.leaves.length;
  for (let i = 0; i < Math.min(known, leaves.length); i++) {
    const sig = leafSignature(leaves[i] as Action);
    if (sig !== replay.leaves[i]) {
      throw new NonDeterminismError(`Non-Deterministic workflow detected: a previous execution of orchestration '${input.name}' `
        + `had ${replay.leaves[i]} at position ${i} of its actions, but the current replay execution has ${sig}. `
        + 'Was a change made to the orchestrator code after this instance had already started running?');
    }
  }
  let continueAction: Action | undefined;
  for (const leaf of leaves.slice(known)) {
    replay.leaves.push(leafSignature(leaf));
    if (leaf.actionType === ActionType.ContinueAsNew) continueAction = leaf;
    if (!takesSequenceId(leaf)) continue;
    const id = replay.nextSeq++;
    switch (leaf.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const kind = leaf.actionType <= ActionType.CallActivityWithRetry ? 'activity' : 'orchestration';
        const taskInput = actionInputText(leaf);
        const name = leaf.functionName ?? '';
        const explicitId = leaf.instanceId || undefined;
        scheduleTask(id, kind, name, taskInput, explicitId, leaf.version);
        if (leaf.retryOptions && (leaf.actionType === ActionType.CallActivityWithRetry || leaf.actionType === ActionType.CallSubOrchestratorWithRetry)) {
          replay.retries[id] = {
            kind, name, input: taskInput, options: leaf.retryOptions, attempt: 1, phase: 'attempt',
            ...(explicitId ? { instanceId: explicitId } : {}), ...(leaf.version ? { version: leaf.version } : {}),
          };
        }
        break;
      }
      case ActionType.CreateTimer:
        scheduleTimer(id, Date.parse(leaf.fireAt ?? nowIso));
        break;
      default:
        throw new UnsupportedActionError(`${ActionType[leaf.actionType] ?? leaf.actionType} actions (entities, durable HTTP) are not supported by the local host`);
    }
  }
  return continueAction;
}

function notifyParent(plan: EpisodePlan, input: EpisodeInput, nowIso: string, outcome: { output: string | null } | { failed: string }): void {
  const parent = input.parent;
  if (!parent) return;
  const event = 'failed' in outcome
    ? historyEvent(EventType.SubOrchestrationInstanceFailed, nowIso, { TaskScheduledId: parent.taskScheduledId, Reason: outcome.failed, Details: '' })
    : historyEvent(EventType.SubOrchestrationInstanceCompleted, nowIso, { TaskScheduledId: parent.taskScheduledId, Result: outcome.output });
  plan.posts.push({ instanceId: parent.instanceId, executionId: parent.executionId, event, visibleAt: input.now });
}
