/**
 * Run shapes shared by startRun, the orchestrators, the activities and the HTTP API.
 * Everything here crosses the durable boundary, so it is plain JSON.
 */
import type { DataType, LiteralValue, PipelinePlan } from '../spec/plan';

/** The statuses of a run object (DESIGN.md). */
export type RunStatus = 'NotStarted' | 'Running' | 'Completed' | 'Failed' | 'Canceled';

/** A step's status in a run object; `Skipped` when a dependency failed (continue_on_step_failure). */
export type StepStatus = 'NotStarted' | 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Skipped';

export interface RunTrigger {
  type: 'http' | 'schedule' | 'blob' | 'rerun';
  schedule?: string;
  eventId?: string;
  idempotencyKey?: string;
  rerunOf?: string;
  /** Schedule fire time (ISO), part of a schedule run's identity. */
  fireTime?: string;
}

/** A pipeline input after validation: a literal, or data named by an `azureml:` reference. */
export type ResolvedInput =
  | { kind: 'literal'; value: LiteralValue }
  | { kind: 'data'; type: DataType; uri: string }
  | { kind: 'none' };

/** A local file or folder of the plan, uploaded to a datastore (by whoever holds the bundle). */
export interface LocalSource {
  /** `azureml://datastores/D/paths/P` (folders end with `/`). */
  uri: string;
  /** Content hash of the file or folder snapshot (honouring .amlignore/.gitignore). */
  hash: string;
  /** For folders: relative file path → content hash, so a reuse miss can name the changed file. */
  files?: Record<string, string>;
}

/** The reuse decision of a step: reused or not, and why. */
export interface ReuseDecision {
  reused: boolean;
  reason: string;
}

/** The outcome of one step, as the step orchestrator returns it and the run keeps it. */
export interface StepResult {
  status: StepStatus;
  jobName?: string;
  fingerprint?: string;
  reuse?: ReuseDecision;
  /** Output name → `azureml://` URI. */
  outputs: Record<string, string>;
  /** Registered data versions, `name:version`. */
  registered?: string[];
  startTime?: string;
  endTime?: string;
  attempts?: number;
  error?: { code: string; message: string };
  /** Results of a nested pipeline's steps, keyed by their own names. */
  steps?: Record<string, StepResult>;
  /** Parallel steps: mini-batches in all, completed, and failed after their retries. */
  miniBatches?: { total: number; done: number; failed: number };
}

/** Custom status of run, chunk and nested-pipeline orchestrations: every step's progress. */
export interface RunProgress {
  steps: Record<string, StepResult>;
  /** Instance ids of chunk orchestrations whose custom status holds further steps (wide DAGs). */
  chunks?: string[];
  canceling?: boolean;
}

/** A run as the catalogue stores it. */
export interface RunRecord {
  runId: string;
  status: RunStatus;
  pipeline: { name?: string; version?: string; displayName?: string };
  trigger: RunTrigger;
  createdTime: string;
  startTime?: string;
  endTime?: string;
  /** Orchestrator function (versioned name) the run was started with. */
  orchestrator: string;
  inputs: Record<string, ResolvedInput>;
  /** Every step path of the plan (nested steps as `outer/inner`), in topological order. */
  stepNames: string[];
  /** Final step results, written when the run ends. */
  steps?: Record<string, StepResult>;
  outputs?: Record<string, string>;
  error?: { code: string; message: string };
}

/** The run object of DESIGN.md (CLI `--output json`, HTTP API). */
export interface RunObject {
  runId: string;
  status: RunStatus;
  pipeline: { name?: string; version?: string; displayName?: string };
  trigger: RunTrigger;
  createdTime: string;
  endTime: string | null;
  steps: Record<string, RunObjectStep>;
  outputs: Record<string, string>;
  error?: { code: string; message: string };
}

export interface RunObjectStep {
  status: StepStatus;
  reused: boolean;
  reason: string | null;
  jobName: string | null;
  outputs: Record<string, string>;
  startTime: string | null;
  endTime: string | null;
  error?: { code: string; message: string };
  /** Parallel steps: mini-batches in all, completed, failed. */
  miniBatches?: { total: number; done: number; failed: number };
}

/** Settings a run pins at start (orchestrators cannot read the environment). */
export interface RunSettings {
  /** Seconds between backstop polls of a job whose events did not arrive. */
  backstopSeconds: number;
  /** Running jobs per compute target, per pipeline graph. */
  maxJobsPerCompute: number;
  /** Steps per chunk orchestration for wide DAGs. */
  chunkSize: number;
}

/** Input of the run orchestrator. */
export interface RunInput {
  runId: string;
  plan: PipelinePlan;
  inputs: Record<string, ResolvedInput>;
  sources: Record<string, LocalSource>;
  settings: RunSettings;
  /** Step results of an earlier run (rerun-from-failure), keyed by step path. */
  reuseHints?: Record<string, StepResult & { runId: string }>;
}
