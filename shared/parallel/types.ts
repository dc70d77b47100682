/**
 * Names and plain-JSON shapes of `type: parallel` steps: the parallel step and chunk
 * orchestrators, their activities, and what crosses the durable boundary between them. The
 * mini-batch list itself never does: it lives in manifest blobs the activities read by URI.
 * Pure: orchestrators import it.
 */
import type { ParallelStep } from '../spec/plan';
import type { StepInput } from '../run/step-types';

/** Versioned orchestrator names (a new version adds names; old ones stay registered). */
export const PARALLEL_ORCHESTRATORS = {
  step: 'parallelStep_v1',
  chunk: 'parallelChunk_v1',
} as const;

export const PARALLEL_ACTIVITIES = {
  plan: 'parallel_plan',
  submit: 'parallel_submit',
  poll: 'parallel_poll',
  finish: 'parallel_finish',
} as const;

/** Mini-batches per chunk orchestration: each costs about 24 history events (5 job status events, their episodes and backstop timers), so a chunk stays near 500. */
export const DEFAULT_MINI_BATCHES_PER_CHUNK = 20;

export interface ParallelStepInput extends Omit<StepInput, 'step'> {
  step: ParallelStep;
}

/** Done/failed/total mini-batches: the parallel step's custom status and its StepResult. */
export interface MiniBatchProgress {
  total: number;
  done: number;
  failed: number;
}

export interface MiniBatchFailure {
  index: number;
  /** A short description of the mini-batch (its first file, or its rows). */
  label: string;
  jobName: string;
  attempts: number;
  error: { code: string; message: string };
}

export type PlanResult =
  | { kind: 'failed'; error: { code: string; message: string } }
  | {
      kind: 'planned';
      /** Blob holding the job template and chunk manifests' prefix (`azureml://`). */
      planUri: string;
      total: number;
      perChunk: number;
      chunks: number;
      /** Compute target of the mini-batch jobs and how many may run at once. */
      concurrency: number;
    };

export interface ChunkInput {
  parent: { instanceId: string; key: string };
  planUri: string;
  chunk: number;
  /** First mini-batch index and how many. */
  first: number;
  count: number;
  concurrency: number;
  maxRetries: number;
  /** Failed mini-batches allowed in the whole step (-1: any), and how many failed in earlier chunks. */
  errorThreshold: number;
  failedBefore: number;
  backstopSeconds: number;
}

export interface ChunkResult {
  done: number;
  failed: number;
  /** Details of the first failures (bounded). */
  failures: MiniBatchFailure[];
  /** Stopped early: the error threshold was exceeded. */
  stopped: boolean;
  canceled: boolean;
}

export interface SubmitInput {
  planUri: string;
  chunk: number;
  batches: { index: number; attempt: number }[];
  /** Instance id the jobs' events go to (the chunk orchestration). */
  instanceId: string;
}

export interface SubmittedBatch {
  index: number;
  attempt: number;
  jobName: string;
  label: string;
  status: string;
  error?: { code: string; message: string };
}

export interface PollInput {
  jobNames: string[];
}

export interface PolledJob {
  jobName: string;
  status: string;
  error?: { code: string; message: string };
}

export interface FinishInput {
  notify: { instanceId: string; key: string };
  step: ParallelStepInput;
  planUri: string;
  progress: MiniBatchProgress;
}

/** Row-file name Azure ML uses when `append_row_to` names a folder output. */
export const DEFAULT_ROWS_FILE = 'parallel_run_step.txt';

/** Chunk instance id: the parallel step's instance id, then `~mb-N`. */
export function parallelChunkInstanceId(stepInstance: string, chunk: number): string {
  return `${stepInstance}~mb-${chunk}`;
}
