/**
 * The actions an orchestrator returns (protocols §2.4–2.5) and their flattening into "leaves": the
 * single tasks inside compound WhenAll/WhenAny actions, depth-first, which is the order in which
 * durable-functions hands out sequence ids (protocols §2.6).
 */

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  ScheduledSignalEntity = 10,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

export interface RetryOptions {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

export interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  version?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  retryOptions?: RetryOptions;
  compoundActions?: Action[];
}

/** The V2+ state returned by an orchestrator invocation. */
export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  schemaVersion?: number;
}

export function flattenLeaves(actions: readonly Action[], out: Action[] = []): Action[] {
  for (const action of actions) {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      flattenLeaves(action.compoundActions ?? [], out);
    } else {
      out.push(action);
    }
  }
  return out;
}

/** What a leaf must keep being on replay for the orchestration to be deterministic. */
export function leafSignature(action: Action): string {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return `${ActionType[action.actionType]}:${action.functionName ?? ''}`;
    case ActionType.WaitForExternalEvent:
      return `WaitForExternalEvent:${action.externalEventName ?? ''}`;
    default:
      return ActionType[action.actionType] ?? String(action.actionType);
  }
}

/** Whether the leaf takes a sequence id (waits for external events are keyed by name instead). */
export function takesSequenceId(action: Action): boolean {
  return action.actionType !== ActionType.WaitForExternalEvent && action.actionType !== ActionType.ContinueAsNew;
}

/**
 * An action's input as JSON text: CallActivity/WithRetry and ContinueAsNew inputs arrive already
 * JSON-stringified when they were strings; sub-orchestration inputs arrive raw (protocols §2.7).
 */
export function actionInputText(action: Action): string | null {
  const input = action.input;
  if (input === undefined) return null;
  const preStringified = action.actionType === ActionType.CallActivity || action.actionType === ActionType.CallActivityWithRetry
    || action.actionType === ActionType.ContinueAsNew;
  if (preStringified && typeof input === 'string') return input;
  return JSON.stringify(input) ?? null;
}

/** Delay before retry attempt `failedAttempt + 1` (1-based failed attempt), as DTFx's RetryInterceptor. */
export function retryDelayMs(options: RetryOptions, failedAttempt: number): number {
  const coefficient = options.backoffCoefficient ?? 1;
  const delay = options.firstRetryIntervalInMilliseconds * coefficient ** (failedAttempt - 1);
  const max = options.maxRetryIntervalInMilliseconds;
  return max !== undefined && max > 0 ? Math.min(delay, max) : delay;
}
