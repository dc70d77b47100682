/**
 * History events in the JSON shape DurableTask.Core produces (protocols §2.3): PascalCase fields,
 * integer `EventType`, `EventId` = the sequence id for events that schedule a task, else -1.
 */

export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

export function historyEvent(type: EventType, timestamp: string, fields: Record<string, unknown> = {}, eventId = -1): HistoryEvent {
  return { EventType: type, EventId: eventId, IsPlayed: false, Timestamp: timestamp, ...fields };
}

/** Completion events routed to a task by `TaskScheduledId` / `TimerId` (protocols §2.6). */
export function completedTaskId(event: HistoryEvent): number | undefined {
  switch (event.EventType) {
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      return event.TaskScheduledId as number;
    case EventType.TimerFired:
      return event.TimerId as number;
    default:
      return undefined;
  }
}

/** Control messages act on the instance rather than being replayed as completions. */
export function isControlEvent(type: EventType): boolean {
  return type === EventType.ExecutionTerminated || type === EventType.ExecutionSuspended || type === EventType.ExecutionResumed;
}

/**
 * The extension's `historyEvents` format for status queries (protocols §2.11): `EventType` as its
 * name, `EventId`/`IsPlayed` removed, OrchestratorStarted/Completed and the scheduling rows folded
 * into their completion rows (`FunctionName`, `ScheduledTime`), `Result`/`Input` only when asked.
 */
export function toStatusHistory(events: HistoryEvent[], showOutput: boolean): Record<string, unknown>[] {
  const scheduled = new Map<number, HistoryEvent>();
  for (const e of events) {
    if (e.EventType === EventType.TaskScheduled || e.EventType === EventType.SubOrchestrationInstanceCreated
      || e.EventType === EventType.TimerCreated) scheduled.set(e.EventId, e);
  }
  const out: Record<string, unknown>[] = [];
  for (const e of events) {
    const type = e.EventType;
    if (type === EventType.OrchestratorStarted || type === EventType.OrchestratorCompleted
      || type === EventType.TaskScheduled || type === EventType.SubOrchestrationInstanceCreated
      || type === EventType.TimerCreated) continue;
    const { EventType: _t, EventId: _i, IsPlayed: _p, ...rest } = e;
    const row: Record<string, unknown> = { EventType: EventType[type], ...rest };
    const taskId = completedTaskId(e);
    const origin = taskId === undefined ? undefined : scheduled.get(taskId);
    if (origin) {
      if (typeof origin.Name === 'string') row.FunctionName = origin.Name;
      row.ScheduledTime = origin.Timestamp;
    }
    if (type === EventType.ExecutionStarted) row.FunctionName = e.Name;
    if (!showOutput) {
      delete row.Result;
      if (type !== EventType.ExecutionStarted) delete row.Input;
    }
    out.push(row);
  }
  return out;
}
