/**
 * Names that outlive a deploy: orchestrator function names (versioned, so runs in flight keep the
 * code they started with), external event names, and derived instance ids and job names.
 * Pure: orchestrators import it.
 */

/** Current versions. A new version adds new names; old names stay registered until their runs end. */
export const ORCHESTRATORS = {
  run: 'pipelineRun_v1',
  graph: 'pipelineGraph_v1',
  step: 'pipelineStep_v1',
} as const;

/** Every orchestrator name ever registered, for functions/orchestrations.ts. */
export const ORCHESTRATOR_VERSIONS = {
  run: ['pipelineRun_v1'],
  graph: ['pipelineGraph_v1'],
  step: ['pipelineStep_v1'],
} as const;

export const ACTIVITIES = {
  prepareStep: 'runs_prepareStep',
  pollJob: 'runs_pollJob',
  completeStep: 'runs_completeStep',
  cancelJob: 'runs_cancelJob',
  recordRun: 'runs_recordRun',
  signalCancel: 'runs_signalCancel',
  notifyParent: 'runs_notifyParent',
} as const;

/** External events. */
export const EVENTS = {
  /** A job status (from Event Grid), raised into the step instance: `JobStatusEvent`. */
  jobStatus: 'JobStatus',
  /** Cancel the run (HTTP API, CLI), raised into the run instance and forwarded to children. */
  cancel: 'CancelRun',
  /**
   * A child (step or graph) finished: `ChildDone`, raised into the parent by the child's last
   * activity. Parents wait on this event instead of re-yielding child tasks in a new Task.any,
   * which the out-of-process protocol would schedule again (durable-js issue #574).
   */
  childDone: 'ChildDone',
} as const;

export interface ChildDone {
  key: string;
  result: unknown;
}

export interface JobStatusEvent {
  jobName: string;
  status: string;
  eventId?: string;
  eventTime?: string;
}

/**
 * Step instance id: the run id, then the step path with `.` for `/` (Azure Storage instance ids
 * may not hold `/`, `\\`, `#`, `?`). Step names are identifiers, so `.` and `~` cannot clash.
 */
export function stepInstanceId(runId: string, stepPath: string): string {
  return `${runId}:${stepPath.replace(/\//g, '.')}`;
}

/** Nested pipeline instance id (same form as a step's: it is one). */
export function graphInstanceId(runId: string, graphPath: string): string {
  return stepInstanceId(runId, graphPath);
}

/** Chunk instance id of a wide DAG: `~chunk-N` after the enclosing graph's path. */
export function chunkInstanceId(runId: string, prefix: string, index: number): string {
  return `${runId}:${prefix.replace(/\//g, '.')}~chunk-${index}`;
}

const JOB_NAME_MAX = 255;

/** Job name from run id, step path and attempt: `^[a-zA-Z0-9][a-zA-Z0-9\-_]{0,254}$`. */
export function jobName(runId: string, stepPath: string, attempt: number): string {
  const step = stepPath.replace(/[^A-Za-z0-9_-]/g, '_');
  const name = `${runId}-${step}-${attempt}`;
  if (name.length <= JOB_NAME_MAX) return name;
  return `${runId}-${step.slice(0, JOB_NAME_MAX - runId.length - 40)}-${fnv(stepPath)}-${attempt}`;
}

/** Short stable hash for over-long names (not security relevant). */
function fnv(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
